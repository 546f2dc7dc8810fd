import { randomUUID } from 'node:crypto';
import { t } from '../i18n/index.js';
import { CASE_TYPES, type CaseType, type Reply } from '../types.js';
import { formatDeadline } from '../cases/messages.js';
import { detectIntent } from '../intents/index.js';
import type { CaseRecord } from '../cases/types.js';
import { answerQuestion } from './answer.js';
import { say, tr, type TurnContext } from './context.js';
import { applicantStep, applyChoice, deliveryStep, disclosureContact, disclosureFields, namesRequestedInformation, takeDisclosureText } from './disclosure-intake.js';
import { FILING_MAX_CHARS, SPLIT_PART_WINDOW_MS, contentProblem } from './filing-checks.js';
import { EDITABLE, OFFERED_TYPES, cancelRow, confirmButton, contentRefusal, editChoices, prompt } from './filing-prompts.js';
import { tk } from './intake-text.js';
import { contactInText, findPhone } from './phone.js';
import { afterEnglishDisclosureOpening } from './english-opening.js';
import { declinesPhone, readPhoneAnswer, saysYes, type PhoneAnswer } from './contact-reply.js';
import { maskTypedContact, normalisePhone } from '../cases/contact.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { FilingState, FilingStep } from './state.js';
import type { KnowledgeDecisionLike } from './types.js';

const EDIT_WORDS = /^(修改|更改|改一下|我要修改|重新填写?|edit|change)[。.!！]*$/iu;
/** Steps whose answer is free text: any words there are the answer, never a question to the bot. */
const FREE_TEXT_STEPS: FilingStep[] = ['content', 'name', 'idNumber', 'address', 'email'];

/**
 * Starts (or restarts) the filing flow, skipping the steps already known:
 * a petition message pre-fills type and content, an unanswered question its text.
 */
export function startFiling(ctx: TurnContext, prefill: { type?: CaseType; content?: string; sourceMessageId?: number | null; phone?: string | null } = {}): Reply[] {
  const filing: FilingState = {
    step: 'type',
    // Unique per flow, not per clock reading: two flows started at one instant (a test's fixed clock, a clock that
    // stepped back) must not share a key, or the second would be "filed" as the first case. Kept in the state, so a
    // retried confirm of this flow still files once.
    key: `${ctx.incoming.channel}:${ctx.incoming.chatId}:${ctx.at.getTime()}:${randomUUID().slice(0, 8)}`,
    ...(prefill.type ? { type: prefill.type } : {}),
    sourceMessageId: prefill.sourceMessageId ?? null,
  };
  ctx.state.filing = filing;
  const problem = prefill.content ? contentProblem(prefill.content) : null;
  if (prefill.content && !problem) takeContent(ctx, filing, prefill.content, prefill.phone);
  const replies = advance(ctx, filing);
  // A petition too long or without words: say why, then ask for the content again.
  if (problem?.problem !== 'tooLong') return replies;
  filing.refusedLongAt = ctx.at.getTime();
  return [{ text: contentRefusal(ctx, problem).text }, ...replies];
}

/**
 * `held`: the phone of a petition held before and stored masked (nextPhone): the text no longer shows the number.
 */
function takeContent(ctx: TurnContext, filing: FilingState, text: string, held?: string | null): void {
  filing.content = text.trim();
  delete filing.contentParts;
  noteContentPart(ctx, filing, filing.content);
  // The parent's own number in the text: the content is stored masked, and this becomes the case's contact when no
  // other is given (a forwarded notice's number is its sender's: ctx.incoming.forwarded, see continueFiling).
  filing.textPhone = held ?? (ctx.incoming.forwarded ? null : contactInText(filing.content));
  // A phone written into the text is offered as the contact (the parent confirms it) instead of asked for again.
  const phone = held ?? findPhone(filing.content);
  if (phone && filing.contact === undefined) filing.foundPhone = phone;
}

/**
 * Remembers that `taken` (words now in the content) came from the message of this turn, with the platform's
 * message id, so that an edit of that message before the case is submitted replaces them (edited.ts).
 */
