import { locatePhones, maskIdNumbers } from '../privacy/mask.js';
import { normalisePhone } from '../cases/contact.js';

/**
 * What a parent writes when asked for a phone, read by its structure rather than matched as a whole: a number inside
 * a sentence ("我的电话是138 1234 5678", "13812345678，白天打", "my phone is …"), a refusal ("不留了", "电话就不留了",
 * "不方便留电话"), an agreement at the confirm step ("确认提交，谢谢", "没错").
 */

/**
 * The words that lead up to a number ("我的电话是", "请打电话给我", "联系电话：", "打我电话", "my phone is"): every part
 * optional, so any run of them right before the number is dropped with it.
 */
const LEAD_IN = new RegExp(
  String.raw`(?:(?:请|麻烦)?(?:您|你们)?(?:打|拨)?(?:我的?|给我|本人)?(?:的)?(?:联系)?(?:电话|手机号码|手机号|手机|座机|号码|联系方式|方式)?(?:号码|号)?(?:给我|我)?\s*(?:是|为|:|：)?\s*` +
    String.raw`|(?:please\s+)?(?:call|reach|text)\s+me\s+(?:at|on)\s*|(?:my\s+)?(?:phone|mobile|cell|telephone|contact)(?:\s+number)?\s*(?:is|:)?\s*)$`,
  'iu',
);
/** What is left of a phone message that carries nothing for staff: courtesy and yes-words. */
const FILLER = /^(?:好的?|是的?|对|嗯|行|可以|谢谢|谢了|多谢|麻烦了|麻烦你们了|辛苦了|thanks?(?: you)?|ok(?:ay)?|yes|please)*$/iu;
const EDGE_PUNCTUATION = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

export interface PhoneAnswer {
  /** The number, normalised (13812345678, 024-42841234). */
  phone: string;
  /** The rest of the message when it says something ("白天打", "张女士"): kept with the petition, never dropped. */
  note: string | null;
}

/**
 * The one phone number in an answer to "请留下联系电话", and what else the message says; null when it holds none.
 * The same number rules as `findPhone` (ID numbers set aside first); the words that introduce it are not a note, and
 * the note holds other numbers masked (it goes into the petition's text, which is stored masked).
 */
export function readPhoneAnswer(text: string): PhoneAnswer | null {
  const whole = normalisePhone(text);
  if (whole) return { phone: whole, note: null };
  // The message as the masker reads it: ID numbers masked, every phone masked and located (the forms findPhone reads).
  const { text: source, phones } = locatePhones(maskIdNumbers(text));
  const found: { phone: string; at: number; end: number; whose: 'own' | 'other' | 'unsaid' }[] = [];
  for (const { phone, start, end } of phones) {
    // The digits of an e-mail address (13812345678@qq.com) are its name, not a phone.
    if (!phone || source[end] === '@') continue;
    // Whose number: the words since the previous clause break ("班主任电话…", "我的是…").
    const lead = source.slice(0, start).split(/[，,。.;；!！?？\n]/u).pop() ?? '';
    // The owner named nearest the number decides ("我们学校电话…" is the school's, "学校不接，打我的…" the parent's).
    const own = lastIndex(OWN, lead);
    const other = lastIndex(OTHER, lead);
    const whose = own < 0 && other < 0 ? 'unsaid' : own > other ? 'own' : 'other';
    found.push({ phone, at: start, end, whose });
  }
  // The parent's own number when the message says which is theirs; otherwise the one not said to be someone
  // else's. A number said to be the school's or a teacher's ("学校电话024-…一直打不通") is not a contact.
  const chosen = found.find((f) => f.whose === 'own') ?? (found.some((f) => f.whose === 'other') && found.length > 1 ? undefined : found.find((f) => f.whose === 'unsaid'));
  if (!chosen) return null;
  const before = source.slice(0, chosen.at).replace(LEAD_IN, '');
  const after = source.slice(chosen.end);
  const note = `${before} ${after}`.replace(EDGE_PUNCTUATION, '').replace(/\s{2,}/gu, ' ');
  const says = note.replace(/[\s\p{P}\p{S}]/gu, '');
  return { phone: chosen.phone, note: says === '' || FILLER.test(says) || !saysSomething(note) ? null : note };
}

