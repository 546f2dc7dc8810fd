import { OPEN_STATES } from '../core/cases/transitions.js';
import type { CaseEventRecord, CaseFilter, CaseRecord } from '../core/cases/types.js';
import type { CaseState } from '../core/types.js';
import { maskIdNumbers, maskPersonalData } from '../core/privacy/mask.js';
import type { Db, SqlValue } from './db.js';
import { lockKey } from './tx-locks.js';
import { AWAITING_CLOSE_SQL, outcomeInSql } from './case-outcome.js';

/**
 * Cases, their event trail and ratings: the only SQL for them. Writers take the
 * `tx` of a `db.transaction` so the case row, its event and its outbox rows commit together.
 */
interface CaseRow {
  id: number;
  code: string;
  type: string;
  channel: string;
  state: string;
  text: string;
  contact: string | null;
  citizen_name: string | null;
  chat_id: string | null;
  citizen_ref: string | null;
  locale: string;
  assignee: string | null;
  handoff: number;
  source_message_id: number | null;
  received_at: string;
  claimed_at: string | null;
  deadline_on: string | null;
  deadline_estimated: number;
  extended: number;
  extension_reason: string | null;
  extension_approved_by?: string | null;
  replied_at: string | null;
  closed_at: string | null;
  close_note: string | null;
  unreachable: number;
  disclosure_result: string | null;
  applicant_type: string | null;
  close_basis: string | null;
  duplicate_of: string | null;
  delivery_form: string | null;
  delivery_method: string | null;
  delivery_address: string | null;
  applicant_id_type: string | null;
  applicant_id_number: string | null;
  acceptance_notice_at?: string | null;
  acceptance_notice_via?: string | null;
  anonymised_at?: string | null;
  created_at: string;
  updated_at: string;
}

function toRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    code: r.code,
    type: r.type as CaseRecord['type'],
    channel: r.channel as CaseRecord['channel'],
    state: r.state as CaseRecord['state'],
    text: r.text,
    contact: r.contact,
    citizenName: r.citizen_name,
    chatId: r.chat_id,
    citizenRef: r.citizen_ref,
    locale: r.locale as CaseRecord['locale'],
    assignee: r.assignee,
    handoff: r.handoff === 1,
    sourceMessageId: r.source_message_id,
    receivedAt: r.received_at,
    claimedAt: r.claimed_at,
    deadlineOn: r.deadline_on,
    deadlineEstimated: r.deadline_estimated === 1,
    extended: r.extended === 1,
    extensionReason: r.extension_reason,
    extensionApprovedBy: r.extension_approved_by ?? null,
    repliedAt: r.replied_at,
    closedAt: r.closed_at,
    closeNote: r.close_note,
    unreachable: r.unreachable === 1,
    disclosureResult: r.disclosure_result,
    applicantType: r.applicant_type,
    closeBasis: r.close_basis as CaseRecord['closeBasis'],
    duplicateOf: r.duplicate_of,
    deliveryForm: r.delivery_form,
    deliveryMethod: r.delivery_method,
    deliveryAddress: r.delivery_address,
    applicantIdType: r.applicant_id_type,
    applicantIdNumber: r.applicant_id_number,
    acceptanceNoticeAt: r.acceptance_notice_at ?? null,
    acceptanceNoticeVia: r.acceptance_notice_via ?? null,
    anonymisedAt: r.anonymised_at ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS: Record<string, string> = {
  code: 'code', type: 'type', channel: 'channel', state: 'state', text: 'text', contact: 'contact',
  citizenName: 'citizen_name', chatId: 'chat_id', citizenRef: 'citizen_ref', locale: 'locale', assignee: 'assignee',
  handoff: 'handoff', sourceMessageId: 'source_message_id', receivedAt: 'received_at', claimedAt: 'claimed_at',
  deadlineOn: 'deadline_on', deadlineEstimated: 'deadline_estimated', extended: 'extended',
  extensionReason: 'extension_reason', extensionApprovedBy: 'extension_approved_by', repliedAt: 'replied_at', closedAt: 'closed_at', closeNote: 'close_note',
  unreachable: 'unreachable', disclosureResult: 'disclosure_result', applicantType: 'applicant_type',
  closeBasis: 'close_basis', duplicateOf: 'duplicate_of', deliveryForm: 'delivery_form', deliveryMethod: 'delivery_method',
  deliveryAddress: 'delivery_address', applicantIdType: 'applicant_id_type', applicantIdNumber: 'applicant_id_number',
  acceptanceNoticeAt: 'acceptance_notice_at', acceptanceNoticeVia: 'acceptance_notice_via',
  idempotencyKey: 'idempotency_key', createdAt: 'created_at', updatedAt: 'updated_at',
};

