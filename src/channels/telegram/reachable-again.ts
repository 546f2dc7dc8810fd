import '../../core/i18n/telegram.js';
import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';
import type { Db } from '../../storage/db.js';
import { requeueUndeliveredCaseMessages } from '../../storage/outbox-repo.js';
import { unreachableCaseCodesOfChat } from '../../storage/telegram-repo.js';
import type { UndeliveredDesk } from '../shared/undelivered.js';

/**
 * A chat whose cases were marked 联系不上 (a case message got 403: the parent had blocked the bot) sent something
 * again: the parent unblocked it. Their case messages that died on it are queued again (they go out before this
 * turn's answer), and each flagged case leaves 联系不上, with a note staff see in the case thread (a phone in the
 * message is then the engine's to take, late-contact.ts, so the parent is told what was kept). Null when the chat
 * has no such case (the usual path: one indexed read); else how many messages were queued again (0: none had died,
 * the cases are left to the desk's follow-up path).
 */
export async function reachableAgain(
  deps: { db: Db; cases?: UndeliveredDesk; now: () => Date; locale: Locale },
  chatId: string,
): Promise<number | null> {
  const codes = await unreachableCaseCodesOfChat(deps.db, chatId);
  if (codes.length === 0) return null;
  const requeued = await requeueUndeliveredCaseMessages(deps.db, 'telegram', chatId, deps.now());
  // Nothing died on a block: the 联系不上 was staff's (no answer on the phone), and the parent's reply to it is a
  // follow-up the desk handles itself (addFollowUp → leaveUnreachable: back to the state before, "不能再按联系不上办结").
  if (requeued === 0) return 0;
  const note = t(deps.locale, 'telegram.reachable_again', { count: requeued });
  for (const code of codes) await deps.cases?.recordReachable?.(code, note, 'system');
  return requeued;
}