/** When to call ("白天打", "下午5点以后", "after 6pm"): a note about the phone staff need. */
const CALL_TIME = /白天|晚上|早上|上午|中午|下午|傍晚|夜里|周末|工作日|周[一二三四五六日天]|星期|\d\s*[点:：]|以[前后]|之[前后]|有空|随时|\b(?:morning|afternoon|evening|night|daytime|weekends?|weekdays?|after|before|between|anytime|\d+\s*(?:am|pm))\b/iu;
/** Whom to ask for ("张女士", "孩子妈妈", "Mrs Wang"). */
const CALL_PERSON = /女士|先生|妈妈|爸爸|母亲|父亲|家长|奶奶|爷爷|姥姥|姥爷|外婆|外公|\b(?:mr|mrs|ms|miss)\b/iu;

/**
 * Whether the words around a phone say something for staff: when to call or whom to ask for, or a statement of their
 * own — at least four Chinese characters or English words. Fewer, naming neither, are what is left of the phrase that
 * introduced the number ("my number is", "You can …, thanks", "就行", "(mobile)") and would only be noise in the
 * petition staff must answer.
 */
function saysSomething(note: string): boolean {
  if (CALL_TIME.test(note) || CALL_PERSON.test(note)) return true;
  const han = note.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = note.match(/[a-z]+/giu)?.length ?? 0;
  return han + words >= 4;
}

/** Words before a number that make it the parent's ("我的", "本人", "my", "call me"). */
const OWN = /我|本人|自己|\b(?:my|me|mine)\b/iu;
/** Words before a number that make it someone else's: the school, a teacher, an office. */
const OTHER = /学校|校方|老师|班主任|校长|教育局|机构|单位|公司|幼儿园|医院|派出所|(?<!其)[他她]|\b(?:school|teacher|office|his|her|their)\b/iu;

/** Where the last match of `re` starts in `text`, or -1. */
function lastIndex(re: RegExp, text: string): number {
  let at = -1;
  for (const m of text.matchAll(new RegExp(re.source, `${re.flags}g`))) at = m.index;
  return at;
}

/**
 * "不留", "不留了", "不方便留电话", "电话就不留了", "不想留", "没有", "skip", "no thanks": the parent declines to leave a
 * phone. A negation, then at most a verb of leaving or giving and what is left; nothing else in the message.
 */
const DECLINE = new RegExp(
  String.raw`^(?:(?:电话|手机|号码|联系方式)(?:就|我)?)?(?:我)?(?:就|还是|暂时|先|都)?` +
    String.raw`(?:不|没|没有|别|无|不用|不需要|不必|不想|不要|不方便|不太方便|不愿意?)(?:想|用|要|需要|方便|必要)?(?:留|给|提供|写|告诉你们?)?(?:电话|手机号?|号码|联系方式)?(?:了|吧|啦)?` +
    String.raw`(?:[，,\s]*(?:谢谢|抱歉|不好意思))?[。.!！~]*$` +
    String.raw`|^(?:跳过|skip|no|none|no phone|no thanks?|no,? thanks?|i'?d rather not|rather not|not now)[.!]*$`,
  'iu',
);

export function declinesPhone(text: string): boolean {
  return DECLINE.test(text.trim().normalize('NFKC'));
}

/** Words that say yes to a summary or an offered number. */
const YES = /^(?:确认|确定|提交|确认提交|确认无误|是|是的|对|对的|没错|没问题|正确|无误|好|好的|行|可以|yes|y|ok|okay|submit|confirm|correct|right|sure)$/iu;
const COURTESY = /^(?:谢谢|谢了|多谢|麻烦了|辛苦了|吧|了|thanks?(?: you)?|please)$/iu;

/**
 * "确认", "确认提交，谢谢", "没错，提交吧", "对的": every part of the message (split at punctuation) is a yes-word or
 * courtesy, and at least one is a yes-word. "确认一下学校有没有收费" is not.
 */
export function saysYes(text: string): boolean {
  const parts = text
    .trim()
    .normalize('NFKC')
    .split(/[\s,，。.!！~、;；]+/u)
    .map((p) => p.replace(/(?:谢谢|谢了|吧|了|啊|呀)+$/u, ''))
    .filter((p) => p !== '');
  return parts.some((p) => YES.test(p)) && parts.every((p) => YES.test(p) || COURTESY.test(p));
}
