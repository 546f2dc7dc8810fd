import type { Config } from '../../config.js';
import * as repo from '../../storage/cases-repo.js';
import type { Db } from '../../storage/db.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import type { DeadlineRules } from '../deadlines/index.js';
import { clockMethods, createClockStepIn } from './desk-clock.js';
import { closingMethods } from './desk-closing.js';
import { reachableMethods } from './desk-reachable.js';
import { contactMethods } from './desk-contact.js';
import { ratingMethods } from './desk-ratings.js';
import { createDeskContext } from './desk-context.js';
import { filingMethods } from './desk-filing.js';
import { reviewMethods } from './desk-reviews.js';
import { createActIn, staffActionMethods } from './desk-staff-actions.js';
import type { ReviewInput } from './reviews.js';
import type { AppealInput, RegisterAppeal } from './appeals.js';
import type { DisclosureAppealRecord } from '../../storage/appeals-repo.js';

/** What recording a 行政复议 / 行政诉讼 did: the entry, whether it updated an appeal already recorded, register twins. */
export interface RecordedAppeal {
  case: CaseRecord;
  appeal: DisclosureAppealRecord;
  updated: boolean;
  sameInRegister: RegisterAppeal[];
}
import type { RemedyBodies } from './remedies.js';
import type { CaseReviewRecord } from '../../storage/reviews-repo.js';
import type { RatingScales } from './ratings.js';
import type { AnswerWay, CaseDesk, CaseEventRecord, CaseRecord, RecordedRatingInput } from './types.js';
import { normaliseCode } from './validate.js';
import { reopenWindow } from './apply-action.js';
import { opensObjection } from './ratings.js';

export interface CaseDeskDeps {
  db: Db;
  /** Defaults: CASE_PREFIX XH, REOPEN_DAYS 15, TIMEZONE Asia/Shanghai, BUREAU_PHONE 024-42842001. */
  /** Also BUREAU_SUPERIOR 本溪市教育局, BUREAU_APPEAL_BODY 本溪市溪湖区人民政府 (named in closing answers). */
  config?: Partial<Pick<Config, 'CASE_PREFIX' | 'REOPEN_DAYS' | 'TIMEZONE' | 'BUREAU_PHONE' | 'BUREAU_SUPERIOR' | 'BUREAU_APPEAL_BODY' | 'STAFF_LOCALE'>>;
  now?: () => Date;
  /** Default: rules/deadline-rules.yaml. */
  rules?: DeadlineRules;
  /** Default: chinese-days + rules/calendar-overrides.yaml. */
  calendar?: WorkCalendar;
  /** Default: rules/rating-scales.yaml. */
  ratingScales?: RatingScales;
  /**
   * Called after a transaction that queued a message to a citizen has committed: the channel's sender
   * (which otherwise finds the row at its next poll, up to a second later) can send it now.
   */
  queued?: () => void;
}

/** How staff learnt that a message did not reach the citizen (CaseDeskImpl.recordUndelivered). */
export type UndeliveredOutcome =
  /** An open case moved to 联系不上. */
  | { told: 'unreachable'; case: CaseRecord; event: CaseEventRecord }
  /** A case past that transition got its `undelivered` event. */
  | { told: 'undelivered'; case: CaseRecord; event: CaseEventRecord }
  /** An `undelivered` event since the case last changed already told staff: nothing recorded. */
  | { told: 'already'; case: CaseRecord };

