import { t } from '../i18n/index.js';
import '../i18n/intake.js';
import { detectIntent } from '../intents/index.js';
import { objectButton } from '../cases/messages.js';
import { findCaseCode } from '../cases/case-code.js';
import type { CaseRecord } from '../cases/types.js';
import type { ButtonPayload, Reply } from '../types.js';
import type { FilingState } from './state.js';
import { answerAlternative, answerQuestion, recordFeedback } from './answer.js';
import { logDecision, say, tr, type TurnContext } from './context.js';
import { filingRef, prompt } from './filing-prompts.js';
import { tk } from './intake-text.js';
import { onEditedMessage } from './edited.js';
import { addForwarded, asideInFiling, asideThenResume, resumeFiling, chooseInFiling, continueFiling, hasSubstance, holdNextPetition, petitionContent, pickType, resentInFiling, skipContact, startFiling, startNextPetition, submitFiling, takeContactCard } from './filing.js';
import { alreadyFiled } from './resent.js';
import { isObjection, objectionTarget, reopenWithReason, startObjection } from './objection.js';
import { addReopenDetails, awaitsStaff, endHandoff, followUpCase, forwardToHandoff, isWaitingHandoff, openHandoff } from './handoff.js';
import { eraseAnswer } from './erase-reply.js';
import { erasePersonalData, eraseButtons, greet, helpMenu, localeFromText, privacyInfo, setLanguage } from './menu.js';
import { takeUpStaffReopen } from './staff-reopen.js';
import { asksToWithdraw, offerWithdraw, withdrawAnswer, withdrawCase } from './withdraw.js';
import { readPhoneAnswer } from './contact-reply.js';
import { latePhone, onHeldLatePhone, takeLatePhone } from './late-contact.js';
import { addToOpenCase, attachHeld } from './addendum.js';
import { dropHeld, offerForClosedCase, onClosedAdditionChoice } from './closed-addition.js';
import { listOwnCases, offerRating, ownCase, rateCase, ratedSinceClosing, ratingLabel, ratingWord, starsOffScale, statusByCode, typedStars } from './status.js';
import { privateWelcome, routeSharedChat, topicFromLink } from './shared-chat.js';

/**
 * Where one turn goes: a button, a command, the open flow (filing), the open
 * handoff, a reply to a case message, else the detected intent.
 */
const COMMANDS: Record<string, ButtonPayload> = {
  start: { kind: 'menu', item: 'help' },
  help: { kind: 'menu', item: 'help' },
  menu: { kind: 'menu', item: 'help' },
  case: { kind: 'menu', item: 'file' },
  file: { kind: 'menu', item: 'file' },
  status: { kind: 'menu', item: 'status' },
  privacy: { kind: 'menu', item: 'privacy' },
  human: { kind: 'menu', item: 'human' },
  cancel: { kind: 'cancel' },
};

/** Requests answered in the middle of a filing (then the flow goes on) rather than read as its phone or choice. */
const ASIDE_DURING_FILING = new Set(['status', 'privacy', 'help']);

/**
 * After the parent's objection (or staff) reopened a case: messages read as these (details, a question, asking for a person)
 * are added to that case while it waits for staff; a new petition, status, privacy, help, thanks … are handled as
 * themselves.
 */
const DETAILS_AFTER_REOPEN = new Set(['kb', 'human']);

/** Intents the bot answers itself while a handoff waits (取消 is handled before: it ends the handoff). */
const HANDLED_DURING_HANDOFF = new Set(['status', 'privacy']);

