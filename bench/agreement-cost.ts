import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { answerModel, FEATURES, WORDING_FEATURES, type Feature } from '../src/knowledge/answer-model.js';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { generateEntries } from './generate-entries.js';
import { KB_SETS } from './kb-sets.js';

/**
 * `npx tsx bench/agreement-cost.ts [SIZE…]`: CPU a message the bigram agreement features add to decide() (issue 14,
 * agree14). For each base size (41: the 溪湖区 base; larger: generated from it, as `npm run bench -- kb`'s scale
 * table), two indexes decide every 溪湖区 dev-set message; both models never answer (bias −100), so every decision
 * is the same and only the features' cost differs: one lists the shipped features, bigram agreement included, the
 * other the same without it (agreementOf skipped). Alternating passes; per call, process CPU time (what the change
 * costs, unaffected by other processes' scheduling) and wall time.
 */
const kb = await loadKnowledge('knowledge');
const questions = parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'bench/devset.jsonl').map((c) => c.q);
const shipped = answerModel();
// Only the cost is compared: the same decisions on both sides (never answer), the features computed as shipped.
const never = (features: readonly Feature[]) => ({ ...shipped, features: [...features], weights: features.map((f) => (f === 'bias' ? -100 : 0)) });
const withModel = never(shipped.features);
const without = never([...FEATURES, ...WORDING_FEATURES]);
const jurisdiction = createJurisdiction(KB_SETS[0]!.home);
const PASSES = Number(process.env.PASSES ?? 20);
const sizes = process.argv.slice(2).map(Number);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const f = (x: number) => x.toFixed(1);

for (const size of sizes.length > 0 ? sizes : [kb.entries.length]) {
  const entries = size === kb.entries.length ? kb.entries : generateEntries(kb.entries, size);
  const indexes = {
    without: buildIndex(entries, kb.synonyms, { jurisdiction, answerModel: without }),
    with: buildIndex(entries, kb.synonyms, { jurisdiction, answerModel: withModel }),
  };
  const cpu = { with: [] as number[], without: [] as number[] };
  const wall = { with: [] as number[], without: [] as number[] };
  for (let pass = 0; pass < PASSES + 2; pass++) {
    for (const name of pass % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
      for (const q of questions) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        indexes[name].decide(q);
        const t = performance.now() - t0;
        const c = process.cpuUsage(c0);
        if (pass >= 2) {
          cpu[name].push(c.user + c.system);
          wall[name].push(t * 1000);
        }
      }
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const line = (name: 'with' | 'without') =>
    `CPU mean ${f(mean(cpu[name]))} µs, p50 ${f(pct(cpu[name], 50))}, p99 ${f(pct(cpu[name], 99))}; wall p50 ${f(pct(wall[name], 50))}, p99 ${f(pct(wall[name], 99))} µs`;
  process.stdout.write(
    `${size} entries, ${questions.length} messages × ${PASSES} passes:\n  without agreement: ${line('without')}\n  with bigram agreement: ${line('with')}\n  added CPU a call: ${f(mean(cpu.with) - mean(cpu.without))} µs\n`,
  );
}
