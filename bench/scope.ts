import { existsSync, readFileSync } from 'node:fs';
import { evaluate, parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { intentOf, KB_SETS } from './kb-sets.js';
import type { BenchModule } from './run.js';

/**
 * What the scope check (src/knowledge/scope.ts) adds, same run: on every labelled set, refused right (must-decline
 * messages not answered), answered right (answerable messages answered with the right entry) and the wrong-answer
 * rate, with the check off and on. A check that declines answerable questions shows here as answered right falling.
 */
const bench: BenchModule = {
  summary: 'scope check off vs on: refused right, answered right and wrong answers on every labelled set',
  async run(print) {
    const detect = await intentOf();
    print('| set | must decline | refused right (off → on) | answered right (off → on) | wrong answers (off → on) |');
    print('|---|---|---|---|---|');
    const sum = { off: { r: 0, a: 0 }, on: { r: 0, a: 0 }, decline: 0, answerable: 0 };
    for (const set of KB_SETS) {
      if (!existsSync(set.file)) continue;
      const kb = await loadKnowledge(set.dir);
      const cases = parseEvalFile(readFileSync(set.file, 'utf8'), set.file);
      const run = (scope: boolean) => evaluate(buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(set.home), scope }), cases, detect);
      const off = run(false);
      const on = run(true);
      const f = (x: number) => x.toFixed(3);
      const refused = (r: typeof off) => (r.refusals.total === 0 ? 1 : r.refusals.right / r.refusals.total);
      print(`| ${set.name} | ${off.refusals.total} | ${f(refused(off))} → ${f(refused(on))} | ${f(off.answeredRight)} → ${f(on.answeredRight)} | ${(off.wrongAnswerRate * 100).toFixed(1)} % → ${(on.wrongAnswerRate * 100).toFixed(1)} % |`);
      sum.decline += off.refusals.total;
      sum.answerable += off.answerable;
      sum.off.r += off.refusals.right;
      sum.on.r += on.refusals.right;
      sum.off.a += Math.round(off.answeredRight * off.answerable);
      sum.on.a += Math.round(on.answeredRight * on.answerable);
    }
    print(`| all sets | ${sum.decline} | ${sum.off.r} → ${sum.on.r} of ${sum.decline} | ${sum.off.a} → ${sum.on.a} of ${sum.answerable} | |`);
  },
};

export default bench;
