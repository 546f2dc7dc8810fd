import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startScenario } from '../tests/faults/instances/scenario.js';
import { projectPath } from '../src/project-root.js';
import type { BenchModule } from './run.js';

/**
 * Engine + storage throughput through the whole bot, one instance on SQLite against one and two
 * instances on one PostgreSQL database, in one run with the same messages: real processes
 * (src/main.ts), Telegram webhook mode, updates from the telegram-test-api emulator delivered by
 * the harness's webhook front (tests/faults/instances/), which spreads them over the instances.
 * Each chat sends its next message once the previous one was answered 2xx (as in the kill test).
 * Messages: the dev-set questions and the fresh intent set (questions and complaints written for
 * evaluation, not for this bench), in file order, CHATS chats × PER_CHAT messages.
 *
 * "answered/s": updates answered 2xx per second (the engine ran, its state and replies committed);
 * "drained": until every reply was sent (Telegram pacing: 1 message/s per chat). The emulator and
 * the front run in this process, on the same machine.
 *
 * Needs a PostgreSQL server: `npm run bench:pg` starts a throwaway one (scripts/test-postgres.sh);
 * or set BENCH_DATABASE_URL (a scratch server: databases are created and dropped on it).
 */
const CHATS = Number(process.env.BENCH_CHATS ?? 100);
const PER_CHAT = Number(process.env.BENCH_PER_CHAT ?? 6);

function messages(): string[] {
  const read = (file: string) =>
    readFileSync(projectPath(file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { q: string }).q);
  return [...read('bench/devset.jsonl'), ...read('bench/intents-fresh.jsonl')];
}

interface Row {
  setup: string;
  answered: number;
  seconds: number;
  perSecond: number;
  drainedSeconds: number;
  botMessages: number;
  answerMs: number;
  load: string;
}

async function measure(setup: string, instances: number, database: { DATABASE_URL: string } | { DATABASE_PATH: string }): Promise<Row> {
  const texts = messages();
  const scenario = await startScenario({ instances, database, env: { JOBS_ENABLED: 'false' } });
  try {
    const chats = Array.from({ length: CHATS }, (_c, i) => 900_000 + i);
    const script = (chat: number) => Array.from({ length: PER_CHAT }, (_m, k) => texts[((chat - 900_000) * PER_CHAT + k) % texts.length]!);
    const load = loadavg()[0]!.toFixed(1);
    const started = performance.now();
    await scenario.converse(chats, script);
    const seconds = (performance.now() - started) / 1000;
    const count = scenario.front.deliveredCount();
    // Drained: the emulator stops receiving (every chat's replies sent); checked against the outbox below.
    let last = -1;
    for (;;) {
      const n = scenario.emulator.calls.filter((c) => c.method === 'sendMessage').length;
      if (n === last) break;
      last = n;
      await new Promise((resolve) => setTimeout(resolve, 1500)); // quiet for longer than the 1 s per-chat pacing
    }
    const drainedSeconds = (performance.now() - started) / 1000 - 1.5;
    return {
      setup,
      answered: count,
      seconds,
      perSecond: count / seconds,
      drainedSeconds,
      botMessages: last,
      answerMs: scenario.front.attempts.totalMs / scenario.front.attempts.count,
      load,
    };
  } finally {
    await scenario.stop();
  }
}

async function freshDatabase(server: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const bench: BenchModule = {
  summary: 'Whole-bot throughput: 1 instance on SQLite vs 1 and 2 instances on one PostgreSQL database (webhook mode)',
  async run(print) {
    const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (!server) {
      print('No PostgreSQL server: run `npm run bench:pg` (starts a throwaway cluster) or set BENCH_DATABASE_URL.');
      return;
    }
    const rows: Row[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-bench-instances-'));
    try {
      rows.push(await measure('SQLite, 1 instance', 1, { DATABASE_PATH: join(dir, 'bench.db') }));
      for (const n of [1, 2]) {
        const db = await freshDatabase(server, `bench_instances_${n}`);
        try {
          rows.push(await measure(`PostgreSQL, ${n} instance${n > 1 ? 's' : ''}`, n, { DATABASE_URL: db.url }));
        } finally {
          await db.drop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    print(`${CHATS} chats × ${PER_CHAT} messages (dev set + fresh intent set), webhook mode, each chat's next message after the 2xx.\n`);
    print('| setup | updates answered | seconds | answered/s | mean answer (ms) | all replies sent (s) | bot messages | load (1 min) at start |');
    print('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows)
      print(`| ${r.setup} | ${r.answered} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(1)} | ${r.answerMs.toFixed(0)} | ${r.drainedSeconds.toFixed(1)} | ${r.botMessages} | ${r.load} |`);
  },
};
export default bench;
