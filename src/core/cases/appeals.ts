import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/dates.js';
import { caseError } from '../i18n/errors-text.js';
import type { CaseRecord } from './types.js';

/**
 * 行政复议 / 行政诉讼 brought against the bureau's answer to one 政府信息公开申请 (《政府信息公开条例》第五十一条), recorded
 * against the request's code. The categories and outcomes are table 四's columns (国办公开办函〔2021〕30号): 行政复议,
 * 行政诉讼·未经复议直接起诉, 行政诉讼·复议后起诉; 结果维持 / 结果纠正 / 其他结果 / 尚未审结. The annual report counts
 * these linked entries together with the register entries of kind `review` (appeals about no single request).
 */
export const APPEAL_CATEGORIES = ['行政复议', '未经复议直接起诉', '复议后起诉'] as const;
export type AppealCategory = (typeof APPEAL_CATEGORIES)[number];
export const APPEAL_OUTCOMES = ['维持', '纠正', '其他', '尚未审结'] as const;
export const APPEAL_UNDECIDED = '尚未审结';

const CATEGORY_ALIASES: Record<string, AppealCategory> = {
  复议: '行政复议', 行政复议: '行政复议', reconsideration: '行政复议',
  诉讼: '未经复议直接起诉', 行政诉讼: '未经复议直接起诉', 直接起诉: '未经复议直接起诉', 未经复议直接起诉: '未经复议直接起诉', suit: '未经复议直接起诉',
  复议后起诉: '复议后起诉', 'suit-after-review': '复议后起诉',
};
const OUTCOME_ALIASES: Record<string, string> = { upheld: '维持', corrected: '纠正', other: '其他', pending: APPEAL_UNDECIDED };

const date = (field: string) => z.string().trim().refine(isIsoDate, { message: `${field} must be a date written YYYY-MM-DD`, params: { field } });

/** What staff give (Slack, console, CLI): validated here, whoever calls. */
export const appealInputSchema = z.object({
  category: z.preprocess(
    (v) => (typeof v === 'string' ? (CATEGORY_ALIASES[v.trim().toLowerCase()] ?? v) : v),
    z.enum(APPEAL_CATEGORIES),
  ),
  /**
   * When the bureau learned of it (the register's 收到日期): the year table 四 counts it in. Required for a new
   * appeal; when recording the result of one already recorded it may be left out (or names which one).
   */
  filedOn: date('filedOn').optional(),
  /** Left out: 尚未审结 for a new appeal, unchanged for one already recorded. */
  outcome: z.preprocess(
    (v) => (typeof v === 'string' ? (OUTCOME_ALIASES[v.trim().toLowerCase()] ?? v.trim()) : v),
    z.enum(APPEAL_OUTCOMES).optional(),
  ),
  /** The appeal whose result (or correction) this is: the id of its first entry (the modal's choice). */
  appealId: z.coerce.number().int().positive().optional(),
  decidedOn: date('decidedOn').optional(),
  /** 案号 of the 复议 / 诉讼. */
  caseRef: z.string().trim().min(1).max(60).optional(),
  note: z.string().trim().max(2000).optional(),
});
export type AppealInput = z.input<typeof appealInputSchema>;
export type CheckedAppeal = z.output<typeof appealInputSchema>;

export function checkAppealInput(raw: unknown): CheckedAppeal {
  const result = appealInputSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? 'category');
  const value = String((raw as Record<string, unknown> | null)?.[field] ?? '').slice(0, 40);
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (field === 'category') throw caseError('case_invalid', 'appealCategory', { value, categories: '复议/诉讼/复议后起诉' }, { problems });
  if (field === 'outcome') throw caseError('case_invalid', 'appealOutcome', { value, outcomes: APPEAL_OUTCOMES.join('/') }, { problems });
  if (field === 'appealId') throw caseError('case_invalid', 'appealUnknown', { value, code: '-' }, { problems });
  if (field === 'caseRef' || field === 'note') throw caseError('case_invalid', 'reviewTextTooLong', { field: 'other' }, { problems });
  throw caseError('case_invalid', 'reviewDate', { field: field === 'filedOn' ? 'appealFiled' : 'appealDecided', value }, { problems });
}

/** The fields one entry of disclosure_appeals stores. */
export interface AppealFields {
  category: AppealCategory;
  filedOn: IsoDate;
  outcome: string;
  decidedOn: IsoDate | null;
  caseRef: string | null;
}

