import type { Locale } from '../core/types.js';
import type { Db } from './db.js';
import { markRewritesNeeded } from './erasure-rewrites-repo.js';

/**
 * Telegram channel storage: inbound idempotency (processed_inbound, source
 * 'telegram'), the bot message → case code map behind reply-to, long button
 * payloads, and the few case/conversation facts the adapter reads.
 */

/** Records an update id; false when it was seen before (a redelivery). */
export async function markInboundProcessed(db: Db, key: string, now: Date): Promise<boolean> {
  const result = await db.run(
    "INSERT INTO processed_inbound (source, key, at) VALUES ('telegram', ?, ?) ON CONFLICT (source, key) DO NOTHING",
    [key, now.toISOString()],
  );
  return result.changes > 0;
}

export type InboundClaim = 'fresh' | 'seen' | 'busy';

/**
 * Claims an update for this process (`owner`, "INSTANCE_ID#boot"): 'fresh' — handle it, then call
 * finishInbound; 'seen' — handled before (a redelivery); 'busy' — a live process is handling it
 * right now (a redelivery that overtook the first delivery: Telegram must try again later).
 * A claim whose process is dead (no heartbeat since `aliveSince`, or restarted: registerInstance
 * drops its previous lives) is taken over: a turn cut by SIGKILL is handled again when Telegram
 * redelivers it, instead of being swallowed. `retakeOwn`: this process holds the claim but is not
 * running the turn (it failed before it could release the claim).
 */
export async function claimInbound(
  db: Db,
  key: string,
  now: Date,
  claimant: { owner: string; aliveSince: Date; retakeOwn: boolean },
): Promise<InboundClaim> {
  const at = now.toISOString();
  const inserted = await db.run(
    "INSERT INTO processed_inbound (source, key, at, handled_by) VALUES ('telegram', ?, ?, ?) ON CONFLICT (source, key) DO NOTHING",
    [key, at, claimant.owner],
  );
  if (inserted.changes > 0) return 'fresh';
  const taken = await db.run(
    `UPDATE processed_inbound SET handled_by = ?, at = ?
      WHERE source = 'telegram' AND key = ? AND handled_by IS NOT NULL
        AND ((handled_by <> ? AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = processed_inbound.handled_by AND i.heartbeat_at >= ?))
             OR (handled_by = ? AND ? = 1))`,
    [claimant.owner, at, key, claimant.owner, claimant.aliveSince.toISOString(), claimant.owner, claimant.retakeOwn ? 1 : 0],
  );
  if (taken.changes > 0) return 'fresh';
  const row = await db.get<{ handledBy: string | null }>("SELECT handled_by AS handledBy FROM processed_inbound WHERE source = 'telegram' AND key = ?", [key]);
  return row?.handledBy ? 'busy' : 'seen';
}

/** The turn's replies are queued: the update counts as handled. */
export async function finishInbound(db: Db, key: string, owner: string): Promise<void> {
  await db.run("UPDATE processed_inbound SET handled_by = NULL WHERE source = 'telegram' AND key = ? AND handled_by = ?", [key, owner]);
}

/** The turn failed before its replies were queued: a redelivery handles the update again. */
export async function releaseInbound(db: Db, key: string, owner: string): Promise<void> {
  await db.run("DELETE FROM processed_inbound WHERE source = 'telegram' AND key = ? AND handled_by = ?", [key, owner]);
}

export async function rememberCaseMessage(db: Db, chatId: string, messageId: number, caseCode: string, now: Date): Promise<void> {
  await db.run(
    `INSERT INTO telegram_message_cases (chat_id, message_id, case_code, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (chat_id, message_id) DO UPDATE SET case_code = excluded.case_code`,
    [chatId, messageId, caseCode, now.toISOString()],
  );
}

export async function caseCodeForMessage(db: Db, chatId: string, messageId: number): Promise<string | null> {
  const row = await db.get<{ code: string }>('SELECT case_code AS code FROM telegram_message_cases WHERE chat_id = ? AND message_id = ?', [
    chatId,
    messageId,
  ]);
  return row?.code ?? null;
}

export async function saveCallbackPayload(db: Db, token: string, payload: string, now: Date): Promise<void> {
  await db.run('INSERT INTO telegram_callbacks (token, payload, created_at) VALUES (?, ?, ?) ON CONFLICT (token) DO NOTHING', [
    token,
    payload,
    now.toISOString(),
  ]);
}

export async function loadCallbackPayload(db: Db, token: string): Promise<string | null> {
  const row = await db.get<{ payload: string }>('SELECT payload FROM telegram_callbacks WHERE token = ?', [token]);
  return row?.payload ?? null;
}

/** The chat's explicit language choice (/lang, stored by the engine), if any. */
export async function chatLocale(db: Db, chatId: string): Promise<Locale | null> {
  const row = await db.get<{ locale: string | null }>("SELECT locale FROM conversations WHERE channel = 'telegram' AND chat_id = ?", [chatId]);
  return row?.locale === 'zh' || row?.locale === 'en' ? row.locale : null;
}