export async function route(ctx: TurnContext): Promise<Reply[]> {
  const { incoming, state } = ctx;
  const erasePending = state.erase;
  // The privacy prompt's answer typed instead of pressed: "确认", "好的，删除吧", "确认删除" erase; "不删了" keeps.
  if (erasePending && !state.filing && !incoming.sharedChat && !incoming.action && !incoming.command && !incoming.attachment && !incoming.edited && !incoming.sharedContact) {
    const answer = eraseAnswer(incoming.text);
    if (answer === 'confirm') return erasePersonalData(ctx);
    if (answer === 'keep') {
      delete state.erase;
      return [say(ctx, 'privacy.kept')];
    }
  }
  const replies = await routeMessage(ctx);
  // Anything else is answered as itself, but never with the erase silently dropped: once, the parent is told it
  // was not done and offered the buttons again (a filing started meanwhile: after it).
  if (erasePending !== true || state.erase !== undefined || ctx.skipSave || incoming.action || incoming.sharedChat) return replies;
  if (state.filing) return [say(ctx, 'privacy.notDoneFiling'), ...replies];
  state.erase = 'reminded';
  return [say(ctx, 'privacy.notDone', {}, eraseButtons(ctx)), ...replies];
}

async function routeMessage(ctx: TurnContext): Promise<Reply[]> {
  const { incoming, state } = ctx;
  // A group chat: questions only; everything personal goes to a private chat (shared-chat.ts).
  if (incoming.sharedChat) return routeSharedChat(ctx);
  // An edit of an earlier message is no new message: the offers of the last turn (stars, 撤回, …) still stand.
  if (incoming.edited) return onEditedMessage(ctx);
  const attachment = incoming.attachment;
  if (!attachment) return routeTurn(ctx);
  // A photo, file or recording: counted on the filing in progress (or the one its caption starts), so the case tells
  // staff the parent has material; one album is answered once, not once per photo.
  const sameAlbum = attachment.album !== undefined && state.lastAlbum === attachment.album;
  if (attachment.album) state.lastAlbum = attachment.album;
  else delete state.lastAlbum;
  const replies = incoming.text === '' ? (sameAlbum ? [] : attachmentOnly(ctx)) : await routeTurn(ctx);
  if (attachment.evidence && state.filing) state.filing.attachments = (state.filing.attachments ?? 0) + 1;
  return replies;
}

/** An attachment without words: during a filing, that it is noted for staff and the step's prompt again. */
function attachmentOnly(ctx: TurnContext): Reply[] {
  const { filing } = ctx.state;
  if (!filing) return [{ text: tk(ctx, 'attachment.unread') }];
  const noted = ctx.incoming.attachment?.evidence ? tk(ctx, 'attachment.noted') : tk(ctx, 'attachment.unread');
  return [{ text: noted }, prompt(ctx, filing)];
}

