import { randomUUID } from 'node:crypto';
import { defaultCalendar } from '../calendar/index.js';
import { isAppError } from '../errors.js';
import type { CaseRecord } from '../cases/types.js';
import type { CaseType, Locale, Reply } from '../types.js';
import { logDecision, say, tr, type TurnContext } from './context.js';
import { answerWindow } from './office-hours.js';
import { formatDeadline } from '../cases/messages.js';
import { maskIdNumbers, maskPersonalData } from '../privacy/mask.js';
import { identityForStaff } from '../cases/identity.js';
import { MAX_CONTEXT_LINE, MAX_CONTEXT_LINES } from '../cases/validate.js';
import type { FilingState } from './state.js';
import { t } from '../i18n/index.js';
import '../i18n/staff.js';
import { maskContact } from '../cases/contact.js';

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
    : tr(ctx, 'handoff.whenNext', {
        date: formatDeadline(ctx.locale, window.date),
        weekday: tr(ctx, `weekday.${new Date(`${window.date}T00:00:00Z`).getUTCDay()}`),
        start: window.start,
      });
  return { who: tr(ctx, 'handoff.who'), when };
}

/** Parts a long unsubmitted text is split into at most; beyond them it is cut, and the last part says so. */
const MAX_PARTS = 10;

/**
 * `label: text` as context lines each within the case's per-line limit: a longer text is split into numbered parts
 * (nothing lost); past MAX_PARTS it is cut, and the line says how long the original was.
 */
export function contextLines(label: string, text: string, locale: Locale = 'zh'): string[] {
  const whole = `${label}: ${text}`;
  if (whole.length <= MAX_CONTEXT_LINE) return [whole];
  // Room for "label（第 10/10 段）: " and the cut note, in UTF-16 units (the schema's count); never half a code point.
  const room = MAX_CONTEXT_LINE - label.length - 60;
  const parts: string[] = [];
  let part = '';
  let taken = 0;
  for (const ch of text) {
    if (part.length + ch.length > room) {
      parts.push(part);
      part = '';
      if (parts.length === MAX_PARTS) break;
    }
    part += ch;
    taken += 1;
  }
  // `part` holds the characters taken since the last full part (none when the loop stopped at MAX_PARTS).
  if (part) parts.push(part);
  const total = Array.from(text).length;
  const left = total - taken;
  return parts.map((line, i) => {
    const note = left > 0 && i === parts.length - 1 ? t(locale, 'staff.context.cut', { total, left }) : '';
    return t(locale, 'staff.context.part', { label, n: i + 1, total: parts.length, line, note });
  });
}

/** What the parent gave for a 政府信息公开申请 before asking for a person, as one line; null when nothing yet. */
function disclosureLine(left: FilingState, l: Locale): string | null {
  if (left.type !== 'disclosure') return null;
  const field = (key: string, value: string) => t(l, `staff.context.${key}`, { value });
  const fields = [
    left.applicantType ? field('applicantType', left.applicantType) : null,
    left.applicantName ? field('applicantName', maskPersonalData(left.applicantName)) : null,
    left.applicantIdNumber ? field('identity', identityForStaff(left.applicantIdType, left.applicantIdNumber)) : null,
    left.deliveryForm ? field('form', left.deliveryForm) : null,
    left.deliveryMethod ? field('method', left.deliveryMethod) : null,
    left.deliveryAddress ? field(left.deliveryMethod === '电子邮件' ? 'email' : 'address', maskPersonalData(left.deliveryAddress)) : null,
  ].filter(Boolean);
  return fields.length > 0 ? t(l, 'staff.context.disclosure', { fields: fields.join(t(l, 'staff.context.fieldSeparator')) }) : null;
}

/** The unsubmitted filing (and a held second petition) as context lines, each within the case's limits. */
function leftLines(left: FilingState | undefined, l: Locale): string[] {
  if (!left) return [];
  const disclosure = disclosureLine(left, l);
  const type = left.type ? t(l, `chat.type.${left.type}`) : t(l, 'staff.context.petition');
  return [
    ...(disclosure ? [disclosure] : []),
    ...(left.content ? contextLines(t(l, 'staff.context.unsubmitted', { type }), maskIdNumbers(left.content), l) : []),
    ...(left.next ? contextLines(t(l, 'staff.context.next'), maskIdNumbers(left.next), l) : []),
  ];
}

/**
 * "转人工": a case with the recent conversation; later messages go to it. Asked in the middle of a filing, what was
 * not yet submitted goes with it (the recent lines may not reach back to it, or be configured off): the petition's
 * type and the phone given become the case's, the petition being filed, the 政府信息公开申请 fields given, and a
 * second one the parent was told is held ("我先记下…") are lines of its context. Nothing typed is lost.
 */
export async function openHandoff(ctx: TurnContext, type: CaseType | undefined, callback?: { phone: string }): Promise<Reply[]> {
  const { incoming } = ctx;
  await logDecision(ctx, 'human');
  const left = ctx.state.filing;
  const limit = ctx.deps.config.HANDOFF_CONTEXT_MESSAGES;
  const kept = leftLines(left, ctx.deps.config.STAFF_LOCALE);
  // slice(-0) would be every line: 0 means none. The unsubmitted lines come first in what the case can hold.
  const recent = limit > 0 ? ctx.state.recent.slice(-limit).slice(-(MAX_CONTEXT_LINES - kept.length)) : [];
  const record = await ctx.deps.cases.file({
    // An unfinished 政府信息公开申请 lacks what 第二十九条 requires: as a `disclosure` case it would start the 20-working-day
    // clock and count in the annual report as an application never made. It reaches staff as an inquiry with the fields
    // given in its context line; staff log the application when it is complete.
    type: type ?? (left?.type === 'disclosure' ? 'inquiry' : left?.type) ?? 'inquiry',
    channel: incoming.channel,
    // "/human" or the menu button carries no words of its own: the case still says what was asked.
    // In the staff's language (STAFF_LOCALE) at the time of filing: stored as the case's text, it stays as written.
    text: incoming.text.trim() || t(ctx.deps.config.STAFF_LOCALE, 'staff.handoff.noMessage'),
    // The phone the parent gave at the contact step.
    // A call back asked for with a number ("请回电 139…"): that number is the case's contact.
    // Else the parent's own number written in the petition being filed or in the recent lines (both stored masked).
    contact: callback?.phone ?? left?.contact ?? left?.textPhone ?? ctx.state.recentPhone ?? null,
    chatId: incoming.chatId,
    citizenRef: incoming.userId,
    locale: ctx.locale,
    handoff: true,
    context: [...recent, ...kept],
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
  const keptNote = left?.next ? tr(ctx, 'handoff.filingAndHeldKept') : kept.length > 0 ? tr(ctx, 'handoff.filingKept') : null;
  const notes = [keptNote, callback ? tr(ctx, 'handoff.callback', { phone: maskContact(callback.phone) }) : null].filter((n) => n !== null);
  return [{ ...opened, text: [opened.text, ...notes].join('\n'), caseCode: record.code }];
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
