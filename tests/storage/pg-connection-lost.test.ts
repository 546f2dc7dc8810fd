import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open-store.js';
import { onPostgres } from '../helpers/postgres.js';

/**
 * The PostgreSQL server ends a session while the bot has its connection checked out (a restart, a failover, an
 * admin's pg_terminate_backend, idle_in_transaction_session_timeout). pg then emits 'error' on that client; with no
 * listener Node raised it to process level ("Unhandled 'error' event"), which kills a CLI and logged an "uncaught
 * exception" in the app. Now nothing reaches process level: a transaction whose session was ended runs again on a
 * fresh connection (57P01 aborted it, so nothing of it was done), and a turn's lock loss is absorbed.
 */
const cleanups: (() => Promise<unknown>)[] = [];
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);
afterEach(async () => {
  process.off('uncaughtException', onUncaught);
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function twoPools(): Promise<[Db, Db]> {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-pglost-')), 'civicdesk.db');
  const a = await openStore(path);
  cleanups.push(() => a.close());
  const b = await openStore(path);
  cleanups.push(() => b.close());
  return [a, b];
}

const inThisDatabase = "database = (SELECT oid FROM pg_database WHERE datname = current_database())";
/**
 * The advisory lock `exclusive('chat:lost-1')` takes in this test's schema (pg-db.ts names it SCHEMA__KEY, like its
 * NOTIFY channels): the whole suite shares one PostgreSQL database, so other tests' chat locks and the poll leaders'
 * locks, held meanwhile, are neither counted nor ended.
 */
const chatLock = `locktype = 'advisory' AND ${inThisDatabase} AND objid = (hashtext(current_schema() || '__chat:lost-1')::bigint & 4294967295)::oid`;

describe.skipIf(!onPostgres)('PostgreSQL session ended while a connection is checked out', () => {
  it('a transaction waiting on a lock whose session the server ends runs again on a fresh connection; nothing reaches process level', async () => {
    process.on('uncaughtException', onUncaught);
    const [a, b] = await twoPools();
    await a.run('CREATE TABLE lost_conn (id int)');
    // b holds the table's lock inside its transaction until `let go` is called.
    let letGo: () => void = () => undefined;
    const holding = b.transaction(async (tx) => {
      await tx.run('LOCK TABLE lost_conn IN ACCESS EXCLUSIVE MODE');
      await new Promise<void>((resolve) => (letGo = resolve));
    });
    await vi.waitFor(async () => expect((await a.get<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND granted AND relation = 'lost_conn'::regclass`))?.n).toBe(1), { timeout: 10_000, interval: 20 });
    const work = a.transaction(async (tx) => tx.run('INSERT INTO lost_conn VALUES (1)')).then(
      () => 'committed',
      (error: unknown) => error,
    );
    await vi.waitFor(async () => expect((await b.get<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'lost_conn'::regclass`))?.n).toBe(1), { timeout: 10_000, interval: 20 });
    const killed = await b.get<{ n: number }>(`SELECT COUNT(pg_terminate_backend(pid))::int AS n FROM pg_locks WHERE NOT granted AND relation = 'lost_conn'::regclass`);
    expect(killed?.n).toBe(1);
    // The ended session had not inserted anything (57P01 aborts its transaction): the transaction runs again on
    // another connection, waits for the lock like the first time, and commits once the holder lets go (audit 19;
    // before, it rejected with storage_failed and the caller had to try again itself).
    await vi.waitFor(async () => expect((await b.get<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'lost_conn'::regclass`))?.n).toBe(1), { timeout: 10_000, interval: 20 });
    letGo();
    await holding;
    expect(await work).toBe('committed');
    await a.run('INSERT INTO lost_conn VALUES (2)');
    expect(await a.all('SELECT id FROM lost_conn ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(uncaught).toEqual([]);
  });

  it("a turn whose chat-lock session is ended finishes; the next turn of that chat takes the lock again", async () => {
    process.on('uncaughtException', onUncaught);
    const [a, b] = await twoPools();
    const advisoryHolders = async () =>
      (await b.get<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_locks WHERE granted AND ${chatLock}`))?.n;
    const done = await a.exclusive!('chat:lost-1', async () => {
      expect(await advisoryHolders()).toBe(1);
      expect((await b.get<{ n: number }>(`SELECT COUNT(pg_terminate_backend(pid))::int AS n FROM pg_locks WHERE ${chatLock}`))?.n).toBe(1);
      await vi.waitFor(async () => expect(await advisoryHolders()).toBe(0), { timeout: 10_000, interval: 20 });
      await a.get('SELECT 1'); // a round trip on the pool: the ended session's socket close is handled by now
      return 'turn done';
    });
    expect(done).toBe('turn done');
    expect(await a.exclusive!('chat:lost-1', async () => advisoryHolders())).toBe(1);
    expect(uncaught).toEqual([]);
  });
});
