import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/dates.js';
import { calendarDaysLimit, type DeadlineRule } from '../deadlines/index.js';
import { caseError } from '../i18n/errors-text.js';
import type { CaseReviewRecord } from '../../storage/reviews-repo.js';
import type { CaseRecord } from './types.js';

/**
 * 信访 复查 and 复核 of the bureau's written reply (《信访条例》第三十四条、第三十五条):
 *   review  – 复查 by the superior body (BUREAU_SUPERIOR), asked within 30 日 of receiving the written reply;
 *   recheck – 复核 by the 复查机关's superior, asked within 30 日 of receiving the 复查意见;
 *   repeat  – the same complaint again after 复核: "不再受理" (第三十五条), recorded and flagged, not a new case.
 * The bureau records what reaches it; a request made out of time is recorded as such with its dates, not refused.
 */
export const REVIEW_LEVELS = ['review', 'recheck', 'repeat'] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

/**
 * Outcomes of a 复查 / 复核意见. The 信访条例 names none for them (第三十二条's 予以支持 / 做好解释工作 / 不予支持 are
 * the original body's 处理意见); these are the decision kinds of the 行政复议法 (2023) 第六十三、六十四、六十八条
 * (变更 / 撤销 / 维持) that 复查意见书 use in practice, and 不予受理 for a request the body did not take up (out of
 * time, not the same matter). 撤销 sends the matter back: the case reopens with a new 60 日 deadline.
 */
export const REVIEW_OUTCOMES = ['维持', '撤销', '变更', '不予受理'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
/** The only outcome of a repeat complaint after 复核 (第三十五条). */
export const REPEAT_OUTCOME = '不再受理';
/**
 * A 复查 / 复核 request staff learned of before its decision: recorded with no outcome and no decision date, it is
 * "pending" until a decision entry at the same level answers it (decides_id). The reviewing body's own limit —
 * 收到请求之日起30日内提出意见 (第三十四条、第三十五条; 日 = calendar days, rule `review.answer`) — runs from the request
 * day, and the digest lists the pending requests falling due or late.
 */
export const PENDING_OUTCOME = '待决定';
/**
 * The petitioner withdrew the 复查 / 复核 request (撤回) before a decision: it ends the request (a pending one leaves
 * the digest), with the withdrawal day as its date. No decision was made: it is no 复查 / 复核意见 (a later request
 * at the same stage may still be made and recorded, and a 复核 still needs a decided 复查), and the monthly counts
 * list it apart from the decisions.
 */
export const WITHDRAWN_OUTCOME = '撤回';
/** Outcomes that overturn the bureau's 处理意见: the digest lists them; 撤销 also reopens the case. */
export const OVERTURNING_OUTCOMES: readonly string[] = ['撤销', '变更'];

const LEVEL_ALIASES: Record<string, ReviewLevel> = {
  review: 'review', 复查: 'review', recheck: 'recheck', 复核: 'recheck', repeat: 'repeat', 再次信访: 'repeat', 不再受理: 'repeat',
};
const OUTCOME_ALIASES: Record<string, string> = {
  upheld: '维持', revoked: '撤销', changed: '变更', rejected: '不予受理', 'not-accepted': '不再受理', withdrawn: WITHDRAWN_OUTCOME,
};

const date = (field: string) =>
  z.string().trim().refine(isIsoDate, { message: `${field} must be a date written YYYY-MM-DD, e.g. 2026-03-15`, params: { field } });

/** What staff give when logging a decision (Slack, console, CLI): validated here, whoever calls. */
export const reviewInputSchema = z.object({
  level: z.preprocess(
    (v) => (typeof v === 'string' ? (LEVEL_ALIASES[v.trim().toLowerCase()] ?? v) : v),
    z.enum(REVIEW_LEVELS, { message: 'level must be 复查, 复核 or 再次信访' }),
  ),
  outcome: z.preprocess((v) => (typeof v === 'string' ? (OUTCOME_ALIASES[v.trim().toLowerCase()] ?? v.trim()) : v), z.string().optional()),
  /** Who decided (复查机关 / 复核机关); 复查 defaults to BUREAU_SUPERIOR. */
  body: z.string().trim().min(2).max(60).optional(),
  /**
   * When the petitioner made the request (or, for repeat, raised the complaint again): the petitioner's 30 日 to ask
   * are checked against it. May be left out when deciding a pending request: its day is kept.
   */
  requestedOn: date('requestedOn').optional(),
  /**
   * When the reviewing body received the request, if later than the request day (a request by post): the body's
   * 30 日 to decide count from it ("自收到复查请求之日起30日内", 第三十四条). Default: the request day.
   */
  requestReceivedOn: date('requestReceivedOn').optional(),
  /** Date of the 复查 / 复核意见 (required for those; none for repeat). */
  decidedOn: date('decidedOn').optional(),
  /** When the decision (or the repeat complaint) reached the bureau; default today. */
  receivedOn: date('receivedOn').optional(),
  /** When the petitioner received the written reply (复查) or the 复查意见 (复核), if later than the closing / decision day. */
  replyReceivedOn: date('replyReceivedOn').optional(),
  note: z.string().trim().max(2000).optional(),
});
export type ReviewInput = z.input<typeof reviewInputSchema>;
type CheckedInput = z.output<typeof reviewInputSchema>;

const FIELD_LABELS: Record<string, string> = {
  requestedOn: 'requested', requestReceivedOn: 'requestReceived', decidedOn: 'decided', receivedOn: 'received', replyReceivedOn: 'replyReceived', body: 'body', note: 'note',
};

export function checkReviewInput(raw: unknown): CheckedInput {
  const result = reviewInputSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? 'level');
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const value = (raw as Record<string, unknown> | null)?.[field];
  if (field === 'level') throw caseError('case_invalid', 'reviewLevel', { value: String(value ?? '') }, { problems });
  if (field === 'body' || field === 'note')
    throw caseError('case_invalid', issue.code === 'too_big' ? 'reviewTextTooLong' : 'reviewBodyShort', { field: FIELD_LABELS[field]! }, { problems });
  throw caseError('case_invalid', 'reviewDate', { field: FIELD_LABELS[field] ?? 'other', value: String(value ?? '').slice(0, 40) }, { problems });
}

