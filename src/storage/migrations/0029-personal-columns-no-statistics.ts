import type { Migration } from './index.js';

/** Columns that hold what a parent wrote or who they are (text, phone, name, chat id, ID number, payloads). */
const PERSONAL_COLUMNS: readonly (readonly [string, readonly string[]])[] = [
  ['messages', ['text', 'chat_id']],
  ['cases', ['text', 'contact', 'citizen_name', 'chat_id', 'citizen_ref', 'close_note', 'extension_reason', 'delivery_address', 'applicant_id_number', 'idempotency_key']],
  ['case_events', ['note']],
  ['conversations', ['chat_id', 'user_id', 'state_json']],
  ['outbox', ['address', 'payload', 'dedupe_key']],
  ['processed_inbound', ['key']],
  ['telegram_message_cases', ['chat_id']],
  ['telegram_callbacks', ['payload']],
  ['gap_groups', ['key', 'samples']],
  ['web_messages', ['payload']],
];

/**
 * PostgreSQL's ANALYZE (autovacuum runs it) copies sample values of every column into the catalog
 * pg_statistic (most common values, histogram bounds): measured, a parent's message text and phone number
 * were in its file after an ANALYZE, where erasing the message cannot reach them. These columns get no
 * statistics (SET STATISTICS 0; the planner falls back to default estimates, which suit lookups by id and
 * chat) and the statistics gathered so far are dropped (ALTER … TYPE to the same type and collation drops a
 * column's statistics without rewriting the table; the DDL translation, pg-sql.ts, writes TEXT as the
 * TEXT COLLATE "C" every migrated column has). Column names are quoted so the translation leaves them alone. SQLite keeps no samples of column values (sqlite_stat1 holds counts only): nothing to do.
 */
export const m0029PersonalColumnsNoStatistics: Migration = {
  id: 29,
  name: 'personal-columns-no-statistics',
  up: '',
  postgres: PERSONAL_COLUMNS.flatMap(([table, columns]) =>
    columns.flatMap((column) => [
      `ALTER TABLE ${table} ALTER COLUMN "${column}" SET STATISTICS 0;`,
      `ALTER TABLE ${table} ALTER COLUMN "${column}" TYPE TEXT;`,
    ]),
  ).join('\n'),
};
