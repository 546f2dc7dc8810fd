import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config.js';
import { createCaseDesk } from '../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../src/core/engine/index.js';
import { loadIntents } from '../src/core/intents/index.js';
import { buildIndex } from '../src/knowledge/index.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { silentLogger } from '../src/logger.js';
import type { BenchModule } from './run.js';
import { openStore } from '../src/storage/open-store.js';

/**
 * Engine throughput with SQLite logging: real intents, the real knowledge
 * base, the real case desk and a WAL database in a temp dir. Messages are the
 * dev-set and intent-set questions (no filing flows). Each chat sends its
 * next message when the previous one is answered (adapters call `handle`
 * concurrently across chats, one turn at a time within a chat). A warm-up on
 * other chats (JIT, knowledge caches) is not counted; the first measured
 * message of every chat still loads its conversation from the database.
 * Target: ≥ 2,000 messages/s.
 */
export const ENGINE_TARGET = 2000;

export interface EngineBenchResult {
  messagesPerSecond: number;
  messages: number;
  chats: number;
  cpuMicrosPerMessage: number;
  p50Ms: number;
  p99Ms: number;
}

export async function benchEngine(
  options: { messages?: number; chats?: number; warmup?: number; rounds?: number } = {},
): Promise<EngineBenchResult[]> {
  const total = options.messages ?? 6000;
  const chats = options.chats ?? 50;
  const warmup = options.warmup ?? 2000;
  const rounds = options.rounds ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  const db = await openStore(join(dir, 'bench.db'));
  try {
    const config = parseConfig({});
    const loaded = await loadKnowledge(config.KNOWLEDGE_DIR);
    const index = buildIndex(loaded.entries, loaded.synonyms);
    const engine = createEngine({
      store: createEngineStore(db),
      knowledge: { current: () => index },
      cases: createCaseDesk({ db, config }),
      intents: await loadIntents(),
      config,
      logger: silentLogger(),
    });
    const read = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { q: string; intent?: string });
    // Only lines that do not start a multi-step flow or a handoff (those file cases).
    const questions = [...read('bench/devset.jsonl'), ...read('bench/intents.jsonl')]
      .filter((r) => !['petition', 'human', 'privacy'].includes(r.intent ?? 'kb'))
      .map((r) => r.q);
    const drive = async (count: number, chatPrefix: string): Promise<EngineBenchResult> => {
      let next = 0;
      const latencies: number[] = [];
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: chats }, async (_, c) => {
          while (next < count) {
            const text = questions[next++ % questions.length]!;
            const sent = performance.now();
            await engine.handle({ channel: 'console', chatId: `${chatPrefix}-${c}`, userId: `${chatPrefix}-${c}`, text });
            latencies.push(performance.now() - sent);
          }
        }),
      );
      await engine.flush();
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      latencies.sort((a, b) => a - b);
      const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
      return {
        messagesPerSecond: Math.round(count / seconds),
        messages: count,
        chats,
        cpuMicrosPerMessage: Math.round((cpu.user + cpu.system) / count),
        p50Ms: at(0.5),
        p99Ms: at(0.99),
      };
    };
    if (warmup > 0) await drive(warmup, 'warmup');
    const results: EngineBenchResult[] = [];
    for (let r = 0; r < rounds; r++) results.push(await drive(total, `bench${r}`));
    return results;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The round with the median throughput. */
export function medianRound(results: EngineBenchResult[]): EngineBenchResult {
  return [...results].sort((a, b) => a.messagesPerSecond - b.messagesPerSecond)[Math.floor(results.length / 2)]!;
}

const mod: BenchModule = {
  summary: 'engine throughput with SQLite logging (real intents, knowledge base, case desk; target ≥ 2,000 messages/s)',
  async run(print) {
    const results = await benchEngine();
    const median = medianRound(results);
    const rates = results.map((r) => r.messagesPerSecond);
    print('| measure | value | target |');
    print('|---|---|---|');
    print(
      `| engine messages/s (${median.messages} messages, ${median.chats} chats in parallel; median of ${results.length} rounds after warm-up) | ${median.messagesPerSecond} (rounds ${rates.join(' / ')}) | ≥ ${ENGINE_TARGET} |`,
    );
    print(`| process CPU per message (all threads) | ${median.cpuMicrosPerMessage} µs | |`);
    print(`| handle() latency p50 / p99 | ${median.p50Ms} / ${median.p99Ms} ms | |`);
  },
};
export default mod;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await benchEngine();
  const median = medianRound(results);
  process.stdout.write(
    `engine throughput (SQLite logging): ${median.messagesPerSecond} messages/s median (rounds ${results.map((r) => r.messagesPerSecond).join(' / ')}) ` +
      `over ${median.messages} messages, ${median.chats} chats (target ≥ ${ENGINE_TARGET}); ${median.cpuMicrosPerMessage} µs CPU per message; ` +
      `p50 / p99 ${median.p50Ms} / ${median.p99Ms} ms\n`,
  );
}