/** What one entry will record: the checked fields and the request limit the desk applied. */
export interface ReviewPlan {
  level: ReviewLevel;
  body: string;
  outcome: string;
  requestedOn: IsoDate;
  /** The day the reviewing body received the request: decisionDue counts from it. */
  requestReceivedOn: IsoDate;
  decidedOn: IsoDate | null;
  receivedOn: IsoDate;
  windowFrom: IsoDate;
  windowEnd: IsoDate;
  inTime: boolean;
  /** The last day for the 复查 / 复核意见 (the body's receipt of the request + `review.answer` 日); null for repeat. */
  decisionDue: IsoDate | null;
  /** The pending entry this decision answers, if one was recorded. */
  decidesId: number | null;
  /** 撤销: the matter goes back to the bureau (the case reopens). */
  reopen: boolean;
  note: string | null;
}

export interface ReviewContext {
  rule: DeadlineRule;
  calendar: { isWorkingDay(date: string): boolean };
  /** Today in TIMEZONE. */
  today: IsoDate;
  /** The day the case was (last) closed, in TIMEZONE: the written reply's date. */
  closedOn: IsoDate | null;
  /** BUREAU_SUPERIOR: the default 复查机关. */
  superior: string;
}


/**
 * Checks an entry against the case and its earlier entries (those since the case's last closing: a 撤销 reopened
 * the case and its new written reply starts a new round) and computes the request limit. Throws caseError with
 * what staff must fix.
 */