function noteContentPart(ctx: TurnContext, filing: FilingState, taken: string): void {
  const { messageId, text, action } = ctx.incoming;
  if (!messageId || action || !taken || !text.includes(taken)) return;
  const parts = (filing.contentParts ?? []).filter((p) => p.id !== messageId);
  filing.contentParts = [...parts, { id: messageId, message: text, taken }].slice(-MAX_CONTENT_PARTS);
}
const MAX_CONTENT_PARTS = 10;

/** The step still missing, in order; null = everything is in, confirm. */
function missingStep(filing: FilingState): FilingStep | null {
  if (!filing.type) return 'type';
  const disclosure = filing.type === 'disclosure';
  if (disclosure && applicantStep(filing)) return applicantStep(filing);
  if (!filing.content) return 'content';
  if (filing.contact === undefined) return 'contact';
  if (disclosure && deliveryStep(filing)) return deliveryStep(filing);
  return null;
}

function advance(ctx: TurnContext, filing: FilingState): Reply[] {
  const step = missingStep(filing) ?? 'confirm';
  filing.step = step;
  return [prompt(ctx, filing)];
}

/** A pressed choice button (or its typed equivalent) while the flow is open. */
export function chooseInFiling(ctx: TurnContext, filing: FilingState, value: string): Reply[] {
  if (value === 'edit') {
    if (filing.step !== 'confirm' && filing.step !== 'edit') return [prompt(ctx, filing)];
    filing.step = 'edit';
    return [prompt(ctx, filing)];
  }
  if (value.startsWith('edit:') && filing.step === 'edit') {
    for (const field of EDITABLE[value.slice(5)] ?? []) delete filing[field];
    // Changing the type from or to 政府信息公开申请 changes which fields are asked for.
    if (value === 'edit:type') for (const field of [...EDITABLE.applicant!, ...EDITABLE.delivery!]) delete filing[field];
    return advance(ctx, filing);
  }
  if (value === 'more:split') return splitAdded(ctx, filing);
  if (value === 'more:merge') return mergeHeld(ctx, filing);
  if (value === 'phone:use' && filing.step === 'contact' && filing.foundPhone) {
    filing.contact = filing.foundPhone;
    delete filing.foundPhone;
    return advance(ctx, filing);
  }
  if (applyChoice(filing, value)) return advance(ctx, filing);
  return [prompt(ctx, filing)];
}

function typeFromText(ctx: TurnContext, text: string): CaseType | undefined {
  const clean = text.trim().toLowerCase();
  const byNumber = /^[1-5]$/.test(clean) ? OFFERED_TYPES[Number(clean) - 1] : undefined;
  return byNumber ?? CASE_TYPES.find((type) => clean.includes(tr(ctx, `type.${type}`).toLowerCase()));
}

/** The verbs that name a petition as the parent's request (投诉, 举报, 提个建议, 申请信息公开, 提出信访事项…). */
const PETITION_VERB = String.raw`(?:投诉|举报|检举|反映|提(?:一?个|点|几条)?(?:建议|意见)|建议|求助|申请(?:政府)?信息公开|(?:提出|提交)?(?:信访|上访)(?:事项)?)`;

/**
 * Whether a petition message says more than "我要投诉": its text without the
 * trigger phrase still has some substance, so it can pre-fill the content.
 */
export function hasSubstance(text: string): boolean {
  const rest = text
    .normalize('NFKC')
    .replace(new RegExp(String.raw`^(?:我们?|本人)?(?:要|想|想要|需要|现在)?(?:实名|匿名)?${PETITION_VERB}(?:一下|一个问题|个问题)?`, 'u'), '')
    .replace(/[\s\p{P}]/gu, '');
  return [...rest].length >= 4;
}

/**
 * The content a petition message pre-fills: the message itself when it says more than its opening (hasSubstance), or,
 * for an English disclosure opening, what follows it; undefined when the message only names the request, so the
 * description is asked for.
 */
