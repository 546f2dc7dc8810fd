import { contactInText } from '../../core/engine/phone.js';
import { conversationStateSchema } from '../../core/engine/state.js';
import { maskStoredState } from '../../core/engine/state-privacy.js';
import { maskJsonText } from '../../core/privacy/mask-json.js';
import { maskPersonalData } from '../../core/privacy/mask.js';
import { recordAudit } from '../audit-repo.js';
import type { Db } from '../db.js';
import { withEventsWritable } from './0041-remask-stored-text.js';
import type { Migration } from './index.js';

/**
 * Phones leave the stored text (issue: mask phone and ID numbers in every form), as they are written now:
 * - cases.text, cases.close_note and case_events.note: phones masked (0041 masked only their ID numbers). A case
 *   without a contact first takes the parent's own phone from its text (contactInText: the phone step's reading), or
 *   else from its newest citizen follow-up — the call-back number the /case detail offered — so no number staff call
 *   back on is lost. An anonymised case takes none. case_events' append-only trigger is set aside for this rewrite only;
 * - conversations.state_json: as the engine stores it now (state-privacy.ts): the texts masked, the parent's own number
 *   kept apart for the case it is filed as. A state in an unknown format has every string masked;
 * - outbox rows already sent: their payload masked (rows still to go, or dead and possibly sent again, keep what they
 *   must say);
 * - audit_log: subject and detail masked, as new rows are (audit-repo.ts); its append-only trigger set aside likewise.
 * Only rows whose text changes are written, so running it again changes nothing. The counts are written to the audit
 * trail (action `db.remask_phones`); on PostgreSQL the old row versions go with the next VACUUM FULL of these tables.
 */
const MAY_HOLD_NUMBER = /[0-9０-９〇零一幺二三四五六七八九洞○两拐勾]/u;
const PAGE = 2000;

/** Rows of `table` by `key` in pages, each given to `visit` (which writes only what changes). */
async function eachRow<R extends { k: string | number }>(tx: Db, table: string, key: string, columns: string, where: string, visit: (row: R) => Promise<void>): Promise<void> {
  let after: string | number | null = null;
  for (;;) {
    const rows: R[] = await tx.all<R>(
      `SELECT ${key} AS k, ${columns} FROM ${table} WHERE ${where}${after === null ? '' : ` AND ${key} > ?`} ORDER BY ${key} LIMIT ${PAGE}`,
      after === null ? [] : [after],
    );
    for (const row of rows) await visit(row);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.k;
  }
}

const masked = (text: string | null) => (text !== null && MAY_HOLD_NUMBER.test(text) ? maskPersonalData(text) : text);

async function remaskCases(tx: Db, changed: Record<string, number>): Promise<void> {
  type Row = { k: number; text: string; close_note: string | null; contact: string | null; anonymised_at: string | null };
  await eachRow<Row>(tx, 'cases', 'id', 'text, close_note, contact, anonymised_at', '1 = 1', async (row) => {
    const text = masked(row.text) ?? row.text;
    const closeNote = masked(row.close_note);
    const contact = !row.contact?.trim() && row.anonymised_at === null ? (contactInText(row.text) ?? (await followUpPhone(tx, row.k))) : null;
    if (text === row.text && closeNote === row.close_note && contact === null) return;
    await tx.run(`UPDATE cases SET text = ?, close_note = ?${contact ? ', contact = ?' : ''} WHERE id = ?`, [text, closeNote, ...(contact ? [contact] : []), row.k]);
    changed.cases = (changed.cases ?? 0) + 1;
    if (contact) changed.contactsSet = (changed.contactsSet ?? 0) + 1;
  });
}

/** The parent's phone in their newest follow-up (or 补正) that has one: what the /case detail offered as the call-back number. */
async function followUpPhone(tx: Db, caseId: number): Promise<string | null> {
  const notes = await tx.all<{ note: string }>(
    "SELECT note FROM case_events WHERE case_id = ? AND actor = 'citizen' AND kind IN ('followup', 'correction_received') AND note IS NOT NULL ORDER BY id DESC",
    [caseId],
  );
  for (const { note } of notes) {
    const phone = contactInText(note);
    if (phone) return phone;
  }
  return null;
}