async function routeTurn(ctx: TurnContext): Promise<Reply[]> {
  const { incoming, state } = ctx;
  // Stars offered last turn: only the very next message may be a bare digit meaning stars.
  const ratingOffered = state.rating;
  delete state.rating;
  // 确认撤回 offered last turn: only the very next button or message may confirm (or cancel) it.
  const withdrawOffered = state.withdraw;
  delete state.withdraw;
  // Which case an objection was about, asked last turn: only the very next press of the objection button answers it.
  const objectionHeld = state.objectionHeld;
  delete state.objectionHeld;
  // A message held last turn while the parent was asked which case it adds to (or whether it is a 补正).
  const addendumHeld = state.addendum;
  delete state.addendum;
  if (addendumHeld && !state.filing) {
    const held = await onHeldAddendum(ctx, addendumHeld);
    if (held) return held;
  }
  // An addition to a closed case held last turn while the parent chooses what becomes of it (closed-addition.ts).
  const closedHeld = state.closedAddition;
  delete state.closedAddition;
  if (incoming.action?.kind === 'closed-addition') return onClosedAdditionChoice(ctx, incoming.action.choice, incoming.action.caseCode, closedHeld);
  if (withdrawOffered && !state.filing && !state.erase) {
    // A confirm or cancel shown for another step (an old 确认提交, another case's 撤回) is stale: the offer still stands.
    if (boundElsewhere(incoming.action, withdrawOffered)) {
      state.withdraw = withdrawOffered;
      return [say(ctx, 'buttonStale')];
    }
    // "撤回 XH-…-000001" while another case's withdrawal is asked: a request about that case, never a yes to this one.
    const namesOther = (findCaseCode(incoming.text) ?? withdrawOffered) !== withdrawOffered;
    const typed = incoming.action || namesOther ? undefined : withdrawAnswer(incoming.text, detectIntent(ctx.deps.intents, incoming.text).intent === 'cancel');
    const kind = incoming.action?.kind ?? typed;
    if (kind === 'confirm') return withdrawCase(ctx, withdrawOffered);
    if (kind === 'cancel' || kind === 'keep') return [say(ctx, 'withdraw.kept', { code: withdrawOffered })];
  }
  // A phone given after filing, waiting for the parent to say which case it goes to: only the very next button.
  const lateContactHeld = state.lateContact;
  delete state.lateContact;
  if (lateContactHeld && !state.filing) {
    const held = await onHeldLatePhone(ctx, lateContactHeld);
    if (held) return held;
  }
  if (incoming.action) return onAction(ctx, incoming.action, objectionHeld);
  // A contact card shared when the phone is asked for is the phone (the parent's own card only, takeContactCard); after
  // filing the parent's own card goes onto their open case without a phone (late-contact.ts); any other card is not kept.
  if (incoming.sharedContact !== undefined) {
    if (state.filing?.step === 'contact') return takeContactCard(ctx, state.filing, incoming.sharedContact);
    const card = state.filing ? null : latePhone(ctx, 'contact');
    return (card && (await takeLatePhone(ctx, card))) || [say(ctx, 'contactShared')];
  }
  const command = incoming.command?.toLowerCase();
  if (command === 'lang') return setLanguage(ctx, localeFromText(incoming.text.replace(/^\/?lang/i, '')));
  // `/start file` …: a group's deep link opening the request the parent began there.
  const linked = command === 'start' ? topicFromLink(incoming.text) : null;
  if (linked) return [privateWelcome(ctx), ...(await openFromLink(ctx, linked))];
  if (command === 'status' || command === 'rate') {
    const code = detectIntent(ctx.deps.intents, incoming.text).caseCode;
    if (command === 'rate') return offerRating(ctx, code);
    const status = await (code ? statusByCode(ctx, code) : listOwnCases(ctx));
    return state.filing ? asideThenResume(ctx, state.filing, status) : status;
  }
  const withWords = command && !state.filing ? await commandWithWords(ctx, command) : null;
  if (withWords) return withWords;
  const mapped = command ? COMMANDS[command] : undefined;
  if (mapped) return onAction(ctx, mapped);

  const detected = detectIntent(ctx.deps.intents, incoming.text);
  if (detected.intent === 'language') return setLanguage(ctx, localeFromText(incoming.text));
  if (detected.intent === 'cancel' && closedHeld && !state.filing) return dropHeld(ctx, closedHeld.code);
  if (detected.intent === 'cancel') return cancel(ctx);
  // Asking for a person once the content is in (not while describing it, where any words are the content)
  // leaves the filing for a handoff; the lines typed so far go to the staff with it.
  // openHandoff takes what was not yet submitted (and a held second petition) to staff with it.
  // A phone given when it is asked for ("请打电话给我 138…", "我的电话是138…"), or a number alone sent at the confirm step
  // to change it, answers the step, whatever else it reads as.
  // A forwarded message (a school's notice sent as evidence) while a phone or the confirm is asked: its number is
  // someone else's, never the parent's; the message goes into the petition whole and the step is asked again.
  if (state.filing && incoming.forwarded && (state.filing.step === 'contact' || state.filing.step === 'confirm')) return addForwarded(ctx, state.filing, incoming.text);
  const phoneRead = state.filing?.step === 'contact' || state.filing?.step === 'confirm' ? readPhoneAnswer(incoming.text) : null;
  const phoneAnswer = phoneRead !== null && (state.filing?.step === 'contact' || phoneRead.note === null);
  if (state.filing && detected.intent === 'human' && state.filing.step !== 'content' && !phoneAnswer) return openHandoff(ctx, detected.caseType);
  if (state.filing) {
    const filing = state.filing;
    if (ASIDE_DURING_FILING.has(detected.intent) && !phoneAnswer) {
      const note = detected.intent === 'privacy' ? tr(ctx, 'privacy.afterFiling') : undefined;
      const aside = await asideInFiling(ctx, filing, () => onIntent(ctx, detected), note);
      // The erase waits for the filing to end (its 确认 would confirm the filing instead).
      delete state.erase;
      if (aside) return aside;
    }
    // The same petition sent again (a resend) is not "另一条诉求": said so, the step goes on.
    const resent = resentInFiling(ctx, filing, incoming.text);
    if (resent) return resent;
    await logDecision(ctx, 'petition');
    const held = detected.intent === 'petition' && hasSubstance(incoming.text) ? holdNextPetition(ctx, filing, incoming.text) : null;
    return held ?? continueFiling(ctx, filing, incoming.text);
  }
  // "我的电话是139…", the number alone, "my phone is …" after a case was filed without one: onto that case.
  const late = state.objection ? null : latePhone(ctx, detected.intent);
  if (late) {
    const taken = await takeLatePhone(ctx, late);
    if (taken) return taken;
  }
  if (state.handoff) {
    const record = await ownCase(ctx, state.handoff);
    if (!isWaitingHandoff(record)) delete state.handoff;
    // Status and privacy requests are the parent talking to the bot, not to staff: answered as themselves.
    else if (!HANDLED_DURING_HANDOFF.has(detected.intent)) return forwardToHandoff(ctx, record.code);
  }
  delete state.erase;
  // A case staff reopened since the last turn (the parent was told through the outbox): its details come next.
  if (!state.reopened) await takeUpStaffReopen(ctx);
  // Before the objection check: details of a reopened case often say 没解决 again, about this case.
  if (state.reopened && !asksToWithdraw(incoming.text)) {
    const record = await ownCase(ctx, state.reopened);
    if (!awaitsStaff(record)) delete state.reopened;
    else {
      const handled = await whileReopened(ctx, record, detected, ratingOffered);
      if (handled) return handled;
    }
  }
  const settled = await afterClosing(ctx, ratingOffered);
  if (settled) return settled;
  if (asksToWithdraw(incoming.text)) return offerWithdraw(ctx, detected.caseCode);
  if (incoming.replyToCaseCode) {
    const record = await ownCase(ctx, incoming.replyToCaseCode);
    if (record && record.state !== 'withdrawn') return followUpCase(ctx, record);
  }
  // 补充 typed after filing, or the 补正 a disclosure request waits for: added to the chat's open case.
  const added = await addToOpenCase(ctx, detected);
  if (added) return added;
  // 补充 typed with no case open but one closed: the parent chooses what becomes of it, nothing is lost.
  const offered = await offerForClosedCase(ctx, detected);
  if (offered) return offered;
  return onIntent(ctx, detected);
}