export function petitionContent(text: string, type: CaseType | undefined): string | undefined {
  const afterOpening = type === 'disclosure' ? afterEnglishDisclosureOpening(text) : null;
  if (afterOpening !== null) return [...afterOpening].length >= 4 ? afterOpening : undefined;
  return hasSubstance(text) ? text : undefined;
}

/** The open flow's current prompt again, marked as the same flow going on (登记诉求 or /case pressed during it). */
export function resumeFiling(ctx: TurnContext, filing: FilingState): Reply[] {
  const back = prompt(ctx, filing);
  return [{ ...back, text: `${tk(ctx, 'backToFlow')}\n${back.text}` }];
}

/**
 * An aside while the flow waits for a phone, a choice or a confirm ("查询进度", "帮助", "删除我的数据"): the answer
 * without its buttons (a 确认删除 pressed now would confirm the filing), then the flow's prompt again. Null at
 * free-text steps, where any words are the answer.
 */
export async function asideInFiling(ctx: TurnContext, filing: FilingState, answer: () => Promise<Reply[]>, note?: string): Promise<Reply[] | null> {
  if (FREE_TEXT_STEPS.includes(filing.step)) return null;
  return asideThenResume(ctx, filing, await answer(), note);
}

/** The aside's answer without its buttons, an optional note, then the flow's prompt again. */
export function asideThenResume(ctx: TurnContext, filing: FilingState, answer: Reply[], note?: string): Reply[] {
  const shown = answer.map(({ buttons: _buttons, ...reply }) => reply);
  return [...shown, ...(note ? [{ text: note }] : []), ...resumeFiling(ctx, filing)];
}

/**
 * A text compared for sameness: width, case, spaces, punctuation and symbols set aside, so a resend differing only in
 * "，" / "," or a trailing "。" is the same text.
 */
const sameness = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');

/**
 * Whether `text` says again what a petition already holds: the same as its whole text, or as the message that opened
 * it (its first line; later lines are what was added), or as one held to be filed next. A resend — the parent thought
 * the first did not go through, or the client sent it twice — not a second matter.
 */
export function repeatsPetition(text: string, petition: string): boolean {
  const said = sameness(text);
  // A word or two ("好", "是的") says nothing of its own that could repeat a petition.
  if ([...said].length < 4) return false;
  return [petition, petition.split('\n')[0] ?? ''].some((part) => sameness(part) === said);
}

/**
 * The petition being filed sent again before it was submitted: said so, nothing held or added twice, and the step's
 * prompt again. Null for anything else.
 */
export function resentInFiling(ctx: TurnContext, filing: FilingState, text: string): Reply[] | null {
  if (!filing.content || FREE_TEXT_STEPS.includes(filing.step)) return null;
  // Compared as stored: the held texts are masked (state-privacy.ts).
  const said = maskPersonalData(text);
  const again = repeatsPetition(said, maskPersonalData(filing.content)) || (filing.next !== undefined && repeatsPetition(said, maskPersonalData(filing.next)));
  return again ? [{ text: tk(ctx, 'resent.inFiling') }, prompt(ctx, filing)] : null;
}

/** Steps at which a new petition cannot be an answer: the content is in and a phone, a choice or a confirm is asked. */
const NEXT_PETITION_STEPS: FilingStep[] = ['contact', 'confirm', 'form', 'delivery'];

/**
 * A new petition typed while another waits for its phone or confirm ("我还要投诉…"): held in `next` and filed on its
 * own after this one (see submitFiling, and the router's cancel), instead of being read as a bad phone number.
 */
export function holdNextPetition(ctx: TurnContext, filing: FilingState, text: string): Reply[] | null {
  if (!filing.content || !NEXT_PETITION_STEPS.includes(filing.step) || readPhoneAnswer(text)?.note === null || typedContact(filing, text.trim())) return null;
  // A petition's later messages read as grievances of their own ("而且老师还说不交就别在学校吃饭"): only one that opens
  // a new matter is held apart; the rest is more of this one (continueFiling adds it, and the parent can move it out).
  if (filing.type !== 'disclosure' && !opensNewMatter(text)) return null;
  return holdText(ctx, filing, text.trim()).replies;
}

