import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { migrate } from '../../src/storage/migrate.js';
import { openPostgres } from '../../src/storage/pg-db.js';
import { REAL_MIGRATIONS_APP_NAME } from './postgres.js';

/**
 * Run by scripts/test-postgres.sh once per run, before vitest: `tsx tests/helpers/postgres-template.ts PG_DUMP`
 * with TEST_DATABASE_URL set. Every test database of the PostgreSQL run is a new schema (src/storage/db.ts), and
 * opening it runs all migrations: some 230 statements in 18 transactions, each a round trip, 0.3–1.5 s per open
 * on CI's 2 busy cores, paid again by almost every test. Here the real `migrate` runs once into the schema
 * TEMPLATE; pg_dump writes out what it made (tables, identity sequences, indexes, constraints, the append-only
 * trigger and its function, per-column statistics targets, the rows of schema_migrations); and an event trigger
 * replays that text, with the schema's name swapped, inside each later `CREATE SCHEMA t_…` (one statement, on the
 * server). `migrate` then finds every migration applied, as on a database that was migrated before.
 *
 * A test of migrating an empty or an older database itself (tests/storage/migrate.test.ts, the upgrade test of
 * tests/jobs/digest-window.test.ts, the concurrent start of pg-row-locks.test.ts) opens through `withEmptySchemas`
 * (postgres.ts), which names its connections REAL_MIGRATIONS_APP_NAME (PGAPPNAME): the trigger leaves those schemas empty.
 */
export const TEMPLATE = 'civicdesk_migrated_template';

/** pg_dump's script of the template schema, as plain SQL statements that name the schema (no psql commands, no COPY). */
function dumpTemplate(pgDump: string, url: string): string {
  const dump = execFileSync(pgDump, ['--schema', TEMPLATE, '--no-owner', '--no-privileges', '--no-comments', '--inserts', '--dbname', url], {
    encoding: 'utf8',
  });
  return dump
    .split('\n')
    .filter(
      (line) =>
        !line.startsWith('--') &&
        !line.startsWith('\\') && // \restrict / \unrestrict (psql meta-commands)
        !line.startsWith('SET ') &&
        !line.startsWith("SELECT pg_catalog.set_config('search_path'") &&
        !line.startsWith('CREATE SCHEMA '),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  const pgDump = process.argv[2];
  if (!url || !pgDump) throw new Error('usage: TEST_DATABASE_URL=… tsx tests/helpers/postgres-template.ts PG_DUMP');
  const db = await openPostgres(url, { schema: TEMPLATE });
  await migrate(db);
  await db.close();
  const sql = dumpTemplate(pgDump, url);
  if (!sql.includes(`CREATE TABLE ${TEMPLATE}.schema_migrations`)) throw new Error(`pg_dump gave no schema_migrations table:\n${sql.slice(0, 500)}`);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE public.civicdesk_test_template (sql TEXT NOT NULL)');
    await client.query('INSERT INTO public.civicdesk_test_template (sql) VALUES ($1)', [sql]);
    await client.query(`
      CREATE FUNCTION public.civicdesk_test_clone() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        created record;
      BEGIN
        IF current_setting('application_name') = '${REAL_MIGRATIONS_APP_NAME}' THEN
          RETURN;
        END IF;
        FOR created IN
          SELECT object_identity FROM pg_event_trigger_ddl_commands()
           WHERE command_tag = 'CREATE SCHEMA' AND object_identity LIKE 't\\_%'
        LOOP
          EXECUTE replace((SELECT sql FROM public.civicdesk_test_template), '${TEMPLATE}.', created.object_identity || '.');
        END LOOP;
      END
      $fn$`);
    await client.query(
      `CREATE EVENT TRIGGER civicdesk_test_clone ON ddl_command_end WHEN TAG IN ('CREATE SCHEMA') EXECUTE FUNCTION public.civicdesk_test_clone()`,
    );
  } finally {
    await client.end();
  }
}

if (process.argv[1]?.endsWith('postgres-template.ts')) await main();