/**
 * The answer to "which case does this add to / is this the 补正?": a case's button (or its code typed alone) adds the
 * held message to it; 这是新问题 (or 取消) answers the held message as the question it is. Null: anything else,
 * routed as usual (the held message was the parent's to resend).
 */
async function onHeldAddendum(ctx: TurnContext, held: { text: string; codes: string[] }): Promise<Reply[] | null> {
  const { incoming } = ctx;
  if (incoming.action?.kind === 'add-to-case') return attachHeld(ctx, held, incoming.action.caseCode);
  const typed = incoming.action ? undefined : detectIntent(ctx.deps.intents, incoming.text);
  const typedCode = typed?.caseCode && incoming.text.replace(/[\s。.!！]/gu, '').length <= 20 ? typed.caseCode : undefined;
  if (typedCode && held.codes.includes(typedCode)) return attachHeld(ctx, held, typedCode);
  if (incoming.action?.kind === 'cancel' || typed?.intent === 'cancel') {
    const asked: TurnContext = { ...ctx, incoming: { ...incoming, text: held.text, action: undefined } };
    return onIntent(asked, detectIntent(ctx.deps.intents, held.text));
  }
  return null;
}

/**
 * A message while the reopened case waits for staff. Stars (typed in any form, or sent while stars are offered) and
 * the reason for a pending objection belong to the closed case they are about; an objection naming another closed
 * case is an objection to it, and one naming none while another case is still open to objection asks which case.
 * A question the knowledge base answers outright is answered (the parent must not wait days for it) and noted on
 * the reopened case; other details and 转人工 are added to it. Null: handled as usual.
 */
