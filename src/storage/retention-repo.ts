import { FINAL_STATES, OPEN_STATES } from '../core/cases/transitions.js';
import { caseCodesOfChat } from './cases-repo.js';
import type { StaffNotice } from '../core/cases/types.js';
import type { Db } from './db.js';
import { clearErasedBytes, type PersonalTable } from './erased-bytes.js';
import { appendErasure, erasureEntry, erasureJournalPath, recordErasure } from './erasure-journal.js';
import { markRewritesNeeded } from './erasure-rewrites-repo.js';
import { enqueueOutbox } from './outbox-repo.js';
import { forgetGapSamples } from './gaps-repo.js';

/**
 * Deletion and anonymisation of personal data. Rows that reports count
 * (cases, ratings, messages) are kept; their personal fields are cleared.
 */
export const ERASED_TEXT = '[已删除]';

/** The states a case ends in (core/cases/transitions.ts FINAL_STATES): only such a case may have its data erased. */
const FINAL_STATES_SQL = FINAL_STATES.map((s) => `'${s}'`).join(', ');

export interface PurgeCounts {
  messageTexts: number;
  cases: number;
  conversations: number;
  outbox: number;
  inbound: number;
}

/** Collects the personal tables in which a statement blanked or deleted rows (their files are cleared afterwards). */
class TouchedTables {
  readonly tables = new Set<PersonalTable>();
  /** Returns `changes`, noting `table` when it is above 0. */
  note(table: PersonalTable, changes: number): number {
    if (changes > 0) this.tables.add(table);
    return changes;
  }
  list(): PersonalTable[] {
    return [...this.tables];
  }
}

export async function purgeBefore(
  db: Db,
  cutoffs: { messages: string; cases: string; conversations: string },
  now: string,
  /** `lowRating`: ratings on `scale` at `atMost` or less hold a case from the rating (core/cases/ratings.ts objectionRatings). */
  options: { lowRating?: { scale: string; atMost: number } } = {},
): Promise<PurgeCounts & { touched: PersonalTable[] }> {
  const lowRating = options.lowRating ?? { scale: '', atMost: 0 };
  const touched = new TouchedTables();
  return db.transaction(async (tx) => {
    touched.tables.clear(); // a transaction retried after a deadlock starts over
    const messageTexts = touched.note(
      'messages',
      (await tx.run('UPDATE messages SET text = NULL WHERE text IS NOT NULL AND created_at < ?', [cutoffs.messages])).changes,
    );
    // The rows stay for the counts, but no longer say whose they were: a chat id would tie a parent to every
    // question they asked, for as long as the counts are kept.
    touched.note(
      'messages',
      (await tx.run('UPDATE messages SET chat_id = ? WHERE created_at < ? AND chat_id <> ?', [ERASED_CHAT, cutoffs.messages, ERASED_CHAT])).changes,
    );
    // A low rating (★★ or less on the bot's star scale; a 民心网 level does not count) opens the objection window again
    // from the day it was given (apply-action.ts), so a case so rated counts from that day: it is never anonymised while the parent may still ask to reopen it.
    // Every final state counts from the day the case ended: a closing sets closed_at, a withdrawal (撤回) or a
    // return (退单) does not, so for them it is the time of the transition into that state (the last one: a case
    // never leaves a final state). Before, withdrawn and returned cases were never anonymised.
    const expired = await tx.all<{ id: number; code: string }>(
      `SELECT id, code FROM cases WHERE anonymised_at IS NULL AND state IN (${FINAL_STATES_SQL}) AND COALESCE(closed_at,
         (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'transition' AND e.to_state = cases.state),
         updated_at) < ?
         AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = cases.id AND r.declined = 0 AND r.scale = ? AND r.value <= ? AND r.rated_at >= ?)`,
      [cutoffs.cases, lowRating.scale, lowRating.atMost, cutoffs.cases],
    );
    for (const expiredCase of expired) await anonymiseCase(tx, expiredCase, now, touched);
    const conversations = touched.note('conversations', (await tx.run('DELETE FROM conversations WHERE updated_at < ?', [cutoffs.conversations])).changes);
    // Sent messages still hold the text that went out; keep them no longer than message texts.
    const outbox = touched.note(
      'outbox',
      (await tx.run("DELETE FROM outbox WHERE state IN ('sent', 'dead') AND created_at < ?", [cutoffs.messages])).changes,
    );
    const inbound = touched.note('processed_inbound', (await tx.run('DELETE FROM processed_inbound WHERE at < ?', [cutoffs.conversations])).changes);
    await markRewritesNeeded(tx, touched.list(), new Date(now)); // commits with the purge, or not at all
    return { messageTexts, cases: expired.length, conversations, outbox, inbound, touched: touched.list() };
  });
}

