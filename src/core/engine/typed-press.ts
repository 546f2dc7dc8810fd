import type { Button, Incoming, Reply } from '../types.js';

/**
 * A button's label typed instead of pressed ("就用这个号码", "不留电话", "确认提交", "★★★★★ 非常满意", "English"): the
 * press. The engine keeps the buttons its last turn offered (state `offered`, the very labels shown, in the language
 * they were shown in) and reads the next typed message against them here, so Telegram, the web chat and the console
 * behave alike and a label can never be matched that was not shown.
 *
 * The rule follows from what an offer is: a set of distinct whole phrases, some of which contain others ("满意" and
 * "不满意", "取消" and "取消撤回"). A message is a press only when it IS one of them — the same words once the
 * message and the label are both read in their plain form (NFKC: full-width letters and punctuation as half-width;
 * letter case ignored; spaces, punctuation and symbols around the words dropped, so "  就用这个号码。" and
 * "【不留电话】" count, and a label's leading stars are not needed). A longer message that merely contains a label says
 * something else ("就用这个号码吗？我换号了", "不留电话，白天打138…") and is read by the step as text. A question mark
 * the label does not have makes the words a question about the offer, not a press ("就用这个号码？").
 */

/** Stored per offer; more buttons than this in one turn (a long list of alternatives) keep only the last ones. */
export const OFFERED_MAX = 30;
const LABEL_MAX = 200;
const EDGES = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;
const QUESTION_MARK = /[?¿]/u;

/** The plain form a typed message and a label are compared in. */
export function plainLabel(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(EDGES, '').replace(/\s+/gu, ' ');
}

/** The buttons of a turn's replies, in the order shown, as the next turn may read them typed. */
export function offeredButtons(replies: readonly Reply[]): Button[] {
  const all = replies.flatMap((reply) => (reply.buttons ?? []).flat());
  return all.filter((b) => b.label.length <= LABEL_MAX && plainLabel(b.label) !== '').slice(-OFFERED_MAX);
}

/**
 * The offered button a typed message is, or null. Two offered buttons with the same words and different meanings (an
 * aside's 取消 above the step's 取消): the one shown last, the step the parent is answering.
 */
export function typedPress(text: string, offered: readonly Button[] | undefined): Button | null {
  if (!offered || offered.length === 0) return null;
  const typed = plainLabel(text);
  if (typed === '') return null;
  const asks = QUESTION_MARK.test(text.normalize('NFKC'));
  for (const candidate of [...offered].reverse()) {
    if (plainLabel(candidate.label) !== typed) continue;
    if (asks && !QUESTION_MARK.test(candidate.label.normalize('NFKC'))) return null;
    return candidate;
  }
  return null;
}

/** Whether an incoming message is typed words the step could read as a press (not a button, command, file, card or edit). */
export function isTypedWords(incoming: Incoming): boolean {
  return !incoming.action && !incoming.command && !incoming.attachment && !incoming.edited && !incoming.sharedContact && !incoming.sharedChat && !incoming.forwarded;
}
