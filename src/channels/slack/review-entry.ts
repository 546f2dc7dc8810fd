import type { webApi } from '@slack/bolt';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import { reviewLine } from '../../core/cases/review-lines.js';
import { canRecordReview, nextReviewLevel, pendingReviewOf, type ReviewInput } from '../../core/cases/reviews.js';
import { caseError } from '../../core/i18n/errors-text.js';
import { t } from '../../core/i18n/index.js';
import { actorOf } from './guard.js';
import { reviewModal } from './modals.js';
import { escapeMrkdwn, localDate } from './mrkdwn.js';
import type { SlackDeskContext } from './types.js';

/** The desk calls the 复查 / 复核 entry needs; a desk without them (a test double) cannot record one. */
type ReviewDesk = Pick<CaseDeskImpl, 'recordReview' | 'reviews' | 'rules' | 'bodies'>;

function reviewDeskOf(ctx: Pick<SlackDeskContext, 'desk'>): ReviewDesk | null {
  const desk = ctx.desk as Partial<ReviewDesk>;
  return desk.recordReview && desk.reviews && desk.rules && desk.bodies ? (desk as ReviewDesk) : null;
}

/**
 * Records a 复查 / 复核 entry for a Slack user and returns what they are told: the one path of the text command
 * (`/case review CODE 复查 …`) and the modal. The desk checks the input (reviews.ts, zod) and throws its coded refusal.
 */
export async function recordReviewFor(ctx: SlackDeskContext, code: string, input: ReviewInput, userId: string): Promise<string> {
  const desk = reviewDeskOf(ctx);
  if (!desk) return t(ctx.locale, 'slack.msg.usage.review');
  const { case: record, review } = await desk.recordReview(code, input, actorOf(userId));
  const reopened = record.state === 'reopened' && review.outcome === '撤销';
  return (
    t(ctx.locale, 'slack.msg.reviewRecorded', { code: record.code, line: escapeMrkdwn(reviewLine(review, ctx.locale)) }) +
    (reopened ? `\n${t(ctx.locale, 'slack.msg.reviewReopened', { deadline: record.deadlineOn ?? '-' })}` : '')
  );
}

/**
 * Opens the 复查 / 复核 modal of `code` (card button, `/case review CODE`): on a closed 信访 case answered with a 处理意见
 * only, with the stage preselected and a pending request's day and body prefilled. Throws the desk's refusal otherwise.
 */
export async function openReviewModal(ctx: SlackDeskContext, client: webApi.WebClient, triggerId: string, code: string): Promise<void> {
  const desk = reviewDeskOf(ctx);
  if (!desk) throw caseError('case_invalid', 'reviewNotPetition', { code, type: '-' });
  const record = await ctx.desk.get(code);
  if (!record) throw caseError('case_not_found', 'notFound', { code });
  const rule = desk.rules[record.type];
  if (!rule?.review) throw caseError('case_invalid', 'reviewNotPetition', { code: record.code, type: record.type });
  if (!canRecordReview(record, rule)) {
    if (record.state !== 'closed') throw caseError('case_illegal_transition', 'reviewNotClosed', { code: record.code, state: record.state });
    throw caseError('case_illegal_transition', 'reviewNoAnswer', { code: record.code });
  }
  const reviews = await desk.reviews(record.code);
  const pending = pendingReviewOf(record, reviews);
  const view = reviewModal(record, ctx.locale, {
    closedOn: localDate(new Date(record.closedAt!), ctx.timeZone),
    superior: desk.bodies.superior,
    level: nextReviewLevel(record, reviews),
    ...(pending ? { pending: { line: reviewLine(pending, ctx.locale), requestedOn: pending.requestedOn, requestReceivedOn: pending.requestReceivedOn, body: pending.body } } : {}),
  });
  await client.views.open({ trigger_id: triggerId, view });
}
