import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
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
import { parseStartScript, readStartScript } from '../tests/helpers/start-command.js';

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

/**
 * The start script's environment and V8 flags (BENCH_START_SCRIPT replaces the script, as in the load bench):
 * `npm start` runs the bot with them, so the engine is measured with them too, in a child process.
 */
function startFlags(): { env: Record<string, string>; flags: string[] } {
  const start = parseStartScript(process.env.BENCH_START_SCRIPT || readStartScript().script);
  return { env: start.env, flags: (start.nodeArgs ?? []).filter((a) => a.startsWith('--') && a !== '--enable-source-maps') };
}

const CHILD = 'bench/out/engine-child.mjs';

/**
 * This file bundled as the bot is built (esbuild, node20, ESM): the child runs compiled JavaScript as
 * `npm start` does, not tsx's transform (which wraps every named closure in a `__name` call).
 */
async function buildChild(): Promise<void> {
  const { build } = await import('esbuild');
  await build({ entryPoints: ['bench/engine.ts'], outfile: CHILD, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
}

/** One child run: the three rounds after warm-up, or the reason it failed. */
function runChild(env: Record<string, string>, flags: string[]): EngineBenchResult[] | string {
  const child = spawnSync(process.execPath, [...flags, CHILD, '--json'], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status === 0 && line.startsWith('[')) return JSON.parse(line) as EngineBenchResult[];
  return (child.stderr || line).trim().split('\n').at(-1) ?? `exit ${child.status}`;
}

const mod: BenchModule = {
  summary: 'engine throughput with SQLite logging (real intents, knowledge base, case desk; target ≥ 2,000 messages/s), the start flags against no V8 flag, interleaved',
  async run(print) {
    await buildChild();
    const { env, flags } = startFlags();
    const pairs = Number(process.env.ENGINE_PAIRS ?? 2);
    const shipped = `start flags: \`${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}node ${flags.join(' ')}\``;
    const plain = `no V8 flag: \`${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}node\``;
    print(`Each row is one child (\`node FLAGS ${CHILD} --json\`, this bench bundled): warm-up, then three rounds of 6,000 messages over 50 chats.`);
    print(`The two flag sets alternate ${pairs} times, so both see the same machine load; CPU per message (process.cpuUsage, all threads) is the figure a busy machine distorts least.\n`);
    print('| node | load avg (1 min) before | messages/s median (the rounds) | CPU per message, median round (the rounds) | handle() p50 / p99 |');
    print('|---|---|---|---|---|');
    const row = (label: string, load: string, r: EngineBenchResult[] | string) => {
      if (typeof r === 'string') return print(`| ${label} | ${load} | failed: ${r} | | |`);
      const median = medianRound(r);
      print(
        `| ${label} | ${load} | ${median.messagesPerSecond} (${r.map((x) => x.messagesPerSecond).join(' / ')}) | ` +
          `${median.cpuMicrosPerMessage} µs (${r.map((x) => x.cpuMicrosPerMessage).join(' / ')}) | ${median.p50Ms} / ${median.p99Ms} ms |`,
      );
    };
    const load = () => loadavg()[0]!.toFixed(1);
    for (let i = 0; i < pairs; i++) {
      for (const [label, childFlags] of [[shipped, flags], [plain, []]] as const) {
        const before = load();
        row(label, before, runChild(env, [...childFlags]));
      }
    }
    print(`\nTarget ≥ ${ENGINE_TARGET} messages/s (issue 17: ≥ 5,000 with the start flags, on the quiet 2-core machine).`);
  },
};
export default mod;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify(await benchEngine())}\n`);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await benchEngine();
  const median = medianRound(results);
  process.stdout.write(
    `engine throughput (SQLite logging): ${median.messagesPerSecond} messages/s median (rounds ${results.map((r) => r.messagesPerSecond).join(' / ')}) ` +
      `over ${median.messages} messages, ${median.chats} chats (target ≥ ${ENGINE_TARGET}); ${median.cpuMicrosPerMessage} µs CPU per message; ` +
      `p50 / p99 ${median.p50Ms} / ${median.p99Ms} ms\n`,
  );
}
