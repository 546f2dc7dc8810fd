import { randomUUID } from 'node:crypto';
import { defaultCalendar } from '../calendar/index.js';
import { isAppError } from '../errors.js';
import type { CaseRecord } from '../cases/types.js';
import type { CaseType, Reply } from '../types.js';
import { logDecision, say, tr, type TurnContext } from './context.js';
import { answerWindow } from './office-hours.js';

/** States in which a handoff is still waiting for staff. A reply or closing ends it. */
const WAITING_STATES = new Set(['received', 'claimed', 'extended', 'reopened']);

/** The case waits for staff (not yet answered, closed or withdrawn). */
export function awaitsStaff(record: CaseRecord | null): record is CaseRecord {
  return record !== null && WAITING_STATES.has(record.state);
}

export function isWaitingHandoff(record: CaseRecord | null): record is CaseRecord {
  return record !== null && record.handoff && WAITING_STATES.has(record.state);
}

function whoAndWhen(ctx: TurnContext): { who: string; when: string } {
  const { OFFICE_HOURS, TIMEZONE } = ctx.deps.config;
  const window = answerWindow(ctx.at, OFFICE_HOURS, TIMEZONE, ctx.deps.calendar ?? defaultCalendar());
  const when = window.today
    ? tr(ctx, 'handoff.whenToday', { end: window.end })
    : tr(ctx, 'handoff.whenNext', { date: window.date, start: window.start });
  return { who: tr(ctx, 'handoff.who'), when };
}

/** "转人工": a case with the recent conversation; later messages go to it. */
export async function openHandoff(ctx: TurnContext, type: CaseType | undefined): Promise<Reply[]> {
  const { incoming } = ctx;
  await logDecision(ctx, 'human');
  const record = await ctx.deps.cases.file({
    type: type ?? 'inquiry',
    channel: incoming.channel,
    text: incoming.text,
    chatId: incoming.chatId,
    citizenRef: incoming.userId,
    locale: ctx.locale,
    handoff: true,
    context: ctx.state.recent.slice(-ctx.deps.config.HANDOFF_CONTEXT_MESSAGES),
    // Unique per request, not per clock reading: a second 转人工 at the same instant (a fixed clock) is a new case.
    idempotencyKey: `${incoming.channel}:${incoming.chatId}:handoff:${ctx.at.getTime()}:${randomUUID().slice(0, 8)}`,
    // The reply of this turn shows the code and deadline; no second copy through the outbox.
    notifyCitizen: false,
    receivedAt: ctx.at,
    actor: 'citizen',
  });
  ctx.state.handoff = record.code;
  delete ctx.state.filing;
  return [{ ...say(ctx, 'handoff.opened', { code: record.code, ...whoAndWhen(ctx) }), caseCode: record.code }];
}

/** A message while the handoff waits: added to the case, acknowledged. */
export async function forwardToHandoff(ctx: TurnContext, code: string): Promise<Reply[]> {
  await logDecision(ctx, 'human');
  await ctx.deps.cases.addFollowUp(code, ctx.incoming.text, 'citizen');
  return [{ ...say(ctx, 'handoff.received', { code, ...whoAndWhen(ctx) }), caseCode: code }];
}

/**
 * The parent said 取消: the bot talks again. A handoff still waiting for staff
 * is withdrawn (staff see the withdrawal in the case's thread, the deadline
 * stops counting, and the case no longer shows as open to the parent); one
 * that cannot be withdrawn any more (already answered) just stops routing the
 * chat to staff.
 */
export async function endHandoff(ctx: TurnContext, code: string): Promise<Reply[]> {
  try {
    const record = await ctx.deps.cases.get(code);
    if (isWaitingHandoff(record)) await ctx.deps.cases.act(code, { kind: 'withdraw', note: tr(ctx, 'handoff.withdrawNote') }, 'citizen');
    else if (ctx.deps.cases.endHandoff) await ctx.deps.cases.endHandoff(code, 'citizen');
  } catch (error) {
    if (!isAppError(error, 'case_illegal_transition') && !isAppError(error, 'case_not_found')) throw error;
  }
  delete ctx.state.handoff;
  return [say(ctx, 'handoff.ended', { code })];
}

/** Details the parent sent after their objection reopened `code`: added to it, acknowledged. */
export async function addReopenDetails(ctx: TurnContext, code: string): Promise<Reply[]> {
  await logDecision(ctx, 'followup');
  await ctx.deps.cases.addFollowUp(code, ctx.incoming.text, 'citizen');
  return [{ ...say(ctx, 'reopen.details', { code }), caseCode: code }];
}

/** A reply to the bot's message about a case: a follow-up to that case, if it is this chat's. */
export async function followUpCase(ctx: TurnContext, record: CaseRecord): Promise<Reply[]> {
  await logDecision(ctx, 'followup');
  await ctx.deps.cases.addFollowUp(record.code, ctx.incoming.text, 'citizen');
  return [{ ...say(ctx, 'followup.received', { code: record.code }), caseCode: record.code }];
}
