import { maskTypedContact, normaliseStaffContact } from '../../core/cases/contact.js';
import { z } from 'zod';
import { DELIVERY_FORMS, METHODS_FOR_FORM, isEmail, type DeliveryForm } from '../../core/cases/disclosure.js';
import { ID_TYPES, ORG_ID_TYPE, PERSON_ID_TYPES, applicantIdSchema, idTypeFitsApplicant, maskIdentityNumber, normaliseIdNumber } from '../../core/cases/identity.js';
import { t } from '../../core/i18n/index.js';
import '../../core/i18n/case-errors.js';
import '../../core/i18n/staff.js';
import { botCanReach } from '../../core/cases/answer-way.js';
import { ANSWER_WAYS, type AnswerWay, type CaseAction, type CaseRecord, type CloseBasis } from '../../core/cases/types.js';
import { CASE_TYPES, type CaseType, type Locale } from '../../core/types.js';
import { caseError, errorText } from '../../core/i18n/errors-text.js';
import { REVIEW_LEVELS, REVIEW_OUTCOMES, WITHDRAWN_OUTCOME, type ReviewInput } from '../../core/cases/reviews.js';
import { APPLICANT_TYPES, DISCLOSURE_CATEGORIES, DISCLOSURE_CHANNELS, DISCLOSURE_RESULTS, OFFLINE_CHANNELS, disclosureResultValue } from './options.js';

/** Parsing of modal submissions: flat values by block id, validated with zod; errors keyed by block id for Slack. */

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({
      value: z.string().nullish(),
      selected_option: z.object({ value: z.string() }).nullish(),
      selected_options: z.array(z.object({ value: z.string() })).nullish(),
      selected_date: z.string().nullish(),
      selected_time: z.string().nullish(),
    }),
  ),
);