/** A stored entry as planning needs it (appeals-repo DisclosureAppealRecord). */
export interface AppealEntry extends Omit<AppealFields, 'category' | 'filedOn' | 'decidedOn'> {
  id: number;
  /** The appeal's first entry; null on the first entry itself. */
  appealId: number | null;
  category: string;
  filedOn: string;
  decidedOn: string | null;
}

/** Each appeal of a request once: its latest entry (which carries the result), keyed by its first entry's id. */
export function currentAppeals<T extends AppealEntry>(entries: readonly T[]): { appealId: number; entry: T }[] {
  const latest = new Map<number, T>();
  for (const e of [...entries].sort((a, b) => a.id - b.id)) latest.set(e.appealId ?? e.id, e);
  return [...latest].map(([appealId, entry]) => ({ appealId, entry }));
}

/** What one entry does: starts an appeal (`appealId` null) or records the result of / corrects the appeal `appealId`. */
export interface AppealPlan {
  fields: AppealFields;
  appealId: number | null;
  note: string | null;
}

/**
 * Checks an entry against its request and the request's earlier entries, and decides which appeal it is:
 *  - `appealId` given: that appeal (the modal's choice);
 *  - else the appeal of the same category received on `filedOn`; without `filedOn`, the only (undecided) one of the
 *    category — so `/case appeal CODE 复议 结果=维持 审结=…` records the result of the 复议 already recorded;
 *  - else a new appeal (it needs `filedOn`).
 * An entry that changes nothing of the appeal it names is refused (a repeated command records once). Dates in
 * order, none still to come; a result other than 尚未审结 needs its 审结 date.
 */
/** `staffLocale` (STAFF_LOCALE): the language of the entry's line a refusal quotes. */
export function planAppeal(record: CaseRecord, earlier: readonly AppealEntry[], input: CheckedAppeal, today: IsoDate, staffLocale: 'zh' | 'en' = 'zh'): AppealPlan {
  const code = record.code;
  if (record.type !== 'disclosure') throw caseError('case_invalid', 'appealNotDisclosure', { code, type: record.type });
  if (record.state !== 'closed') throw caseError('case_illegal_transition', 'appealNotAnswered', { code, state: record.state });
  const current = currentAppeals(earlier);
  let target: (typeof current)[number] | undefined;
  if (input.appealId !== undefined) {
    target = current.find((c) => c.appealId === input.appealId);
    if (!target) throw caseError('case_invalid', 'appealUnknown', { value: String(input.appealId), code });
  } else {
    const sameKind = current.filter((c) => c.entry.category === input.category);
    if (input.filedOn) target = sameKind.find((c) => c.entry.filedOn === input.filedOn);
    else {
      const open = sameKind.filter((c) => c.entry.outcome === APPEAL_UNDECIDED);
      target = sameKind.length === 1 ? sameKind[0] : open.length === 1 ? open[0] : undefined;
      if (!target && sameKind.length === 0) throw caseError('case_invalid', 'appealNeedsFiled', { code, category: input.category });
      if (!target) throw caseError('case_invalid', 'appealWhich', { code, category: input.category, filed: sameKind.map((c) => c.entry.filedOn).join('、') });
    }
  }
  const was = target?.entry;
  const fields: AppealFields = {
    category: input.category,
    filedOn: input.filedOn ?? (was!.filedOn as IsoDate),
    outcome: input.outcome ?? was?.outcome ?? APPEAL_UNDECIDED,
    decidedOn: input.decidedOn ?? (input.outcome === APPEAL_UNDECIDED ? null : ((was?.decidedOn ?? null) as IsoDate | null)),
    caseRef: input.caseRef ?? was?.caseRef ?? null,
  };
  for (const [field, value] of [['appealFiled', fields.filedOn], ['appealDecided', fields.decidedOn]] as const)
    if (value && value > today) throw caseError('case_invalid', 'reviewDateFuture', { field, value, today });
  if (fields.decidedOn && fields.decidedOn < fields.filedOn)
    throw caseError('case_invalid', 'appealDateOrder', { filed: fields.filedOn, decided: fields.decidedOn });
  if (fields.outcome !== APPEAL_UNDECIDED && !fields.decidedOn) throw caseError('case_invalid', 'appealNeedsDecided', { outcome: fields.outcome });
  if (fields.outcome === APPEAL_UNDECIDED && fields.decidedOn) throw caseError('case_invalid', 'appealDecidedNeedsOutcome', { decided: fields.decidedOn });
  if (was && (['category', 'filedOn', 'outcome', 'decidedOn', 'caseRef'] as const).every((k) => (was[k] ?? null) === (fields[k] ?? null)) && !input.note)
    throw caseError('case_illegal_transition', 'appealUnchanged', { code, line: appealText(was, staffLocale) });
  return { fields, appealId: target?.appealId ?? null, note: input.note || null };
}

