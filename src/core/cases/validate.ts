import { canonicalCaseCode } from './case-code.js';
import { z } from 'zod';
import { caseError } from '../i18n/errors-text.js';
import { CASE_TYPES, CHANNELS } from '../types.js';
import { APPLICANT_TYPE_VALUES, DELIVERY_FORMS, DELIVERY_METHODS, METHODS_FOR_FORM, canonicalResult, isEmail, type DeliveryForm } from './disclosure.js';
import { ID_TYPES, ORG_ID_TYPE, PERSON_ID_TYPES, applicantIdSchema, idTypeFitsApplicant, maskIdentityNumber, normaliseIdNumber } from './identity.js';
import { checkedStaffContact } from './contact.js';
import { ANSWER_WAYS, CLOSE_BASES, type CaseAction, type FileCaseInput } from './types.js';

/** Longest case text accepted; the chat flow refuses longer content up front. */
export const MAX_CASE_TEXT = 10_000;
/** Longest line of a case's context (a handoff's recent conversation and unsubmitted petitions); at most 200 lines. */
export const MAX_CONTEXT_LINE = 5000;
export const MAX_CONTEXT_LINES = 200;

const text = (what: string, max: number) =>
  z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

export const fileCaseInputSchema = z.object({
  type: z.enum(CASE_TYPES, { message: `type must be one of ${CASE_TYPES.join(', ')}` }),
  channel: z.enum(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` }),
  text: text('text', MAX_CASE_TEXT),
  contact: z.string().trim().max(100).nullish(),
  citizenName: z.string().trim().max(100).nullish(),
  chatId: z.string().max(200).nullish(),
  citizenRef: z.string().max(200).nullish(),
  locale: z.enum(['zh', 'en']).optional(),
  receivedAt: z.date().optional(),
  handoff: z.boolean().optional(),
  sourceMessageId: z.number().int().nullish(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  context: z.array(z.string().max(MAX_CONTEXT_LINE)).max(MAX_CONTEXT_LINES).optional(),
  notifyCitizen: z.boolean().optional(),
  applicantType: z.enum(APPLICANT_TYPE_VALUES, { message: `applicantType must be one of ${APPLICANT_TYPE_VALUES.join(', ')}` }).nullish(),
  deliveryForm: z.enum(DELIVERY_FORMS, { message: `deliveryForm must be one of ${DELIVERY_FORMS.join(', ')}` }).nullish(),
  deliveryMethod: z.enum(DELIVERY_METHODS, { message: `deliveryMethod must be one of ${DELIVERY_METHODS.join(', ')}` }).nullish(),
  deliveryAddress: z.string().trim().max(300).nullish(),
  applicantIdType: z.enum(ID_TYPES, { message: `applicantIdType must be one of ${ID_TYPES.join(', ')}` }).nullish(),
  applicantIdNumber: z.string().max(60).nullish(),
  actor: text('actor', 200),
});

export const caseActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('claim'), via: z.enum(ANSWER_WAYS).optional() }),
  z.object({ kind: z.literal('reply'), text: text('reply text', 10_000), via: z.enum(ANSWER_WAYS).optional() }),
  z.object({ kind: z.literal('extend'), reason: text('extension reason', 2000), approvedBy: z.string().trim().max(100).optional(), via: z.enum(ANSWER_WAYS).optional() }),
  z.object({
    kind: z.literal('close'),
    note: z.string().trim().max(5000),
    basis: z.enum(CLOSE_BASES).optional(),
    duplicateOf: z.string().trim().min(1).max(40).optional(),
    disclosureResult: z
      .string()
      .trim()
      .refine((v) => canonicalResult(v) !== null, { message: 'disclosureResult must be one of the results of the annual report\'s table 3 (see /case results)', params: { key: 'disclosureResultInvalid' } })
      .transform((v) => canonicalResult(v) ?? v)
      .optional(),
    applicantType: z.string().trim().min(1).max(200).optional(),
    via: z.enum(ANSWER_WAYS).optional(),
  }),
  z.object({ kind: z.literal('return'), reason: text('return reason', 2000), via: z.enum(ANSWER_WAYS).optional() }),
  z.object({ kind: z.literal('unreachable'), note: z.string().trim().max(5000).optional() }),
  z.object({ kind: z.literal('withdraw'), note: z.string().trim().max(5000).optional(), via: z.enum(ANSWER_WAYS).optional() }),
  z.object({ kind: z.literal('reopen'), note: z.string().trim().max(5000).optional() }),
]);

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  // Staff see the first problem in their language; `problems` stays the full English list.
  const first = result.error.issues[0];
  const field = String(first?.path[0] ?? 'other');
  // A refinement may name its own text (params.key) where "field is not valid" would not tell staff what to write.
  const own = first?.code === 'custom' ? (first.params as { key?: unknown } | undefined)?.key : undefined;
  const key = typeof own === 'string' ? own : first?.code === 'too_small' ? 'fieldEmpty' : first?.code === 'too_big' ? 'fieldTooLong' : 'fieldInvalid';
  const max = first?.code === 'too_big' ? Number(first.maximum) : 0;
  // The log keeps every problem in English; staff read the first one in their language.
  throw caseError('case_invalid', key, { field, max }, { problems }, `Invalid ${what}: ${problems.join('; ')}`);
}

export const checkFileInput = (input: FileCaseInput) => checkDelivery(checkIdentity(checkContact(check(fileCaseInputSchema, input, 'case') as FileCaseInput)));

/**
 * A contact staff log by hand (Slack /case new, the CLI's cases add, the console) must be one staff can use: a phone
 * (a mainland mobile, a landline with its area code and maybe an extension, stored normalised), an e-mail address, or
 * for a 政府信息公开申请 a postal address (checkedStaffContact). The chat flows check the parent's own.
 */
function checkContact(input: FileCaseInput): FileCaseInput {
  if (input.actor === 'citizen') return input;
  return { ...input, contact: checkedStaffContact(input.contact, input.type) };
}

/**
 * 第二十九条（三） 形式要求: how the applicant wants the information (纸质/电子) and how it reaches them (邮寄/自取/电子邮件).
 * A staff-logged 政府信息公开申请 must carry both (the chat flow asks them); whoever files, the way must fit the form,
 * a posted answer needs the postal address and an e-mailed one a valid e-mail address.
 */
function checkDelivery(input: FileCaseInput): FileCaseInput {
  const form = input.deliveryForm ?? null;
  const method = input.deliveryMethod ?? null;
  const staffLogged = input.type === 'disclosure' && input.actor !== 'citizen';
  if (staffLogged && (!form || !method)) throw caseError('case_invalid', 'disclosureNeedsDelivery', {});
  if (!method) return input;
  if (form && !METHODS_FOR_FORM[form as DeliveryForm].includes(method as never))
    throw caseError('case_invalid', 'deliveryMethodMismatch', { form, method, allowed: METHODS_FOR_FORM[form as DeliveryForm].join('/') });
  const address = input.deliveryAddress?.trim() ?? '';
  if (method === '邮寄' && !address) throw caseError('case_invalid', 'disclosureNeedsAddress', {});
  if (method === '电子邮件' && !isEmail(address)) throw caseError('case_invalid', 'disclosureNeedsEmail', { value: address.slice(0, 60) || '-' });
  return input;
}

/**
 * 第二十九条 身份证明. A document given is checked whoever files it: type and number together, the type fitting the
 * applicant, the number passing its check character (stored normalised). A 政府信息公开申请 logged by staff (phone,
 * letter, visit: any actor but the citizen, whose chat flow asks every field) must carry the applicant's name, type,
 * contact and document, or it is refused with a coded error staff can act on.
 */
function checkIdentity(input: FileCaseInput): FileCaseInput {
  const idType = input.applicantIdType ?? null;
  const idNumber = input.applicantIdNumber ? normaliseIdNumber(input.applicantIdNumber) : null;
  const staffLogged = input.type === 'disclosure' && input.actor !== 'citizen';
  if (staffLogged && (!input.citizenName?.trim() || !input.applicantType || !input.contact?.trim()))
    throw caseError('case_invalid', 'disclosureNeedsApplicant', {});
  if (staffLogged && (!idType || !idNumber)) throw caseError('case_invalid', 'disclosureNeedsIdentity', {});
  if (!idType && !idNumber) return input;
  if (!idType || !idNumber) throw caseError('case_invalid', 'disclosureNeedsIdentity', {});
  if (input.applicantType && !idTypeFitsApplicant(input.applicantType, idType))
    throw caseError('case_invalid', 'idTypeMismatch', { applicant: input.applicantType, expected: input.applicantType === '自然人' ? PERSON_ID_TYPES.join('/') : ORG_ID_TYPE });
  const parsed = applicantIdSchema.safeParse({ idType, idNumber });
  if (!parsed.success) throw caseError('case_invalid', `idProblem.${parsed.error.issues[0]?.message ?? 'otherFormat'}`, { masked: maskIdentityNumber(idNumber) });
  return { ...input, applicantIdType: parsed.data.idType, applicantIdNumber: parsed.data.idNumber };
}
export const checkAction = (action: CaseAction) => check(caseActionSchema, action, 'case action') as CaseAction;

/**
 * Case codes are matched as a person types them: " xh-2026-000001", "ＸＨ－２０２６－０００００１", "XH—2026—000001。" all find
 * XH-2026-000001 (case-code.ts, the one code normaliser).
 */
export const normaliseCode = (code: string) => canonicalCaseCode(code);
