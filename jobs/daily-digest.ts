import { ratingDisplay } from '../src/core/cases/ratings.js';
import { acceptanceNoticeDue, consultationReplyWindow, loadDeadlineRules } from '../src/core/deadlines/index.js';
import { daysBetween } from '../src/core/calendar/dates.js';
import { renderDigest, type DigestCase, type DigestData } from '../src/core/reports/digest.js';
import { addDays, formatLocalDateTime, localParts, startOfLocalDay } from '../src/core/reports/local-time.js';
import { outcomeDayAt } from '../src/storage/case-outcome.js';
import * as repo from '../src/storage/digest-repo.js';
import { OVERTURNING_OUTCOMES, PENDING_OUTCOME } from '../src/core/cases/reviews.js';
import { pendingReviewsDueBy, reviewsRecordedBetween } from '../src/storage/reviews-repo.js';
import type { Job, JobContext } from './types.js';

/** How many cases each digest list shows before "… and N more". */
export const DIGEST_LIST_LIMIT = 100;
export const DIGEST_GAP_LIMIT = 10;

function previousWorkingDay(ctx: JobContext, date: string): string {
  let day = addDays(date, -1);
  for (let i = 0; i < 60 && !ctx.calendar.isWorkingDay(day); i++) day = addDays(day, -1);
  return day;
}

/** Ratings read as on every other channel: stars on the bot's scale ("★★★★☆ 满意"), the label otherwise. */
const toCase = ({ ratingScale, ratingValue, ...r }: repo.DigestCaseRow): DigestCase => ({
  ...r,
  ratingLabel: r.ratingLabel && ratingScale ? ratingDisplay({ scale: ratingScale, value: ratingValue ?? null, label: r.ratingLabel }) : r.ratingLabel,
});

/** Running consultations past the third party's 15 working days (第三十二条), oldest first. */
async function lateConsultations(ctx: JobContext, today: string): Promise<{ rows: DigestCase[]; total: number }> {
  const rows = (await repo.openConsultations(ctx.db, 10 * DIGEST_LIST_LIMIT))
    .map(({ startedAt, ...r }) => ({ r, w: consultationReplyWindow(ctx.calendar, localParts(new Date(startedAt), ctx.timezone).date, today) }))
    .filter(({ w }) => w.overdueDays > 0)
    .map(({ r, w }) => ({ ...toCase(r), consultationDue: w.due, daysOverdue: w.overdueDays }));
  return { rows: rows.slice(0, DIGEST_LIST_LIMIT), total: rows.length };
}

/**
 * Disclosure requests waiting for the applicant's 补正 (第三十条), earliest notice first, with the day the 补正告知 went
 * out and the working days since: the clock is stopped, and staff decide when "逾期不补正" (视为放弃申请) applies.
 */
async function awaitedCorrections(ctx: JobContext, today: string): Promise<{ rows: DigestCase[]; total: number }> {
  const rows = (await repo.awaitingCorrections(ctx.db, 10 * DIGEST_LIST_LIMIT)).map(({ askedAt, ...r }) => {
    const askedOn = localParts(new Date(askedAt), ctx.timezone).date;
    return { ...toCase(r), correctionAskedOn: askedOn, waitingDays: ctx.calendar.workingDaysBetween(askedOn, today) };
  });
  return { rows: rows.slice(0, DIGEST_LIST_LIMIT), total: rows.length };
}

/** How many calendar days ahead the digest warns of a 受理告知 falling due (today counts as day 0). */
export const ACCEPTANCE_NOTICE_WARN_DAYS = 3;

/**
 * 信访 cases whose 受理告知 (第二十二条, receipt + 15 日) is due within ACCEPTANCE_NOTICE_WARN_DAYS or late and
 * not recorded, earliest due first.
 */