export function planReview(record: CaseRecord, earlier: CaseReviewRecord[], input: CheckedInput, ctx: ReviewContext): ReviewPlan {
  const code = record.code;
  const { level } = input;
  const review = ctx.rule.review;
  if (!review) throw caseError('case_invalid', 'reviewNotPetition', { code, type: record.type });
  if (record.state !== 'closed' || !ctx.closedOn || !record.closedAt)
    throw caseError('case_illegal_transition', 'reviewNotClosed', { code, state: record.state });
  if (record.closeBasis && record.closeBasis !== 'answered' && record.closeBasis !== 'message')
    throw caseError('case_illegal_transition', 'reviewNoAnswer', { code });
  const round = earlier.filter((r) => r.createdAt >= record.closedAt!);
  // A decision of that stage: neither a request still waiting nor one withdrawn (撤回 decided nothing).
  const decided = (l: ReviewLevel) => round.find((r) => r.level === l && r.outcome !== PENDING_OUTCOME && r.outcome !== WITHDRAWN_OUTCOME);
  const pendingAt = (l: ReviewLevel) => round.find((r) => r.level === l && r.outcome === PENDING_OUTCOME && !round.some((d) => d.decidesId === r.id));
  const done = decided(level);
  if (done && level !== 'repeat')
    throw caseError('case_illegal_transition', 'reviewTwice', { code, level, on: done.receivedOn, reviewOutcome: done.outcome });
  if (level === 'review' && (decided('recheck') || pendingAt('recheck')))
    throw caseError('case_illegal_transition', 'reviewTwice', { code, level: 'review', on: decided('review')?.receivedOn ?? '-', reviewOutcome: decided('review')?.outcome ?? '-' });
  const prior = level === 'recheck' ? decided('review') : level === 'repeat' ? decided('recheck') : undefined;
  if (level === 'recheck' && !prior) throw caseError('case_illegal_transition', 'recheckBeforeReview', { code });
  if (level === 'repeat' && !prior) throw caseError('case_illegal_transition', 'repeatBeforeRecheck', { code });
  // A request with neither outcome nor decision date: the decision is still to come (recorded pending).
  const pending = level === 'repeat' ? undefined : pendingAt(level);
  const isPending = level !== 'repeat' && !input.outcome && !input.decidedOn;
  if (isPending && pending)
    throw caseError('case_illegal_transition', 'reviewPendingTwice', { code, level, requested: pending.requestedOn, due: pending.decisionDue ?? '-' });

  // Outcome: one of the decision kinds; a repeat complaint after 复核 is 不再受理 whatever was typed.
  let outcome: string;
  if (level === 'repeat') {
    if (input.outcome && input.outcome !== REPEAT_OUTCOME) throw caseError('case_invalid', 'repeatOutcome', { code });
    outcome = REPEAT_OUTCOME;
  } else if (isPending) {
    outcome = PENDING_OUTCOME;
  } else {
    const allowed: readonly string[] = [...REVIEW_OUTCOMES, WITHDRAWN_OUTCOME];
    if (!input.outcome || !allowed.includes(input.outcome))
      throw caseError('case_invalid', 'reviewOutcome', { level, reviewOutcomes: [...allowed], value: input.outcome ?? '-' });
    outcome = input.outcome;
  }
  const body = input.body ?? pending?.body ?? (level === 'review' ? ctx.superior : null);
  if (!body) throw caseError('case_invalid', level === 'recheck' ? 'recheckNeedsBody' : 'repeatNeedsBody', { code });
  const decidedOn = level === 'repeat' || isPending ? null : (input.decidedOn ?? null);
  if (level !== 'repeat' && !isPending && !decidedOn)
    throw caseError('case_invalid', outcome === WITHDRAWN_OUTCOME ? 'reviewNeedsWithdrawn' : 'reviewNeedsDecided', { level });
  // Deciding a pending request: its request day stands (the limits were counted from it).
  if (pending && input.requestedOn && input.requestedOn !== pending.requestedOn)
    throw caseError('case_invalid', 'reviewPendingRequested', { code, level, requested: pending.requestedOn, value: input.requestedOn });
  if (pending && input.requestReceivedOn && input.requestReceivedOn !== pending.requestReceivedOn)
    throw caseError('case_invalid', 'reviewPendingReceived', { code, level, received: pending.requestReceivedOn, value: input.requestReceivedOn });
  const requestedOn = input.requestedOn ?? pending?.requestedOn;
  if (!requestedOn) throw caseError('case_invalid', 'reviewNeedsRequested', { level });
  const requestReceivedOn = input.requestReceivedOn ?? pending?.requestReceivedOn ?? requestedOn;
  const receivedOn = input.receivedOn ?? ctx.today;

  // Dates: in order, none still to come, none before what they answer.
  for (const [what, value] of [['requested', requestedOn], ['requestReceived', requestReceivedOn], ['decided', decidedOn], ['received', receivedOn], ['replyReceived', input.replyReceivedOn]] as const)
    if (value && value > ctx.today) throw caseError('case_invalid', 'reviewDateFuture', { field: what, value, today: ctx.today });
  if ((decidedOn && requestedOn > decidedOn) || (decidedOn ?? requestedOn) > receivedOn)
    throw caseError('case_invalid', 'reviewDateOrder', { requested: requestedOn, decided: decidedOn ?? '-', received: receivedOn });
  if (requestReceivedOn < requestedOn) throw caseError('case_invalid', 'reviewReceiptOrder', { requested: requestedOn, value: requestReceivedOn });
  if (decidedOn && requestReceivedOn > decidedOn)
    throw caseError('case_invalid', 'reviewReceiptAfterDecision', { decided: decidedOn, value: requestReceivedOn });
  // The limit counts from receipt of the written reply (复查) or of the 复查意见 (复核); repeat: from the 复核意见.
  const answered = level === 'review' ? ctx.closedOn : (prior!.decidedOn ?? prior!.receivedOn);
  const windowFrom = input.replyReceivedOn ?? pending?.windowFrom ?? answered;
  if (windowFrom < answered) throw caseError('case_invalid', 'reviewReplyBefore', { value: windowFrom, answered });
  if (requestedOn < answered)
    throw caseError('case_invalid', 'reviewBeforeAnswer', { requested: requestedOn, answered, field: level === 'review' ? 'reply' : prior!.level === 'review' ? 'reviewDecision' : 'recheckDecision' });
  const windowEnd = level === 'repeat' ? windowFrom : calendarDaysLimit(ctx.calendar, windowFrom, review.request);
  const inTime = level !== 'repeat' && requestedOn <= windowEnd;
  // The reviewing body's limit: 收到请求之日起30日内 (calendar days, 次日 convention, moved off a rest day), from
  // its receipt of the request — a request posted on day 30 of the petitioner's window reaches it days later.
  const decisionDue = level === 'repeat' ? null : calendarDaysLimit(ctx.calendar, requestReceivedOn, review.answer);
  return {
    level, body, outcome, requestedOn, requestReceivedOn, decidedOn, receivedOn, windowFrom, windowEnd, inTime, decisionDue,
    decidesId: isPending ? null : (pending?.id ?? null), reopen: outcome === '撤销', note: input.note || null,
  };
}

