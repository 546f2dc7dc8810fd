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
 * dev-set and intent-set questions (no filing flows), 50 chats in parallel.
 * Target: ≥ 2,000 messages/s.
 */
export const ENGINE_TARGET = 2000;

export async function benchEngine(options: { messages?: number; chats?: number } = {}): Promise<{ messagesPerSecond: number; messages: number; cpuMicrosPerMessage: number }> {
  const total = options.messages ?? 6000;
  const chats = options.chats ?? 50;
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
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: chats }, async (_, c) => {
        while (next < total) {
          const text = questions[next++ % questions.length]!;
          await engine.handle({ channel: 'console', chatId: `bench-${c}`, userId: `bench-${c}`, text });
        }
      }),
    );
    await engine.flush();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      messagesPerSecond: Math.round(total / seconds),
      messages: total,
      cpuMicrosPerMessage: Math.round((cpu.user + cpu.system) / total),
    };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mod: BenchModule = {
  summary: 'engine throughput with SQLite logging (real intents, knowledge base, case desk; target ≥ 2,000 messages/s)',
  async run(print) {
    const result = await benchEngine();
    print('| measure | value | target |');
    print('|---|---|---|');
    print(`| engine messages/s (${result.messages} messages, 50 chats) | ${result.messagesPerSecond} | ≥ ${ENGINE_TARGET} |`);
    print(`| process CPU per message (all threads) | ${result.cpuMicrosPerMessage} µs | |`);
  },
};
export default mod;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchEngine();
  process.stdout.write(
    `engine throughput (SQLite logging): ${result.messagesPerSecond} messages/s over ${result.messages} (target ≥ ${ENGINE_TARGET}); ` +
      `${result.cpuMicrosPerMessage} µs CPU per message\n`,
  );
}