/** "我还要投诉…", "另外我要举报…", "我想再提个建议", "还有一件事…": the message opens a petition of its own. */
const OPENS_PETITION = new RegExp(String.raw`^(?:另外|还有|此外|同时)?[,，\s]*(?:我们?|本人)?(?:还|也|另外|再|又)?(?:要|想|想要|需要|得)?(?:再|另外|还)?(?:实名|匿名)?${PETITION_VERB}`, 'u');
const ANOTHER_MATTER = /^(?:另外|还有|再)?(?:一|两|几)?(?:个|件|条)(?:事|事情|问题|情况|诉求)/u;
const OPENS_PETITION_EN = /^(?:also\W+)?(?:i|we)\s+(?:also\s+)?(?:want|would like|wish|need)\s+to\s+(?:also\s+)?(?:file|make|lodge|complain|report|suggest)\b/iu;

export function opensNewMatter(text: string): boolean {
  const clean = text.trim().normalize('NFKC');
  return OPENS_PETITION.test(clean) || ANOTHER_MATTER.test(clean) || OPENS_PETITION_EN.test(clean);
}

/** `text` kept as the second petition (appended to one already held); refused, nothing changed, past the limit. */
function holdText(ctx: TurnContext, filing: FilingState, text: string): { held: boolean; replies: Reply[] } {
  // A further message while one is already held is added to it, never put in its place: nothing typed is lost.
  const held = filing.next ? `${filing.next}\n${text}` : text;
  // Held to the limit a petition has (it is filed as one later, and goes whole to staff on 转人工): a longer one is
  // refused with its length, what was held before kept, as the content step refuses a long petition.
  const length = [...held].length;
  if (length > FILING_MAX_CHARS) {
    const params = { length, max: FILING_MAX_CHARS, withHeld: filing.next ? tk(ctx, 'next.withHeld') : '', heldKept: filing.next ? tk(ctx, 'next.heldKept') : '' };
    return { held: false, replies: [{ text: tk(ctx, 'next.tooLong', params) }, prompt(ctx, filing)] };
  }
  filing.next = held;
  filing.heldLast = text;
  // Stored masked (state-privacy.ts): the parent's number in it is kept for that petition's contact.
  filing.nextPhone = filing.nextPhone || contactInText(text);
  // Read as a new matter by its opening words; one tap puts it back into this petition if it was more of the same.
  const merge = filing.type === 'disclosure' ? [] : [[{ label: tk(ctx, 'more.merge'), payload: { kind: 'choose' as const, value: 'more:merge' } }]];
  return { held: true, replies: [say(ctx, 'file.nextHeld', {}, merge), prompt(ctx, filing)] };
}

/** "补充到这条诉求" pressed: the last message held as a second petition is added to this one instead. */
function mergeHeld(ctx: TurnContext, filing: FilingState): Reply[] {
  const last = filing.heldLast;
  const next = filing.next;
  if (!last || !next || filing.type === 'disclosure' || !NEXT_PETITION_STEPS.includes(filing.step)) return [prompt(ctx, filing)];
  const rest = next === last ? '' : next.endsWith(`\n${last}`) ? next.slice(0, -(last.length + 1)) : null;
  if (rest === null) return [prompt(ctx, filing)];
  const replies = addToContent(ctx, filing, last);
  // Added (not refused as too long): it leaves the held petition.
  if (filing.added === last && filing.content?.endsWith(`\n${last}`)) {
    // The held text is stored masked: its number comes along as this petition's when it had none.
    filing.textPhone ||= filing.nextPhone ?? null;
    if (rest) filing.next = rest;
    else {
      delete filing.next;
      delete filing.nextPhone;
    }
    delete filing.heldLast;
  }
  return replies;
}

/**
 * More of the petition sent after its first message (a story told in several messages, or a text Telegram split):
 * added to the content on a line of its own, echoed, with a button that moves it out as a petition of its own.
 */
