import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { createKnowledgeService } from '../src/knowledge/service.js';
import { silentLogger } from '../src/logger.js';
import { writeKnowledgeFiles } from './kb-files.js';
import { generateEntries } from './kb.js';
import type { BenchModule } from './run.js';

/**
 * Issue 8 bar: reload a 10,000-entry knowledge base through createKnowledgeService while 1,000 parent
 * messages are answered concurrently. A query fails when it throws or returns no result although the
 * same message has results on the live index before the reload. Reports the build and swap times and
 * the query latency from arrival (a query arriving during the build waits at most for the chunk being
 * analysed: `buildIndexAsync` yields between chunks of 50 entries).
 */
const ENTRIES = 10_000;
const QUERIES = 1_000;
const DIR = 'bench/out/kb-reload-10k';

/** Writes the generated base as Markdown files once (re-used afterwards). */
async function ensureBase(): Promise<void> {
  if (existsSync(join(DIR, `g${ENTRIES - 1}.md`))) return;
  const seed = await loadKnowledge('knowledge');
  writeKnowledgeFiles(generateEntries(seed.entries, ENTRIES), DIR);
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

const bench: BenchModule = {
  summary: `reload of a ${ENTRIES.toLocaleString('en')}-entry base while ${QUERIES.toLocaleString('en')} queries run (issue 8)`,
  async run(print) {
    await ensureBase();
    const messages = parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'bench/devset.jsonl').map((c) => c.q);
    const kb = createKnowledgeService({ dir: DIR, logger: silentLogger() });
    const first = await kb.reload();
    const expected = new Set(messages.filter((q) => kb.current().search(q).length > 0));
    const before = kb.current();
    let afterSwap = 0;
    let failed = 0;
    let thrown = 0;
    const latencies: number[] = [];
    // Queries arrive at a steady pace spread over 1.5 × the first load time (as messages from many chats
    // would), so they hit the file loading, the build and the swap; latency counts from the arrival time.
    const spacing = Math.max(1, (1.5 * first.buildMs) / QUERIES);
    const origin = performance.now();
    const ask = (i: number) =>
      new Promise<void>((resolve) => {
        const arrives = origin + i * spacing;
        setTimeout(() => {
          try {
            const d = kb.current().decide(messages[i % messages.length]!);
            if (expected.has(messages[i % messages.length]!) && d.results.length === 0) failed++;
            if (kb.current() !== before) afterSwap++;
          } catch {
            thrown++;
          }
          latencies.push(performance.now() - arrives);
          resolve();
        }, arrives - performance.now());
      });
    // Each message is independent (many chats): all 1,000 are scheduled at once at their arrival times.
    const queries = Promise.all(Array.from({ length: QUERIES }, (_, i) => ask(i)));
    const started = performance.now();
    const [report] = await Promise.all([kb.reload(), queries]);
    const wall = performance.now() - started;
    print('| entries | initial load + build ms | reload: load + build ms | swap ms | queries (after swap) | failed | thrown | query p50 ms | p99 ms | max ms | wall ms |');
    print('|---|---|---|---|---|---|---|---|---|---|---|');
    print(
      `| ${report.entries} | ${first.buildMs} | ${report.buildMs} | ${report.swapMs.toFixed(4)} | ${latencies.length} (${afterSwap}) | ${failed} | ${thrown} | ${pct(latencies, 50).toFixed(3)} | ${pct(latencies, 99).toFixed(1)} | ${Math.max(...latencies).toFixed(1)} | ${wall.toFixed(0)} |`,
    );
  },
};

export default bench;
