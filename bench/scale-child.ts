import { readFileSync } from 'node:fs';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex, NO_FUSION } from '../src/knowledge/index.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { generateEntries } from './generate-entries.js';

/**
 * One row of `npm run bench -- scale`, in a process of its own (bundled by esbuild, run by plain node with
 * the start script's flags): build an index of N generated entries, time decide() over the dev set
 * (warm-up, then three passes), and report the process's peak RSS (VmHWM) of that same run as JSON.
 */
const n = Number(process.argv[2]);
/** `off`: the unfused order (no bigram order built); otherwise the shipped fusion (models/fusion.json). */
const fusion = process.argv[3] === 'off' ? { fusion: NO_FUSION } : {};
const kb = await loadKnowledge('knowledge');
const cases = parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'devset');
buildIndex(kb.entries.slice(0, 2), kb.synonyms).search('预热'); // load the segmenter, IDF table, OpenCC first
const entries = generateEntries(kb.entries, n);
const started = performance.now();
const cpu = process.cpuUsage();
const index = buildIndex(entries, kb.synonyms, fusion);
const buildMs = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
const buildCpuMs = (user + system) / 1000;
const decideCpu = process.cpuUsage();
for (const c of cases) index.decide(c.q);
const lat = [...cases, ...cases, ...cases].map((c) => {
  const t = performance.now();
  index.decide(c.q);
  return performance.now() - t;
});
const decideCpuUs = (() => {
  const { user: u, system: s } = process.cpuUsage(decideCpu);
  return (u + s) / (4 * cases.length);
})();
lat.sort((a, b) => a - b);
const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!;
const kb_ = (key: string) => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? 0) / 1024;
process.stdout.write(`${JSON.stringify({ n, buildMs, buildCpuMs, decideCpuUs, p50: pct(50), p99: pct(99), max: lat.at(-1), hwmMb: kb_('VmHWM:'), rssMb: kb_('VmRSS:') })}\n`);
