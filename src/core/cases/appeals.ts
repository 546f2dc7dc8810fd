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
  /** When the bureau learned of it (the register's 收到日期): the year table 四 counts it in. */
  filedOn: date('filedOn'),
  outcome: z.preprocess(
    (v) => (typeof v === 'string' ? (OUTCOME_ALIASES[v.trim().toLowerCase()] ?? v.trim()) : v),
    z.enum(APPEAL_OUTCOMES).default(APPEAL_UNDECIDED),
  ),
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
  if (field === 'caseRef' || field === 'note') throw caseError('case_invalid', 'reviewTextTooLong', { field: 'other' }, { problems });
  throw caseError('case_invalid', 'reviewDate', { field: field === 'filedOn' ? 'appealFiled' : 'appealDecided', value }, { problems });
}

/** Checks an entry against its request: a closed disclosure request, dates in order and none still to come. */
export function planAppeal(record: CaseRecord, input: CheckedAppeal, today: IsoDate): CheckedAppeal {
  if (record.type !== 'disclosure') throw caseError('case_invalid', 'appealNotDisclosure', { code: record.code, type: record.type });
  if (record.state !== 'closed') throw caseError('case_illegal_transition', 'appealNotAnswered', { code: record.code, state: record.state });
  for (const [field, value] of [['appealFiled', input.filedOn], ['appealDecided', input.decidedOn]] as const)
    if (value && value > today) throw caseError('case_invalid', 'reviewDateFuture', { field, value, today });
  if (input.decidedOn && input.decidedOn < input.filedOn)
    throw caseError('case_invalid', 'appealDateOrder', { filed: input.filedOn, decided: input.decidedOn });
  if (input.outcome !== APPEAL_UNDECIDED && !input.decidedOn) throw caseError('case_invalid', 'appealNeedsDecided', { outcome: input.outcome });
  return input;
}

/** One entry as staff read it (case history, `cases appeals`, Slack and console answers). */
export function appealText(a: { category: string; filedOn: string; outcome: string; decidedOn: string | null; caseRef: string | null }, locale: 'zh' | 'en'): string {
  const kind = a.category === '行政复议' ? '行政复议' : `行政诉讼·${a.category}`;
  const ref = a.caseRef ? (locale === 'zh' ? `（${a.caseRef}）` : ` (${a.caseRef})`) : '';
  if (locale === 'en')
    return `${kind}${ref}: received ${a.filedOn}; ${a.outcome === APPEAL_UNDECIDED ? 'not yet decided (尚未审结)' : `${a.outcome}, decided ${a.decidedOn ?? '-'}`}`;
  return `${kind}${ref}：收到 ${a.filedOn}；${a.outcome === APPEAL_UNDECIDED ? '尚未审结' : `结果${a.outcome}，审结 ${a.decidedOn ?? '-'}`}`;
}