async function whileReopened(ctx: TurnContext, reopened: CaseRecord, detected: ReturnType<typeof detectIntent>, ratingOffered: string | undefined): Promise<Reply[] | null> {
  const { incoming, state } = ctx;
  if (!/[\p{L}\p{N}]/u.test(incoming.text)) return null;
  // A reply to the reopened case's own message ("还是没解决…") is its details, not an objection to another case.
  if (incoming.replyToCaseCode === reopened.code && typedStars(ctx, incoming.text, false) === null) return addReopenDetails(ctx, reopened.code);
  if (incoming.replyToCaseCode) return null;
  if (state.objection || ratingOffered || typedStars(ctx, incoming.text, true) !== null || ratingLabel(ctx, incoming.text) !== null) {
    const settled = await afterClosing(ctx, ratingOffered);
    if (settled) return settled;
  }
  // "诉求 A 还是没解决…" names the reopened case (read as a status query otherwise): its details, as the which-case question asks.
  if (isObjection(incoming.text) && detected.caseCode === reopened.code) return addReopenDetails(ctx, reopened.code);
  if (isObjection(incoming.text)) {
    const named = detected.caseCode ? await ownCase(ctx, detected.caseCode) : null;
    if (named?.state === 'closed') return startObjection(ctx, named, incoming.text);
    const other = detected.caseCode ? null : await objectionTarget(ctx);
    if (other && closedWithin(ctx, other)) {
      state.objectionHeld = { code: other.code, text: incoming.text.trim().slice(0, 2000) };
      return [{ ...say(ctx, 'reopen.whichCase', { code: reopened.code, other: other.code }, [[objectButton(other)]]), caseCode: other.code }];
    }
  }
  if (!DETAILS_AFTER_REOPEN.has(detected.intent)) return null;
  if (detected.intent === 'kb') {
    const decision = ctx.deps.knowledge.current().decide(incoming.text);
    if (decision.kind === 'answer' && decision.confident) {
      const answer = await answerQuestion(ctx, incoming.text, decision);
      await ctx.deps.cases.addFollowUp(reopened.code, incoming.text, 'citizen');
      return [...answer, { ...say(ctx, 'reopen.alsoAdded', { code: reopened.code }), caseCode: reopened.code }];
    }
  }
  return addReopenDetails(ctx, reopened.code);
}

/** The parent's reason for an objection, typed stars, or "不满意" about a closed case of theirs. */
async function afterClosing(ctx: TurnContext, ratingOffered: string | undefined): Promise<Reply[] | null> {
  const { state, incoming } = ctx;
  if (state.objection) return reopenWithReason(ctx, state.objection, incoming.text);
  // A number alone means stars right after they were offered, or when the stars came with the closing message
  // (through the outbox, not this conversation) of a case closed within REOPEN_DAYS. One or two digits only: a
  // phone number or a year is not a rating.
  const bareNumber = /^(\d{1,2}|[零〇一二两三四五六七八九十]{1,2})[。.!！]*$/u.test(incoming.text.trim().normalize('NFKC'));
  // A level's own label ("非常满意", "满意", "very satisfied") counts as its stars when a number alone would.
  const label = ratingLabel(ctx, incoming.text);
  const stars = label ?? typedStars(ctx, incoming.text, Boolean(ratingOffered) || bareNumber);
  if (stars !== null) {
    const record = await objectionTarget(ctx, ratingOffered);
    const loose = bareNumber || label !== null;
    // "不满意" is the objection it also is (the parent wants the case looked at again), never a rating: stars
    // would count in the figures and could not be corrected.
    const objectsInstead = label !== null && isObjection(incoming.text) && record !== null;
    if (record && !objectsInstead && (!loose || ratingOffered || closedWithin(ctx, record)))
      return stars === 'off-scale' ? starsOffScale(ctx, record) : rateCase(ctx, record.code, stars, ratingWord(incoming.text) ?? undefined);
  }
  if (isObjection(incoming.text)) {
    const record = await objectionTarget(ctx, ratingOffered);
    if (record) return startObjection(ctx, record, incoming.text);
  }
  // Only emoji (👍, 😡, a star emoji the reading above did not take) while a rating is awaited — just offered, or a
  // closing message with its stars not yet answered: the stars again, rather than "我没看懂这条消息".
  if (!/[\p{L}\p{N}]/u.test(incoming.text) && /\S/u.test(incoming.text)) {
    const record = await objectionTarget(ctx, ratingOffered);
    const awaited = record && (ratingOffered === record.code || closedWithin(ctx, record)) && !(await ratedSinceClosing(ctx, record));
    if (awaited) {
      const [offer] = await offerRating(ctx, record.code);
      if (offer?.buttons) return [{ ...offer, text: tr(ctx, 'rate.again') }];
    }
  }
  return null;
}

