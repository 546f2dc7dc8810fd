import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { AppError } from '../core/errors.js';
import { isPostgresUrl } from './pg-url.js';
import { createStatementCache } from './sqlite-statements.js';
import { sqliteFileProblem } from './sqlite-file.js';
import { noteStatementFailure } from './storage-health.js';

/**
 * A 4-method promise wrapper over sqlite3. Nothing outside src/storage sees the
 * driver. `transaction` serialises writers on this connection: sqlite3 shares
 * one connection between callers, so two interleaved BEGINs would collide.
 */
export type SqlValue = string | number | bigint | null | Buffer;
export type Params = SqlValue[] | Record<string, SqlValue>;

interface SqliteBackup {
  step(pages: number, cb: (err: Error | null) => void): void;
  finish(cb: (err: Error | null) => void): void;
}

export interface RunResult {
  changes: number;
  lastID: number;
}

export interface Db {
  run(sql: string, params?: Params): Promise<RunResult>;
  get<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  /** Runs `work` inside BEGIN IMMEDIATE … COMMIT; rolls back if it throws. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** SQLite online backup into `file` (safe while the database is in use); on PostgreSQL it throws the pg_dump advice. */
  backup(file: string): Promise<void>;
  /**
   * Moves committed pages out of the write-ahead log and truncates it, so
   * bytes just erased remain in no log (SQLite: wal_checkpoint(TRUNCATE)).
   * False when another connection's read kept some frames (they go at the
   * next checkpoint). Optional: a server database has no local log to clear.
   */
  checkpoint?(): Promise<boolean>;
  /**
   * PostgreSQL only: rewrites `tables` (VACUUM FULL) so the row versions an erase or a purge left behind leave
   * the table, index and TOAST files, then CHECKPOINTs when the role may (erased-bytes.ts). Never throws for a
   * lack of rights or a busy table: lists the tables it could not rewrite, and why, in `failed`.
   * `erasedBefore`: the transaction that wrote the table's erasure_rewrites mark (the erase itself, or a later
   * one): another session whose snapshot does not see it keeps the erased versions alive through the rewrite (`kept`).
   */
  reclaim?(tables: readonly ReclaimTarget[]): Promise<ReclaimResult>;
  /**
   * SQLite only: whether the file at `path` is still the one this connection writes. Deleted under the
   * running process (rm, a cleanup script), SQLite would keep writing to the unlinked file and lose it all
   * at the next start; instead it is written back to `path` from the open connection (online backup) and
   * the connection moves to it: 'restored'. 'replaced': another file sits there now, left alone.
   */
  keepFile?(): Promise<'ok' | 'restored' | 'replaced'>;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly path: string;
  /** Which engine runs the SQL: repositories branch on it only where no portable form exists. */
  readonly dialect: 'sqlite' | 'postgres';
  /** PostgreSQL only (NOTIFY): tells every instance listening on `channel`. SQLite serves one instance and has none. */
  notify?(channel: string, payload: string): Promise<void>;
  /** PostgreSQL only (LISTEN on a connection of its own, reconnecting): calls `onMessage` per notification; returns the stop function. */
  listen?(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * PostgreSQL only: tries to take the session advisory lock `name` on a connection of its own;
   * null when another instance holds it. `lost` resolves when the connection drops (the lock is gone).
   */
  tryLock?(name: string): Promise<HeldLock | null>;
  /**
   * PostgreSQL only: runs `work` while holding the session advisory lock `key`, waiting for it, on a connection
   * of a small pool of its own (so waiting never takes a connection `work` needs). Other instances calling it
   * with the same key wait; the lock goes with the connection if this process dies. SQLite serves one process.
   */
  exclusive?<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export interface ReclaimTarget {
  table: string;
  /**
   * The transaction id (PostgreSQL xid, as text) of the erase whose bytes must go, or of one that committed after
   * it (the mark's xmin); null: unknown, any snapshot counts.
   */
  erasedBefore: string | null;
}

export interface ReclaimResult {
  /** The tables not rewritten and why (a person can act on it); empty when every table was rewritten. */
  failed: { table: string; reason: string }[];
  /**
   * Rewritten, but another session's snapshot (or a replication slot, a prepared transaction) was older than
   * the erase, so VACUUM FULL had to copy the erased row versions into the new files: who, since when.
   */
  kept: { table: string; reason: string }[];
  /** Whether CHECKPOINT ran (it needs superuser or pg_checkpoint; the rewrite does not depend on it). */
  checkpoint: boolean;
}

export interface HeldLock {
  lost: Promise<void>;
  release(): Promise<void>;
}

/**
 * Whether other processes may read and write the same rows at any moment: true on PostgreSQL, where any
 * number of instances share the database (webhook updates of one chat may reach any of them), false on
 * SQLite, where one process owns the file (the pid lock). A process may keep rows in memory between
 * statements (a write-through cache, deferred writes) only when this is false. Callers outside storage
 * ask this instead of branching on the engine.
 */
export const sharedWithOtherInstances = (db: Db): boolean => db.dialect === 'postgres';

/** What to do about a damaged database file (said at start and by any statement that meets the damage). */
export const DAMAGED_HINT =
  'The database file is damaged or is not a CivicDesk database; CivicDesk left it as it is and created no new one. Stop CivicDesk and restore the last backup (npm run cli -- db restore FILE; see docs/DEPLOY.md, Backups and restore).';

function wrapError(error: unknown, sql: string): AppError {
  noteStatementFailure(sql, error);
  const message = error instanceof Error ? error.message : String(error);
  const hint = /SQLITE_BUSY/.test(message)
    ? ' The database is locked by another process; stop it or wait and retry.'
    : /SQLITE_FULL|ENOSPC/.test(message)
      ? ' The disk is full; free space and retry.'
      : /SQLITE_READONLY/.test(message)
        ? ' The database file or its folder is read-only; give the CivicDesk user write access to both (the -wal and -shm files too).'
        : /SQLITE_(NOTADB|CORRUPT)/.test(message)
          ? ` ${DAMAGED_HINT}`
          : '';
  return new AppError('storage_failed', `Database error: ${message}.${hint} (statement: ${sql.slice(0, 80)})`, {
    cause: error,
  });
}

/**
 * Opens `location`: a `postgres://` URL opens PostgreSQL (pg-db.ts), anything
 * else is a SQLite file. When TEST_DATABASE_URL is set (the test suite's
 * PostgreSQL run, see README), every SQLite location is mapped to its own
 * schema in that PostgreSQL database instead, so the same tests exercise both engines.
 */
export async function openDb(location: string, options: { busyTimeoutMs?: number; sqliteFile?: boolean } = {}): Promise<Db> {
  // pg is imported only when PostgreSQL is used: a SQLite start does not load the driver.
  if (isPostgresUrl(location)) return (await import('./pg-db.js')).openPostgres(location);
  const testUrl = process.env.TEST_DATABASE_URL;
  // `sqliteFile`: the location is a SQLite file even in the PostgreSQL test run (db copy's source).
  if (testUrl && !options.sqliteFile) {
    const { openPostgres, testSchemaFor } = await import('./pg-db.js');
    return openPostgres(testUrl, { schema: testSchemaFor(location), label: location });
  }
  return openSqlite(location, options);
}

async function openSqlite(path: string, options: { busyTimeoutMs?: number }): Promise<Db> {
  const problem = sqliteFileProblem(path);
  if (problem) throw new AppError('config_invalid', problem);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connect = () =>
    new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(path, (err) =>
        err ? reject(new AppError('storage_failed', `Cannot open database ${path}: ${err.message}`, { cause: err })) : resolve(db),
      );
    });
  let raw = await connect();