export async function caseCodeById(db: Db, caseId: number): Promise<string | null> {
  const row = await db.get<{ code: string }>('SELECT code FROM cases WHERE id = ?', [caseId]);
  return row?.code ?? null;
}

/** Codes of the chat's cases marked 联系不上 (state or flag): its citizen could not be reached. */
export async function unreachableCaseCodesOfChat(db: Db, chatId: string): Promise<string[]> {
  const rows = await db.all<{ code: string }>(
    "SELECT code FROM cases WHERE channel = 'telegram' AND chat_id = ? AND (unreachable = 1 OR state = 'unreachable') ORDER BY id",
    [chatId],
  );
  return rows.map((r) => r.code);
}

/** Fallback when the case desk refuses the 'unreachable' transition (e.g. the case is already closed). */
export async function flagCaseUnreachable(db: Db, caseCode: string, now: Date): Promise<void> {
  await db.run('UPDATE cases SET unreachable = 1, updated_at = ? WHERE code = ?', [now.toISOString(), caseCode]);
}

/** What moving a chat to its new id changed, per table (all 0: moved before, or nothing was kept under the old id). */
export interface ChatMove {
  conversation: number;
  cases: number;
  outbox: number;
  messageCases: number;
  messages: number;
}

/**
 * A group upgraded to a supergroup has a new chat id (the "group moved" service message): everything kept under the
 * old id moves to the new one in one transaction — the chat's conversation (its language and state), its cases' chat
 * reference, answers still to be sent, the bot message → case map behind reply-to, and its message log. Idempotent:
 * a second call finds nothing under the old id. When the new id already has a conversation (a message in the
 * supergroup came first), that one is kept, with the old one's language if it had none.
 */
export async function moveTelegramChat(db: Db, from: string, to: string, now: Date): Promise<ChatMove> {
  return db.transaction(async (tx) => {
    const at = now.toISOString();
    const target = await tx.get<{ locale: string | null }>("SELECT locale FROM conversations WHERE channel = 'telegram' AND chat_id = ?", [to]);
    let conversation: number;
    if (target) {
      conversation = (
        await tx.run(
          `UPDATE conversations SET locale = (SELECT o.locale FROM conversations o WHERE o.channel = 'telegram' AND o.chat_id = ?), updated_at = ?
            WHERE channel = 'telegram' AND chat_id = ? AND locale IS NULL
              AND EXISTS (SELECT 1 FROM conversations o WHERE o.channel = 'telegram' AND o.chat_id = ? AND o.locale IS NOT NULL)`,
          [from, at, to, from],
        )
      ).changes;
      conversation += (await tx.run("DELETE FROM conversations WHERE channel = 'telegram' AND chat_id = ?", [from])).changes;
    } else {
      conversation = (await tx.run("UPDATE conversations SET chat_id = ?, updated_at = ? WHERE channel = 'telegram' AND chat_id = ?", [to, at, from])).changes;
    }
    const cases = (await tx.run("UPDATE cases SET chat_id = ?, updated_at = ? WHERE channel = 'telegram' AND chat_id = ?", [to, at, from])).changes;
    const outbox = (await tx.run("UPDATE outbox SET address = ? WHERE target = 'telegram' AND address = ? AND state IN ('pending', 'sending')", [to, from])).changes;
    // (chat_id, message_id) is the key: a message id the new chat already maps keeps its own row.
    const messageCases = (
      await tx.run(
        `UPDATE telegram_message_cases SET chat_id = ? WHERE chat_id = ?
           AND NOT EXISTS (SELECT 1 FROM telegram_message_cases n WHERE n.chat_id = ? AND n.message_id = telegram_message_cases.message_id)`,
        [to, from, to],
      )
    ).changes;
    await tx.run('DELETE FROM telegram_message_cases WHERE chat_id = ?', [from]);
    const messages = (await tx.run("UPDATE messages SET chat_id = ? WHERE channel = 'telegram' AND chat_id = ?", [to, from])).changes;
    return { conversation, cases, outbox, messageCases, messages };
  });
}

/** Drops map rows and long button payloads older than `before` (called by retention); how many of each went. */
export async function purgeTelegramState(db: Db, before: Date, now: Date): Promise<{ messageCases: number; callbacks: number }> {
  const cutoff = before.toISOString();
  return db.transaction(async (tx) => {
    const messageCases = (await tx.run('DELETE FROM telegram_message_cases WHERE created_at < ?', [cutoff])).changes;
    const callbacks = (await tx.run('DELETE FROM telegram_callbacks WHERE created_at < ?', [cutoff])).changes;
    // Marked with the deletes (erased-bytes.ts): a crash before the rewrite leaves the mark.
    await markRewritesNeeded(tx, [...(messageCases > 0 ? ['telegram_message_cases'] : []), ...(callbacks > 0 ? ['telegram_callbacks'] : [])], now);
    return { messageCases, callbacks };
  });
}