async function remaskEvents(tx: Db, changed: Record<string, number>): Promise<void> {
  await eachRow<{ k: number; note: string }>(tx, 'case_events', 'id', 'note', 'note IS NOT NULL', async (row) => {
    const note = masked(row.note);
    if (note === row.note) return;
    await tx.run('UPDATE case_events SET note = ? WHERE id = ?', [note, row.k]);
    changed.caseEvents = (changed.caseEvents ?? 0) + 1;
  });
}

/**
 * A stored conversation state as the engine writes it now (read as the engine reads it: conversationStateSchema); one
 * the engine would not read (it starts such a chat afresh) with every string masked.
 */
function maskedState(json: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return maskPersonalData(json);
  }
  const parsed = conversationStateSchema.safeParse(raw);
  return parsed.success ? JSON.stringify(maskStoredState(parsed.data)) : maskJsonText(json);
}

async function remaskConversations(tx: Db, changed: Record<string, number>): Promise<void> {
  const rows = await tx.all<{ channel: string; chat_id: string; state_json: string }>('SELECT channel, chat_id, state_json FROM conversations');
  for (const row of rows) {
    if (!MAY_HOLD_NUMBER.test(row.state_json)) continue;
    const state = maskedState(row.state_json);
    // Compared as values: a state written again with its keys in another order is not a change.
    if (sameJson(state, row.state_json)) continue;
    await tx.run('UPDATE conversations SET state_json = ? WHERE channel = ? AND chat_id = ?', [state, row.channel, row.chat_id]);
    changed.conversations = (changed.conversations ?? 0) + 1;
  }
}
/** Whether two JSON texts hold the same value, whatever the order of their keys. */
function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => [k, canonical(v)]))
        : value;
  try {
    return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)));
  } catch {
    return false;
  }
}

async function remaskOutbox(tx: Db, changed: Record<string, number>): Promise<void> {
  await eachRow<{ k: number; payload: string }>(tx, 'outbox', 'id', 'payload', "state = 'sent'", async (row) => {
    if (!MAY_HOLD_NUMBER.test(row.payload)) return;
    const payload = maskJsonText(row.payload);
    if (sameJson(payload, row.payload)) return;
    await tx.run('UPDATE outbox SET payload = ? WHERE id = ?', [payload, row.k]);
    changed.outbox = (changed.outbox ?? 0) + 1;
  });
}

/** audit_log's append-only triggers (0024), set aside while its old rows are masked, in this transaction. */
const SQLITE_AUDIT_TRIGGER = `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be changed'); END;`;

async function remaskAudit(tx: Db, changed: Record<string, number>): Promise<void> {
  const work = () =>
    eachRow<{ k: number; subject: string | null; detail: string | null }>(tx, 'audit_log', 'id', 'subject, detail', '1 = 1', async (row) => {
      const subject = masked(row.subject);
      const detail = masked(row.detail);
      if (subject === row.subject && detail === row.detail) return;
      await tx.run('UPDATE audit_log SET subject = ?, detail = ? WHERE id = ?', [subject, detail, row.k]);
      changed.auditLog = (changed.auditLog ?? 0) + 1;
    });
  if (tx.dialect === 'postgres') {
    await tx.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await work();
    await tx.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  } else {
    await tx.exec('DROP TRIGGER audit_log_no_update');
    await work();
    await tx.exec(SQLITE_AUDIT_TRIGGER);
  }
}

/** The rewrite; returns how many rows of each kind it changed (and how many cases took a contact). */
export async function remaskPhones(tx: Db): Promise<Record<string, number>> {
  const changed: Record<string, number> = {};
  // Cases first: a contact is read from the follow-ups before they are masked.
  await remaskCases(tx, changed);
  await withEventsWritable(tx, () => remaskEvents(tx, changed));
  await remaskConversations(tx, changed);
  await remaskOutbox(tx, changed);
  await remaskAudit(tx, changed);
  return changed;
}

export const m0043RemaskPhonesInCaseText: Migration = {
  id: 43,
  name: 'remask-phones-in-case-text',
  up: '',
  rewrite: async (tx) => {
    const changed = await remaskPhones(tx);
    // Written after the rewrite of audit_log, so this row is the trail's record of it.
    if (Object.keys(changed).length > 0) await recordAudit(tx, { actor: 'migration', action: 'db.remask_phones', subject: '0043', detail: changed, at: new Date() });
  },
};