function closedWithin(ctx: TurnContext, record: { closedAt: string | null }): boolean {
  if (!record.closedAt) return false;
  return ctx.at.getTime() - new Date(record.closedAt).getTime() <= ctx.deps.config.REOPEN_DAYS * 86_400_000;
}

async function onIntent(ctx: TurnContext, detected: ReturnType<typeof detectIntent>): Promise<Reply[]> {
  const text = ctx.incoming.text;
  // Only emoji or punctuation: nothing to look up or file; a short help instead of "file it as a case".
  if (detected.intent === 'kb' && !/[\p{L}\p{N}]/u.test(text)) {
    await logDecision(ctx, 'unreadable');
    return [say(ctx, 'noWords')];
  }
  if (detected.intent === 'kb') return answerQuestion(ctx, text);
  await logDecision(ctx, detected.intent);
  switch (detected.intent) {
    case 'greeting':
      return greet(ctx);
    case 'thanks':
      return [say(ctx, 'thanks')];
    case 'farewell':
      return [say(ctx, 'farewell')];
    case 'help':
      return helpMenu(ctx);
    case 'petition': {
      // The text of a case of this chat still open, sent again: that case's code, not a second case.
      const filed = await alreadyFiled(ctx, text);
      if (filed) return filed;
      const content = petitionContent(text, detected.caseType);
      return startFiling(ctx, { ...(detected.caseType ? { type: detected.caseType } : {}), ...(content ? { content } : {}) });
    }
    case 'human':
      return openHandoff(ctx, detected.caseType);
    case 'status':
      return detected.caseCode ? statusByCode(ctx, detected.caseCode) : listOwnCases(ctx);
    case 'rate':
      return offerRating(ctx, detected.caseCode);
    case 'privacy':
      return privacyInfo(ctx);
    default:
      return answerQuestion(ctx, text);
  }
}

async function cancel(ctx: TurnContext): Promise<Reply[]> {
  const { state } = ctx;
  await logDecision(ctx, 'cancel');
  if (state.filing) {
    const cancelled = state.filing;
    delete state.filing;
    return [say(ctx, 'file.cancelled'), ...startNextPetition(ctx, cancelled.next, cancelled.nextPhone)];
  }
  if (state.handoff) {
    const code = state.handoff;
    return endHandoff(ctx, code);
  }
  if (state.erase) {
    delete state.erase;
    return [say(ctx, 'privacy.kept')];
  }
  if (state.objection) {
    const code = state.objection;
    delete state.objection;
    return [{ text: t(ctx.locale, 'intake.object.cancelled', { code }) }];
  }
  // 取消 as the first answer to staff's reopen message: that reopening is taken up, and ended at once.
  if (!state.reopened) await takeUpStaffReopen(ctx);
  if (state.reopened) {
    const code = state.reopened;
    delete state.reopened;
    return [say(ctx, 'reopen.detailsEnded', { code })];
  }
  // "撤回投诉" with nothing in progress: the parent means a case already filed.
  if (asksToWithdraw(ctx.incoming.text)) return offerWithdraw(ctx, undefined);
  return [say(ctx, 'cancel.nothing')];
}