  // Each SQL text is prepared once per connection and reused (sqlite-statements.ts).
  const statements = createStatementCache(() => raw, wrapError);
  const run = (sql: string, params: Params = []): Promise<RunResult> => statements.run(sql, params);
  const get = <T>(sql: string, params: Params = []) => statements.get<T>(sql, params);
  const all = <T>(sql: string, params: Params = []) => statements.all<T>(sql, params);
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => raw.exec(sql, (err) => (err ? reject(wrapError(err, sql)) : resolve())));

  // One writer transaction at a time on this connection; statements issued
  // outside a transaction (through `db`, not the `tx` handed to the work) wait
  // for the running one so they do not join it — nor its rollback — and a
  // second caller's BEGIN never nests inside it. Code inside a transaction
  // must use `tx`: awaiting `db` there would wait for its own transaction.
  let chain: Promise<unknown> = Promise.resolve();
  const queued = <T>(fn: () => Promise<T>): Promise<T> => {
    const recovering = () => fn().catch(async (error: unknown) => {
      if (!(await reopenIfWritable(error))) throw error;
      return fn(); // once, on the fresh connection (a transaction rolled back before it is run again)
    });
    const next = chain.then(recovering, recovering);
    chain = next.catch(() => undefined);
    return next;
  };

  /**
   * SQLite opens a file it cannot write read-only, silently, and the connection stays read-only after the
   * operator restores the permissions. On SQLITE_READONLY, when the file and its folder are writable again
   * (and the connection is not read-only on purpose, PRAGMA query_only), a fresh connection replaces it, so
   * recovery needs no restart. Runs inside the queue: nothing else uses the connection meanwhile.
   */
  const reopenIfWritable = async (error: unknown): Promise<boolean> => {
    if (path === ':memory:' || !/SQLITE_READONLY/.test(String((error as Error | undefined)?.message))) return false;
    try {
      accessSync(path, constants.W_OK);
      accessSync(dirname(path), constants.W_OK);
      if ((await get<{ query_only: number }>('PRAGMA query_only'))?.query_only) return false;
    } catch {
      return false;
    }
    const fresh = await connect().catch(() => null);
    if (!fresh) return false;
    await statements.finalizeAll(); // they belong to the old connection
    const old = raw;
    raw = fresh;
    try {
      await configure();
    } catch {
      await statements.finalizeAll();
      raw = old;
      fresh.close(() => undefined);
      return false;
    }
    old.close(() => undefined);
    return true;
  };

  const inner: Db = {
    path,
    dialect: 'sqlite',
    run,
    get,
    all,
    exec,
    transaction: (work) => work(inner),
    checkpoint: () => Promise.resolve(false), // not inside a transaction
    close: () => Promise.resolve(),
    backup: () => Promise.resolve(),
  };

  const db: Db = {
    path,
    dialect: 'sqlite',
    run: (sql, params) => queued(() => run(sql, params)),
    get: (sql, params) => queued(() => get(sql, params)),
    all: (sql, params) => queued(() => all(sql, params)),
    exec: (sql) => queued(() => exec(sql)),
    transaction: <T>(work: (tx: Db) => Promise<T>) =>
      queued(async () => {
        await exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inner);
          await exec('COMMIT');
          return result;
        } catch (error) {
          await exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    checkpoint: () =>
      queued(async () => {
        if (path === ':memory:') return true;
        // busy = 1: another connection (another process) is reading; its snapshot keeps old frames alive.
        const row = await get<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)');
        return row?.busy === 0;
      }),
    close: () =>
      queued(async () => {
        await statements.finalizeAll(); // SQLite refuses to close a connection with statements left
        await new Promise<void>((resolve, reject) => raw.close((err) => (err ? reject(wrapError(err, 'close')) : resolve())));
      }),
    backup: (file: string) => queued(() => backupTo(file)),
    keepFile: () =>
      queued(async () => {
        if (identity === null) return 'ok';
        const current = fileIdentity(path);
        if (current === identity) return 'ok';
        if (current !== null) return 'replaced';
        await backupTo(path); // inside the queue: no write lands between the copy and the switch
        const fresh = await connect();
        await statements.finalizeAll(); // they belong to the old connection
        const old = raw;
        raw = fresh;
        await configure();
        old.close(() => undefined);
        identity = fileIdentity(path);
        return 'restored';
      }),
  };

  /** The connection's pages into `file` (SQLite's online backup: a consistent copy while in use). */
  function backupTo(file: string): Promise<void> {
    mkdirSync(dirname(file), { recursive: true });
    return new Promise<void>((resolve, reject) => {
      // sqlite3 ships `backup` but its type definitions omit it.
      const withBackup = raw as unknown as { backup(file: string, cb: (err: Error | null) => void): SqliteBackup };
      const backup = withBackup.backup(file, (err: Error | null) => {
        if (err) return reject(wrapError(err, 'backup'));
        backup.step(-1, (stepErr: Error | null) => {
          if (stepErr) return reject(wrapError(stepErr, 'backup'));
          backup.finish((finishErr: Error | null) => (finishErr ? reject(wrapError(finishErr, 'backup')) : resolve()));
        });
      });
    });
  }

  // WAL: readers never block the writer, and a crash loses no committed row.
  // synchronous=NORMAL is durable under WAL except on power loss mid-checkpoint.
  // foreign_keys: sqlite leaves them off by default; case_events must point at a case.
  const configure = async () => {
    raw.configure('busyTimeout', options.busyTimeoutMs ?? 5000);
    if (path !== ':memory:') await exec('PRAGMA journal_mode = WAL');
    // secure_delete: deleted and overwritten content is zeroed on disk, so an erased text or phone number
    // cannot be read back from free pages of the database file (see docs/PRIVACY.md).
    await exec('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;');
  };
  await configure();
  let identity = path === ':memory:' ? null : fileIdentity(path);
  return db;
}

/** device:inode of the file at `path`, null when there is none. */
function fileIdentity(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
