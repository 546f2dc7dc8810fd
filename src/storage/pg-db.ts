import { createHash } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import type { Db, HeldLock, Params, ReclaimResult, ReclaimTarget, RunResult, SqlValue } from './db.js';
import { ddlToPostgres, toPostgres } from './pg-sql.js';
import { noteStatementFailure } from './storage-health.js';

/**
 * The `Db` interface over a `pg` pool. Repositories keep writing SQLite-style
 * SQL; pg-sql.ts rewrites it. Results look like sqlite3's: BIGINT and NUMERIC
 * come back as numbers and booleans as 1/0, so `row.answered === 1` and
 * `COUNT(*)` mean the same on both engines.
 *
 * Transactions run at PostgreSQL's default isolation (READ COMMITTED), in
 * parallel across connections and instances. Where a transaction reads and
 * then writes on what it read, the repository locks that row (`SELECT … FOR
 * UPDATE`, cases-repo.ts) or that key (`lockKey`, tx-locks.ts): the guarantee
 * SQLite's BEGIN IMMEDIATE gives, for the rows that need it, without making
 * every writer of every instance wait for every other. A transaction that hits
 * a deadlock or a serialization failure runs again (see `transaction`).
 * Statements outside a transaction run concurrently.
 */
const { Pool, types } = pg;

const toNumber = (value: string) => Number(value);
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === types.builtins.INT8 || oid === types.builtins.NUMERIC) return toNumber;
    if (oid === types.builtins.BOOL) return (value: string) => (value === 't' ? 1 : 0);
    return types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export { isPostgresUrl } from './pg-url.js';

/** The URL without its password, for messages and `db.path`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Constraint violations worded as SQLite words them ("NOT NULL constraint failed: messages.intent"),
 * so messages and the code that reads them do not depend on the engine.
 */
function sqliteWording(error: unknown): string | null {
  const e = error as { code?: string; table?: string; column?: string; detail?: string; constraint?: string };
  const columns = /^Key \(([^)]*)\)/.exec(e.detail ?? '')?.[1]?.split(', ').map((c) => `${e.table}.${c}`).join(', ');
  if (e.code === '23502') return `NOT NULL constraint failed: ${e.table}.${e.column}`;
  if (e.code === '23505') return `UNIQUE constraint failed: ${columns ?? e.constraint}`;
  if (e.code === '23503') return 'FOREIGN KEY constraint failed';
  if (e.code === '23514') return `CHECK constraint failed: ${e.constraint}`;
  return null;
}

function wrapError(error: unknown, sql: string, where: string): AppError {
  noteStatementFailure(sql, error);
  const message = sqliteWording(error) ?? (error instanceof Error ? error.message : String(error));
  const code = (error as { code?: string }).code;
  const hint =
    code === 'ECONNREFUSED' || code === '57P03'
      ? ' PostgreSQL is not reachable; check DATABASE_URL and that the server is running.'
      : code === '53300'
        ? ' Too many connections: each instance uses up to 17 (a pool of 10, 4 for per-chat locks, two LISTEN connections, the polling lock); raise max_connections on the server or run fewer instances.'
        : code === '57014'
          ? ' The statement ran longer than statement_timeout.'
          : '';
  return new AppError('storage_failed', `Database error: ${message}.${hint} (${where}; statement: ${sql.slice(0, 80)})`, {
    cause: error,
  });
}

type Queryable = pg.Pool | pg.PoolClient;

/** Deadlock detected, serialization failure: the transaction rolled back and may run again. */
const RETRYABLE = new Set(['40P01', '40001']);
/**
 * The server ended the session (a restart or failover: admin_shutdown, crash_shutdown; pg_terminate_backend).
 * A pooled connection learns it only when its next statement meets the FATAL: the session had ended before
 * that statement ran, so nothing of it was done, and it runs again on a fresh connection. (A connection cut
 * without a word from the server is not retried: a statement in flight there may have committed.)
 */
const SESSION_ENDED = new Set(['57P01', '57P02']);
/** Stale connections a statement may meet in a row after a restart (the pool holds at most 10). */
const SESSION_ENDED_TRIES = 12;
const sessionEnded = (error: unknown): boolean => SESSION_ENDED.has(String((error as { code?: unknown }).code));
const TRANSACTION_TRIES = 5;
/** Connections for per-key locks (`exclusive`): turns of different chats waiting at once beyond this queue for one. */
const LOCK_POOL_MAX = 4;
/** How long `reclaim` waits for a table's exclusive lock before leaving it to the next purge (ms). */
const RECLAIM_LOCK_TIMEOUT_MS = 5_000;
function retryable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1)
    if (RETRYABLE.has(String((e as { code?: unknown }).code)) || sessionEnded(e)) return true;
  return false;
}