/**
 * Clears one case's personal fields, and queues the staff notice that refreshes its card (Slack: the card still showed
 * the masked text and name): committed with the erase, so the refresh is retried until the staff channel takes it.
 */
async function anonymiseCase(tx: Db, { id: caseId, code }: { id: number; code: string }, now: string, touched: TouchedTables): Promise<void> {
  touched.note(
    'cases',
    (
      await tx.run(
        `UPDATE cases SET text = ?, contact = NULL, citizen_name = NULL, chat_id = NULL, citizen_ref = NULL,
       close_note = NULL, extension_reason = NULL, delivery_address = NULL, applicant_id_number = NULL, idempotency_key = NULL, anonymised_at = ?, updated_at = ? WHERE id = ?`,
        [ERASED_TEXT, now, now, caseId],
      )
    ).changes,
  );
  touched.note('case_events', (await tx.run('UPDATE case_events SET note = NULL WHERE case_id = ? AND note IS NOT NULL', [caseId])).changes);
  touched.note(
    'outbox',
    (await tx.run("UPDATE outbox SET payload = '[]' WHERE case_id = ? AND state IN ('sent', 'dead') AND payload <> '[]'", [caseId])).changes,
  );
  const notice: StaffNotice = { change: 'erased', caseCode: code, eventId: 0 };
  await enqueueOutbox(tx, { target: 'staff', address: '-', payload: notice, caseId, dedupeKey: `case-erased:${caseId}:${now}` }, new Date(now));
}

/**
 * Erase everything personal one chat left: message texts (and the wordings of
 * them kept with gap marks, see EraseOptions), conversation state, the
 * personal fields of its cases, and every row that still names the chat
 * (idempotency keys, Telegram message links, inbound dedupe keys, outbox rows
 * to it — pending ones are cancelled with the rest). Rows that reports count
 * keep a one-way token instead of the chat id: `erased`, which links nothing.
 * Afterwards the tables' files are cleared of the erased bytes
 * (clearErasedBytes: SQLite's log is checkpointed, its freed space is zeroed by
 * secure_delete; PostgreSQL's tables are rewritten); `diskProblem` says when
 * that could not be done (the erase itself has committed).
 */