/** The desk with its optional extras (backward-compatible additions to CaseDesk). */
export interface CaseDeskImpl extends CaseDesk {
  /** Ends a 转人工 handoff without changing the state (the parent said 取消). */
  endHandoff(code: string, actor: string): Promise<CaseRecord>;
  readonly calendar: WorkCalendar;
  readonly rules: DeadlineRules;
  /** The rating scales (rules/rating-scales.yaml): the 记录评价 forms list their values. */
  readonly ratingScales: RatingScales;
  /** REOPEN_DAYS: how long after closing (or a low rating) a closed case may be reopened. */
  readonly reopenDays: number;
  /**
   * The rating of a closed case without a chat (phone, 民心网, letter, visit), given on 民心网, on the 回访 call, in
   * writing or in person and recorded by staff with that way (ratings.via, the event's via) and an audit row. On
   * 民心网 the value is its star level (minxin scale), otherwise the bot's stars; null = 未评价 (不参与评星). A case
   * with a chat is rated by the citizen only (refused). A rating staff recorded may be recorded again (a correction:
   * the event trail keeps both); one the citizen gave stands.
   */
  recordRating(code: string, input: RecordedRatingInput, actor: string): Promise<CaseRecord>;
  /** BUREAU_SUPERIOR (the default 复查机关) and BUREAU_APPEAL_BODY, as configured: forms prefill them. */
  readonly bodies: RemedyBodies;
  /**
   * Recomputes every open case whose deadline was estimated (run at start, after a year's schedule
   * arrived). A changed date is a `deadline` event "old → new" posted in the staff thread; the parent
   * is told only when the promised date moves earlier. Also recomputes the deadlines a migration queued
   * (deadline_recomputations: 0042, open 信访 now counted from 受理), with an audit row naming the reason.
   * Returns the changed cases.
   */
  reestimateDeadlines(actor?: string): Promise<{ code: string; from: string | null; to: string; estimated: boolean }[]>;
  /** 要求补正 (政府信息公开条例 第三十条): asks the parent for `missing`; the clock stops (deadline null). */
  requestCorrection(code: string, missing: string, actor: string, via?: AnswerWay): Promise<CaseRecord>;
  /**
   * The corrected application arrived (also recorded when the parent answers in the chat): the clock restarts from zero
   * on the day it arrived (第三十条 "自收到补正的申请之日起计算"). `receivedOn` (YYYY-MM-DD, local): that day when staff
   * record it later (post signed for, 第三十一条); not before the 补正 was asked for, not after today. Default today.
   */
  receiveCorrection(code: string, text: string, actor: string, receivedOn?: string): Promise<CaseRecord>;
  /**
   * 信访 受理告知 (《信访条例》第二十二条) given by staff outside the bot (a case without a chat claimed earlier,
   * or told later): records when and how (`via`), with a case event and an audit row. Once per case.
   */
  recordAcceptanceNotice(code: string, via: AnswerWay, actor: string): Promise<CaseRecord>;
  /**
   * A 复查 / 复核 decision (or the same complaint again after 复核) about a closed 信访 case, logged by staff: checked
   * (reviews.ts planReview), stored append-only in case_reviews with a 'review' case event and an audit row. A request
   * made after its 30 日 limit is recorded as out of time. 撤销 reopens the case with a new deadline from the day
   * the decision arrived, and tells the petitioner.
   */
  recordReview(code: string, input: ReviewInput, actor: string): Promise<{ case: CaseRecord; review: CaseReviewRecord }>;
  /** The case's 复查 / 复核 entries, oldest first. */
  reviews(code: string): Promise<CaseReviewRecord[]>;
  /**
   * A 行政复议 / 行政诉讼 against the answer to a closed disclosure request (appeals.ts planAppeal), stored append-only in
   * disclosure_appeals with an 'appeal' case event (its line and staff's note), an audit row and a staff notice (card
   * and thread). An entry naming an appeal already recorded (planAppeal) records its result or a correction: one
   * appeal, its latest entry counted in table 四. `sameInRegister`: register entries that are the same case
   * (sameAppeal), which the report now counts through this request.
   */
  recordAppeal(code: string, input: AppealInput, actor: string): Promise<RecordedAppeal>;
  /** The request's 行政复议 / 行政诉讼 entries, oldest first. */
  appeals(code: string): Promise<DisclosureAppealRecord[]>;
  /**
   * The 救济途径 line the written answer of this open case must carry (as an answered closing would), in the case's
   * locale, or null. For a case without a chat staff write the answer themselves: the card shows it to copy.
   */
  remedyHint(record: CaseRecord): string | null;
  /**
   * A message to the citizen could not be delivered (Telegram: blocked, chat gone, retries exhausted; web: the
   * session ended; `reason` says which). An open case becomes 联系不上 (the transition, with `reason` as its note,
   * shows in the staff thread). A case the transition does not apply to (closed: the closing answer or rating
   * request did not arrive; withdrawn; already 联系不上) is flagged (`unreachable`) and staff are told by an
   * `undelivered` event (staff notice, audit row), once until the case changes again. One transaction; the
   * outcome says which way staff were told. Throws only when the case is unknown or the store fails.
   */
  recordUndelivered(code: string, reason: string, actor?: string): Promise<UndeliveredOutcome>;
  /**
   * The citizen of a case marked 联系不上 wrote again (desk-reachable.ts): the case goes back to its earlier state
   * (staff see the transition with `note`) and the flag is cleared. Null when the case was not flagged.
   */
  recordReachable(code: string, note: string, actor?: string, phone?: string | null): Promise<CaseRecord | null>;
  /**
   * The phone the citizen gave in the chat after filing without one (desk-contact.ts): the open case's contact, a
   * `contact` event for staff (card and thread). Null when the case is not open or already has a contact.
   */
  addContact(code: string, phone: string, actor?: string): Promise<CaseRecord | null>;
  /** 征求第三方意见 (第三十二条、第三十三条): the clock pauses until endConsultation. */
  startConsultation(code: string, party: string, actor: string): Promise<CaseRecord>;
  /** The consultation ended: its working days are added to the deadline. */
  endConsultation(code: string, actor: string, note?: string): Promise<CaseRecord>;
}