export interface PostgresOptions {
  /** Tables live in this schema (created when missing); the test suite gives every database file its own. */
  schema?: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  /** What `db.path` and error messages call this database (default: the URL without its password). */
  label?: string;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new AppError('storage_failed', `Bad schema name ${schema}.`);
  const settings = [
    schema ? `-c search_path=${schema}` : '',
    `-c statement_timeout=${options.statementTimeoutMs ?? 30_000}`,
    '-c lock_timeout=60000',
  ]
    .filter(Boolean)
    .join(' ');
  const where = options.label ?? redactUrl(url);
  if (schema) {
    const setup = new pg.Client({ connectionString: url });
    try {
      await setup.connect();
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw wrapError(error, 'CREATE SCHEMA', where);
    } finally {
      await setup.end().catch(() => undefined);
    }
  }
  const pool = new Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    options: settings,
    types: typeParsers,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 15_000,
    allowExitOnIdle: true,
  });
  // An idle client whose connection drops (server restart) must not crash the process.
  pool.on('error', () => undefined);

  let identityTables: Set<string> | null = null;
  const loadIdentityTables = async (q: Queryable) => {
    const { rows } = await q.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'`,
    );
    identityTables = new Set(rows.map((r) => r.table_name));
    return identityTables;
  };

  const values = (params: Params | undefined): SqlValue[] => {
    if (params === undefined) return [];
    // PostgreSQL text cannot hold U+0000 (SQLite can); it means nothing in a message, so it is dropped.
    if (Array.isArray(params))
      return params.map((v) => (typeof v === 'bigint' ? v.toString() : typeof v === 'string' && v.includes('\u0000') ? v.replace(/\u0000/g, '') : v));
    throw new AppError('storage_failed', 'Named parameters are not supported on PostgreSQL; pass positional ? parameters.');
  };

  const query = async (q: Queryable, sql: string, params?: Params) => {
    const t = toPostgres(sql);
    let text = t.text;
    if (t.insertInto && !t.returns) {
      const tables = identityTables ?? (await loadIdentityTables(q));
      if (tables.has(t.insertInto)) text += ' RETURNING id';
    }
    for (let tries = 1; ; tries += 1) {
      try {
        return await q.query(text, values(params));
      } catch (error) {
        // Only a statement of its own (q is the pool) runs again: inside a transaction the whole transaction does.
        if (q === pool && sessionEnded(error) && tries < SESSION_ENDED_TRIES) continue;
        throw wrapError(error, sql, where);
      }
    }
  };

  const execOn = async (q: Queryable, sql: string) => {
    let text = sql.replace(/^\s*PRAGMA\b[^;]*;?/gim, '');
    // Tables created outside migrations (tests, tools) get the same types as migrated ones.
    if (/\b(CREATE|ALTER)\s+TABLE\b/i.test(text)) text = ddlToPostgres(text);
    text = toPostgres(text).text;
    if (!text.trim()) return;
    try {
      await q.query(text);
    } catch (error) {
      throw wrapError(error, sql, where);
    }
    if (/\b(CREATE|ALTER|DROP)\s+TABLE\b/i.test(sql)) identityTables = null;
  };

  const handle = (q: Queryable, inTransaction: boolean): Db => {
    const self: Db = {
      path: where,
      dialect: 'postgres',
      async run(sql, params): Promise<RunResult> {
        const result = await query(q, sql, params);
        const id = (result.rows[0] as { id?: unknown } | undefined)?.id;
        return { changes: result.rowCount ?? 0, lastID: typeof id === 'number' ? id : Number(id ?? 0) };
      },
      async get<T>(sql: string, params?: Params) {
        const result = await query(q, sql, params);
        return result.rows[0] as T | undefined;
      },
      async all<T>(sql: string, params?: Params) {
        const result = await query(q, sql, params);
        return result.rows as T[];
      },
      exec: (sql) => execOn(q, sql),
      transaction: inTransaction ? (work) => work(self) : (work) => transaction(work),
      close: () => (inTransaction ? Promise.resolve() : Promise.all([pool.end(), lockPool.end()]).then(() => undefined)),
      backup: (file) => Promise.reject(new AppError('storage_failed', pgDumpAdvice(url, file))),
      notify: async (channel, payload) => {
        await q.query('SELECT pg_notify($1, $2)', [channelName(channel), payload]);
      },
      listen: (channel, onMessage) => listen(channelName(channel), onMessage),
      tryLock: (name) => tryLock(channelName(name)),
      exclusive: (key, work) => exclusive(channelName(key), work),
      // VACUUM cannot run inside a transaction block.
      ...(inTransaction ? {} : { reclaim }),
    };
    return self;
  };

  // Channels are per schema, so the test suite's databases (one schema each) do not hear each other.
  const channelName = (channel: string) => `${schema ?? 'public'}__${channel}`.slice(0, 63);

  const listen = async (channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> => {
    let stopped = false;
    let client: pg.Client | null = null;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: url, keepAlive: true });
      c.on('notification', (msg) => {
        if (msg.channel === channel) onMessage(msg.payload ?? '');
      });
      c.on('error', () => {
        // Reconnect after a dropped connection; notifications sent meanwhile are lost, which
        // costs a reload at most (the next change or the periodic check brings it).
        client = null;
        c.end().catch(() => undefined);
        if (!stopped) setTimeout(() => void connect().catch(() => undefined), 2_000).unref();
      });
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
      client = c;
    };
    await connect();
    return async () => {
      stopped = true;
      await client?.end().catch(() => undefined);
    };
  };

  const tryLock = async (name: string): Promise<HeldLock | null> => {
    // keepAlive: a lock holder whose machine vanished is noticed by the server's TCP keepalives.
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    let lostResolve: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (lostResolve = resolve));
    c.on('error', () => lostResolve());
    c.on('end', () => lostResolve());
    try {
      await c.connect();
      const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [name]);
      if (!rows[0]?.ok) {
        await c.end();
        return null;
      }
    } catch (error) {
      await c.end().catch(() => undefined);
      throw wrapError(error, 'pg_try_advisory_lock', where);
    }
    return { lost, release: () => c.end().catch(() => undefined) };
  };

  // Per-key locks held across a piece of work that uses the main pool: their own few connections, so a
  // turn waiting for a chat's lock never holds a connection another turn's writes need.
  const lockPool = new Pool({ connectionString: url, max: LOCK_POOL_MAX, options: settings, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 15_000, allowExitOnIdle: true, keepAlive: true });
  lockPool.on('error', () => undefined);
  const exclusive = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    let client: pg.PoolClient | undefined;
    let guard: CheckedOut | undefined;
    for (let tries = 1; ; tries += 1) {
      try {
        client = await lockPool.connect();
        // Lost mid-turn (server restart, failover): the turn goes on without the lock, and the client is dropped.
        guard = watchCheckedOut(client);
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
        break;
      } catch (error) {
        guard?.done();
        client?.release(true);
        client = undefined;
        guard = undefined;
        if (sessionEnded(error) && tries < SESSION_ENDED_TRIES) continue;
        throw wrapError(error, 'pg_advisory_lock', where);
      }
    }
    const held = client;
    const heldGuard = guard;
    try {
      return await work();
    } finally {
      // A connection that cannot unlock is dropped: ending its session releases the lock.
      const unlocked = heldGuard.lost ? false : await held.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).then(() => true, () => false);
      heldGuard.done();
      held.release(!unlocked);
    }
  };

  /**
   * VACUUM FULL writes each table anew with its live rows only (indexes and TOAST rebuilt) and truncates the old
   * files when it commits: a plain VACUUM marks dead row versions free but leaves their bytes in the page until a
   * new row happens to overwrite them (measured: docs/PRIVACY.md). It takes the table's ACCESS EXCLUSIVE lock,
   * so it waits at most RECLAIM_LOCK_TIMEOUT for it (a queued request would hold up every other instance's
   * statements on the table meanwhile) and the next purge tries again. A role that does not own a table gets
   * a WARNING ("skipping …"), not an error: every notice that is not plain success counts as a failure.
   *
   * VACUUM FULL copies "recently dead" versions too: those a snapshot older than their deletion may still read
   * (another instance's open transaction, a long report, a replication slot). It says so only in VERBOSE notices
   * worded in the server's language, so the horizon is read instead, before and after each rewrite: if anything
   * holds one older than the erase (`olderThanErase`), the rewrite kept the erased versions (`kept`).
   */
  const reclaim = async (targets: readonly ReclaimTarget[]): Promise<ReclaimResult> => {
    const tables = targets.map((t) => t.table);
    for (const table of tables) if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new AppError('storage_failed', `Bad table name ${table}.`);
    const allFailed = (reason: string): ReclaimResult => ({ failed: tables.map((table) => ({ table, reason })), kept: [], checkpoint: false });
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      return allFailed(`cannot connect to rewrite the table: ${(error as Error).message}`);
    }
    const failed: { table: string; reason: string }[] = [];
    const kept: { table: string; reason: string }[] = [];
    let current = '';
    const onNotice = (notice: { code?: string; message?: string }) => {
      if (notice.code !== '00000') failed.push({ table: current, reason: notice.message ?? 'warning' });
    };
    client.on('notice', onNotice);
    const guard = watchCheckedOut(client);
    let broken = false;
    try {
      await client.query(`SET lock_timeout = ${RECLAIM_LOCK_TIMEOUT_MS}; SET statement_timeout = 0`);
      for (const { table, erasedBefore } of targets) {
        current = table;
        const holders = new Map<string, string>();
        const look = async () => {
          for (const holder of await olderThanErase(client, erasedBefore)) holders.set(holder.split(' (')[0]!, holder);
        };
        try {
          await look();
          await client.query(`VACUUM (FULL) ${table}`);
          await look();
          if (holders.size > 0) kept.push({ table, reason: keptReason([...holders.values()]) });
        } catch (error) {
          if (!failed.some((f) => f.table === table)) failed.push({ table, reason: (error as Error).message });
        }
      }
      let checkpoint = true;
      await client.query('CHECKPOINT').catch(() => (checkpoint = false)); // 42501 without superuser or pg_checkpoint
      await client.query('RESET lock_timeout; RESET statement_timeout').catch(() => (broken = true));
      return { failed, kept: kept.filter((k) => !failed.some((f) => f.table === k.table)), checkpoint };
    } catch (error) {
      broken = true;
      return allFailed(`VACUUM FULL failed: ${(error as Error).message}`);
    } finally {
      client.off('notice', onNotice);
      guard.done();
      client.release(broken || guard.lost);
    }
  };

  const attempt = async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw wrapError(error, 'connect', where);
    }
    const guard = watchCheckedOut(client);
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(handle(client, true));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error instanceof AppError ? error : wrapError(error, 'transaction', where);
    } finally {
      guard.done();
      client.release(broken || guard.lost);
    }
  };

  /**
   * Two transactions that lock rows in opposite orders deadlock, and PostgreSQL
   * ends one of them (40P01); it rolled back whole, so it simply runs again,
   * after a short random pause so the pair does not meet again. `work` only
   * touches the database (every caller's does), which makes running it again safe.
   */
  const transaction = async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt(work);
      } catch (error) {
        if (tries >= TRANSACTION_TRIES || !retryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * tries));
      }
    }
  };

  const db = handle(pool, false);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new AppError('storage_failed', `Cannot open database ${where}: ${(error as Error).message}.${openAdvice(error)}`, { cause: error });
  }
  return db;
}

