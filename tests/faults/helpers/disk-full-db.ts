import { join } from 'node:path';
import type { Db, Params } from '../../../src/storage/db.js';
import { openDb } from '../../../src/storage/db.js';
import { tempDir } from './engine-stack.js';

/**
 * The error db.ts gives for a full disk, produced for real: a scratch SQLite
 * database capped with PRAGMA max_page_count refuses a row that needs a new
 * page. The scratch is a SQLite file in the PostgreSQL run too (a test cannot
 * fill the server's disk); there the wrapper below returns this error from the
 * PostgreSQL Db, which exercises the same classification and recovery path.
 */
export async function realDiskFullError(): Promise<Error> {
  const scratch = await openDb(join(tempDir('civicdesk-full-'), 'scratch.db'), { sqliteFile: true });
  try {
    await scratch.exec('CREATE TABLE t (x TEXT)');
    const { page_count } = (await scratch.get<{ page_count: number }>('PRAGMA page_count'))!;
    await scratch.get(`PRAGMA max_page_count = ${page_count}`);
    for (let i = 0; i < 100; i += 1) await scratch.run('INSERT INTO t VALUES (?)', ['x'.repeat(8000)]);
  } catch (error) {
    return error as Error;
  } finally {
    await scratch.close();
  }
  throw new Error('the capped scratch database accepted every row: cannot produce SQLITE_FULL');
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

/**
 * A Db whose writes fail with `error` while `full` is on: the first
 * `allowedWritesPerTx` writes of a transaction still succeed, so a failure
 * lands in the middle of it (and the real transaction must roll back).
 * Reads keep working, as on a real full disk.
 */
export function diskFullDb(db: Db, error: Error, allowedWritesPerTx = 0): Db & { full: boolean; refused: number } {
  const state = { full: false, refused: 0 };
  const wrap = (d: Db, counter: { writes: number } | null): Db => {
    const guard = <T>(sql: string, call: () => Promise<T>): Promise<T> => {
      if (state.full && WRITE.test(sql)) {
        const allowed = counter ? counter.writes++ < allowedWritesPerTx : false;
        if (!allowed) {
          state.refused += 1;
          return Promise.reject(error);
        }
      }
      return call();
    };
    return {
      path: d.path,
      dialect: d.dialect,
      run: (sql: string, params?: Params) => guard(sql, () => d.run(sql, params)),
      get: <T>(sql: string, params?: Params) => guard(sql, () => d.get<T>(sql, params)),
      all: <T>(sql: string, params?: Params) => guard(sql, () => d.all<T>(sql, params)),
      exec: (sql: string) => d.exec(sql),
      transaction: <T>(work: (tx: Db) => Promise<T>) => d.transaction((tx) => work(wrap(tx, { writes: 0 }))),
      close: () => d.close(),
      backup: (file: string) => d.backup(file),
    };
  };
  return Object.defineProperties(wrap(db, null), {
    full: { get: () => state.full, set: (value: boolean) => (state.full = value) },
    refused: { get: () => state.refused },
  }) as Db & { full: boolean; refused: number };
}
