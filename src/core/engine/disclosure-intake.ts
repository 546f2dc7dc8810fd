import { maskPersonalData } from '../privacy/mask.js';
import {
  DELIVERY_FORMS,
  METHODS_FOR_FORM,
  ORGANISATION_TYPES,
  isEmail,
  type DeliveryForm,
  type DeliveryMethod,
} from '../cases/disclosure.js';
import { contactSchema, maskContact } from '../cases/contact.js';
import { ORG_ID_TYPE, PERSON_ID_TYPES, applicantIdSchema, maskIdentityNumber, type IdType } from '../cases/identity.js';
import { idNumberFromAnswer, nameFromAnswer } from './applicant-answers.js';
import { t } from '../i18n/index.js';
import '../i18n/case-errors.js';
import type { Button, Reply } from '../types.js';
import { tk } from './intake-text.js';
import type { TurnContext } from './context.js';
import type { FilingState, FilingStep } from './state.js';

/**
 * The 政府信息公开申请 steps of the filing flow (《政府信息公开条例》第二十九条):
 * applicant type (自然人, or 法人或其他组织 with the annual report's column type), name and
 * 身份证明 (a person's document type and number, an organisation's 统一社会信用代码), then — after the description and the
 * 联系方式 (a phone, e-mail or postal address; the other types ask for a phone) — the form (纸质/电子) and way of delivery (邮寄/自取/电子邮件) with the address or e-mail.
 */
const FORM_IDS: Record<string, DeliveryForm> = { paper: '纸质', electronic: '电子' };
const METHOD_IDS: Record<string, DeliveryMethod> = { post: '邮寄', pickup: '自取', email: '电子邮件' };
const idOf = <T extends string>(map: Record<string, T>, value: T) => Object.keys(map).find((k) => map[k] === value) ?? '';

/**
 * A message that names the information asked for — "申请公开2026年溪湖区学区划分方案", a 文号 (溪教发〔2026〕3号),
 * "关于…的通知" — typed at one of the first steps (applicant type, name, document), before the description is
 * asked. Not a 信访 / 投诉 / 举报 worded as a request (第三十九条), and not a question about how to apply.
 */
const NAMES_INFORMATION = /(?:申请|要求|请求|想要|需要)?公开.{4,}|[〔［[(（]\d{4}[〕］\])）]\s*\d+\s*号|关于.{2,}的(?:通知|文件|方案|意见|办法|规定|决定|批复|报告|公告|名单|细则)|(?:please\s+)?(?:disclose|release)\b.{8,}/iu;
const NOT_INFORMATION = /投诉|举报|信访|反映|[吗嘛呢？?]|怎么|如何|怎样|能不能|可不可以|how\b|\bcan i\b/iu;
export function namesRequestedInformation(text: string): boolean {
  const said = text.trim().normalize('NFKC');
  return NAMES_INFORMATION.test(said) && !NOT_INFORMATION.test(said);
}

/** The first disclosure field still missing before the description. */
export function applicantStep(filing: FilingState): FilingStep | null {
  if (!filing.applicantType) return filing.organisation ? 'orgType' : 'applicant';
  if (!filing.applicantName) return 'name';
  if (!filing.applicantIdNumber) return filing.applicantType === '自然人' && !filing.applicantIdType ? 'idType' : 'idNumber';
  return null;
}

/**
 * The 联系方式 of a 政府信息公开申请 (第二十九条 asks for a contact, not a phone): a phone, an e-mail address or a postal
 * address, checked and normalised by the schema staff-logged contacts use; null when it is none of them.
 */
export function disclosureContact(text: string): string | null {
  const parsed = contactSchema('disclosure').safeParse(text.trim());
  return parsed.success ? parsed.data : null;
}

/** The first disclosure field still missing after the contact. */
export function deliveryStep(filing: FilingState): FilingStep | null {
  if (!filing.deliveryForm) return 'form';
  if (!filing.deliveryMethod) return 'delivery';
  if (filing.deliveryMethod === '邮寄' && !filing.deliveryAddress) return 'address';
  if (filing.deliveryMethod === '电子邮件' && !filing.deliveryAddress) return 'email';
  return null;
}

