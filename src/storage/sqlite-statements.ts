import type sqlite3 from 'sqlite3';

/**
 * Prepared statements of one SQLite connection, kept per SQL text. `Database#run/get/all` prepare the
 * statement, run it and finalize it on every call: three trips to the driver's thread pool and a new
 * `Statement` object each time, for the handful of SQL texts the bot repeats thousands of times a minute.
 * A cached statement costs one trip (below).
 *
 * - A call resolves only once its statement is idle again, as finalize left it before: an active statement (a `get`
 *   that returned a row, a `run` of `… RETURNING`) holds its implicit transaction open (a write would not commit, a
 *   read would pin a WAL snapshot), and the connection's next call (a checkpoint, another connection's read of the
 *   row just written) could run in the driver's thread pool before a reset queued behind it. So each call steps its
 *   statement to the end (SQLITE_DONE: the statement has finished and its transaction ended) in its one trip to the
 *   thread pool, with no reset after it (the driver resets a statement before binding it again):
 *   - `get` runs as `all` and returns the first row: every `get` here asks for at most one row (a key, LIMIT 1, an
 *     aggregate, `INSERT … RETURNING id`); a `get` of many rows would read them all.
 *   - `run` of a write without RETURNING finishes in its one step; any other `run` (`… RETURNING`, a SELECT) is
 *     reset after its step, and the call resolves after that reset (two trips: nothing in the bot runs one).
 *   - After an error the statement is reset, and the call ends after the reset.
 *   (Until 2026-12-07 `get` and `run` took two trips each: step, then a reset the call waited for; bench/sqlite-calls.ts.)
 * - Statements prepared by SQLite (`sqlite3_prepare_v2`) recompile themselves when the schema changes, so a
 *   migration needs no flush; a statement whose table is gone reports the error when it is run.
 * - Memory: a prepared statement takes ~36 bytes per character of its SQL (measured: the 200 multi-row message
 *   INSERTs of 1–200 rows, one text per row count, hold 23 MB prepared). So a text over `maxText` characters is
 *   prepared for its call and finalized after it, as before, and the held texts total at most `budget`
 *   characters (~1.2 MB of statements) and `limit` texts; the least recently used is finalized when a new one
 *   needs the room. `finalizeAll` before the connection closes or is replaced (SQLite refuses to close a
 *   connection with unfinalized statements).
 * - PRAGMAs are not cached: they are rare, and some (wal_checkpoint) must not find an idle statement of
 *   their own around.
 */
export interface StatementCache {
  run(sql: string, params: unknown): Promise<{ changes: number; lastID: number }>;
  get<T>(sql: string, params: unknown): Promise<T | undefined>;
  all<T>(sql: string, params: unknown): Promise<T[]>;
  /** How many statements are held (tests). */
  readonly size: number;
  /** Finalizes every held statement; the cache stays usable (it prepares again). */
  finalizeAll(): Promise<void>;
}

export interface StatementLimits {
  /** Texts held at most. */
  limit: number;
  /** Characters of SQL held at most, all texts together (a proxy for the statements' memory). */
  budget: number;
  /** A longer text is not held. */
  maxText: number;
}
export const STATEMENT_LIMITS: StatementLimits = { limit: 256, budget: 32_768, maxText: 2_048 };

/** A write, DDL or transaction statement: one step runs it to SQLITE_DONE unless it returns rows. */
const FINISHES_IN_ONE_STEP = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
const RETURNS_ROWS = /\bRETURNING\b/i;