function addToContent(ctx: TurnContext, filing: FilingState, text: string, echoKey: 'more.added' | 'phone.noteAdded' | 'forwarded.added' = 'more.added'): Reply[] {
  const joined = `${filing.content ?? ''}\n${text}`;
  const length = [...joined].length;
  if (length > FILING_MAX_CHARS) return [{ text: tk(ctx, 'more.tooLong', { length, max: FILING_MAX_CHARS }) }, ...advance(ctx, filing)];
  filing.content = joined;
  noteContentPart(ctx, filing, text);
  // A number in what the parent added (not in a forwarded notice: its sender's) is theirs when the text had none.
  if (!filing.textPhone && echoKey !== 'forwarded.added') filing.textPhone = contactInText(text);
  // A disclosure request's content is the information asked for (所需信息 on its summary), not a 诉求.
  const key = echoKey === 'phone.noteAdded' && filing.type === 'disclosure' ? 'phone.noteAddedDisclosure' : echoKey;
  const echo = { text: withoutDoubledStop(tk(ctx, key, { text: echoed(text) })) };
  if (echoKey === 'phone.noteAdded') return [echo, ...advance(ctx, filing)];
  filing.added = text;
  const split = [{ label: tk(ctx, 'more.split'), payload: { kind: 'choose' as const, value: 'more:split' } }];
  return [{ ...echo, buttons: [split] }, ...advance(ctx, filing)];
}

/**
 * A forwarded message at the phone or confirm step (a school's notice as evidence): added to the petition whole, as the
 * parent received it and marked as forwarded, with any number in it left there — it is the sender's, not the
 * parent's — then the step's prompt again.
 */
export function addForwarded(ctx: TurnContext, filing: FilingState, text: string): Reply[] {
  return addToContent(ctx, filing, `${tk(ctx, 'forwarded.label')}${text.trim()}`, 'forwarded.added');
}

/** The parent's words shown back: phone and ID numbers masked (as in the summary), a long text cut. */
export function echoed(text: string): string {
  const chars = [...maskPersonalData(text)];
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : chars.join('');
}

/**
 * A quote that ends a sentence itself takes no second stop after its closing mark (“…。”, not “…。”。; "…." not
 * "….".).
 */