/** The choices of a step, as [value, label] (the label is also what a parent may type). */
export function choicesOf(ctx: TurnContext, filing: FilingState, step: FilingStep): [string, string][] {
  switch (step) {
    case 'applicant':
      return [['applicant:person', tk(ctx, 'applicant.person')], ['applicant:org', tk(ctx, 'applicant.org')]];
    case 'orgType':
      return ORGANISATION_TYPES.map((type, i) => [`org:${i}`, type]);
    case 'idType':
      return PERSON_ID_TYPES.map((_, i) => [`idtype:${i}`, tk(ctx, `idType.${i}`)]);
    case 'form':
      return DELIVERY_FORMS.map((form) => [`form:${idOf(FORM_IDS, form)}`, form]);
    case 'delivery':
      return (METHODS_FOR_FORM[(filing.deliveryForm as DeliveryForm | undefined) ?? '纸质'] ?? []).map((m) => [`delivery:${idOf(METHOD_IDS, m)}`, m]);
    default:
      return [];
  }
}

export function choiceButtons(ctx: TurnContext, filing: FilingState, step: FilingStep): Button[][] {
  return choicesOf(ctx, filing, step).map(([value, label]) => [{ label, payload: { kind: 'choose', value } }]);
}

/** Applies a chosen value; false when it does not belong to the current step. */
export function applyChoice(filing: FilingState, value: string): boolean {
  const [group, id = ''] = value.split(':');
  if (group === 'applicant' && filing.step === 'applicant') {
    if (id === 'person') filing.applicantType = '自然人';
    else filing.organisation = true;
    return true;
  }
  if (group === 'org' && filing.step === 'orgType') {
    const type = ORGANISATION_TYPES[Number(id)];
    if (type) filing.applicantType = type;
    return Boolean(type);
  }
  if (group === 'idtype' && filing.step === 'idType') {
    const type = PERSON_ID_TYPES[Number(id)];
    if (type) filing.applicantIdType = type;
    return Boolean(type);
  }
  if (group === 'form' && filing.step === 'form' && FORM_IDS[id]) {
    filing.deliveryForm = FORM_IDS[id];
    return true;
  }
  if (group === 'delivery' && filing.step === 'delivery' && METHOD_IDS[id]) {
    filing.deliveryMethod = METHOD_IDS[id];
    return true;
  }
  return false;
}

/** A typed answer on a disclosure step: the Reply[] to show when it is refused, null when taken. */
export function takeDisclosureText(ctx: TurnContext, filing: FilingState, text: string): Reply[] | null {
  const clean = text.trim();
  const step = filing.step;
  const choices = choicesOf(ctx, filing, step);
  if (choices.length > 0) {
    const byNumber = /^\d$/.test(clean) ? choices[Number(clean) - 1] : undefined;
    const byLabel = choices.find(([, label]) => clean.includes(label) || (label.includes(clean) && [...clean].length >= 2)) ?? idTypeByChineseName(filing, clean);
    const chosen = byNumber ?? byLabel;
    return chosen && applyChoice(filing, chosen[0]) ? null : [];
  }
  if (step === 'name') {
    // "我叫张三" is the name 张三: the lead-in is not part of the 第二十九条 申请人姓名 on the record.
    const name = nameFromAnswer(clean, filing.applicantType === '自然人' ? 'person' : 'org');
    if ([...name].length < 2 || [...name].length > 50 || !/[\p{Script=Han}a-z]/iu.test(name)) return [tkSay(ctx, 'name.bad')];
    filing.applicantName = name;
    return null;
  }
  if (step === 'idNumber') return takeIdNumber(ctx, filing, clean);
  if (step === 'address') {
    if ([...clean].length < 6 || [...clean].length > 200 || !/\p{Script=Han}/u.test(clean)) return [tkSay(ctx, 'address.bad')];
    filing.deliveryAddress = clean;
    return null;
  }
  if (step === 'email') {
    // Echoed masked (a phone typed here by mistake is common); masked before it is cut, so no number is cut in half unmasked.
    if (!isEmail(clean)) return [tkSay(ctx, 'email.bad', { value: Array.from(maskPersonalData(clean)).slice(0, 60).join('') })];
    filing.deliveryAddress = clean;
    return null;
  }
  return [];
}

/** The document a 自然人 names in Chinese while the chat is in English (居民身份证、护照…): still understood. */
function idTypeByChineseName(filing: FilingState, text: string): [string, string] | undefined {
  if (filing.step !== 'idType') return undefined;
  const i = PERSON_ID_TYPES.findIndex((type) => text.includes(type) || (type.includes(text) && [...text].length >= 2));
  return i >= 0 ? [`idtype:${i}`, PERSON_ID_TYPES[i]!] : undefined;
}