export function readValues(state: unknown): Record<string, string | undefined> {
  const parsed = stateSchema.safeParse((state as { values?: unknown } | undefined)?.values ?? {});
  const out: Record<string, string | undefined> = {};
  if (!parsed.success) return out;
  for (const [blockId, actions] of Object.entries(parsed.data)) {
    const a = actions.value ?? Object.values(actions)[0];
    // Checkboxes: the selected values joined with commas ('' when none is ticked).
    const raw = a?.value ?? a?.selected_option?.value ?? a?.selected_date ?? a?.selected_time ?? a?.selected_options?.map((o) => o.value).join(',') ?? undefined;
    out[blockId] = raw === undefined || raw === null || raw.trim() === '' ? undefined : raw.trim();
  }
  return out;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

function check<T>(l: Locale, values: Record<string, string | undefined>, fields: Record<string, z.ZodType>, build: (v: Record<string, string | undefined>) => T): Parsed<T> {
  const errors: Record<string, string> = {};
  for (const [key, schema] of Object.entries(fields)) {
    const result = schema.safeParse(values[key]);
    if (result.success) continue;
    const [message, max] = (result.error.issues[0]?.message ?? 'slack.err.required').split('|');
    errors[key] = t(l, message ?? 'slack.err.required', { max: max ?? '' });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: build(values) };
}

const required = (max: number) =>
  z.string({ message: 'slack.err.required' }).min(1, 'slack.err.required').max(max, `slack.err.tooLong|${max}`);
const optional = (max: number) => z.string().max(max, `slack.err.tooLong|${max}`).optional();
const oneOf = (list: readonly string[]) => z.string({ message: 'slack.err.required' }).refine((v) => list.includes(v), 'slack.err.required');

export function parseText(l: Locale, values: Record<string, string | undefined>, key: string, max: number): Parsed<string> {
  return check(l, values, { [key]: required(max) }, (v) => v[key] ?? '');
}

/** Ways of closing the modal offers; the case desk's close basis (src/core/cases/types.ts CLOSE_BASES). */
export const CLOSE_BASIS_OPTIONS = ['answered', 'duplicate', 'not-processed', 'unreachable'] as const;

/**
 * The close modal: the note is what the parent reads. It may stay empty only when the parent already
 * got a reply (or, for 联系不上, cannot be reached); a duplicate names the case it repeats.
 */
export function parseClose(l: Locale, values: Record<string, string | undefined>, record: Pick<CaseRecord, 'code' | 'type' | 'repliedAt' | 'state' | 'channel' | 'chatId'> | null) {
  const disclosure = record?.type === 'disclosure';
  const basis = (CLOSE_BASIS_OPTIONS as readonly string[]).includes(values.basis ?? '') ? (values.basis as CloseBasis) : undefined;
  // 联系不上 without a note: whether the case may close so is the desk's call (a parent who answered since may not), and
  // its refusal says why, where "请填写此项" under the note would not.
  const noteOptional = Boolean(record?.repliedAt) || basis === 'duplicate' || basis === 'unreachable';
  const fields: Record<string, z.ZodType> = { note: noteOptional ? optional(2000) : required(2000) };
  if (basis === 'duplicate') fields.duplicate = required(40);
  if (disclosure) {
    fields.applicant = oneOf(APPLICANT_TYPES);
    fields.result = oneOf(DISCLOSURE_RESULTS.map(disclosureResultValue));
  }
  const via = (ANSWER_WAYS as readonly string[]).includes(values.via ?? '') ? (values.via as AnswerWay) : undefined;
  // Not a chat case: a closing answer or a 不予处理 reason reaches the citizen only the way staff gave it (close-rules.ts).
  const byDefault = basis === undefined || basis === 'answered';
  const tellsCitizen = !record?.repliedAt && Boolean(values.note?.trim())
    && ((byDefault && record?.state !== 'unreachable') || basis === 'not-processed');
  if (record && !botCanReach(record) && tellsCitizen && !via)
    return { ok: false as const, errors: { via: t(l, 'caseError.closeNeedsWay', { code: record.code, ways: ANSWER_WAYS.join('/') }) } };
  return check(l, values, fields, (v) => ({
    kind: 'close' as const,
    note: v.note ?? '',
    ...(via ? { via } : {}),
    ...(basis && basis !== 'answered' ? { basis } : {}),
    ...(basis === 'duplicate' ? { duplicateOf: v.duplicate ?? '' } : {}),
    ...(disclosure ? { applicantType: v.applicant, disclosureResult: v.result } : {}),
  }));
}

/** The reply modal: a case the bot cannot reach needs the way the answer was given (电话/书面/当面/民心网). */
export function parseReply(l: Locale, values: Record<string, string | undefined>, record: Pick<CaseRecord, 'code' | 'channel' | 'chatId'> | null): Parsed<CaseAction> {
  const text = parseText(l, values, 'reply', 3000);
  if (!text.ok) return text;
  const via = (ANSWER_WAYS as readonly string[]).includes(values.via ?? '') ? (values.via as AnswerWay) : undefined;
  if (record && !botCanReach(record) && !via)
    return { ok: false, errors: { via: t(l, 'caseError.replyNeedsWay', { code: record.code, ways: ANSWER_WAYS.join('/') }) } };
  return { ok: true, value: { kind: 'reply', text: text.value, ...(via ? { via } : {}) } };
}

/** The 退单 modal: the reason (the citizen reads it); a case the bot cannot reach needs the way they were told. */
export function parseReturn(l: Locale, values: Record<string, string | undefined>, record: Pick<CaseRecord, 'code' | 'channel' | 'chatId'> | null): Parsed<CaseAction> {
  const fields: Record<string, z.ZodType> = { reason: required(2000) };
  if (record && !botCanReach(record)) fields.via = oneOf(ANSWER_WAYS);
  return check(l, values, fields, (v) => ({
    kind: 'return' as const, reason: v.reason ?? '', ...(v.via ? { via: v.via as AnswerWay } : {}),
  }));
}

/** The 撤回 modal: how the citizen withdrew (required: staff record a withdrawal made outside the chat) and a note. */
export function parseWithdraw(l: Locale, values: Record<string, string | undefined>): Parsed<CaseAction> {
  return check(l, values, { via: oneOf(ANSWER_WAYS), note: optional(2000) }, (v) => ({
    kind: 'withdraw' as const, via: v.via as AnswerWay, ...(v.note ? { note: v.note } : {}),
  }));
}

/** The 补正已收到 modal: the day it arrived (the desk checks it against the 补正 request and today) and a note. */
export function parseCorrected(l: Locale, values: Record<string, string | undefined>): Parsed<{ receivedOn: string; text: string }> {
  return check(l, values, { date: z.string({ message: 'slack.err.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'slack.err.required'), text: optional(1000) },
    (v) => ({ receivedOn: v.date ?? '', text: v.text ?? '-' }));
}

/** The claim modal of a 信访 case without a chat: the 受理告知 way, when staff already gave it. */
export function parseClaim(values: Record<string, string | undefined>): Parsed<CaseAction> {
  const via = (ANSWER_WAYS as readonly string[]).includes(values.via ?? '') ? (values.via as AnswerWay) : undefined;
  return { ok: true, value: { kind: 'claim', ...(via ? { via } : {}) } };
}

/** The extend modal: the reason (sent to the citizen) and the 负责人 who approved it (第三十三条). */
export function parseExtend(l: Locale, values: Record<string, string | undefined>, record: Pick<CaseRecord, 'code' | 'channel' | 'chatId'> | null): Parsed<CaseAction> {
  const via = (ANSWER_WAYS as readonly string[]).includes(values.via ?? '') ? (values.via as AnswerWay) : undefined;
  const fields: Record<string, z.ZodType> = { reason: required(500), approver: required(100) };
  if (record && !botCanReach(record)) fields.via = oneOf(ANSWER_WAYS);
  return check(l, values, fields, (v) => ({
    kind: 'extend' as const, reason: v.reason ?? '', approvedBy: v.approver ?? '', ...(via ? { via } : {}),
  }));
}

/** The date (YYYY-MM-DD) of `at` in `timeZone`. */
function localDateOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Wall-clock date + time in `timeZone` → the instant. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(guess);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asLocal = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'));
  return new Date(guess.getTime() - (asLocal - guess.getTime()));
}

export interface NewCaseValues {
  channel: (typeof OFFLINE_CHANNELS)[number];
  type: CaseType;
  text: string;
  contact: string | null;
  citizenName: string | null;
  citizenRef: string | null;
  receivedAt: Date;
  /** 政府信息公开申请 only (第二十九条): applicant type and 身份证明, checked here and again by the desk. */
  applicantType?: string;
  applicantIdType?: string;
  applicantIdNumber?: string;
  deliveryForm?: string;
  deliveryMethod?: string;
  deliveryAddress?: string | null;
}

/** The value of the new-case modal's 补录 checkbox (block `backfill`). */
export const BACKFILL_VALUE = 'backfill';

/**
 * The legal deadline a case of `type` received at `receivedAt` would get (the desk's rules and calendar), or null when
 * the type has none or the desk cannot say.
 */
export type DeadlineOf = (type: CaseType, receivedAt: Date) => string | null;

export function parseNewCase(l: Locale, values: Record<string, string | undefined>, now: Date, timeZone: string, deadlineOf?: DeadlineOf): Parsed<NewCaseValues> {
  const result = check(
    l,
    values,
    {
      channel: oneOf(OFFLINE_CHANNELS),
      type: oneOf(CASE_TYPES),
      text: required(3000),
      contact: optional(100),
      name: optional(50),
      ref: optional(100),
      date: z.string({ message: 'slack.err.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'slack.err.required'),
      time: z.string({ message: 'slack.err.required' }).regex(/^\d{2}:\d{2}$/, 'slack.err.required'),
    },
    (v) => ({
      channel: v.channel as NewCaseValues['channel'],
      type: v.type as CaseType,
      text: v.text ?? '',
      contact: v.contact ?? null,
      citizenName: v.name ?? null,
      citizenRef: v.ref ?? null,
      receivedAt: zonedInstant(v.date ?? '', v.time ?? '', timeZone),
    }),
  );
  if (result.ok && result.value.receivedAt.getTime() > now.getTime() + 60_000)
    return { ok: false, errors: { time: t(l, 'slack.err.future') } };
  // A date picked a year (or ten) off by one click logs a case overdue from its first second, numbered and counted in
  // that year, which can never be removed: a received date whose legal deadline is already over asks to be confirmed
  // (the 补录 box) with what it would mean.
  if (result.ok && deadlineOf && !values.backfill?.split(',').includes(BACKFILL_VALUE)) {
    const deadline = deadlineOf(result.value.type, result.value.receivedAt);
    const today = localDateOf(now, timeZone);
    if (deadline && deadline < today)
      return { ok: false, errors: { date: t(l, 'slack.err.receivedPastDeadline', { date: values.date ?? '', deadline, year: (values.date ?? '').slice(0, 4) }) } };
  }
  // A phone, an e-mail or (a 政府信息公开申请) a postal address (the desk checks it again): the error under the field, masked.
  if (result.ok && result.value.contact) {
    const contact = normaliseStaffContact(result.value.contact, result.value.type);
    if (!contact) return { ok: false, errors: { contact: t(l, 'caseError.contactInvalid', { masked: maskTypedContact(result.value.contact) }) } };
    result.value.contact = contact;
  }
  if (!result.ok || result.value.type !== 'disclosure') return result;
  return withDisclosureIntake(l, values, result.value);
}

/**
 * 第二十九条: a 政府信息公开申请 needs the applicant's name, type, contact and 身份证明. Refused with the case
 * desk's coded texts (caseError.*) under the fields that miss them, so staff see what to add before it is logged.
 */
function withDisclosureIntake(l: Locale, values: Record<string, string | undefined>, base: NewCaseValues): Parsed<NewCaseValues> {
  const errors: Record<string, string> = {};
  const applicant = values.applicant && (APPLICANT_TYPES as readonly string[]).includes(values.applicant) ? values.applicant : undefined;
  const needsApplicant = t(l, 'caseError.disclosureNeedsApplicant');
  if (!base.citizenName) errors.name = needsApplicant;
  if (!base.contact) errors.contact = needsApplicant;
  if (!applicant) errors.applicant = needsApplicant;
  const idType = values.idType && (ID_TYPES as readonly string[]).includes(values.idType) ? values.idType : undefined;
  if (!idType) errors.idType = t(l, 'caseError.disclosureNeedsIdentity');
  if (!values.idNumber) errors.idNumber = t(l, 'caseError.disclosureNeedsIdentity');
  if (applicant && idType && !idTypeFitsApplicant(applicant, idType))
    errors.idType = t(l, 'caseError.idTypeMismatch', { applicant, expected: applicant === '自然人' ? PERSON_ID_TYPES.join('/') : ORG_ID_TYPE });
  if (idType && values.idNumber && !errors.idType) {
    const parsed = applicantIdSchema.safeParse({ idType, idNumber: values.idNumber });
    if (!parsed.success)
      errors.idNumber = t(l, `caseError.idProblem.${parsed.error.issues[0]?.message ?? 'otherFormat'}`, { masked: maskIdentityNumber(normaliseIdNumber(values.idNumber).slice(0, 30)) });
  }
  // 第二十九条（三）形式要求: form and way of delivery, with the address a post or an e-mail goes to.
  const form = values.form && (DELIVERY_FORMS as readonly string[]).includes(values.form) ? (values.form as DeliveryForm) : undefined;
  const method = values.method?.trim() || undefined;
  const address = values.address?.trim() || null;
  const needsDelivery = t(l, 'caseError.disclosureNeedsDelivery');
  if (!form) errors.form = needsDelivery;
  if (!method) errors.method = needsDelivery;
  else if (form && !(METHODS_FOR_FORM[form] as readonly string[]).includes(method))
    errors.method = t(l, 'caseError.deliveryMethodMismatch', { form, method, allowed: METHODS_FOR_FORM[form].join('/') });
  else if (method === '邮寄' && !address) errors.address = t(l, 'caseError.disclosureNeedsAddress');
  else if (method === '电子邮件' && !isEmail(address ?? '')) errors.address = t(l, 'caseError.disclosureNeedsEmail', { value: (address ?? '').slice(0, 60) || '-' });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...base, applicantType: applicant!, applicantIdType: idType!, applicantIdNumber: normaliseIdNumber(values.idNumber!),
      deliveryForm: form!, deliveryMethod: method!, deliveryAddress: address,
    },
  };
}

export interface DisclosureValues {
  title: string;
  category: string;
  channel: string;
  publishedOn: string;
  url: string | null;
}

/**
 * The 信息发布 modal. A publication date still to come (a slip in the date picker, 2062 for 2026) is refused under the
 * field: the item would drop out of its year's 信息发布 count in the annual report for good.
 */
export function parseDisclosure(l: Locale, values: Record<string, string | undefined>, today: string): Parsed<DisclosureValues> {
  const result = check(
    l,
    values,
    {
      title: required(200),
      category: oneOf(DISCLOSURE_CATEGORIES),
      channel: oneOf(DISCLOSURE_CHANNELS),
      date: z.string({ message: 'slack.err.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'slack.err.required'),
      url: z.string().regex(/^https?:\/\/\S+$/, 'slack.err.url').max(1000, 'slack.err.tooLong|1000').optional(),
    },
    (v) => ({ title: v.title ?? '', category: v.category ?? '', channel: v.channel ?? '', publishedOn: v.date ?? '', url: v.url ?? null }),
  );
  if (result.ok && result.value.publishedOn > today) return { ok: false, errors: { date: t(l, 'slack.err.publishedFuture', { today }) } };
  return result;
}

const isoDate = z.string({ message: 'slack.err.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'slack.err.required');

/**
 * The 复查 / 复核 modal (modals.ts reviewModal) as the desk's ReviewInput. Checked here so Slack shows each problem under
 * its field: the stage, a result only with its decision date (both empty = the decision is still to come), no date
 * still to come, the decision not before the request. What needs the case's earlier entries (order of stages, the
 * request limit) the desk checks, as for `/case review CODE …`.
 */
export function parseReview(l: Locale, values: Record<string, string | undefined>, today: string): Parsed<ReviewInput> {
  const result = check(
    l,
    values,
    {
      level: oneOf(REVIEW_LEVELS),
      outcome: z.string().refine((v) => [...REVIEW_OUTCOMES, WITHDRAWN_OUTCOME].includes(v), 'slack.err.required').optional(),
      requested: isoDate,
      requestReceived: isoDate.optional(),
      decided: isoDate.optional(),
      body: z.string({ message: 'slack.err.required' }).min(2, 'slack.err.required').max(60, 'slack.err.tooLong|60'),
      note: optional(2000),
    },
    (v): ReviewInput => ({
      level: v.level as ReviewInput['level'],
      requestedOn: v.requested ?? '',
      ...(v.requestReceived ? { requestReceivedOn: v.requestReceived } : {}),
      body: v.body ?? '',
      ...(v.outcome ? { outcome: v.outcome } : {}),
      ...(v.decided ? { decidedOn: v.decided } : {}),
      ...(v.note ? { note: v.note } : {}),
    }),
  );
  if (!result.ok) return result;
  const input = result.value;
  const errors: Record<string, string> = {};
  const say = (key: string, params: Record<string, string | number>) => errorText(l, caseError('case_invalid', key, params));
  if (input.level === 'repeat' && (input.outcome || input.decidedOn)) errors[input.outcome ? 'outcome' : 'decided'] = t(l, 'slack.err.reviewRepeatNoOutcome');
  else if (input.outcome && !input.decidedOn)
    errors.decided = say(input.outcome === WITHDRAWN_OUTCOME ? 'reviewNeedsWithdrawn' : 'reviewNeedsDecided', { level: String(input.level) });
  else if (input.decidedOn && !input.outcome) errors.outcome = t(l, 'slack.err.reviewDecidedNeedsOutcome');
  for (const [block, field, value] of [['requested', 'requested', input.requestedOn], ['requestReceived', 'requestReceived', input.requestReceivedOn], ['decided', 'decided', input.decidedOn]] as const)
    if (value && value > today) errors[block] = say('reviewDateFuture', { field, value, today });
  if (!errors.requestReceived && input.requestReceivedOn && input.requestedOn && input.requestReceivedOn < input.requestedOn)
    errors.requestReceived = say('reviewReceiptOrder', { requested: input.requestedOn, value: input.requestReceivedOn });
  if (!errors.decided && input.decidedOn && input.requestedOn && input.decidedOn < input.requestedOn)
    errors.decided = say('reviewDateOrder', { requested: input.requestedOn, decided: input.decidedOn, received: today });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : result;
}
