import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseEvalFile } from '../../src/knowledge/evaluate.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';

/**
 * Regression floor on the three bureaus' dev sets with the same thresholds (the
 * benchmark, `npm run bench -- kb`, reports the exact figures). A drop below
 * the floor means a lexicon or scoring change hurt answers parents get.
 */
const SETS = [
  { dir: 'knowledge', file: 'bench/devset.jsonl' },
  { dir: 'bench/other-bureau/knowledge', file: 'bench/other-bureau/devset.jsonl' },
  { dir: 'bench/third-bureau/knowledge', file: 'bench/third-bureau/devset.jsonl' },
];

describe('dev sets', () => {
  for (const set of SETS) {
    it.skipIf(!existsSync(set.file))(`${set.file}: hit@1 ≥ 0.88 and ≥ 0.85 of decisions right`, async () => {
      const kb = await loadKnowledge(set.dir);
      expect(kb.problems).toEqual([]);
      const report = evaluate(buildIndex(kb.entries, kb.synonyms), parseEvalFile(readFileSync(set.file, 'utf8'), set.file));
      expect(report.hit1).toBeGreaterThanOrEqual(0.88);
      expect(report.decisionsRight).toBeGreaterThanOrEqual(0.85);
    });
  }
});