/**
 * The 身份证明 number, read out of the answer ("身份证号码是…", idNumberFromAnswer) and checked with zod and its check
 * character: a bad one is refused with what is wrong (shown masked: the reply is written to the chat history) and the
 * step stays, everything else kept.
 */
function takeIdNumber(ctx: TurnContext, filing: FilingState, text: string): Reply[] | null {
  const idType: IdType = filing.applicantType === '自然人' ? ((filing.applicantIdType as IdType | undefined) ?? '居民身份证') : ORG_ID_TYPE;
  const found = idNumberFromAnswer(text, idType);
  if ('problem' in found) {
    if (found.problem === 'several') return [tkSay(ctx, 'idNumber.several')];
    return [{ text: t(ctx.locale, `caseError.idProblem.${found.problem}`, { masked: maskIdentityNumber(found.shown.slice(0, 30)) }) }];
  }
  const parsed = applicantIdSchema.safeParse({ idType, idNumber: found.idNumber });
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message ?? 'otherFormat';
    return [{ text: t(ctx.locale, `caseError.idProblem.${problem}`, { masked: maskIdentityNumber(found.idNumber.slice(0, 30)) }) }];
  }
  filing.applicantIdType = parsed.data.idType;
  filing.applicantIdNumber = parsed.data.idNumber;
  return null;
}

function tkSay(ctx: TurnContext, key: string, params: Record<string, string | number> = {}): Reply {
  return { text: tk(ctx, key, params) };
}

/** The prompt text of a disclosure step. */
export function disclosurePrompt(ctx: TurnContext, filing: FilingState, step: FilingStep): string {
  if (step === 'name') return tk(ctx, filing.applicantType === '自然人' ? 'name.person' : 'name.org');
  if (step === 'idNumber') {
    if (filing.applicantType !== '自然人') return tk(ctx, 'idNumber.org');
    const i = PERSON_ID_TYPES.indexOf((filing.applicantIdType ?? '居民身份证') as (typeof PERSON_ID_TYPES)[number]);
    return tk(ctx, 'idNumber.person', { document: tk(ctx, `idType.${Math.max(i, 0)}`) });
  }
  return tk(ctx, `ask.${step}`);
}

/**
 * The confirm summary of a disclosure request. Every field the parent typed is shown masked (a recipient's phone in the
 * postal address, a number in the name or e-mail): the summary is a bot line kept in chat histories and the web
 * transcript. The case itself stores the fields as typed, for staff.
 */
export function disclosureSummary(ctx: TurnContext, filing: FilingState): string {
  const where = filing.deliveryAddress ? tk(ctx, 'summary.to', { address: maskPersonalData(filing.deliveryAddress) }) : '';
  return tk(ctx, 'summary', {
    name: maskPersonalData(filing.applicantName ?? ''),
    applicant: filing.applicantType ?? '',
    identity: identityLine(ctx, filing.applicantIdType, filing.applicantIdNumber),
    // An e-mail with its name starred, a postal address cut to its city, a phone masked: as on the staff post.
    contact: filing.contact ? maskContact(filing.contact) : '',
    content: maskPersonalData(filing.content ?? ''),
    form: filing.deliveryForm ?? '',
    method: filing.deliveryMethod ?? '',
    where,
  });
}

/** "居民身份证 110105********002X": the document and its number, masked even for the applicant (the line stays in chat histories). */
export function identityLine(ctx: TurnContext, idType: string | undefined, idNumber: string | undefined): string {
  const i = PERSON_ID_TYPES.indexOf(idType as (typeof PERSON_ID_TYPES)[number]);
  const label = i >= 0 ? tk(ctx, `idType.${i}`) : tk(ctx, 'idType.org');
  return `${label} ${maskIdentityNumber(idNumber)}`;
}

/** What the desk stores for a disclosure request. */
export function disclosureFields(filing: FilingState) {
  if (filing.type !== 'disclosure') return {};
  return {
    citizenName: filing.applicantName ?? null,
    applicantType: filing.applicantType ?? null,
    deliveryForm: filing.deliveryForm ?? null,
    deliveryMethod: filing.deliveryMethod ?? null,
    deliveryAddress: filing.deliveryAddress ?? null,
    applicantIdType: filing.applicantIdType ?? null,
    applicantIdNumber: filing.applicantIdNumber ?? null,
  };
}
