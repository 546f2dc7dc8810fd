import { maskIdNumbers, maskPersonalData } from '../../core/privacy/mask.js';
import type { Db } from '../db.js';
import type { Migration } from './index.js';

/**
 * Stored text written before the masker knew every form a number is written in (a zero-width space inside a phone,
 * an ID number run into a mobile, 0086, middle dots, line breaks, 洞/两 in spoken numerals), and before messages,
 * case text and the audit trail were stored masked: masked again, as they are written now.
 * - messages.text (unanswered questions, kb gaps' source): phones and ID numbers;
 * - cases.text, cases.close_note, case_events.note: ID numbers (phones stay: staff call back from the case detail).
 *   case_events is append-only (migration 0024): its trigger is set aside for this rewrite only, in this transaction;
 * - audit_log is not rewritten: it is append-only and its rows name codes, keys, files and titles, not parents' text
 *   (new rows are masked as they are written, audit-repo.ts);
 * - gap_groups.samples (a JSON list) and web_messages.payload (JSON; its refs and ids left as they are): phones and
 *   ID numbers, each string on its own. gap_groups.key is left: it is how a mark finds its group.
 * Only rows whose text changes are written; on PostgreSQL the old row versions go with the next VACUUM FULL of the
 * table (the nightly purge rewrites tables it changed; run `VACUUM (FULL) messages, cases, case_events` once to clear
 * them at once).
 */
const MAY_HOLD_NUMBER = /[0-9０-９〇零一幺二三四五六七八九洞○两拐勾]/u;

/** Every string of a JSON value masked, except its refs and ids (generated values, not a parent's text). */
function maskJson(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return /(^ref$|id$)/i.test(key) ? value : maskPersonalData(value);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, k)]));
  return value;
}
function maskJsonText(text: string): string {
  try {
    return JSON.stringify(maskJson(JSON.parse(text)));
  } catch {
    return maskPersonalData(text);
  }
}

const REWRITES: { table: string; key: string; column: string; mask: (text: string) => string }[] = [
  { table: 'messages', key: 'id', column: 'text', mask: maskPersonalData },
  { table: 'cases', key: 'id', column: 'text', mask: maskIdNumbers },
  { table: 'cases', key: 'id', column: 'close_note', mask: maskIdNumbers },
  { table: 'case_events', key: 'id', column: 'note', mask: maskIdNumbers },
  { table: 'gap_groups', key: 'key', column: 'samples', mask: maskJsonText },
  { table: 'web_messages', key: 'id', column: 'payload', mask: maskJsonText },
];

/** Rows read in pages of this many, by key, so a large messages table is not held in memory at once. */
const PAGE = 2000;

/** case_events' append-only trigger (0024), as it is created there: set aside while its notes are masked again. */
const SQLITE_EVENTS_TRIGGER = `CREATE TRIGGER case_events_only_erase BEFORE UPDATE ON case_events
WHEN NEW.note IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id OR NEW.at IS NOT OLD.at
  OR NEW.actor IS NOT OLD.actor OR NEW.kind IS NOT OLD.kind OR NEW.from_state IS NOT OLD.from_state
  OR NEW.to_state IS NOT OLD.to_state OR NEW.via IS NOT OLD.via
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: only a note may be erased'); END;`;

export async function withEventsWritable(tx: Db, work: () => Promise<void>): Promise<void> {
  if (tx.dialect === 'postgres') {
    await tx.exec('ALTER TABLE case_events DISABLE TRIGGER case_events_append_only');
    await work();
    await tx.exec('ALTER TABLE case_events ENABLE TRIGGER case_events_append_only');
  } else {
    await tx.exec('DROP TRIGGER case_events_only_erase');
    await work();
    await tx.exec(SQLITE_EVENTS_TRIGGER);
  }
}

export async function remaskStoredText(tx: Db): Promise<Record<string, number>> {
  const changed: Record<string, number> = {};
  for (const rewrite of REWRITES) {
    const run = () => remaskColumn(tx, rewrite).then((n) => void (changed[`${rewrite.table}.${rewrite.column}`] = n));
    await (rewrite.table === 'case_events' ? withEventsWritable(tx, run) : run());
  }
  return changed;
}

async function remaskColumn(tx: Db, { table, key, column, mask }: (typeof REWRITES)[number]): Promise<number> {
  let after: string | number | null = null;
  let count = 0;
  for (;;) {
    const rows: { k: string | number; v: string }[] = await tx.all(
      `SELECT ${key} AS k, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL${after === null ? '' : ` AND ${key} > ?`} ORDER BY ${key} LIMIT ${PAGE}`,
      after === null ? [] : [after],
    );
    for (const row of rows) {
      if (!MAY_HOLD_NUMBER.test(row.v)) continue;
      const masked = mask(row.v);
      if (masked === row.v) continue;
      await tx.run(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`, [masked, row.k]);
      count++;
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.k;
  }
  return count;
}

export const m0041RemaskStoredText: Migration = {
  id: 41,
  name: 'remask-stored-text',
  up: '',
  rewrite: async (tx) => {
    await remaskStoredText(tx);
  },
};