/** What the operator can do when the first connection fails: the server down or unreachable, a wrong password, no such database. */
function openAdvice(error: unknown): string {
  const { code } = error as { code?: string };
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || /timeout/i.test(String((error as Error).message)))
    return ' Is the PostgreSQL server running and reachable at that host and port? Start it (the service restarts CivicDesk after it), or correct the host and port in DATABASE_URL.';
  if (code === '28P01' || code === '28000') return ' Correct the user or password in DATABASE_URL, or let that user in (pg_hba.conf).';
  if (code === '3D000') return ' Create the database (createdb) or correct its name in DATABASE_URL.';
  return '';
}

/**
 * What holds a snapshot that may not see transaction `xid` (the erase, which writes its erasure_rewrites mark
 * itself) in this database (VACUUM keeps every row version such a snapshot may read): a horizon (xmin) at or
 * before `xid` (taken while the erase ran) or an own transaction older than it. Looked at: other sessions of this
 * database (their snapshot's xmin or their own transaction id), physical replication (walsenders, slots' xmin: they hold back every database) and prepared transactions.
 * Left out: a slot's catalog_xmin (system catalogs only) and autovacuum's plain VACUUM (excluded from the
 * horizon by the server). xids are compared by age(), which is safe across wraparound.
 * `xid` null (no mark to compare with): every holder of a snapshot counts.
 * Returns one line per holder, e.g. `session pid 4242 (app "civicdesk", idle in transaction, since …)`.
 */
