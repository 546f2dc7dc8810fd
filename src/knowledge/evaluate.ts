import { z } from 'zod';
import type { KnowledgeIndex } from './index.js';

/**
 * Run a labelled message set through an index and report what a parent would get. Two line formats are read:
 * the team's `{"q","expect": id|null}` and the outside sets' `{"q","expect": [ids],"kind","intent"}`; a line may
 * also carry `"section"` (the heading holding the asked fact). Measures, as ../shared/eval/score.mjs and
 * wrong-answers.mjs define them:
 *   hit@1, hit@3, MRR@5     — rank of the first expected entry among the results, answerable messages only;
 *   decisions right         — answered with an expected entry first, or rightly not answered (and, for a
 *                             message labelled with an intent, that intent detected; near pairs count);
 *   wrong-answer rate       — share of ALL messages answered with a wrong entry or answered when they must be
 *                             declined: the failure a parent is hurt by;
 *   intent accuracy         — over messages labelled with an intent;
 *   section accuracy        — over section-labelled messages whose first result is the right entry, the share
 *                             whose section is the labelled one;
 *   suggestions             — of answerable messages given "您是不是想问", the share whose list holds the entry;
 *   sees it                 — answerable messages answered with a right entry, or shown a "您是不是想问" list
 *                             holding one (instead of an answer, or under an answer), over answerable messages;
 *   declines shown choices  — must-decline messages given a "您是不是想问" list instead of an answer, over
 *                             must-decline messages (a list that cannot help: the parent reads titles of entries
 *                             about something else).
 * A message counts as answered when the intent detector (if given) says `kb` and the decision is `answer`.
 * Shared by `npm run bench`, `kb eval` and `kb check`.
 */
export const evalCaseSchema = z.object({
  q: z.string().min(1),
  expect: z.union([z.string().min(1), z.array(z.string().min(1))]).nullable(),
  kind: z.string().optional(),
  intent: z.string().optional(),
  section: z.string().optional(),
});
export interface EvalCase {
  q: string;
  /** Entries that answer it; empty: it must be declined. */
  expect: string[];
  kind?: string;
  intent?: string;
  section?: string;
}

export interface EvalMiss {
  q: string;
  expect: string[];
  got: string | null;
  answered: boolean;
  score: number;
  kind?: string;
  intent?: string;
  gotIntent?: string;
}

export interface EvalReport {
  total: number;
  answerable: number;
  hit1: number;
  hit3: number;
  mrr: number;
  refusals: { right: number; total: number };
  decisionsRight: number;
  /** Messages answered with a wrong entry or answered when they must be declined, over all messages. */
  wrongAnswerRate: number;
  /** Answerable messages answered outright with the right entry, over answerable messages. */
  answeredRight: number;
  intents: { right: number; total: number };
  sections: { right: number; total: number };
  /** Answerable messages given "您是不是想问" (intent kb), and how many of those lists hold an expected entry. */
  suggestions: { right: number; total: number };
  /** Answerable messages answered right or shown a list holding a right entry (right), of answerable (total). */
  seen: { right: number; total: number };
  /** Must-decline messages given "您是不是想问" (shown), of must-decline messages (total). */
  declinesShown: { shown: number; total: number };
  misses: EvalMiss[];
}

export type Searcher = Pick<KnowledgeIndex, 'search' | 'decide'>;
export type IntentOf = (text: string) => string;

const NEAR: Record<string, string[]> = { thanks: ['thanks', 'greeting'], human: ['human', 'petition'], petition: ['petition', 'human'] };

export function evaluate(index: Searcher, cases: readonly EvalCase[], intentOf?: IntentOf): EvalReport {
  const n = { hit1: 0, hit3: 0, rr: 0, refusalsRight: 0, right: 0, wrong: 0, answeredRight: 0, intentRight: 0, intentTotal: 0, sectionRight: 0, sectionTotal: 0, suggestRight: 0, suggestTotal: 0, seen: 0, declinesShown: 0 };
  const misses: EvalMiss[] = [];
  for (const c of cases) {
    const decision = index.decide(c.q);
    const ids = decision.results.map((r) => r.id);
    const gotIntent = intentOf?.(c.q) ?? 'kb';
    const answered = gotIntent === 'kb' && decision.kind === 'answer';
    const top = answered && decision.kind === 'answer' ? decision.best.id : null;
    let ok: boolean;
    if (c.expect.length === 0) {
      ok = !answered;
      if (c.intent !== undefined) {
        n.intentTotal += 1;
        const intentOk = (NEAR[c.intent] ?? [c.intent]).includes(gotIntent);
        if (intentOk) n.intentRight += 1;
        ok = ok && intentOk;
      }
      if (!answered) n.refusalsRight += 1;
      if (answered) n.wrong += 1;
      if (gotIntent === 'kb' && decision.kind === 'suggest') n.declinesShown += 1;
    } else {
      const rank = ids.findIndex((id) => c.expect.includes(id));
      if (rank === 0) n.hit1 += 1;
      if (rank >= 0 && rank < 3) n.hit3 += 1;
      if (rank >= 0 && rank < 5) n.rr += 1 / (rank + 1);
      ok = top !== null && c.expect.includes(top);
      if (ok) n.answeredRight += 1;
      if (answered && !ok) n.wrong += 1;
      if (gotIntent === 'kb' && decision.kind === 'suggest') {
        n.suggestTotal += 1;
        if (decision.alternatives.some((a) => c.expect.includes(a.entryId))) n.suggestRight += 1;
      }
      const listed = gotIntent === 'kb' && (decision.kind === 'suggest' || decision.kind === 'answer') && decision.alternatives.some((a) => c.expect.includes(a.entryId));
      if (ok || listed) n.seen += 1;
      if (rank === 0 && c.section !== undefined) {
        n.sectionTotal += 1;
        if (decision.results[0]!.section === c.section) n.sectionRight += 1;
      }
    }
    if (ok) n.right += 1;
    else
      misses.push({
        q: c.q,
        expect: c.expect,
        got: ids[0] ?? null,
        answered,
        score: decision.results[0]?.score ?? 0,
        ...(c.kind ? { kind: c.kind } : {}),
        ...(c.intent ? { intent: c.intent } : {}),
        ...(intentOf ? { gotIntent } : {}),
      });
  }
  const answerable = cases.filter((c) => c.expect.length > 0).length;
  const ratio = (k: number, d: number) => (d === 0 ? 0 : Math.round((k / d) * 1000) / 1000);
  return {
    total: cases.length,
    answerable,
    hit1: ratio(n.hit1, answerable),
    hit3: ratio(n.hit3, answerable),
    mrr: ratio(n.rr, answerable),
    refusals: { right: n.refusalsRight, total: cases.length - answerable },
    decisionsRight: ratio(n.right, cases.length),
    wrongAnswerRate: ratio(n.wrong, cases.length),
    answeredRight: ratio(n.answeredRight, answerable),
    intents: { right: n.intentRight, total: n.intentTotal },
    sections: { right: n.sectionRight, total: n.sectionTotal },
    suggestions: { right: n.suggestRight, total: n.suggestTotal },
    seen: { right: n.seen, total: answerable },
    declinesShown: { shown: n.declinesShown, total: cases.length - answerable },
    misses,
  };
}

/** Parse a JSONL message set; throws an Error naming the bad line. */
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
      if (!parsed.success) throw new Error(`${path}:${n}: expected {"q": string, "expect": string|string[]|null}`);
      const { expect, ...rest } = parsed.data;
      const list = expect === null ? [] : typeof expect === 'string' ? [expect] : expect;
      return { ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)), q: rest.q, expect: list };
    });
}