/** Normalised 案号 for comparison: no spaces, the brackets 〔〕［］[]（）() as one kind, case-blind. */
export const normaliseCaseRef = (ref: string | null | undefined): string =>
  (ref ?? '').replace(/\s+/gu, '').replace(/[〔［[（(【]/gu, '[').replace(/[〕］\]）)】]/gu, ']').toLowerCase();

/** A register entry of kind review (register_items) as the duplicate rule reads it. */
export interface RegisterAppeal {
  id: number;
  category: string | null;
  title: string;
  ref: string | null;
  dateOn: string;
  note: string | null;
}

/**
 * Whether a register entry (行政复议/行政诉讼 register, about no single request) and an appeal linked to disclosure
 * request `code` are the same case entered twice. Only the same category can be; then
 *  - both carry a 案号: the same 案号 (after normalising) is the same case, different ones are different cases;
 *  - otherwise the same 收到日期 is, and so is a register entry that names the request's code in its title, 案号
 *    or note (the register has no requester field: the code is how it points at a request).
 * Two genuine appeals of one category received the same day without 案号 cannot be told apart: give them their 案号.
 */
export function sameAppeal(linked: Pick<AppealFields, 'category' | 'filedOn' | 'caseRef'> & { code: string }, entry: RegisterAppeal): boolean {
  if ((entry.category ?? '行政复议') !== linked.category) return false;
  const [a, b] = [normaliseCaseRef(linked.caseRef), normaliseCaseRef(entry.ref)];
  if (a && b) return a === b;
  const names = [entry.title, entry.ref ?? '', entry.note ?? ''].some((text) => text.toUpperCase().includes(linked.code.toUpperCase()));
  return entry.dateOn === linked.filedOn || names;
}

/** A register entry as staff read it in a refusal or warning: #id「title」（category，案号，收到 date）. */
export function registerAppealText(e: RegisterAppeal, locale: 'zh' | 'en'): string {
  const ref = e.ref ? (locale === 'zh' ? `，案号 ${e.ref}` : `, ${e.ref}`) : '';
  return locale === 'zh'
    ? `行政复议/行政诉讼登记 #${e.id}「${e.title}」（${e.category ?? '行政复议'}${ref}，收到 ${e.dateOn}）`
    : `register entry #${e.id} "${e.title}" (${e.category ?? '行政复议'}${ref}, received ${e.dateOn})`;
}

/** One entry as staff read it (case history, `cases appeals`, Slack and console answers). */
export function appealText(a: { category: string; filedOn: string; outcome: string; decidedOn: string | null; caseRef: string | null }, locale: 'zh' | 'en'): string {
  const kind = a.category === '行政复议' ? '行政复议' : `行政诉讼·${a.category}`;
  const ref = a.caseRef ? (locale === 'zh' ? `（${a.caseRef}）` : ` (${a.caseRef})`) : '';
  if (locale === 'en')
    return `${kind}${ref}: received ${a.filedOn}; ${a.outcome === APPEAL_UNDECIDED ? 'not yet decided (尚未审结)' : `${a.outcome}, decided ${a.decidedOn ?? '-'}`}`;
  return `${kind}${ref}：收到 ${a.filedOn}；${a.outcome === APPEAL_UNDECIDED ? '尚未审结' : `结果${a.outcome}，审结 ${a.decidedOn ?? '-'}`}`;
}

/**
 * What staff are told when an appeal was recorded (Slack, console, CLI): new or its result/correction, its line, and
 * the register entries that are the same case (counted once, through the request).
 */
export function appealRecordedText(
  r: { case: { code: string }; appeal: Parameters<typeof appealText>[0] & { appealId: number | null }; updated: boolean; sameInRegister: readonly RegisterAppeal[] },
  locale: 'zh' | 'en',
): string {
  const head = locale === 'zh'
    ? `${r.case.code} ${r.updated ? '已更新行政复议/行政诉讼记录' : '已记录行政复议/行政诉讼'}：`
    : `${r.case.code}: ${r.updated ? 'updated the 行政复议/行政诉讼' : 'recorded a 行政复议/行政诉讼'}: `;
  const twins = r.sameInRegister.map((e) =>
    locale === 'zh'
      ? `注意：${registerAppealText(e, 'zh')}是同一案件，年度报告表四只按本申请的记录计一次。`
      : `Note: ${registerAppealText(e, 'en')} is the same case; table 四 of the annual report counts it once, through this request.`);
  return [`${head}${appealText(r.appeal, locale)}`, ...twins].join('\n');
}
