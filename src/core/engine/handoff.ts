import { randomUUID } from 'node:crypto';
import { defaultCalendar } from '../calendar/index.js';
import { isAppError } from '../errors.js';
import type { CaseRecord } from '../cases/types.js';
import type { CaseType, Reply } from '../types.js';
import { logDecision, say, tr, type TurnContext } from './context.js';
import { answerWindow } from './office-hours.js';
import { maskIdNumbers } from '../privacy/mask.js';
import { t } from '../i18n/index.js';

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

/**
 * "转人工": a case with the recent conversation; later messages go to it. Asked in the middle of a filing, what was
 * not yet submitted goes with it, as lines of its own (the recent lines may not reach back to it, or be configured
 * off): the petition being filed and a second one the parent was told is held ("我先记下…"). Nothing typed is lost.
 */
export async function openHandoff(ctx: TurnContext, type: CaseType | undefined): Promise<Reply[]> {
  const { incoming } = ctx;
  await logDecision(ctx, 'human');
  const left = ctx.state.filing;
  const limit = ctx.deps.config.HANDOFF_CONTEXT_MESSAGES;
  const leftLines = [
    ...(left?.content ? [`家长（未提交的${left.type ? t('zh', `chat.type.${left.type}`) : '诉求'}）: ${maskIdNumbers(left.content)}`] : []),
    ...(left?.next ? [`家长（另一条诉求，尚未登记）: ${maskIdNumbers(left.next)}`] : []),
  ];
  const record = await ctx.deps.cases.file({
    type: type ?? 'inquiry',
    channel: incoming.channel,
    // "/human" or the menu button carries no words of its own: the case still says what was asked.
    text: incoming.text.trim() || '家长请求人工服务（转人工）',
    chatId: incoming.chatId,
    citizenRef: incoming.userId,
    locale: ctx.locale,
    handoff: true,
    // slice(-0) would be every line: 0 means none.
    context: [...(limit > 0 ? ctx.state.recent.slice(-limit) : []), ...leftLines],
    // Unique per request, not per clock reading: a second 转人工 at the same instant (a fixed clock) is a new case.
    idempotencyKey: `${incoming.channel}:${incoming.chatId}:handoff:${ctx.at.getTime()}:${randomUUID().slice(0, 8)}`,
    // The reply of this turn shows the code and deadline; no second copy through the outbox.
    notifyCitizen: false,
    receivedAt: ctx.at,
    actor: 'citizen',
  });
  ctx.state.handoff = record.code;
  delete ctx.state.filing;
  const opened = say(ctx, 'handoff.opened', { code: record.code, ...whoAndWhen(ctx) });
  const kept = left?.next ? tr(ctx, 'handoff.filingAndHeldKept') : left?.content ? tr(ctx, 'handoff.filingKept') : null;
  return [{ ...opened, text: kept ? `${opened.text}\n${kept}` : opened.text, caseCode: record.code }];
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