async function acceptanceNotices(ctx: JobContext, today: string): Promise<{ rows: DigestCase[]; total: number }> {
  const rules = ctx.rules ?? loadDeadlineRules();
  const types = Object.entries(rules).filter(([, rule]) => rule.acceptanceNotice).map(([type]) => type);
  const rows = (await repo.acceptanceNoticesUnrecorded(ctx.db, types, 10 * DIGEST_LIST_LIMIT))
    .map((r) => ({ r, due: acceptanceNoticeDue(ctx.calendar, rules[r.type as keyof typeof rules], r.receivedAt, ctx.timezone)! }))
    .filter(({ due }) => daysBetween(today, due) <= ACCEPTANCE_NOTICE_WARN_DAYS)
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))
    .map(({ r, due }) => ({ ...toCase(r), noticeDue: due, daysOverdue: Math.max(0, daysBetween(due, today)) }));
  return { rows: rows.slice(0, DIGEST_LIST_LIMIT), total: rows.length };
}

/** 信访 复查 / 复核 decisions recorded since the last digest that revoked or changed the bureau's 处理意见. */
async function overturnedReviews(ctx: JobContext, since: string, now: Date): Promise<{ rows: DigestCase[]; total: number }> {
  const { rows, total } = await reviewsRecordedBetween(ctx.db, since, now.toISOString(), OVERTURNING_OUTCOMES, DIGEST_LIST_LIMIT);
  return {
    rows: rows.map(({ review, case: c }) => ({
      ...c, review: { level: review.level, outcome: review.outcome, body: review.body, decidedOn: review.decidedOn },
    })),
    total,
  };
}

/**
 * How many calendar days ahead the digest warns of a 复查 / 复核意见 falling due: the same look-ahead as the 受理告知
 * (both are 信访 limits in 日), so one rule covers the petition limits staff watch.
 */
export const REVIEW_DECISION_WARN_DAYS = ACCEPTANCE_NOTICE_WARN_DAYS;

/**
 * 信访 复查 / 复核 requests recorded without their decision whose reviewing body's 30 日 (第三十四条、第三十五条) ends
 * within REVIEW_DECISION_WARN_DAYS or has passed, earliest due first.
 */
async function pendingReviews(ctx: JobContext, today: string): Promise<{ rows: DigestCase[]; total: number }> {
  const { rows, total } = await pendingReviewsDueBy(ctx.db, PENDING_OUTCOME, addDays(today, REVIEW_DECISION_WARN_DAYS), DIGEST_LIST_LIMIT);
  return {
    rows: rows.map(({ review, case: c }) => ({
      ...c,
      review: { level: review.level, outcome: review.outcome, body: review.body, decidedOn: null, requestedOn: review.requestedOn },
      reviewDue: review.decisionDue ?? undefined,
      daysOverdue: Math.max(0, daysBetween(review.decisionDue ?? today, today)),
    })),
    total,
  };
}

/** What a digest at `now` covers. */
export interface DigestWindow {
  /** New cases, undelivered answers, overturning reviews and knowledge gaps from here (UTC ISO) up to `now`. */
  since: string;
  /** Closed cases: whole local days from this date (YYYY-MM-DD) up to the end of yesterday. */
  closedFrom: string;
}

/**
 * Everything since the last digest that reached staff (digest_posts): a weekend, downtime or a failed post
 * leaves the window where it was, so the next digest lists what they would have, once. Closed cases go by
 * whole days, from the day of that digest (it listed the days before) to the end of yesterday.
 *
 * The first digest ever (nothing posted yet) covers from the previous working day at this digest's time of
 * day, per the bureau calendar: what a digest that day would have handed over. Monday's first digest thus
 * starts on Friday and includes the weekend; one right after a holiday starts on the last working day before
 * it. A fixed 24 hours would miss the weekend; "everything since install" would flood the first digest of a
 * bureau that upgrades with years of cases. But never before the database was set up (its first migration,
 * when that lies between): nothing older exists.
 */
export async function digestWindow(ctx: JobContext, now: Date): Promise<DigestWindow> {
  const last = await repo.lastDigestCoveredUntil(ctx.db, now);
  if (last) return { since: last, closedFrom: localParts(new Date(last), ctx.timezone).date };
  const today = localParts(now, ctx.timezone).date;
  const previous = previousWorkingDay(ctx, today);
  const timeOfDay = now.getTime() - startOfLocalDay(today, ctx.timezone).getTime();
  const sameTime = new Date(startOfLocalDay(previous, ctx.timezone).getTime() + timeOfDay).toISOString();
  const installed = await repo.installedAt(ctx.db);
  const since = installed && installed > sameTime && installed < now.toISOString() ? installed : sameTime;
  return { since, closedFrom: previous };
}

