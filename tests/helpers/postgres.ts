import pg from 'pg';

/**
 * The PostgreSQL test run (scripts/test-postgres.sh sets TEST_DATABASE_URL): every
 * database a test opens is a schema in that scratch database (src/storage/db.ts).
 * Tests of SQLite files themselves (backup files, locks, a full disk) skip on it.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? null;
export const onPostgres = testDatabaseUrl !== null;

/** A new, empty database on the test server; returns its URL and a drop function. */
export async function freshPostgresDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: testDatabaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * What a child process (the app, a CLI) needs in its environment to use the same test database as this
 * test in the PostgreSQL run; nothing in the SQLite run. For tests that give a child a minimal environment.
 */
export const testDatabaseEnv: Record<string, string> = testDatabaseUrl ? { TEST_DATABASE_URL: testDatabaseUrl } : {};

/** The application_name whose new schemas start empty (the event trigger of tests/helpers/postgres-template.ts skips them). */
export const REAL_MIGRATIONS_APP_NAME = 'civicdesk-real-migrations';

/**
 * Opens with the schema left empty in the PostgreSQL run: new schemas there start as a copy of a migrated one
 * (tests/helpers/postgres-template.ts), except for connections named REAL_MIGRATIONS_APP_NAME. For the tests of
 * migrating an empty database itself. `open` must create its schemas before it resolves (openDb does).
 */
export async function withEmptySchemas<T>(open: () => Promise<T>): Promise<T> {
  const before = process.env.PGAPPNAME;
  process.env.PGAPPNAME = REAL_MIGRATIONS_APP_NAME;
  try {
    return await open();
  } finally {
    if (before === undefined) delete process.env.PGAPPNAME;
    else process.env.PGAPPNAME = before;
  }
}

/**
 * PostgreSQL: the file node of each of `tables` in the database's current schema. VACUUM FULL writes a table
 * into a new file, so a changed node is a rewrite and an unchanged one proves none happened.
 */
export async function tableFileNodes(
  db: { all<T>(sql: string, params?: string[]): Promise<T[]> },
  tables: readonly string[],
): Promise<Record<string, string>> {
  const rows = await db.all<{ name: string; node: string }>(
    `SELECT c.relname AS name, c.relfilenode::text AS node FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
  );
  return Object.fromEntries(rows.filter((r) => tables.includes(r.name)).map((r) => [r.name, r.node]));
}