async function onAction(ctx: TurnContext, action: ButtonPayload, objectionHeld?: { code: string; text: string }): Promise<Reply[]> {
  const { state } = ctx;
  switch (action.kind) {
    case 'ask':
      return answerAlternative(ctx, action.entryId, action.section, action.questionId);
    case 'feedback':
      return recordFeedback(ctx, action.messageId, action.helpful);
    case 'file-case': {
      const message = await ctx.deps.store.getMessage(action.messageId);
      const own = message && message.chatId === ctx.incoming.chatId && message.channel === ctx.incoming.channel;
      // The text as asked (the conversation's copy) before the stored one, which has its numbers masked.
      const text = own ? (state.asked.find((a) => a.id === action.messageId)?.text ?? message.text) : undefined;
      return startFiling(ctx, { type: 'inquiry', ...(text ? { content: text } : {}), sourceMessageId: own ? action.messageId : null });
    }
    case 'case-type':
      return state.filing ? pickType(ctx, state.filing, action.type) : startFiling(ctx, { type: action.type });
    case 'skip':
      return state.filing ? skipContact(ctx, state.filing) : [say(ctx, 'buttonOver')];
    case 'confirm':
      // Unbound (a button sent before confirms named their step): whatever is pending.
      if (!action.of && state.filing) return submitFiling(ctx, state.filing);
      if (!action.of && state.erase) return erasePersonalData(ctx);
      if (action.of === 'file' && state.filing && action.ref === filingRef(state.filing)) return submitFiling(ctx, state.filing);
      if (action.of === 'erase' && state.erase && !state.filing) return erasePersonalData(ctx);
      // A second tap on 确认提交, a button of a flow that was cancelled, or one of another step than the pending one:
      // nothing is confirmed, and not "nothing to cancel".
      return [staleButton(ctx)];
    case 'cancel':
      if (!action.of) return cancel(ctx);
      if (action.of === 'file' && state.filing && action.ref === filingRef(state.filing)) return cancel(ctx);
      if (action.of === 'erase' && state.erase && !state.filing) {
        delete state.erase;
        return [say(ctx, 'privacy.kept')];
      }
      if (action.of === 'object' && state.objection && state.objection === action.ref) {
        delete state.objection;
        return [{ text: t(ctx.locale, 'intake.object.cancelled', { code: action.ref }) }];
      }
      return [staleButton(ctx)];
    case 'rate':
      return rateCase(ctx, action.caseCode, action.value);
    case 'add-to-case':
    case 'closed-addition':
      // Pressed after the question it answered was over (the held message was handled or another came first).
      return [say(ctx, 'buttonOver')];
    case 'reopen': {
      const record = await ownCase(ctx, action.caseCode);
      // Pressed right after "which case?": the message that asked it is the reason.
      const reason = objectionHeld?.code === action.caseCode ? objectionHeld.text : null;
      if (record?.state === 'closed') return startObjection(ctx, record, reason);
      return record ? objectionToOpenCase(ctx, record) : [{ text: t(ctx.locale, 'intake.object.none') }];
    }
    case 'choose':
      return state.filing ? chooseInFiling(ctx, state.filing, action.value) : [say(ctx, 'buttonOver')];
    case 'lang':
      return setLanguage(ctx, action.locale);
    case 'menu':
      return state.filing && action.item !== 'human' ? menuDuringFiling(ctx, state.filing, action.item) : onMenu(ctx, action.item);
  }
}

/** A confirm or cancel bound to another step than the withdrawal of `code` (an unbound one, or a message, is not). */
function boundElsewhere(action: ButtonPayload | undefined, code: string): boolean {
  if (!action || (action.kind !== 'confirm' && action.kind !== 'cancel') || !action.of) return false;
  return !(action.of === 'withdraw' && action.ref === code);
}

/**
 * Words typed after a command on the same line, as the command menu invites: "/case 我要投诉学校乱收费" starts the filing
 * with them as its description (the type asked next when they name none), "/case XH-2026-000001" is that case's status,
 * "/help 小学报名时间" and "/start 小学报名" give the help and answer the question. A /start payload of a link (ASCII
 * only, e.g. from another bot's deep link) is no question. Null: no words, the command alone.
 */