export async function eraseChat(
  db: Db,
  channel: string,
  chatId: string,
  now: string,
  options: EraseOptions = {},
): Promise<{ cases: number; messages: number; outboxCancelled: number; diskProblem: string | null; openCases: string[] }> {
  const touched = new TouchedTables();
  const journal = options.journal === false ? null : erasureJournalPath(db);
  const result = await db.transaction(async (tx) => {
    touched.tables.clear(); // a transaction retried after a deadlock starts over
    if (options.whileOpen === 'refuse') {
      const openCases = await caseCodesOfChat(tx, { channel, chatId }, OPEN_STATES);
      if (openCases.length > 0) return { cases: 0, messages: 0, outboxCancelled: 0, openCases };
    }
    // Written before the rows are emptied (it reads their ids) and before the commit: `db restore` of an older
    // backup re-applies it (erasure-journal.ts); an erase that then fails to commit is re-applied too, as asked.
    if (journal) appendErasure(journal, await erasureEntry(tx, channel, chatId, now));
    // PostgreSQL: the journal is a table, committed with the erase (every instance writes the same one).
    else if (options.journal !== false && tx.dialect === 'postgres') await recordErasure(tx, await erasureEntry(tx, channel, chatId, now));
    if (options.sampleOfTexts) {
      const texts = await tx.all<{ text: string }>('SELECT text FROM messages WHERE channel = ? AND chat_id = ? AND text IS NOT NULL', [channel, chatId]);
      const wordingOf = options.sampleOfTexts(texts.map((t) => t.text));
      if (texts.length > 0) touched.note('gap_groups', await forgetGapSamples(tx, wordingOf));
    }
    const cases = await tx.all<{ id: number; code: string }>('SELECT id, code FROM cases WHERE channel = ? AND chat_id = ?', [channel, chatId]);
    for (const erasedCase of cases) await anonymiseCase(tx, erasedCase, now, touched);
    const messages = touched.note(
      'messages',
      (await tx.run('UPDATE messages SET text = NULL WHERE channel = ? AND chat_id = ? AND text IS NOT NULL', [channel, chatId])).changes,
    );
    touched.note('messages', (await tx.run('UPDATE messages SET chat_id = ? WHERE channel = ? AND chat_id = ?', [ERASED_CHAT, channel, chatId])).changes);
    touched.note('conversations', (await tx.run('DELETE FROM conversations WHERE channel = ? AND chat_id = ?', [channel, chatId])).changes);
    const outboxCancelled = touched.note(
      'outbox',
      (await tx.run("DELETE FROM outbox WHERE target = ? AND address = ? AND state NOT IN ('sent', 'dead')", [channel, chatId])).changes,
    );
    touched.note('outbox', (await tx.run('DELETE FROM outbox WHERE target = ? AND address = ?', [channel, chatId])).changes);
    if (channel === 'web') {
      // Web message keys are "{session id}:{message id}:{digest of the masked words}" (channels/web/routes.ts).
      touched.note(
        'processed_inbound',
        (await tx.run("DELETE FROM processed_inbound WHERE source = 'web' AND substr(key, 1, ?) = ?", [chatId.length + 1, `${chatId}:`])).changes,
      );
    }
    if (channel === 'telegram') {
      touched.note('telegram_message_cases', (await tx.run('DELETE FROM telegram_message_cases WHERE chat_id = ?', [chatId])).changes);
      // Message update keys are "{update_id}:{chat_id}:{message_id}" (telegram-repo.ts).
      touched.note(
        'processed_inbound',
        (await tx.run("DELETE FROM processed_inbound WHERE source = 'telegram' AND key LIKE ?", [`%:${chatId}:%`])).changes,
      );
    }
    await tx.run('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)', [
      now,
      'citizen',
      'erase-personal-data',
      `${channel}:${ERASED_CHAT}`,
      JSON.stringify({ cases: cases.length, messages, outboxCancelled }),
    ]);
    // The mark commits with the erase or not at all: no crash after the commit leaves erased bytes unnamed.
    await markRewritesNeeded(tx, touched.list(), new Date(now));
    return { cases: cases.length, messages, outboxCancelled, openCases: [] as string[] };
  });
  if (result.openCases.length > 0) return { ...result, diskProblem: null };
  // The files of the tables it changed are cleared of the erased bytes (and those of earlier failed rewrites).
  const diskProblem = await clearErasedBytes(db, touched.list(), new Date(now));
  return { ...result, diskProblem };
}

export interface EraseOptions {
  /**
   * Given the chat's message texts, tells whether a wording stored with a gap mark (gap_groups.samples: masked,
   * normalised by core/gaps) came from one of them; such wordings are forgotten with the texts. Core passes it
   * (storage does not know the normalisation); without it the marks' wordings stay until the retention purge.
   */
  sampleOfTexts?: (texts: readonly string[]) => (sample: string) => boolean;
  /** false: write no erasure-journal line (re-applying the journal itself after a restore). */
  journal?: boolean;
  /**
   * 'refuse': erase nothing while a case of the chat is still open (OPEN_STATES), checked in the erase's own
   * transaction, and name those cases in `openCases`: a parent's erase request withdraws the open cases first, and one
   * that could not be withdrawn (or was reopened meanwhile) must keep its data — the bureau still owes its answer.
   * Default 'erase' (re-applying the journal after a restore: that erase was already granted).
   */
  whileOpen?: 'refuse' | 'erase';
}

/** What an erased chat id becomes in rows that are kept for the counts. */
export const ERASED_CHAT = 'erased';
