import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseEvalFile } from '../../src/knowledge/evaluate.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';

/**
 * Regression floor on the four bureaus' dev sets with the same answer model (the
 * benchmark, `npm run bench -- kb-sets`, reports the exact figures). A drop below
 * the floor means a lexicon or scoring change hurt answers parents get. Since the
 * precision-first answer model (issue 14) an unclear answer becomes "您是不是想问",
 * which counts as not right: decisions-right floors are the figures after it
 * (0.858 / 0.896 / 0.889 / 0.934) minus a margin, and wrong answers must stay ≤ 5 % (甘井子区: ≤ 6 %: since the
 * clause weighting (issue 14, l14) the retrained answer model answers a petition-like message here (老师有偿补课
 * 我要举报 at l14's retrain) that the intent detector takes first as the bot runs; with intents, as `kb-sets`
 * measures at the current model, the set's wrong answers are 4.0 %). Since the answer model learns from the written
 * data too (issue 14, assoc14: answer at p ≥ 0.81, fewer wrong answers held out on the written bureaus and on every
 * team set) it answers less here: 大东区 0.909 → 0.831 and 天河区 0.950 → 0.893 decisions right as `evaluate` measures
 * without intents, so their floors are 0.82 and 0.88 (a precision-first trade measured in docs/BENCHMARKS.md).
 */
const SETS = [
  { dir: 'knowledge', file: 'bench/devset.jsonl', hit1: 0.88, right: 0.82 },
  { dir: 'bench/other-bureau/knowledge', file: 'bench/other-bureau/devset.jsonl', hit1: 0.88, right: 0.82 },
  { dir: 'bench/third-bureau/knowledge', file: 'bench/third-bureau/devset.jsonl', hit1: 0.88, right: 0.85, wrong: 0.06 },
  { dir: 'bench/fourth-bureau/knowledge', file: 'bench/fourth-bureau/devset.jsonl', hit1: 0.95, right: 0.88 },
];
const MAX_WRONG = 0.05;
const wrongFloor = (set: (typeof SETS)[number]) => ('wrong' in set && set.wrong !== undefined ? set.wrong : MAX_WRONG);

describe('dev sets', () => {
  for (const set of SETS) {
    it.skipIf(!existsSync(set.file))(`${set.file}: hit@1 ≥ ${set.hit1}, ≥ ${set.right} of decisions right, ≤ ${wrongFloor(set)} wrong answers`, async () => {
      const kb = await loadKnowledge(set.dir);
      expect(kb.problems).toEqual([]);
      const report = evaluate(buildIndex(kb.entries, kb.synonyms), parseEvalFile(readFileSync(set.file, 'utf8'), set.file));
      expect(report.hit1).toBeGreaterThanOrEqual(set.hit1);
      expect(report.decisionsRight).toBeGreaterThanOrEqual(set.right);
      expect(report.wrongAnswerRate).toBeLessThanOrEqual(wrongFloor(set));
    });
  }
});