async function commandWithWords(ctx: TurnContext, command: string): Promise<Reply[] | null> {
  const words = ctx.incoming.text.trim();
  if (!/[\p{L}\p{N}]/u.test(words)) return null;
  if (command === 'case' || command === 'file') {
    const detected = detectIntent(ctx.deps.intents, words);
    if (detected.caseCode && words.replace(/[\s。.!！?？]/gu, '').length <= 20) return statusByCode(ctx, detected.caseCode);
    const content = petitionContent(words, detected.caseType) ?? (hasSubstance(`投诉${words}`) ? words : undefined);
    // As a petition typed without the command: the text of a case of this chat still open is that case, not a second.
    const filed = content ? await alreadyFiled(ctx, words) : null;
    if (filed) return filed;
    return startFiling(ctx, { ...(detected.caseType ? { type: detected.caseType } : {}), ...(content ? { content } : {}) });
  }
  if ((command === 'help' || command === 'start') && /[^\x00-\x7f]|\s/u.test(words)) {
    const detected = detectIntent(ctx.deps.intents, words);
    return [...helpMenu(ctx), ...(await onIntent(ctx, detected))];
  }
  return null;
}

/** A press of a confirm/cancel whose step is not the pending one: said so, nothing done. */
function staleButton(ctx: TurnContext): Reply {
  const { state } = ctx;
  return say(ctx, state.filing || state.erase || state.objection ? 'buttonStale' : 'buttonOver');
}

/** The request a group's deep link names, opened in the private chat as its button or words would open it. */
async function openFromLink(ctx: TurnContext, linked: NonNullable<ReturnType<typeof topicFromLink>>): Promise<Reply[]> {
  if (linked.caseType) return onAction(ctx, { kind: 'case-type', type: linked.caseType });
  switch (linked.topic) {
    case 'rate':
      return offerRating(ctx);
    case 'withdraw':
      return offerWithdraw(ctx, undefined);
    case 'status':
    case 'human':
    case 'privacy':
      return onAction(ctx, { kind: 'menu', item: linked.topic });
    default:
      return onAction(ctx, { kind: 'menu', item: 'file' });
  }
}

/**
 * 不满意 pressed on the closing message of a case that is open again (a second tap, or staff reopened it): it is
 * already being handled again, said so — not "no closed case". While it waits for staff, what the parent sends
 * next is added to it, as after the first objection; withdrawn, it is not the parent's to reopen.
 */
function objectionToOpenCase(ctx: TurnContext, record: CaseRecord): Reply[] {
  if (record.state === 'withdrawn') return [{ text: t(ctx.locale, 'intake.object.none') }];
  // (awaitsStaff is a type guard for CaseRecord | null: asked of a widened copy, so `record` keeps its type.)
  if (!awaitsStaff(record as CaseRecord | null)) return [{ text: t(ctx.locale, 'intake.object.alreadyAnswered', { code: record.code }), caseCode: record.code }];
  ctx.state.reopened = record.code;
  return [{ text: t(ctx.locale, 'intake.object.alreadyOpen', { code: record.code }), caseCode: record.code }];
}

/**
 * /start, /help, /status, /privacy or a menu button while a filing is open: answered as an aside and the flow goes on;
 * 登记诉求 (/case) resumes the open flow instead of starting over and dropping what was typed.
 */
async function menuDuringFiling(ctx: TurnContext, filing: FilingState, item: 'help' | 'file' | 'status' | 'privacy'): Promise<Reply[]> {
  if (item === 'file') return resumeFiling(ctx, filing);
  const note = item === 'privacy' ? tr(ctx, 'privacy.afterFiling') : undefined;
  // A button or command is never the step's free text: answered at any step.
  const answer = await onMenu(ctx, item);
  delete ctx.state.erase;
  return asideThenResume(ctx, filing, answer, note);
}

async function onMenu(ctx: TurnContext, item: 'help' | 'file' | 'status' | 'privacy' | 'human'): Promise<Reply[]> {
  switch (item) {
    case 'help':
      return helpMenu(ctx);
    case 'file':
      return startFiling(ctx);
    case 'status':
      return listOwnCases(ctx);
    case 'privacy':
      return privacyInfo(ctx);
    case 'human':
      return ctx.state.handoff ? forwardToHandoff(ctx, ctx.state.handoff) : openHandoff(ctx, undefined);
  }
}