/** The entries of the case's current round: since its last closing (a 撤销 reopened it and a new reply starts anew). */
function currentRound(record: Pick<CaseRecord, 'closedAt'>, reviews: readonly CaseReviewRecord[]): CaseReviewRecord[] {
  return record.closedAt ? reviews.filter((r) => r.createdAt >= record.closedAt!) : [];
}

/** Whether staff can record a 复查 / 复核 now: a closed 信访 case answered with a 处理意见 (as planReview requires). */
export function canRecordReview(record: Pick<CaseRecord, 'state' | 'closedAt' | 'closeBasis'>, rule: DeadlineRule | undefined): boolean {
  return Boolean(rule?.review) && record.state === 'closed' && Boolean(record.closedAt)
    && (!record.closeBasis || record.closeBasis === 'answered' || record.closeBasis === 'message');
}

/** The request of the current round still waiting for its 复查 / 复核意见, if any. */
export function pendingReviewOf(record: Pick<CaseRecord, 'closedAt'>, reviews: readonly CaseReviewRecord[]): CaseReviewRecord | undefined {
  const round = currentRound(record, reviews);
  return round.find((r) => r.outcome === PENDING_OUTCOME && !round.some((d) => d.decidesId === r.id));
}

/** The level staff most likely record next: the pending request's, else the step after the last decision. */
export function nextReviewLevel(record: Pick<CaseRecord, 'closedAt'>, reviews: readonly CaseReviewRecord[]): ReviewLevel {
  const pending = pendingReviewOf(record, reviews);
  if (pending) return pending.level;
  const decided = currentRound(record, reviews).filter((r) => r.outcome !== PENDING_OUTCOME && r.outcome !== WITHDRAWN_OUTCOME).map((r) => r.level);
  // The last entry a withdrawal: the same stage may be asked again.
  const last = currentRound(record, reviews).at(-1);
  if (last?.outcome === WITHDRAWN_OUTCOME && last.level !== 'repeat') return last.level;
  return decided.includes('recheck') ? 'repeat' : decided.includes('review') ? 'recheck' : 'review';
}
