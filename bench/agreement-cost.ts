import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { answerModel, FEATURES, WORDING_FEATURES, type Feature } from '../src/knowledge/answer-model.js';
import { KB_SETS } from './kb-sets.js';

/**
 * `npx tsx bench/agreement-cost.ts`: CPU a message the bigram agreement features add to decide() (issue 14, agree14).
 * Two indexes of the 溪湖区 base decide every dev-set message; both models never answer (bias −100, so every
 * decision is the same and only the features' cost differs): one lists the shipped features, bigram agreement
 * included, the other the same without it (agreementOf skipped). Alternating passes, process CPU time, µs a call.
 */
const kb = await loadKnowledge('knowledge');
const questions = parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'bench/devset.jsonl').map((c) => c.q);
const shipped = answerModel();
// Only the cost is compared: the same decisions on both sides (never answer), the features computed as shipped.
const never = (features: readonly Feature[]) => ({ ...shipped, features: [...features], weights: features.map((f) => (f === 'bias' ? -100 : 0)) });
const withModel = never(shipped.features);
const without = never([...FEATURES, ...WORDING_FEATURES]);
const jurisdiction = createJurisdiction(KB_SETS[0]!.home);
const withIndex = buildIndex(kb.entries, kb.synonyms, { jurisdiction, answerModel: withModel });
const withoutIndex = buildIndex(kb.entries, kb.synonyms, { jurisdiction, answerModel: without });
const PASSES = Number(process.env.PASSES ?? 20);
const cpu = { with: 0, without: 0 };
const wall = { with: 0, without: 0 };
for (let pass = 0; pass < PASSES + 2; pass++) {
  for (const [name, index] of (pass % 2 ? [['with', withIndex], ['without', withoutIndex]] : [['without', withoutIndex], ['with', withIndex]]) as [keyof typeof cpu, typeof withIndex][]) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const q of questions) index.decide(q);
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (pass >= 2) {
      cpu[name] += c.user + c.system;
      wall[name] += t * 1000;
    }
  }
}
const n = PASSES * questions.length;
const f = (x: number) => (x / n).toFixed(1);
process.stdout.write(`${questions.length} messages × ${PASSES} passes: decide() CPU ${f(cpu.without)} µs without agreement, ${f(cpu.with)} µs with (+${f(cpu.with - cpu.without)} µs); wall ${f(wall.without)} / ${f(wall.with)} µs\n`);
