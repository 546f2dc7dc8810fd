import type { Db } from '../../../src/storage/db.js';

/**
 * Makes the database refuse every write, with the engine's own read-only error, and undoes it:
 * - SQLite: `PRAGMA query_only` on the connection; writes fail with the real SQLITE_READONLY error,
 *   at the statements a read-only file fails at (chmod does not stop root, who runs CI).
 * - PostgreSQL: a statement trigger on every table of the test's schema raising SQLSTATE 25006
 *   (read_only_sql_transaction) with the server's wording, "cannot execute INSERT in a read-only
 *   transaction" — what a write meets on a hot standby after a failover or with
 *   default_transaction_read_only. Server-wide switches would also stop the other test files
 *   sharing the scratch database; the trigger stops only this schema.
 */
export async function refuseWrites(db: Db, refuse: boolean): Promise<void> {
  if (db.dialect === 'sqlite') {
    await db.exec(`PRAGMA query_only = ${refuse ? 'ON' : 'OFF'}`);
    return;
  }
  const tables = await db.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  if (refuse) {
    await db.exec(
      `CREATE OR REPLACE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'cannot execute % in a read-only transaction', TG_OP USING ERRCODE = 'read_only_sql_transaction'; END $$`,
    );
  }
  for (const { name } of tables) {
    await db.exec(`DROP TRIGGER IF EXISTS refuse_writes ON ${name}`);
    if (refuse) await db.exec(`CREATE TRIGGER refuse_writes BEFORE INSERT OR UPDATE OR DELETE ON ${name} FOR EACH STATEMENT EXECUTE FUNCTION refuse_writes()`);
  }
}
