import { existsSync, readFileSync } from 'node:fs';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex, type KnowledgeIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import type { RankingWeights } from '../src/knowledge/ranking-model.js';
import { KB_SETS } from './kb-sets.js';
import { TRAIN } from './train-decision.js';

/**
 * `npm run train:ranking`: fits the ranking weights of src/knowledge/ranking-model.ts and prints the curve.
 * The weight is chosen on a fixed grid by the answerable messages of the team's own sets (TRAIN, as for the
 * answer model): most right entries first, then the highest MRR@5, then the smallest weight. Deterministic.
 * The outside set is never used to fit; its hit@1 is printed from the same run, held out. Nothing is written:
 * the fitted weight lost on the held-out set, so RANKING_DEFAULT keeps it off (see ranking-model.ts). Were it
 * ever switched on, the answer model would need retraining (`npm run train:decision`): it reads the scores.
 */
const GRID = Array.from({ length: 31 }, (_, i) => i / 100);

interface Held {
  set: string;
  index: KnowledgeIndex;
  cases: { q: string; expect: string[] }[];
}

async function load(weights: RankingWeights): Promise<Held[]> {
  const held: Held[] = [];
  for (const set of KB_SETS) {
    if (!existsSync(set.file)) continue;
    const kb = await loadKnowledge(set.dir);
    const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(set.home), ranking: weights });
    const cases = parseEvalFile(readFileSync(set.file, 'utf8'), set.file).filter((c) => c.expect.length > 0);
    held.push({ set: set.name, index, cases });
  }
  return held;
}

function score(sets: readonly Held[]): { hit1: number; mrr: number; total: number } {
  let hit1 = 0;
  let mrr = 0;
  let total = 0;
  for (const { index, cases } of sets) {
    for (const c of cases) {
      const rank = index.search(c.q, 5).findIndex((h) => c.expect.includes(h.id));
      total += 1;
      if (rank === 0) hit1 += 1;
      if (rank >= 0) mrr += 1 / (rank + 1);
    }
  }
  return { hit1, mrr, total };
}

export async function trainRanking(): Promise<{ fitted: RankingWeights; curve: string[] }> {
  const weights: RankingWeights = { fact: 0 };
  const sets = await load(weights);
  const own = sets.filter((s) => TRAIN.includes(s.set));
  const others = sets.filter((s) => !TRAIN.includes(s.set));
  let best = { fact: 0, hit1: -1, mrr: -1 };
  const curve: string[] = [];
  for (const fact of GRID) {
    weights.fact = fact;
    const s = score(own);
    const o = score(others);
    curve.push(`| ${fact} | ${(s.hit1 / s.total).toFixed(3)} | ${(s.mrr / s.total).toFixed(3)} | ${o.total ? (o.hit1 / o.total).toFixed(3) : '—'} |`);
    // Strictly better only: ties keep the smaller weight.
    if (s.hit1 > best.hit1 || (s.hit1 === best.hit1 && s.mrr > best.mrr + 1e-9)) best = { fact, hit1: s.hit1, mrr: s.mrr };
  }
  return { fitted: { fact: best.fact }, curve };
}

async function main(): Promise<void> {
  const { fitted, curve } = await trainRanking();
  process.stdout.write(`fitted on the own sets: fact ${fitted.fact}\n\n| fact | own hit@1 | own MRR@5 | outside hit@1 (held out) |\n|---|---|---|---|\n${curve.join('\n')}\n`);
}

if (process.argv[1]?.endsWith('train-ranking.ts')) await main();