export type CaseFields = Partial<Omit<CaseRecord, 'id'>> & { idempotencyKey?: string | null };

/**
 * Citizen and staff text is stored with phones and ID numbers masked (maskPersonalData): no view shows an ID number
 * whole, and the one phone staff call back on is the case's `contact` (the desk makes a phone written in the text the
 * contact before it is stored, when the case has none: desk-filing.ts), so keeping the digits in the text would
 * only keep them on disk.
 */
const MASKED_TEXT = new Set(['text', 'closeNote']);

function columnsOf(fields: CaseFields): { names: string[]; values: SqlValue[] } {
  const names: string[] = [];
  const values: SqlValue[] = [];
  for (const [key, raw] of Object.entries(fields)) {
    const value = MASKED_TEXT.has(key) && typeof raw === 'string' ? maskPersonalData(raw) : raw;
    const column = COLUMNS[key];
    if (!column || value === undefined) continue;
    names.push(column);
    values.push(typeof value === 'boolean' ? (value ? 1 : 0) : (value as SqlValue));
  }
  return { names, values };
}

/** Next number of the year's counter; call in the transaction that inserts the case. */
export async function nextCaseNumber(tx: Db, year: number): Promise<number> {
  const row = await tx.get<{ last: number }>(
    'INSERT INTO case_counters (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last',
    [year],
  );
  return row!.last;
}

