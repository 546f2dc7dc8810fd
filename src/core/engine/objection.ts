import { t } from '../i18n/index.js';
import '../i18n/staff.js';
import { maskPersonalData } from '../privacy/mask.js';
import { isAppError } from '../errors.js';
import { formatDeadline } from '../cases/messages.js';
import type { CaseRecord } from '../cases/types.js';
import type { Reply } from '../types.js';
import { button, logDecision, type TurnContext } from './context.js';
import { tk } from './intake-text.js';
import { ownCase } from './status.js';

/**
 * The parent's objection to a closed case (不满意，要求重新办理): within REOPEN_DAYS of
 * closing, or of a rating of ★★ or less, the case reopens with their reason, which staff
 * read in the case thread; the deadline restarts by the case type's rule (the desk).
 * Not a 信访 answered in writing: the petitioner is told the 复查 route and staff get the reason.
 */
const OBJECTION = /(不满意|要求重新办理|重新办理|重新处理|不认可|没有解决|没解决|not satisfied|dissatisfied|reopen)/iu;
/** The objection phrase alone: the reason is still to be asked for. */
const BARE = /^(我)?(对)?(答复|办理结果|处理结果|结果|这个答复)?(非常|很)?(不满意|要求重新办理|重新办理|不认可)[，,。.!！ ]*(要求|申请)?(重新办理|重新处理)?[。.!！]*$|^(reopen|not satisfied)[.!]*$/iu;

export const isObjection = (text: string) => OBJECTION.test(text);

/** The chat's closed case an objection is about: the one named, else the one just rated, else the latest closed. */
export async function objectionTarget(ctx: TurnContext, code?: string): Promise<CaseRecord | null> {
  const named = code ?? ctx.incoming.replyToCaseCode ?? ctx.state.rating;
  if (named) {
    const record = await ownCase(ctx, named);
    if (record?.state === 'closed') return record;
  }
  const closed = await ctx.deps.cases.list({ chatId: ctx.incoming.chatId, channel: ctx.incoming.channel, states: ['closed'], limit: 20 });
  return closed.sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''))[0] ?? null;
}

/** "不满意" typed or the button: reopen at once when the message gives a reason, else ask for it. */
export async function startObjection(ctx: TurnContext, record: CaseRecord, text: string | null): Promise<Reply[]> {
  await logDecision(ctx, 'objection');
  delete ctx.state.rating;
  // A 政府信息公开申请's answer is not reopened (apply-action.ts): the applicant is told the remedy instead.
  if (record.type === 'disclosure') return [{ text: tk(ctx, 'object.disclosure', { code: record.code }), caseCode: record.code }];
  if (text && !BARE.test(text.trim())) return reopenWithReason(ctx, record.code, text.trim());
  ctx.state.objection = record.code;
  return [{ text: tk(ctx, 'object.ask', { code: record.code }), buttons: [[button(ctx, 'button.cancel', { kind: 'cancel', of: 'object', ref: record.code })]], caseCode: record.code }];
}

/** The 复查 window of a refused objection to a 信访's written answer (apply-action.ts petitionReviewRoute), or null. */
function reviewRouteOf(error: unknown): { days: number; end: string } | null {
  if (!isAppError(error, 'case_illegal_transition')) return null;
  const i18n = (error.details as { i18n?: { key: string; params: Record<string, unknown> } } | undefined)?.i18n;
  if (i18n?.key !== 'caseError.petitionReviewRoute') return null;
  return { days: Number(i18n.params.days), end: String(i18n.params.end) };
}

export async function reopenWithReason(ctx: TurnContext, code: string, reason: string): Promise<Reply[]> {
  delete ctx.state.objection;
  const days = ctx.deps.config.REOPEN_DAYS;
  try {
    const { case: record, event } = await ctx.deps.cases.act(code, { kind: 'reopen', note: t(ctx.deps.config.STAFF_LOCALE, 'staff.context.reopenAsked', { reason: reason.slice(0, 2000) }) }, 'citizen', {
      notifyCitizen: false,
    });
    const deadline = record.deadlineOn ? formatDeadline(ctx.locale, record.deadlineOn) : '—';
    // What the parent sends next (more details) belongs to this case, not to a new question (router.ts).
    ctx.state.reopened = code;
    ctx.state.reopenSeen = Math.max(ctx.state.reopenSeen ?? 0, event.id);
    return [{ text: tk(ctx, 'object.done', { code, reason: maskPersonalData(reason.slice(0, 200)), deadline }), caseCode: code }];
  } catch (error) {
    // A 信访 answered in writing: the route is 复查 (the desk refuses the reopening); staff still read the objection.
    const review = reviewRouteOf(error);
    if (review) {
      await ctx.deps.cases.addFollowUp(code, t(ctx.deps.config.STAFF_LOCALE, 'staff.context.reviewObjection', { reason: reason.slice(0, 2000) }), 'citizen');
      return [{ text: tk(ctx, 'object.review', { code, days: review.days, end: formatDeadline(ctx.locale, review.end) }), caseCode: code }];
    }
    if (isAppError(error, 'case_illegal_transition'))
      return [{ text: (await ownCase(ctx, code))?.type === 'disclosure' ? tk(ctx, 'object.disclosure', { code }) : tk(ctx, 'object.tooLate', { code, days }) }];
    ctx.deps.logger.warn({ err: error, code }, 'reopening on the parent’s objection failed');
    return [{ text: tk(ctx, 'object.failed', { code }) }];
  }
}
