import '../i18n/cases.js';
import type { DeadlineRule } from '../deadlines/index.js';
import { t } from '../i18n/index.js';
import type { CaseRecord } from './types.js';

/** The bodies a closing answer names: 复查机关 (信访) and 行政复议机关 (disclosure). */
export interface RemedyBodies {
  /** BUREAU_SUPERIOR: the 上一级行政机关 that hears a 复查 (《信访条例》第三十四条). */
  superior: string;
  /** BUREAU_APPEAL_BODY: the 行政复议机关 of a disclosure answer. */
  appealBody: string;
}

/** Close bases that are the bureau's written answer on the matter (a 处理意见 / 答复), not a reason it was not handled. */
const ANSWER_BASES: readonly (CaseRecord['closeBasis'] & string)[] = ['answered', 'message'];

/** The closing answer was a 信访 处理意见 that named 复查 (remedyLine): the petitioner's route if not satisfied. */
export function reviewRouteApplies(record: Pick<CaseRecord, 'closeBasis'>, rule: DeadlineRule): boolean {
  return Boolean(rule.review) && ANSWER_BASES.includes(record.closeBasis ?? 'answered');
}

/**
 * The 救济途径 line of a closing answer, or null when the answer carries none:
 *  - 信访 (rule.review): the written reply (处理意见) tells the petitioner of 复查 by the superior body within
 *    `review.request` days (第三十四条); a duplicate, 不予处理 or unreachable closing is no 处理意见 and has none;
 *  - disclosure (rule.appeal): every 答复 (第三十六条, also 第三十九条 不予处理) tells of 行政复议 and 行政诉讼
 *    (第五十一条); a duplicate or unreachable closing answered nothing and has none;
 *  - 12345 types: none (the hotline's own 回访 and the objection button serve them).
 */
export function remedyLine(record: CaseRecord, rule: DeadlineRule, bodies: RemedyBodies): string | null {
  const basis = record.closeBasis ?? 'answered';
  if (rule.review) {
    if (!ANSWER_BASES.includes(basis)) return null;
    return t(record.locale, 'cases.remedy.review', { body: bodies.superior, days: rule.review.request });
  }
  if (rule.appeal) {
    if (basis === 'duplicate' || basis === 'unreachable') return null;
    return t(record.locale, 'cases.remedy.appeal', {
      body: bodies.appealBody, days: rule.appeal.reconsiderationDays, months: rule.appeal.litigationMonths,
    });
  }
  return null;
}
