import { maskContact } from '../cases/contact.js';
import type { CaseRecord } from '../cases/types.js';
import type { Button, Reply } from '../types.js';
import { button, logDecision, say, type TurnContext } from './context.js';
import { readPhoneAnswer } from './contact-reply.js';
import { openHandoff } from './handoff.js';

/**
 * A phone given after the filing ended without one — "我的电话是139…", the number alone, "my phone is …", or on
 * Telegram the parent's own contact card: it goes onto the chat's open case that has no contact (the parent is asked
 * which when several have none), said back masked; staff see it on the case card and in its thread (desk addContact).
 * Someone else's contact card is never taken (only `sharedContact.own`).
 */

/** The number said to be the parent's own, with other words around it ("刚才忘了留电话，我的电话是139…"). */
const OWN_PHONE = /(?:我|本人)的?(?:联系)?(?:电话|手机号?|号码|联系方式)|\bmy\s+(?:phone|mobile|cell|number|contact)/iu;

/**
 * A request to be called back ("请回电", "给我回个电话", "电话联系我", "call me back") or for a person ("转人工"); a call that
 * did not come ("一直不回电话") is no request. With a number it makes the number the parent's own: onto their open case, or a case of its own.
 */
const CALLBACK = /(?<![不没未别])(?:回电|回个?电话|(?:打|拨)个?电话给我|给我(?:打|拨)个?电话|电话联系我|打我的?电话|联系我|转人工)|\b(?:call|ring|phone)\s+me\b|\bcall\s*back\b/iu;

export interface LatePhone {
  phone: string;
  /** The whole message when it says more than the number: added to the case as the parent's follow-up, not lost. */
  note: string | null;
  /** The message asks to be called back (or for a person, 转人工): with no open case it becomes a case of its own. */
  callback?: boolean;
}

/** The phone the message gives as the parent's contact, or null (a question, a petition, someone else's number). */
export function latePhone(ctx: TurnContext, intent: string): LatePhone | null {
  const { incoming } = ctx;
  if (incoming.sharedContact !== undefined) {
    // Only the parent's own card with a mainland number (the adapter read it from its international form).
    const { own, phone } = incoming.sharedContact;
    return own && phone ? { phone, note: null, callback: false } : null;
  }
  const answer = readPhoneAnswer(incoming.text);
  if (!answer) return null;
  // By its words, not the intent alone: "我的电话是139…" reads as 转人工 to the intent rules but asks for no call.
  const callback = intent !== 'petition' && CALLBACK.test(incoming.text);
  if (answer.note === null) return { phone: answer.phone, note: null, callback };
  // A new petition that happens to give a number ("我要投诉…电话139…") is filed as one, with its number offered then.
  return (OWN_PHONE.test(incoming.text) || callback) && intent !== 'petition' ? { phone: answer.phone, note: incoming.text.trim(), callback } : null;
}

const openCases = (ctx: TurnContext): Promise<CaseRecord[]> => ctx.deps.cases.openCasesOfChat({ channel: ctx.incoming.channel, chatId: ctx.incoming.chatId });

/**
 * The late phone taken: onto the one open case without a contact, or the parent asked which. Null when the chat has
 * no case without a contact and the message said more than the number (then it is routed as the request it also
 * is), or it was a contact card and the chat has no open case.
 */
export async function takeLatePhone(ctx: TurnContext, late: LatePhone): Promise<Reply[] | null> {
  const open = await openCases(ctx);
  const without = open.filter((r) => !r.contact);
  const masked = maskContact(late.phone);
  // A reply to one case's message (Telegram) is about that case: its phone, or routed as the reply it is.
  const replied = ctx.incoming.replyToCaseCode;
  if (replied) return without.some((r) => r.code === replied) ? attachLatePhone(ctx, late, replied) : null;
  if (without.length === 1) return attachLatePhone(ctx, late, without[0]!.code);
  if (without.length > 1) {
    // Held without the flag: a call-back request's words are its note (they reach staff with the number).
    ctx.state.lateContact = { phone: late.phone, note: late.callback ? ctx.incoming.text.trim() : late.note, codes: without.map((r) => r.code) };
    const rows: Button[][] = without.map((r) => [button(ctx, 'button.phoneTo', { kind: 'add-to-case', caseCode: r.code }, { code: r.code })]);
    rows.push([button(ctx, 'button.phoneNotKept', { kind: 'cancel' })]);
    return [say(ctx, 'lateContact.which', { phone: masked }, rows)];
  }
  // A call back asked for with no case open: a case of its own (转人工) with the number as its contact, the code said
  // once it is committed; never a knowledge answer to the words around the number.
  if (late.callback && open.length === 0) return openHandoff(ctx, undefined, { phone: late.phone });
  // A card shared with no case open is answered as any card is (router: contactShared).
  if (late.note !== null || (ctx.incoming.sharedContact !== undefined && open.length === 0)) return null;
  await logDecision(ctx, 'contact');
  if (open.length > 0) return [say(ctx, 'lateContact.hasContact', { phone: masked, codes: open.map((r) => r.code).join('、') })];
  return [say(ctx, 'lateContact.noCase', { phone: masked }, [[button(ctx, 'button.file', { kind: 'menu', item: 'file' })], [button(ctx, 'button.human', { kind: 'menu', item: 'human' })]])];
}

/** The answer to "电话记入哪一件？": a case's button takes the held phone; 不用保存 (or anything else) drops it. */
export async function onHeldLatePhone(ctx: TurnContext, held: LatePhone & { codes: string[] }): Promise<Reply[] | null> {
  const { action } = ctx.incoming;
  if (action?.kind === 'add-to-case' && held.codes.includes(action.caseCode)) return attachLatePhone(ctx, held, action.caseCode);
  if (action?.kind === 'cancel' && !action.of) return [say(ctx, 'lateContact.notKept', { phone: maskContact(held.phone) })];
  return null;
}

async function attachLatePhone(ctx: TurnContext, late: LatePhone, code: string): Promise<Reply[]> {
  await logDecision(ctx, 'contact');
  const masked = maskContact(late.phone);
  const { cases } = ctx.deps;
  // A desk without addContact (a test double): staff still get the number, as the parent's follow-up.
  const updated = cases.addContact ? await cases.addContact(code, late.phone, 'citizen') : null;
  // A call-back request reaches staff as asked ("请回电 139…"), not as the bare number.
  const followUp = late.callback === true ? ctx.incoming.text.trim() : late.note;
  if (followUp !== null || !cases.addContact) await cases.addFollowUp(code, followUp ?? late.phone, 'citizen');
  // Raced: the case closed or got a contact since the list was read.
  if (cases.addContact && !updated) return [{ ...say(ctx, 'lateContact.hasContact', { phone: masked, codes: code }), caseCode: code }];
  return [{ ...say(ctx, 'lateContact.attached', { phone: masked, code }), caseCode: code }];
}