/** Gather the digest's figures as of `now` (nothing is written). */
export async function collectDigest(ctx: JobContext, now: Date): Promise<DigestData> {
  const today = localParts(now, ctx.timezone).date;
  const todayStart = startOfLocalDay(today, ctx.timezone);
  const window = await digestWindow(ctx, now);
  const since = window.since;
  const dueBy = ctx.calendar.addWorkingDays(today, 2);
  const closedFrom = startOfLocalDay(window.closedFrom, ctx.timezone).toISOString();
  // The day the shared outcome (case-outcome.ts) is judged on: the monthly report drawn today says the same.
  const day = outcomeDayAt(now, ctx.timezone);
  const [newCases, open, dueSoon, overdue, toClose, closed, gaps, consultationsOverdue, acceptanceNoticesDue, undelivered, reviewsOverturned, reviewsPending, correctionsAwaited] = await Promise.all([
    repo.casesReceivedBetween(ctx.db, since, now.toISOString(), DIGEST_LIST_LIMIT),
    repo.openCountsByStateAndAssignee(ctx.db),
    repo.openDueBetween(ctx.db, today, dueBy, DIGEST_LIST_LIMIT),
    repo.openOverdue(ctx.db, day, DIGEST_LIST_LIMIT),
    repo.awaitingClose(ctx.db, day, DIGEST_LIST_LIMIT),
    repo.closedBetween(ctx.db, closedFrom, todayStart.toISOString(), DIGEST_LIST_LIMIT),
    ctx.topGaps(new Date(since), DIGEST_GAP_LIMIT),
    lateConsultations(ctx, today),
    acceptanceNotices(ctx, today),
    repo.undeliveredBetween(ctx.db, since, now.toISOString(), DIGEST_LIST_LIMIT),
    overturnedReviews(ctx, since, now),
    pendingReviews(ctx, today),
    awaitedCorrections(ctx, today),
  ]);
  return {
    date: today,
    since: formatLocalDateTime(since, ctx.timezone),
    closedDays: { from: window.closedFrom, to: addDays(today, -1) },
    newCases: { rows: newCases.rows.map(toCase), total: newCases.total },
    open,
    dueSoon: { rows: dueSoon.rows.map(toCase), total: dueSoon.total },
    overdue: {
      rows: overdue.rows.map((r) => ({ ...toCase(r), daysOverdue: ctx.calendar.workingDaysBetween(r.deadlineOn ?? today, today) })),
      total: overdue.total,
    },
    awaitingClose: {
      rows: toClose.rows.map((r) => ({ ...toCase(r), repliedOn: r.repliedAt ? localParts(new Date(r.repliedAt), ctx.timezone).date : null })),
      total: toClose.total,
    },
    closedYesterday: { rows: closed.rows.map(toCase), total: closed.total },
    consultationsOverdue,
    correctionsAwaited,
    acceptanceNoticesDue,
    undelivered: { rows: undelivered.rows.map(({ hasPhone, ...r }) => ({ ...toCase(r), hasPhone: hasPhone === 1 })), total: undelivered.total },
    reviewsOverturned,
    reviewsPending,
    gaps,
    notices: [ctx.calendarNotice?.(today)].filter((n): n is string => Boolean(n)),
  };
}

/** Runs every day (cron); posts only on working days, covering everything since the last posted digest. */
export const dailyDigest: Job = {
  name: 'daily-digest',
  schedule: '30 8 * * *',
  configKey: 'DIGEST_CRON',
  description: 'Morning digest to the staff channel: new, open, due, overdue, answered-not-closed (待办结), closed cases, requests awaiting 补正 and knowledge gaps (working days)',
  async run(ctx, now) {
    const today = localParts(now, ctx.timezone).date;
    if (!ctx.manual && !ctx.calendar.isWorkingDay(today)) return { status: 'skipped', posts: 0 };
    const posts = renderDigest(await collectDigest(ctx, now), ctx.locale, (code) => ctx.caseLink(code));
    for (const post of posts) await ctx.poster.post(post);
    // Only now, with every page posted, does the next digest start here; a post that threw left it where it was.
    if (!ctx.dryRun) await repo.recordDigestPosted(ctx.db, now, now);
    return { status: 'ok', posts: posts.length };
  },
};
