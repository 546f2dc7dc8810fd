import { AppError } from '../core/errors.js';
import type { Db, SqlValue } from './db.js';

/**
 * Copies every table of a SQLite store into an empty PostgreSQL store (both
 * already migrated to the same version), in one PostgreSQL transaction:
 * parents before children (foreign keys), rows in rowid order in batches,
 * identity sequences moved past the copied ids, and row counts compared per
 * table before the commit. A failure leaves the target as it was.
 */
export interface TableCount {
  table: string;
  source: number;
  target: number;
}

const BATCH = 500;

async function sqliteTables(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  return rows.map((r) => r.name);
}

async function postgresTables(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return rows.map((r) => r.name);
}

/** Tables ordered so that every table comes after the tables its foreign keys point at. */
async function parentsFirst(target: Db, tables: string[]): Promise<string[]> {
  const edges = await target.all<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const bare = (name: string) => name.replace(/^.*\./, '').replace(/"/g, '');
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) if (bare(e.child) !== bare(e.parent)) parents.get(bare(e.child))?.add(bare(e.parent));
  const done: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (done.includes(t) || path.has(t)) return;
    path.add(t);
    for (const p of parents.get(t) ?? []) if (parents.has(p)) visit(p, path);
    done.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return done;
}

const count = async (db: Db, table: string) => (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0;

export async function copySqliteToPostgres(source: Db, target: Db, onTable?: (table: string, rows: number) => void): Promise<TableCount[]> {
  if (source.dialect !== 'sqlite' || target.dialect !== 'postgres')
    throw new AppError('cli_usage', 'db copy copies a SQLite database (DATABASE_PATH) into PostgreSQL (--to postgres://…).');
  const [from, to] = [await sqliteTables(source), await postgresTables(target)];
  const versions = async (db: Db) => (await db.all<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id')).map((r) => r.id).join(',');
  if ((await versions(source)) !== (await versions(target)))
    throw new AppError('migration_mismatch', 'The source and target databases are at different migrations; run the same CivicDesk version on both.');
  const tables = to.filter((t) => t !== 'schema_migrations' && from.includes(t));
  const nonEmpty: string[] = [];
  for (const t of tables) if ((await count(target, t)) > 0) nonEmpty.push(t);
  if (nonEmpty.length > 0)
    throw new AppError(
      'storage_failed',
      `The target database is not empty (rows in ${nonEmpty.join(', ')}); copy only into a new, empty database.`,
    );
  const ordered = await parentsFirst(target, tables);
  return target.transaction(async (tx) => {
    const counts: TableCount[] = [];
    for (const table of ordered) {
      const sourceColumns = (await source.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)).map((c) => c.name);
      const described = await tx.all<{ name: string; identity: string }>(
        `SELECT column_name AS name, is_identity AS identity FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ?`,
        [table],
      );
      const targetColumns = new Set(described.map((c) => c.name));
      const columns = sourceColumns.filter((c) => targetColumns.has(c));
      let last = -Infinity;
      let copied = 0;
      for (;;) {
        const rows = await source.all<Record<string, SqlValue>>(
          `SELECT rowid AS rid__, ${columns.join(', ')} FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
          [last === -Infinity ? -9007199254740991 : last, BATCH],
        );
        if (rows.length === 0) break;
        const values = rows.map(() => `(${columns.map(() => '?').join(', ')})`);
        await tx.run(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`,
          rows.flatMap((r) => columns.map((c) => r[c] ?? null)),
        );
        last = Number(rows[rows.length - 1]!.rid__);
        copied += rows.length;
      }
      if (described.some((c) => c.name === 'id' && c.identity === 'YES')) {
        await tx.get(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false) AS v`);
      }
      const counted = { table, source: await count(source, table), target: await count(tx, table) };
      counts.push(counted);
      onTable?.(table, copied);
      if (counted.source !== counted.target)
        throw new AppError('storage_failed', `Row counts differ for ${table}: ${counted.source} in SQLite, ${counted.target} copied; nothing was kept.`);
    }
    return counts;
  });
}