export async function insertCase(tx: Db, fields: CaseFields): Promise<number> {
  const { names, values } = columnsOf(fields);
  const result = await tx.run(`INSERT INTO cases (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, values);
  return result.lastID;
}

export async function updateCase(tx: Db, id: number, fields: CaseFields): Promise<void> {
  const { names, values } = columnsOf(fields);
  if (names.length === 0) return;
  await tx.run(`UPDATE cases SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`, [...values, id]);
}

/**
 * `forUpdate` (inside a transaction that changes the case according to what it reads): on PostgreSQL
 * the row stays locked until the transaction ends, so a concurrent change of the same case (another
 * instance, another pool connection) waits and then reads the result, as under SQLite's BEGIN IMMEDIATE.
 */
export async function findCaseByCode(db: Db, code: string, options: { forUpdate?: boolean } = {}): Promise<CaseRecord | null> {
  const lock = options.forUpdate && db.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const row = await db.get<CaseRow>(`SELECT * FROM cases WHERE code = ?${lock}`, [code]);
  return row ? toRecord(row) : null;
}

export async function findCaseById(db: Db, id: number): Promise<CaseRecord | null> {
  const row = await db.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
  return row ? toRecord(row) : null;
}

/** `forUpdate`: the key stays locked until the transaction ends (it may insert the case with that key next). */
export async function findCaseByIdempotencyKey(db: Db, key: string, options: { forUpdate?: boolean } = {}): Promise<CaseRecord | null> {
  if (options.forUpdate) await lockKey(db, `case-idempotency:${key}`);
  const row = await db.get<CaseRow>('SELECT * FROM cases WHERE idempotency_key = ?', [key]);
  return row ? toRecord(row) : null;
}

/** Open cases (not closed or withdrawn) whose deadline was estimated, oldest first. */
/** Every case whose deadline was estimated, open or finished: a finished case's timeliness is judged on it too. */
export async function listEstimatedCases(db: Db): Promise<CaseRecord[]> {
  const rows = await db.all<CaseRow>('SELECT * FROM cases WHERE deadline_estimated = 1 ORDER BY id');
  return rows.map(toRecord);
}

/** Cases a migration queued for a deadline recomputation (0042), with the reason, oldest first. */
export async function listQueuedRecomputations(db: Db): Promise<{ caseId: number; reason: string }[]> {
  const rows = await db.all<{ case_id: number; reason: string }>('SELECT case_id, reason FROM deadline_recomputations ORDER BY case_id');
  return rows.map((r) => ({ caseId: Number(r.case_id), reason: r.reason }));
}

/** Takes a case off the queue inside `tx`; false when another instance took it first (it then does the work). */
export async function takeQueuedRecomputation(tx: Db, caseId: number): Promise<boolean> {
  return (await tx.run('DELETE FROM deadline_recomputations WHERE case_id = ?', [caseId])).changes === 1;
}

/** Newest first. */
export async function listCases(db: Db, filter: CaseFilter = {}): Promise<CaseRecord[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.states && filter.states.length > 0) {
    where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  const add = (clause: string, value: SqlValue | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  add('assignee = ?', filter.assignee);
  if (filter.outcome) {
    const judged = outcomeInSql(db, filter.outcome.day, filter.outcome.in);
    where.push(judged.sql);
    params.push(...judged.params);
  }
  if (filter.awaitingClose) where.push(AWAITING_CLOSE_SQL);
  add('deadline_on <= ?', filter.dueBy);
  add('channel = ?', filter.channel);
  add('chat_id = ?', filter.chatId);
  const sql = `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  const rows = await db.all<CaseRow>(sql, [...params, filter.limit ?? 1000]);
  return rows.map(toRecord);
}

/**
 * The chat's open cases (OPEN_STATES), oldest first: at most the `limit` newest of them. The one query the engine's
 * addendum, late-contact and resent paths share.
 */
export async function listOpenCasesOfChat(db: Db, chat: { channel: string; chatId: string }, limit = 20): Promise<CaseRecord[]> {
  const rows = await db.all<CaseRow>(
    `SELECT * FROM cases WHERE channel = ? AND chat_id = ? AND state IN (${OPEN_STATES.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT ?`,
    [chat.channel, chat.chatId, ...OPEN_STATES, limit],
  );
  return rows.map(toRecord).reverse();
}

/**
 * The chat's most recently closed case still closed (a later closing wins, then the later filing), or null. Ordered
 * by closed_at in the query itself: a case filed long ago can be the one closed last. An ISO closed_at sorts by
 * time; one missing (never written by this code) sorts last in both SQLite and PostgreSQL.
 */
export async function findLatestClosedCaseOfChat(db: Db, chat: { channel: string; chatId: string }): Promise<CaseRecord | null> {
  const row = await db.get<CaseRow>(
    "SELECT * FROM cases WHERE channel = ? AND chat_id = ? AND state = 'closed' ORDER BY closed_at IS NULL, closed_at DESC, id DESC LIMIT 1",
    [chat.channel, chat.chatId],
  );
  return row ? toRecord(row) : null;
}

/**
 * The codes of the chat's cases in `states` (one of the named sets of core/cases/transitions.ts: the withdraw offer
 * passes WITHDRAWABLE_STATES), oldest first.
 */
export async function caseCodesOfChat(db: Db, chat: { channel: string; chatId: string }, states: readonly CaseState[]): Promise<string[]> {
  if (states.length === 0) return [];
  const rows = await db.all<{ code: string }>(
    `SELECT code FROM cases WHERE channel = ? AND chat_id = ? AND state IN (${states.map(() => '?').join(', ')}) ORDER BY id`,
    [chat.channel, chat.chatId, ...states],
  );
  return rows.map((r) => r.code);
}

/**
 * The latest reopening by anyone but the citizen, newer than event `after`, among the chat's cases in `states`: per
 * case only its latest reopening counts (an older one is history). One statement on cases_chat and case_events_case,
 * so the engine can ask it on every turn (core/engine/staff-reopen.ts).
 */
export async function findLatestStaffReopening(
  db: Db,
  chat: { channel: string; chatId: string; states: readonly string[]; after: number },
): Promise<{ code: string; eventId: number } | null> {
  if (chat.states.length === 0) return null;
  const row = await db.get<{ code: string; event_id: number }>(
    `SELECT c.code AS code, e.id AS event_id FROM cases c JOIN case_events e ON e.case_id = c.id
     WHERE c.channel = ? AND c.chat_id = ? AND c.state IN (${chat.states.map(() => '?').join(', ')})
       AND e.id = (SELECT MAX(r.id) FROM case_events r WHERE r.case_id = c.id AND r.to_state = 'reopened')
       AND e.actor <> 'citizen' AND e.id > ?
     ORDER BY e.id DESC LIMIT 1`,
    [chat.channel, chat.chatId, ...chat.states, chat.after],
  );
  return row ? { code: row.code, eventId: Number(row.event_id) } : null;
}

interface EventRow {
  id: number;
  case_id: number;
  at: string;
  actor: string;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  note: string | null;
  via?: string | null;
}
const toEvent = (r: EventRow): CaseEventRecord => ({
  id: r.id,
  caseId: r.case_id,
  at: r.at,
  actor: r.actor,
  kind: r.kind as CaseEventRecord['kind'],
  fromState: r.from_state as CaseEventRecord['fromState'],
  toState: r.to_state as CaseEventRecord['toState'],
  note: r.note,
  via: r.via ?? null,
});

/**
 * The note is stored masked as the case's text is (columnsOf). The event returned keeps its phones, ID numbers masked:
 * it is what the desk's message to the citizen is made of in this transaction (a staff reply naming the school's
 * number must reach the parent whole); that outbox row is masked once sent (markOutboxSent).
 */
export async function insertCaseEvent(tx: Db, event: Omit<CaseEventRecord, 'id'>): Promise<CaseEventRecord> {
  const note = event.note === null ? null : maskPersonalData(event.note);
  const result = await tx.run(
    'INSERT INTO case_events (case_id, at, actor, kind, from_state, to_state, note, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [event.caseId, event.at, event.actor, event.kind, event.fromState, event.toState, note, event.via ?? null],
  );
  return { id: result.lastID, ...event, note: event.note === null ? null : maskIdNumbers(event.note), via: event.via ?? null };
}

/** Oldest first. */
export async function listCaseEvents(db: Db, caseId: number): Promise<CaseEventRecord[]> {
  const rows = await db.all<EventRow>('SELECT * FROM case_events WHERE case_id = ? ORDER BY id', [caseId]);
  return rows.map(toEvent);
}

export interface RatingRecord {
  caseId: number;
  scale: string; // 'stars5' / 'minxin'
  value: number | null;
  label: string;
  declined: boolean;
  ratedAt: string;
  /** How a rating staff recorded was given (RATING_WAYS); null when the citizen rated in the bot's chat. */
  via?: string | null;
}

/** One rating per case: a later rating replaces the earlier one (the event trail keeps both). */
export async function upsertRating(tx: Db, rating: RatingRecord): Promise<void> {
  await tx.run(
    `INSERT INTO ratings (case_id, scale, value, label, declined, rated_at, via) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (case_id) DO UPDATE SET scale = excluded.scale, value = excluded.value, label = excluded.label,
       declined = excluded.declined, rated_at = excluded.rated_at, via = excluded.via`,
    [rating.caseId, rating.scale, rating.value, rating.label, rating.declined ? 1 : 0, rating.ratedAt, rating.via ?? null],
  );
}

export async function findRating(db: Db, caseId: number): Promise<RatingRecord | null> {
  const row = await db.get<{ case_id: number; scale: string; value: number | null; label: string; declined: number; rated_at: string; via: string | null }>(
    'SELECT * FROM ratings WHERE case_id = ?',
    [caseId],
  );
  return row
    ? { caseId: row.case_id, scale: row.scale, value: row.value, label: row.label, declined: Number(row.declined) === 1, ratedAt: row.rated_at, via: row.via }
    : null;
}
