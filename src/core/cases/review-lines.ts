import '../i18n/staff.js';
import { daysBetween } from '../calendar/dates.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../types.js';
import type { CaseReviewRecord } from '../../storage/reviews-repo.js';
import { PENDING_OUTCOME, WITHDRAWN_OUTCOME } from './reviews.js';

/**
 * One 复查 / 复核 entry as staff read it (Slack card, console `show`, CLI `cases reviews`): who decided what, the
 * dates, and whether the request was in time, with the dates the limit was counted from and to.
 */
export function reviewLine(review: CaseReviewRecord, locale: Locale): string {
  const level = t(locale, `staff.review.level.${review.level}`);
  if (review.level === 'repeat')
    return t(locale, 'staff.review.repeatLine', {
      level, body: review.body, outcome: review.outcome, requested: review.requestedOn, from: review.windowFrom, received: review.receivedOn,
    });
  const timing = review.inTime
    ? t(locale, 'staff.review.inTime', { from: review.windowFrom, end: review.windowEnd })
    : t(locale, 'staff.review.late', {
        fromWhat: t(locale, `staff.review.from.${review.level}`), from: review.windowFrom, end: review.windowEnd,
        requested: review.requestedOn, days: daysBetween(review.windowEnd, review.requestedOn),
      });
  if (review.outcome === WITHDRAWN_OUTCOME)
    return t(locale, 'staff.review.withdrawnLine', { level, body: review.body, decided: review.decidedOn ?? '-', requested: review.requestedOn, received: review.receivedOn, timing });
  // The body's receipt, said where it differs from the request day: the decision limit counts from it.
  const bodyReceived = review.requestReceivedOn !== review.requestedOn ? t(locale, 'staff.review.bodyReceived', { date: review.requestReceivedOn }) : '';
  if (review.outcome === PENDING_OUTCOME)
    return t(locale, 'staff.review.pendingLine', {
      level, body: review.body, requested: review.requestedOn, bodyReceived, received: review.receivedOn, timing, due: review.decisionDue ?? '-',
    });
  const line = t(locale, 'staff.review.line', {
    level, body: review.body, outcome: review.outcome, requested: review.requestedOn, bodyReceived, decided: review.decidedOn ?? '-',
    received: review.receivedOn, timing,
  });
  // The reviewing body's own 30 日 (第三十四条、第三十五条): said only when it was missed.
  const late = review.decisionDue && review.decidedOn && review.decidedOn > review.decisionDue;
  return late ? `${line}${locale === 'zh' ? '；' : '; '}${t(locale, 'staff.review.decidedLate', { due: review.decisionDue! })}` : line;
}