/**
 * The case desk: files cases, moves them through their lifecycle, rates them. Every change is one
 * transaction: case row + case_events row + outbox rows (citizen message, staff notice) + audit row,
 * so the citizen sees a code or a change only after it committed.
 *
 * @example
 *   const desk = createCaseDesk({ db: await openStore('data/civicdesk.db') });
 *   const c = await desk.file({ type: 'complaint', channel: 'console', chatId: 'console', text: '彩屯小学乱收费', actor: 'citizen' });
 *   await desk.act(c.code, { kind: 'claim' }, 'console');
 */
export function createCaseDesk(deps: CaseDeskDeps): CaseDeskImpl {
  const ctx = createDeskContext(deps);
  const { db, calendar, rules, bodies, mustFind, message } = ctx;
  const clockStepIn = createClockStepIn(ctx);
  const actIn = createActIn(ctx);
  const desk: CaseDeskImpl = {
    ...clockMethods(ctx, clockStepIn),
    ...filingMethods(ctx, clockStepIn),
    ...staffActionMethods(ctx, actIn),
    ...closingMethods(ctx, actIn),
    ...reachableMethods(ctx),
    ...contactMethods(ctx),
    ...ratingMethods(ctx),
    ...reviewMethods(ctx, actIn),
    calendar,
    rules,
    bodies,
    reopenDays: ctx.reopenWindowDays,
    ratingScales: ctx.scales,
    get: (code) => repo.findCaseByCode(db, normaliseCode(code)),
    list: (filter) => repo.listCases(db, filter),
    history: async (code) => repo.listCaseEvents(db, (await mustFind(db, code)).id),
    latestStaffReopening: (chat) => repo.findLatestStaffReopening(db, chat),
    openCasesOfChat: (chat) => repo.listOpenCasesOfChat(db, chat),
    latestClosedCaseOfChat: (chat) => repo.findLatestClosedCaseOfChat(db, chat),
    citizenMessage: message,
    citizenMayReopen: async (code) => {
      const record = await repo.findCaseByCode(db, normaliseCode(code));
      if (!record || record.state !== 'closed' || record.type === 'disclosure' || record.anonymisedAt) return false;
      const rating = await repo.findRating(db, record.id);
      const lowRatingAt = rating && opensObjection(rating, ctx.scales) ? rating.ratedAt : null;
      return reopenWindow(record, { now: ctx.now(), timeZone: ctx.timeZone, reopenWindowDays: ctx.reopenWindowDays, lowRatingAt }).open;
    },
  };
  return desk;
}
