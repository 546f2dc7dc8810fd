import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/storage/db.js';
import { onPostgres } from '../helpers/postgres.js';
import { tempDir } from './helpers/engine-stack.js';

/**
 * Found by the load benchmark (bench/load.ts): the shared connection's `queued`
 * (src/storage/db.ts) used to run ANY caller's statement at once while some transaction was
 * open (`if (inTx) return fn();`) — so another component's write (the Telegram sender's claim /
 * progress / sent marks, the engine's message log) joined that transaction and was rolled back
 * with it, and another component's `transaction()` issued BEGIN inside it ("cannot start a
 * transaction within a transaction"). Under load: refused staff actions, failed filings, outbox
 * rows stuck in 'sending' or sent twice. Fixed in db.ts; these keep it fixed.
 */
let db: Db;
beforeEach(async () => {
  db = await openDb(join(tempDir('civicdesk-dbtx-'), 'tx.db'));
  await db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, who TEXT NOT NULL)');
});
afterEach(async () => {
  await db.close();
});

const whoIsThere = async () => (await db.all<{ who: string }>('SELECT who FROM notes ORDER BY id')).map((r) => r.who);

describe('one shared connection, several callers', () => {
  it('keeps a write made outside a transaction when that transaction rolls back (control: no overlap)', async () => {
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO notes (who) VALUES ('desk')");
    });
    await db.run("INSERT INTO notes (who) VALUES ('sender')");
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO notes (who) VALUES ('desk-2')");
        throw new Error('validation failed');
      }),
    ).rejects.toThrow('validation failed');
    expect(await whoIsThere()).toEqual(['desk', 'sender']);
  });

  it('keeps another caller\'s write issued while a transaction is open when that transaction rolls back', async () => {
    let outside: Promise<string> = Promise.resolve('not started');
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO notes (who) VALUES ('desk')");
        outside = db.run("INSERT INTO notes (who) VALUES ('sender: marked sent')").then(() => 'ok', (e: Error) => e.message); // e.g. markOutboxSent
        await tx.run("INSERT INTO notes (who) VALUES ('desk, second row')");
        throw new Error('validation failed');
      }),
    ).rejects.toThrow('validation failed');
    expect(await outside).toBe('ok');
    expect(await whoIsThere()).toEqual(['sender: marked sent']);
  });

  it('runs two callers\' transactions one after the other instead of nesting BEGIN', async () => {
    let other: Promise<string> = Promise.resolve('not started');
    const first = db
      .transaction(async (tx) => {
        await tx.run("INSERT INTO notes (who) VALUES ('engine')");
        other = db.transaction(async (tx2) => tx2.run("INSERT INTO notes (who) VALUES ('slack desk')")).then(() => 'ok', (e: Error) => e.message);
        await tx.run("INSERT INTO notes (who) VALUES ('engine, second row')");
      })
      .then(() => 'ok', (e: Error) => e.message);
    expect({ first: await first, other: await other }).toEqual({ first: 'ok', other: 'ok' });
    // One SQLite connection serialises the two transactions, so the ids follow commit order. PostgreSQL runs them on
    // two pooled connections at once and hands out ids as the rows are inserted (a sequence is not transactional), so
    // 'slack desk' may get an id between the engine's rows: there both must have committed, whole, in any order.
    const rows = await whoIsThere();
    expect(onPostgres ? [...rows].sort() : rows).toEqual(['engine', 'engine, second row', 'slack desk']);
  });
});