async function olderThanErase(client: pg.PoolClient, xid: string | null): Promise<string[]> {
  const { rows } = await client.query<{ kind: string; who: string; app: string | null; state: string | null; since: string | null }>(
    `SELECT 'session pid' AS kind, pid::text AS who, NULLIF(application_name, '') AS app, state,
            to_char(COALESCE(xact_start, query_start, backend_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
       FROM pg_stat_activity
      WHERE pid <> pg_backend_pid()
        AND (datname = current_database() OR backend_type = 'walsender')
        AND ($1::text IS NULL OR age(backend_xmin) >= age($1::text::xid) OR age(backend_xid) > age($1::text::xid))
        AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL)
        AND NOT (backend_type = 'autovacuum worker' AND COALESCE(query, '') LIKE 'autovacuum: VACUUM%' AND COALESCE(query, '') NOT LIKE '%ANALYZE%')
     UNION ALL
     SELECT 'replication slot', slot_name::text, NULL, NULL, NULL FROM pg_replication_slots WHERE xmin IS NOT NULL AND ($1::text IS NULL OR age(xmin) >= age($1::text::xid))
     UNION ALL
     SELECT 'prepared transaction', gid, NULL, NULL, to_char(prepared AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
       FROM pg_prepared_xacts WHERE database = current_database() AND ($1::text IS NULL OR age(transaction) > age($1::text::xid))`,
    [xid],
  );
  return rows.map((r) => {
    const details = [r.app ? `app "${r.app}"` : '', r.state ?? '', r.since ? `since ${r.since}` : r.kind === 'session pid' ? 'since unknown: the role may not read it' : '']
      .filter(Boolean)
      .join(', ');
    return `${r.kind} ${r.who}${details ? ` (${details})` : ''}`;
  });
}

