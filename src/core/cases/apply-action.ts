import { dateInZone, daysBetween } from '../calendar/dates.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { calendarDaysLimit, caseDeadline, computeDeadline, type DeadlineResult, type DeadlineRule } from '../deadlines/index.js';
import { caseError } from '../i18n/errors-text.js';
import type { CaseFields } from '../../storage/cases-repo.js';
import { botCanReach } from './answer-way.js';
import { closeFields, type CloseContext } from './close-rules.js';
import { reviewRouteApplies } from './remedies.js';
import { nextState } from './transitions.js';
import { ANSWER_WAYS, type CaseAction, type CaseRecord } from './types.js';

export interface ApplyContext {
  now: Date;
  actor: string;
  rule: DeadlineRule;
  calendar: WorkCalendar;
  timeZone: string;
  reopenWindowDays: number;
  /** When the parent rated the case ★★ or less (the objection window also runs from then). */
  lowRatingAt?: string | null;
  /** For a disclosure case with clock pauses: its deadline under them (null while a pause runs). */
  pausedDeadlineFor?: (extended: boolean) => DeadlineResult | null;
  /** A disclosure clock pause running now (第三十条 补正 awaited, 第三十二条 consultation), or none. */
  runningPause?: 'correction' | 'consultation' | null;
  /**
   * A reopening ordered by a 复查 / 复核 that revoked the bureau's 处理意见 (reviews.ts): no REOPEN_DAYS window
   * (the superior body decides when), and the new answer period counts from this day (when the decision arrived).
   */
  reopenFrom?: string;
  /** Closing: the duplicate's target and the citizen's latest word after 联系不上 (close-rules.ts). */
  close?: CloseContext;
}

/**
 * The citizen's window to reopen a closed case: REOPEN_DAYS calendar days (bureau dates) from its closing, or from a
 * rating of ★★ or less when that came later. One reading for the reopening itself and for the bot's offer of it.
 */
export function reopenWindow(
  record: Pick<CaseRecord, 'closedAt'>,
  ctx: Pick<ApplyContext, 'now' | 'timeZone' | 'reopenWindowDays' | 'lowRatingAt'>,
): { closedOn: string; age: number; open: boolean } {
  const today = dateInZone(ctx.now, ctx.timeZone);
  const closedOn = dateInZone(new Date(record.closedAt ?? ctx.now.toISOString()), ctx.timeZone);
  const ratedOn = ctx.lowRatingAt ? dateInZone(new Date(ctx.lowRatingAt), ctx.timeZone) : closedOn;
  const age = daysBetween(ratedOn > closedOn ? ratedOn : closedOn, today);
  return { closedOn, age, open: age <= ctx.reopenWindowDays };
}

