import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../src/storage/db.js';
import type { BenchModule } from './run.js';

/**
 * Cost of one call through the SQLite backend (src/storage/db.ts → sqlite-statements.ts): every call waits for the
 * previous one on the connection's queue, so the driver round trips of a call are the bot's storage throughput.
 * A WAL file in a temp dir with a 1,000-row table; each row kind is timed over `CALLS` calls, one at a time (the
 * latency-bound case) and 50 callers at once (a busy bot: the queue is never empty). The fastest of 3 rounds (on a
 * shared machine the least disturbed one) and its CPU, the whole process (main thread and the driver's thread pool)
 * per call.
 */
const CALLS = 3000;
const ROUNDS = 3;

type Kind = { label: string; call: (db: Db, i: number) => Promise<unknown> };
const kinds: Kind[] = [
  { label: 'get by primary key', call: (db, i) => db.get('SELECT id, chat, body FROM notes WHERE id = ?', [(i % 1000) + 1]) },
  { label: 'get, first of many rows (ORDER BY … LIMIT 1)', call: (db, i) => db.get('SELECT id FROM notes WHERE chat = ? ORDER BY id DESC LIMIT 1', [`c${i % 10}`]) },
  { label: 'run UPDATE (autocommit)', call: (db, i) => db.run('UPDATE notes SET seen = seen + 1 WHERE id = ?', [(i % 1000) + 1]) },
  { label: 'get INSERT … RETURNING id', call: (db, i) => db.get('INSERT INTO log (note_id) VALUES (?) RETURNING id', [i]) },
  { label: 'all, 10 rows', call: (db, i) => db.all('SELECT id FROM notes WHERE id > ? ORDER BY id LIMIT 10', [i % 990]) },
];

async function round(db: Db, kind: Kind, parallel: number): Promise<{ perSecond: number; cpuMicros: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < CALLS) await kind.call(db, next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { perSecond: Math.round(CALLS / seconds), cpuMicros: Math.round(((used.user + used.system) / CALLS) * 10) / 10 };
}

export async function benchCalls(): Promise<{ label: string; parallel: number; perSecond: number; cpuMicros: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-calls-'));
  const db = await openDb(join(dir, 'bench.db'), { sqliteFile: true });
  try {
    await db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, chat TEXT NOT NULL, body TEXT NOT NULL, seen INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX notes_chat ON notes(chat, id); CREATE TABLE log (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL);`);
    await db.transaction(async (tx) => {
      for (let i = 0; i < 1000; i++) await tx.run('INSERT INTO notes (chat, body) VALUES (?, ?)', [`c${i % 10}`, `第${i}条：学校门口交通拥堵`]);
    });
    const rows = [];
    for (const kind of kinds) {
      for (const parallel of [1, 50]) {
        await round(db, kind, parallel); // warm-up
        const results = [];
        for (let r = 0; r < ROUNDS; r++) results.push(await round(db, kind, parallel));
        results.sort((a, b) => b.perSecond - a.perSecond);
        rows.push({ label: kind.label, parallel, ...results[0]! });
      }
    }
    return rows;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mod: BenchModule = {
  summary: 'one call through the SQLite backend (driver round trips per get / run / all), sequential and 50 callers',
  async run(print) {
    print(`Load average (1 min) before: ${loadavg()[0]!.toFixed(1)}. ${CALLS} calls per round, fastest of ${ROUNDS} rounds.\n`);
    print('| call | callers | calls/s | CPU µs per call |');
    print('|---|---:|---:|---:|');
    for (const r of await benchCalls()) print(`| ${r.label} | ${r.parallel} | ${r.perSecond} | ${r.cpuMicros} |`);
    print(`\nLoad average (1 min) after: ${loadavg()[0]!.toFixed(1)}.`);
  },
};
export default mod;