function keptReason(holders: string[]): string {
  const shown = holders.slice(0, 3).join('; ') + (holders.length > 3 ? `; ${holders.length - 3} more` : '');
  return (
    `another session's snapshot is older than the erase (${shown}), so VACUUM FULL had to keep the erased row versions ` +
    'in the table files; retried at the next purge. If it stays, end that transaction (for a stuck session: ' +
    'SELECT pg_terminate_backend(pid)) or drop the unused replication slot.'
  );
}

/** PostgreSQL is backed up by its own tool; this is the command for `db backup FILE`. */
export function pgDumpAdvice(url: string, file: string): string {
  return (
    'A PostgreSQL database is backed up with pg_dump (consistent while CivicDesk runs), not by CivicDesk. Run:\n' +
    `  pg_dump --format=custom --no-owner --file=${shellQuote(file)} ${shellQuote(redactUrl(url))}\n` +
    '(give the password through PGPASSWORD or ~/.pgpass). To restore it, `npm run cli -- db restore FILE` prints the procedure: ' +
    'db export-erasures, pg_restore --clean --no-owner -d DATABASE_URL FILE, db reapply-erasures (erasures made since the dump stay erased).'
  );
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The schema the test suite uses for the SQLite file `path` when TEST_DATABASE_URL is set. */
export function testSchemaFor(path: string): string {
  if (path === ':memory:') return `t_mem_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  return `t_${createHash('sha1').update(path).digest('hex').slice(0, 20)}`;
}

interface CheckedOut {
  /** The connection emitted 'error' (its session ended) while checked out. */
  readonly lost: boolean;
  /** Stops listening: call right before the client is released. */
  done(): void;
}

/**
 * pg-pool listens for 'error' only on idle clients; a checked-out client whose session the server ends (restart,
 * failover, pg_terminate_backend, idle_in_transaction timeout) emits 'error' with no listener, which Node raises to
 * process level. Listened to here for as long as the client is out: the query in flight rejects on its own (and is
 * reported as storage_failed), and the client is released as broken.
 */
function watchCheckedOut(client: pg.PoolClient): CheckedOut {
  const state = { lost: false };
  const onError = () => {
    state.lost = true;
  };
  client.on('error', onError);
  return {
    get lost() {
      return state.lost;
    },
    done: () => void client.off('error', onError),
  };
}