/** What an action changes on the case row, and the note its event carries. Throws on an illegal action. */
export function applyAction(record: CaseRecord, action: CaseAction, ctx: ApplyContext): { fields: CaseFields; note: string | null } {
  const state = nextState(record, action.kind);
  const at = ctx.now.toISOString();
  const fields: CaseFields = { state, updatedAt: at };
  const deadline = (extended: boolean, claimedAt: string | null) => {
    const result = ctx.pausedDeadlineFor
      ? ctx.pausedDeadlineFor(extended)
      : caseDeadline(
          ctx.calendar,
          ctx.rule,
          { receivedAt: record.receivedAt, claimedAt, acceptanceNoticeAt: fields.acceptanceNoticeAt ?? record.acceptanceNoticeAt ?? null, extended },
          ctx.timeZone,
        );
    fields.deadlineOn = result?.deadlineOn ?? null;
    fields.deadlineEstimated = result?.estimated ?? false;
  };
  /** 信访 受理告知 (第二十二条), once: `via` says how staff told a citizen without a chat, null = the bot did. */
  const acceptanceNotice = (via: string | null) => {
    if (!ctx.rule.acceptanceNotice || record.acceptanceNoticeAt) return;
    fields.acceptanceNoticeAt = at;
    fields.acceptanceNoticeVia = via;
    // 信访 "自受理之日起60日内办结": the limit now counts from this notice (a reopened case counts from its reopening).
    if (ctx.rule.clockStart === 'accepted' && record.state !== 'reopened') deadline(fields.extended ?? record.extended, fields.claimedAt ?? record.claimedAt);
  };
  switch (action.kind) {
    case 'claim':
      fields.claimedAt = at;
      fields.assignee = ctx.actor;
      if (ctx.rule.clockStart === 'claimed' && !record.claimedAt) deadline(record.extended, at);
      // With a chat, the claim message tells the parent the case is accepted (messages.ts): that is the notice.
      // Without one, only staff's word on how they told the citizen records it.
      if (botCanReach(record)) acceptanceNotice(null);
      else if (action.via) acceptanceNotice(action.via);
      return { fields, note: null };
    case 'reply':
      // The bot cannot write to a phone / letter / 民心网 citizen: the reply counts only with the way staff gave it.
      if (!botCanReach(record) && !action.via) throw caseError('case_invalid', 'replyNeedsWay', { code: record.code, ways: ANSWER_WAYS.join('/') });
      // The limit is met by the answer that reached the citizen (storage/case-outcome.ts): a follow-up answer from
      // 已答复 keeps the first one's time; an answer after 联系不上 (the earlier one did not arrive) sets it anew.
      fields.repliedAt = record.state === 'replied' && record.repliedAt ? record.repliedAt : at;
      fields.handoff = false;
      // The written answer itself tells the citizen the matter was taken up: no separate 受理告知 is due.
      acceptanceNotice(action.via ?? null);
      if (!record.assignee) fields.assignee = ctx.actor;
      return { fields, note: action.text };
    case 'extend':
      if (record.extended) throw caseError('case_illegal_transition', 'extendedOnce', { code: record.code, reason: record.extensionReason ?? '-' });
      if (ctx.rule.extension === 0) throw caseError('case_illegal_transition', 'noExtension', { code: record.code, type: record.type });
      // 第三十三条 (both 条例): an extension needs the 负责人's approval, and is decided within the answer period.
      if (!action.approvedBy?.trim()) throw caseError('case_invalid', 'extendNeedsApproval', { code: record.code });
      if (!botCanReach(record) && !action.via) throw caseError('case_invalid', 'extendNeedsWay', { code: record.code, ways: ANSWER_WAYS.join('/') });
      // While the clock is paused no answer period runs: there is no date to extend and none to tell the applicant, and
      // the one extension 第三十三条 allows would be spent on nothing. Decide after the clock restarts (then deadlineOn
      // is the date under the pauses, which the check below uses).
      if (ctx.runningPause)
        throw caseError('case_illegal_transition', ctx.runningPause === 'correction' ? 'extendWhilePausedCorrection' : 'extendWhilePausedConsultation', { code: record.code });
      if (record.deadlineOn && dateInZone(ctx.now, ctx.timeZone) > record.deadlineOn)
        throw caseError('case_illegal_transition', 'extendTooLate', { code: record.code, deadline: record.deadlineOn });
      fields.extended = true;
      fields.extensionReason = action.reason;
      fields.extensionApprovedBy = action.approvedBy.trim();
      deadline(true, record.claimedAt);
      return { fields, note: action.reason };
    case 'close':
      Object.assign(fields, closeFields(record, action, at, ctx.close));
      if (fields.closeBasis !== 'unreachable') acceptanceNotice(action.via ?? null);
      return { fields, note: action.note || null };
    case 'return':
      // 第三十六条（五）: a request for another agency's information is answered (and counted in table 三), not returned.
      if (record.type === 'disclosure') throw caseError('case_illegal_transition', 'disclosureNoReturn', { code: record.code });
      // The reason is the citizen's answer (回退 with grounds): without a chat, staff give it and say how.
      if (!botCanReach(record) && !action.via) throw caseError('case_invalid', 'returnNeedsWay', { code: record.code, ways: ANSWER_WAYS.join('/') });
      fields.handoff = false;
      return { fields, note: action.reason };
    case 'unreachable':
      fields.unreachable = true;
      return { fields, note: action.note ?? null };
    case 'withdraw':
      // A citizen without a chat can only have withdrawn by phone, letter, visit or 民心网: staff record which.
      if (!botCanReach(record) && !action.via) throw caseError('case_invalid', 'withdrawNeedsWay', { code: record.code, ways: ANSWER_WAYS.join('/') });
      fields.handoff = false;
      return { fields, note: action.note ?? null };
    case 'reopen': {
      // A 第三十六条 答复 is an administrative act: contested by 行政复议 / 行政诉讼 (table 四), not reopened. Reopening
      // it would also move it out of table 三 of the year it was answered (annual-report-repo.ts counts closed_at).
      if (record.type === 'disclosure') throw caseError('case_illegal_transition', 'disclosureNoReopen', { code: record.code });
      // A 信访 answered in writing (a 处理意见): the petitioner not satisfied asks the superior body for 复查 within 30 日
      // (《信访条例》第三十四条), as the closing answer said; the bureau does not hand itself a fresh 60 日 on their word.
      // Staff may still reopen deliberately (their actor), and a 复查/复核 撤销 reopens it (reopenFrom).
      if (ctx.actor === 'citizen' && !ctx.reopenFrom && ctx.rule.review && reviewRouteApplies(record, ctx.rule)) {
        const repliedOn = dateInZone(new Date(record.closedAt ?? at), ctx.timeZone);
        const end = calendarDaysLimit(ctx.calendar, repliedOn, ctx.rule.review.request);
        throw caseError('case_illegal_transition', 'petitionReviewRoute', { code: record.code, days: ctx.rule.review.request, end });
      }
      // Erased (删除我的数据, or past retention): no text to handle again and no one to answer. A 复查/复核 撤销
      // (reopenFrom) still reopens it: the reviewing body's decision stands, staff answer by phone or letter.
      if (record.anonymisedAt && !ctx.reopenFrom) throw caseError('case_illegal_transition', 'reopenErased', { code: record.code });
      const today = dateInZone(ctx.now, ctx.timeZone);
      const { closedOn, age, open } = reopenWindow(record, ctx);
      if (!open && !ctx.reopenFrom)
        throw caseError('case_illegal_transition', 'reopenTooLate', { code: record.code, closedOn, age, days: ctx.reopenWindowDays });
      // The reopened matter gets a fresh answer period from today (without the extension, already used).
      const result = computeDeadline(ctx.calendar, ctx.rule, ctx.reopenFrom ?? today);
      // The earlier reply did not settle it: closing again needs a new answer (closeFields).
      Object.assign(fields, {
        closedAt: null, closeNote: null, closeBasis: null, duplicateOf: null, repliedAt: null,
        deadlineOn: result.deadlineOn, deadlineEstimated: result.estimated,
      });
      return { fields, note: action.note ?? null };
    }
  }
}