/** `wrap` turns the driver's error into the caller's (its message names the statement). */
export function createStatementCache(
  connection: () => sqlite3.Database,
  wrap: (error: Error, sql: string) => Error,
  { limit, budget, maxText }: StatementLimits = STATEMENT_LIMITS,
): StatementCache {
  const cacheable = (sql: string) => sql.length <= maxText && !/^\s*PRAGMA\b/i.test(sql);
  const held = new Map<string, sqlite3.Statement>();
  let heldChars = 0;
  const preparing = new Map<string, Promise<sqlite3.Statement>>();

  const finalize = (statement: sqlite3.Statement) => new Promise<void>((resolve) => statement.finalize(() => resolve()));

  /** The prepared statement for `sql` (prepared now if new; one preparation for callers that ask meanwhile), or the preparation's error. */
  const statementFor = (sql: string): sqlite3.Statement | Promise<sqlite3.Statement> => {
    const hit = held.get(sql);
    if (hit) {
      held.delete(sql); // most recently used last
      held.set(sql, hit);
      return hit;
    }
    const pending = preparing.get(sql);
    if (pending) return pending;
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const statement: sqlite3.Statement = connection().prepare(sql, (err: Error | null) => {
        preparing.delete(sql);
        if (err) return reject(err);
        while (held.size > 0 && (held.size >= limit || heldChars + sql.length > budget)) {
          const [oldest, old] = held.entries().next().value as [string, sqlite3.Statement];
          held.delete(oldest);
          heldChars -= oldest.length;
          void finalize(old);
        }
        held.set(sql, statement);
        heldChars += sql.length;
        resolve(statement);
      });
    });
    preparing.set(sql, prepared);
    return prepared;
  };

  /** Runs `use` on the cached statement, or on a one-off statement for a PRAGMA or a long text. */
  const withStatement = <T>(sql: string, use: (statement: sqlite3.Statement, done: (err: Error | null, value?: T) => void) => void, params: unknown, mode: 'run' | 'get' | 'all') =>
    new Promise<T>((resolve, reject) => {
      const done = (err: Error | null, value?: T) => (err ? reject(wrap(err, sql)) : resolve(value as T));
      if (!cacheable(sql)) {
        const db = connection() as unknown as Record<typeof mode, (sql: string, params: unknown, cb: (this: unknown, err: Error | null, value: unknown) => void) => void>;
        db[mode](sql, params, function (this: unknown, err: Error | null, value: unknown) {
          if (mode === 'run') done(err, (err ? undefined : { changes: (this as sqlite3.RunResult).changes, lastID: (this as sqlite3.RunResult).lastID }) as T);
          else done(err, value as T);
        });
        return;
      }
      const found = statementFor(sql);
      if (found instanceof Promise) found.then((statement) => use(statement, done), (err: Error) => done(err));
      else use(found, done);
    });

  return {
    run: (sql, params) =>
      withStatement<{ changes: number; lastID: number }>(sql, (statement, done) => {
        const oneStep = FINISHES_IN_ONE_STEP.test(sql) && !RETURNS_ROWS.test(sql);
        let answer: [Error | null, { changes: number; lastID: number }?] = [null];
        statement.run(params, function (this: sqlite3.RunResult, err: Error | null) {
          answer = [err, err ? undefined : { changes: this.changes, lastID: this.lastID }];
          if (oneStep && !err) done(...answer);
          else if (oneStep) statement.reset(() => done(...answer));
        });
        // A `… RETURNING` stepped once is still active: its write commits at this reset, so the call ends after it.
        if (!oneStep) statement.reset(() => done(...answer));
      }, params, 'run'),
    get: <T>(sql: string, params: unknown) =>
      withStatement<T | undefined>(sql, (statement, done) => {
        // Stepped to the end in one trip (see above): the statement is idle when the call resolves.
        statement.all(params, (err: Error | null, rows: T[]) => {
          if (err) statement.reset(() => done(err));
          else done(null, rows[0]);
        });
      }, params, 'get'),
    all: <T>(sql: string, params: unknown) =>
      withStatement<T[]>(sql, (statement, done) => {
        // `all` steps to the end (idle) on success; after an error the statement is reset, and the call ends after it.
        statement.all(params, (err: Error | null, rows: T[]) => {
          if (err) statement.reset(() => done(err));
          else done(null, rows);
        });
      }, params, 'all'),
    get size() {
      return held.size;
    },
    finalizeAll: async () => {
      await Promise.allSettled([...preparing.values()]);
      const statements = [...held.values()];
      held.clear();
      heldChars = 0;
      await Promise.all(statements.map(finalize));
    },
  };
}
