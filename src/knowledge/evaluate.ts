import { z } from 'zod';
import type { KnowledgeIndex } from './index.js';

/**
 * Run a dev set (`{"q","expect"}` lines, expect = entry id or null) through an
 * index: hit@1/hit@3/MRR on answerable messages, correct refusals, and the
 * share of all decisions that were right (answered with the right entry first,
 * or correctly not answered). Shared by `npm run bench` and `kb eval`.
 */
export const evalCaseSchema = z.object({ q: z.string().min(1), expect: z.string().min(1).nullable() });
export type EvalCase = z.infer<typeof evalCaseSchema>;

export interface EvalMiss {
  q: string;
  expect: string | null;
  got: string | null;
  answered: boolean;
  score: number;
}

export interface EvalReport {
  total: number;
  answerable: number;
  hit1: number;
  hit3: number;
  mrr: number;
  refusals: { right: number; total: number };
  decisionsRight: number;
  misses: EvalMiss[];
}

export type Searcher = Pick<KnowledgeIndex, 'search' | 'decide'>;

export function evaluate(index: Searcher, cases: readonly EvalCase[]): EvalReport {
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  let refusalsRight = 0;
  let right = 0;
  const misses: EvalMiss[] = [];
  for (const c of cases) {
    const decision = index.decide(c.q);
    const ids = decision.results.map((r) => r.id);
    const answered = decision.kind === 'answer';
    const top = answered ? decision.best.id : null;
    if (c.expect === null) {
      if (!answered) refusalsRight += 1;
    } else {
      const rank = ids.indexOf(c.expect);
      if (rank === 0) hit1 += 1;
      if (rank >= 0 && rank < 3) hit3 += 1;
      if (rank >= 0) rr += 1 / (rank + 1);
    }
    const ok = c.expect === null ? !answered : answered && top === c.expect;
    if (ok) right += 1;
    else misses.push({ q: c.q, expect: c.expect, got: ids[0] ?? null, answered, score: decision.results[0]?.score ?? 0 });
  }
  const answerable = cases.filter((c) => c.expect !== null).length;
  const ratio = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 1000) / 1000);
  return {
    total: cases.length,
    answerable,
    hit1: ratio(hit1, answerable),
    hit3: ratio(hit3, answerable),
    mrr: ratio(rr, answerable),
    refusals: { right: refusalsRight, total: cases.length - answerable },
    decisionsRight: ratio(right, cases.length),
    misses,
  };
}

/** Parse a JSONL dev set; throws an Error naming the bad line. */
export function parseEvalFile(text: string, path: string): EvalCase[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch {
        throw new Error(`${path}:${n}: not valid JSON`);
      }
      const parsed = evalCaseSchema.safeParse(data);
      if (!parsed.success) throw new Error(`${path}:${n}: expected {"q": string, "expect": string|null}`);
      return parsed.data;
    });
}
