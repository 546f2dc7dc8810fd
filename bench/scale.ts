import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { build } from 'esbuild';
import { parseStartScript, readStartScript } from '../tests/helpers/start-command.js';
import type { BenchModule } from './run.js';

/**
 * Scaling of the knowledge index: 1,000, 10,000 and 50,000 generated entries (SCALE_SIZES to change), each in
 * a fresh plain-node process started with the start script's environment and node flags, so build time,
 * decide() latency and peak RSS (VmHWM) come from the same run. RSS includes Node, the segmenter's dictionary
 * and the IDF table (~100 MB with no knowledge at all), not only the index. CPU time (process.cpuUsage) of the
 * build and per decide is printed too: on a shared machine it is steadier than wall time.
 * SCALE_FUSION: `on` (default: the shipped fusion, models/fusion.json), `off` (NO_FUSION), or `both` (each size
 * with and without the bigram fusion in the same run).
 */
const scaleBench: BenchModule = {
  summary: 'knowledge index at 1k / 10k / 50k entries: build, decide p50 / p99, peak RSS (one process per size)',
  async run(print) {
    mkdirSync('bench/out', { recursive: true });
    await build({ entryPoints: ['bench/scale-child.ts'], outfile: 'bench/out/scale-child.mjs', bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
    const start = parseStartScript(readStartScript().script);
    const flags = (start.nodeArgs ?? []).filter((a) => a.startsWith('--') && a !== '--enable-source-maps');
    const sizes = (process.env.SCALE_SIZES ?? '1000,10000,50000').split(',').map(Number);
    print(`Command per size: \`${Object.entries(start.env).map(([k, v]) => `${k}=${v} `).join('')}node ${flags.join(' ')} bench/out/scale-child.mjs N\`\n`);
    const modes = process.env.SCALE_FUSION === 'both' ? ['on', 'off'] : [process.env.SCALE_FUSION === 'off' ? 'off' : 'on'];
    print('| entries | fusion | build ms (CPU ms) | decide p50 ms | decide p99 ms | max ms | CPU µs a decide | peak RSS (VmHWM) | load avg before |');
    print('|---|---|---|---|---|---|---|---|---|');
    for (const n of sizes) {
      for (const mode of modes) {
        const load = loadavg()[0]!.toFixed(1);
        const child = spawnSync(process.execPath, [...flags, 'bench/out/scale-child.mjs', String(n), mode], { env: { ...process.env, ...start.env }, encoding: 'utf8', maxBuffer: 1 << 24 });
        const line = child.stdout.trim().split('\n').at(-1) ?? '';
        if (child.status !== 0 || !line.startsWith('{')) {
          print(`| ${n} | ${mode} | failed: ${child.stderr.trim().split('\n').at(-1) ?? child.status} | | | | | | ${load} |`);
          continue;
        }
        const r = JSON.parse(line) as { buildMs: number; buildCpuMs: number; decideCpuUs: number; p50: number; p99: number; max: number; hwmMb: number };
        print(
          `| ${n.toLocaleString('en')} | ${mode} | ${r.buildMs.toFixed(0)} (${r.buildCpuMs.toFixed(0)}) | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} | ${r.decideCpuUs.toFixed(0)} | ${r.hwmMb.toFixed(0)} MB | ${load} |`,
        );
      }
    }
  },
};

export default scaleBench;