export function withoutDoubledStop(message: string): string {
  return message.replace(/([。！？!?…])”。/gu, '$1”').replace(/([.!?])"\./gu, '$1"');
}

/** "另一条诉求" pressed: the last addition leaves this petition and is held as the next one. */
function splitAdded(ctx: TurnContext, filing: FilingState): Reply[] {
  const added = filing.added;
  const suffix = `\n${added ?? ''}`;
  if (!added || !filing.content?.endsWith(suffix) || !NEXT_PETITION_STEPS.includes(filing.step)) return [prompt(ctx, filing)];
  const content = filing.content;
  filing.content = content.slice(0, -suffix.length);
  delete filing.added;
  const { held, replies } = holdText(ctx, filing, added);
  if (held) return replies;
  filing.content = content;
  filing.added = added;
  return [replies[0]!, prompt(ctx, filing)];
}

/** Neither a question to the bot nor too short to say anything: text that can be more of the petition. */
const ASKS = /[?？]|[吗嘛呢么][。.!！~]*$|^(?:请问|问一下|想问|我想问)/u;
const isMoreContent = (filing: FilingState, text: string) => filing.type !== 'disclosure' && !ASKS.test(text) && contentProblem(text) === null;

/** A phone read from the answer; what else it says goes with the petition's (or the request's) content, shown back. */
function takePhone(ctx: TurnContext, filing: FilingState, answer: PhoneAnswer): Reply[] {
  filing.contact = answer.phone;
  delete filing.foundPhone;
  if (answer.note) return addToContent(ctx, filing, answer.note, 'phone.noteAdded');
  return advance(ctx, filing);
}

/** The held second petition, started as a flow of its own (after the first was filed or cancelled); [] when none. */
export function startNextPetition(ctx: TurnContext, next: string | undefined, phone?: string | null): Reply[] {
  if (!next) return [];
  const type = detectIntent(ctx.deps.intents, next).caseType;
  const [first, ...rest] = startFiling(ctx, { ...(type ? { type } : {}), content: next, phone: phone ?? contactInText(next) });
  return first ? [{ ...first, text: `${tr(ctx, 'file.nextStarts')}\n${first.text}` }, ...rest] : rest;
}

/** A typed message while the flow is open. */
/** The 政府信息公开申请 steps asked before the description. */
const EARLY_STEPS: readonly FilingStep[] = ['applicant', 'orgType', 'name', 'idType', 'idNumber'];

export async function continueFiling(ctx: TurnContext, filing: FilingState, text: string): Promise<Reply[]> {
  const clean = text.trim();
  if (EDIT_WORDS.test(clean) && (filing.step === 'confirm' || filing.step === 'edit')) return chooseInFiling(ctx, filing, 'edit');
  switch (filing.step) {
    case 'type': {
      const type = typeFromText(ctx, clean);
      if (type) {
        filing.type = type;
        // "我要投诉学校乱收费…" answers the type and already says what happened: kept as the content, not asked again.
        if (filing.content === undefined && hasSubstance(clean) && !contentProblem(clean)) takeContent(ctx, filing, clean);
        return advance(ctx, filing);
      }
      return orQuestion(ctx, filing, clean);
    }
    case 'content': {
      // The rest of a text just refused as too long (the client split it): refused with it, not taken as the petition.
      const refusedAt = filing.refusedLongAt;
      delete filing.refusedLongAt;
      if (refusedAt !== undefined && ctx.at.getTime() - refusedAt >= 0 && ctx.at.getTime() - refusedAt <= SPLIT_PART_WINDOW_MS) {
        filing.refusedLongAt = ctx.at.getTime();
        return [{ text: tk(ctx, 'content.splitPart', { max: FILING_MAX_CHARS }), buttons: [cancelRow(ctx)] }];
      }
      const problem = contentProblem(clean);
      if (problem?.problem === 'tooLong') filing.refusedLongAt = ctx.at.getTime();
      if (problem) return [contentRefusal(ctx, problem)];
      takeContent(ctx, filing, clean);
      // A forwarded notice as the description: the number in it is its sender's, not offered as the parent's.
      if (ctx.incoming.forwarded) {
        delete filing.foundPhone;
        filing.textPhone = null;
      }
      return advance(ctx, filing);
    }
    case 'contact': {
      if (declinesPhone(clean)) {
        if (filing.type === 'disclosure') return [{ text: tk(ctx, 'contact.required'), buttons: [cancelRow(ctx)] }];
        filing.contact = null;
        delete filing.foundPhone;
        return advance(ctx, filing);
      }
      if (filing.foundPhone && saysYes(clean)) return chooseInFiling(ctx, filing, 'phone:use');
      // "我的电话是138 1234 5678", "13812345678，白天打": the number inside the sentence.
      const answer = readPhoneAnswer(clean);
      if (answer && answer.note === null) return takePhone(ctx, filing, answer);
      // A 政府信息公开申请 also takes an e-mail or a postal address (第二十九条 联系方式); read after a phone alone, so
      // "我的手机号是138…" (号 is an address word) is the phone, not an address.
      const contact = filing.type === 'disclosure' ? typedContact(filing, clean) : null;
      if (contact) {
        filing.contact = contact;
        delete filing.foundPhone;
        return advance(ctx, filing);
      }
      if (answer) return takePhone(ctx, filing, answer);
      // A statement with substance is more of the petition; a question may be one the knowledge base answers.
      if (isMoreContent(filing, clean)) return addToContent(ctx, filing, clean);
      const question = answerableQuestion(ctx, clean);
      if (question) return orQuestion(ctx, filing, clean, undefined, question);
      // Echoed with its digits starred after the third: a mistyped phone or an ID number typed here is still personal.
      const value = maskTypedContact(clean.slice(0, 40));
      if (filing.type === 'disclosure') return [{ text: tk(ctx, 'contact.bad', { value }), buttons: [cancelRow(ctx)] }];
      // The step's buttons as its prompt shows them (就用这个号码 too, while a number from the text is offered): the
      // offer stands, pressed or typed (typed-press.ts reads the last buttons shown).
      return [say(ctx, 'file.badContact', { value }, prompt(ctx, filing).buttons)];
    }
    case 'confirm': {
      if (saysYes(clean)) return submitFiling(ctx, filing);
      // A number alone replaces the phone; one inside a longer sentence is part of what the parent adds.
      const answer = readPhoneAnswer(clean);
      if (answer && answer.note === null) return takePhone(ctx, filing, answer);
      if (isMoreContent(filing, clean)) return addToContent(ctx, filing, clean);
      return orQuestion(ctx, filing, clean, 'file.pressConfirm');
    }
    case 'edit': {
      const choices = editChoices(ctx, filing).flat();
      const byNumber = /^\d$/.test(clean) ? choices[Number(clean) - 1] : undefined;
      const chosen = byNumber ?? choices.find((b) => clean.includes(b.label));
      if (chosen?.payload.kind === 'choose') return chooseInFiling(ctx, filing, chosen.payload.value);
      return orQuestion(ctx, filing, clean);
    }
    default: {
      // The information asked for, typed at an applicant step (before the description is asked): kept as the
      // description (shown at the confirm) and the step asked again; never read as a name, nor answered from the
      // knowledge base as if it were a question.
      const early = filing.type === 'disclosure' && filing.content === undefined && EARLY_STEPS.includes(filing.step);
      if (early && namesRequestedInformation(clean) && !contentProblem(clean)) {
        takeContent(ctx, filing, clean);
        return [{ text: tk(ctx, 'content.keptEarly', { content: clean.slice(0, 200) }) }, prompt(ctx, filing)];
      }
      const refused = takeDisclosureText(ctx, filing, clean);
      if (refused === null) return advance(ctx, filing);
      if (refused.length > 0) return [...refused.map((r) => ({ ...r, buttons: [cancelRow(ctx)] })), prompt(ctx, filing)];
      return orQuestion(ctx, filing, clean, 'pickOne');
    }
  }
}

/**
 * The knowledge base's answer when a message that does not answer the step is a question it can answer, else null.
 * The decision is handed on to `answerQuestion`, which would otherwise decide the same text a second time.
 */
function answerableQuestion(ctx: TurnContext, text: string): KnowledgeDecisionLike | null {
  if ([...text].length < 4) return null;
  const decision = ctx.deps.knowledge.current().decide(text);
  return decision.kind === 'answer' ? decision : null;
}

/**
 * A message that does not answer the current step: a question the knowledge base can answer is
 * answered, then the flow carries on where it was; anything else gets the hint and the prompt again.
 * `decided`: the caller's `answerableQuestion` of this text (undefined when it has not asked).
 */
async function orQuestion(ctx: TurnContext, filing: FilingState, text: string, hint?: string, decided?: KnowledgeDecisionLike | null): Promise<Reply[]> {
  const question = FREE_TEXT_STEPS.includes(filing.step) ? null : decided !== undefined ? decided : answerableQuestion(ctx, text);
  if (question) {
    const answer = await answerQuestion(ctx, text, question);
    return [...answer, { ...prompt(ctx, filing), text: `${tk(ctx, 'backToFlow')}\n${prompt(ctx, filing).text}` }];
  }
  if (!hint) return [prompt(ctx, filing)];
  const hintText = hint === 'pickOne' ? tk(ctx, 'pickOne') : tr(ctx, hint);
  return [{ text: hintText }, prompt(ctx, filing)];
}

export function pickType(ctx: TurnContext, filing: FilingState, type: CaseType): Reply[] {
  filing.type = type;
  return advance(ctx, filing);
}

/**
 * A contact card shared at the phone step. The parent's own card (their account's number) answers it; someone else's
 * card (the 班主任's, the school's, picked from the address book) is never taken as the parent's number — staff would
 * call the very person the complaint is about — and a number from another country cannot be called back: either is
 * said plainly and the phone asked for again, nothing stored.
 */
export async function takeContactCard(ctx: TurnContext, filing: FilingState, card: { own: boolean; phone: string | null; name: string }): Promise<Reply[]> {
  if (!card.own) return [{ text: tk(ctx, 'contact.notOwn', { name: card.name || tk(ctx, 'contact.someone') }) }, prompt(ctx, filing)];
  // A 政府信息公开申请 must give a contact (第二十九条) and offers no "不留电话": name what it does take instead.
  if (card.phone === null) return [{ text: tk(ctx, filing.type === 'disclosure' ? 'contact.notMainlandDisclosure' : 'contact.notMainland') }, prompt(ctx, filing)];
  return continueFiling(ctx, filing, card.phone);
}

export function skipContact(ctx: TurnContext, filing: FilingState): Reply[] {
  if (filing.step !== 'contact' || filing.type === 'disclosure') return advance(ctx, filing);
  filing.contact = null;
  delete filing.foundPhone;
  return advance(ctx, filing);
}

/**
 * The contact typed at the contact step, normalised: a 政府信息公开申请 takes a phone, an e-mail or a postal address
 * (第二十九条 联系方式), the other types a phone. Null when it is not one.
 */
function typedContact(filing: FilingState, text: string): string | null {
  return filing.type === 'disclosure' ? disclosureContact(text) : normalisePhone(text);
}

/** Commits the case; only after `file` resolved does the parent see the code. */
export async function submitFiling(ctx: TurnContext, filing: FilingState): Promise<Reply[]> {
  if (filing.step !== 'confirm' || !filing.type || !filing.content) return advance(ctx, filing);
  let record: CaseRecord;
  try {
    record = await ctx.deps.cases.file({
      type: filing.type,
      channel: ctx.incoming.channel,
      text: filing.attachments ? `${filing.content}\n${t(ctx.deps.config.STAFF_LOCALE, 'intake.attachment.forStaff', { count: filing.attachments })}` : filing.content,
      // The contact step's answer decides: a number given, or none (declined or skipped — the parent said not to be
      // called, even on the number the text holds, which stays masked). Only a flow that never asked (contact
      // undefined) falls back to the parent's own number written in the text.
      contact: filing.contact === undefined ? (filing.textPhone ?? null) : filing.contact,
      chatId: ctx.incoming.chatId,
      citizenRef: ctx.incoming.userId,
      locale: ctx.locale,
      sourceMessageId: filing.sourceMessageId ?? null,
      idempotencyKey: filing.key,
      // The reply of this turn shows the code and deadline; no second copy through the outbox.
      notifyCitizen: false,
      receivedAt: ctx.at,
      actor: 'citizen',
      ...disclosureFields(filing),
    });
  } catch (error) {
    ctx.deps.logger.error({ err: error, chatId: ctx.incoming.chatId }, 'filing a case failed');
    return [say(ctx, 'file.failed', {}, [[confirmButton(ctx, filing)], cancelRow(ctx)])];
  }
  delete ctx.state.filing;
  if (filing.sourceMessageId) await ctx.deps.store.linkMessageCase(filing.sourceMessageId, record.id).catch(() => undefined);
  const filed = { ...say(ctx, 'file.filed', { code: record.code, type: tr(ctx, `type.${record.type}`), deadline: deadlineText(ctx, record) }), caseCode: record.code };
  return [filed, ...startNextPetition(ctx, filing.next, filing.nextPhone)];
}

export function deadlineText(ctx: TurnContext, record: CaseRecord): string {
  if (!record.deadlineOn) return tr(ctx, 'file.deadlineOnClaim');
  return tr(ctx, record.deadlineEstimated ? 'file.deadlineEstimated' : 'file.deadline', { date: formatDeadline(ctx.locale, record.deadlineOn) });
}
