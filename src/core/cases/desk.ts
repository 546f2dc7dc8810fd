import type { Config } from '../../config.js';
import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import type { Db } from '../../storage/db.js';
import { enqueueOutbox, outboxStateByKey } from '../../storage/outbox-repo.js';
import { createWorkCalendar, type WorkCalendar } from '../calendar/calendar.js';
import { dateInZone, yearOf } from '../calendar/dates.js';
import { loadCalendarOverrides } from '../calendar/sources.js';
import {
  caseClock, caseDeadline, loadDeadlineRules, pausedDeadline, PAUSE_EVENT_KINDS, type DeadlineRules,
} from '../deadlines/index.js';
import { caseError } from '../i18n/errors-text.js';
import { formatLocalDateTime } from '../reports/local-time.js';
import { applyAction } from './apply-action.js';
import { botCanReach } from './answer-way.js';
import { checkClockNote, checkClockStep, type ClockStep } from './clock-rules.js';
import { citizenMessage } from './messages.js';
import { remedyLine, type RemedyBodies } from './remedies.js';
import { checkReviewInput, planReview, reviewLevelLabel, type ReviewInput } from './reviews.js';
import { insertCaseReview, listCaseReviews, type CaseReviewRecord } from '../../storage/reviews-repo.js';
import { insertDisclosureAppeal, listDisclosureAppeals, type DisclosureAppealRecord } from '../../storage/appeals-repo.js';
import { appealText, checkAppealInput, planAppeal, type AppealInput } from './appeals.js';
import { LOW_RATING, loadRatingScales, resolveRating, type RatingScales } from './ratings.js';
import {
  ANSWER_WAYS, type ActOptions, type AnswerWay, type CaseAction, type CaseDesk, type CaseEventRecord, type CaseRecord, type StaffNotice,
} from './types.js';
import { checkAction, checkFileInput, normaliseCode } from './validate.js';

export interface CaseDeskDeps {
  db: Db;
  /** Defaults: CASE_PREFIX XH, REOPEN_DAYS 15, TIMEZONE Asia/Shanghai, BUREAU_PHONE 024-42842001. */
  /** Also BUREAU_SUPERIOR 本溪市教育局, BUREAU_APPEAL_BODY 本溪市溪湖区人民政府 (named in closing answers). */
  config?: Partial<Pick<Config, 'CASE_PREFIX' | 'REOPEN_DAYS' | 'TIMEZONE' | 'BUREAU_PHONE' | 'BUREAU_SUPERIOR' | 'BUREAU_APPEAL_BODY'>>;
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

/** The desk with its optional extras (backward-compatible additions to CaseDesk). */
export interface CaseDeskImpl extends CaseDesk {
  /** Ends a 转人工 handoff without changing the state (the parent said 取消). */
  endHandoff(code: string, actor: string): Promise<CaseRecord>;
  readonly calendar: WorkCalendar;
  readonly rules: DeadlineRules;
  /** BUREAU_SUPERIOR (the default 复查机关) and BUREAU_APPEAL_BODY, as configured: forms prefill them. */
  readonly bodies: RemedyBodies;
  /**
   * Recomputes every open case whose deadline was estimated (run at start, after a year's schedule
   * arrived). A changed date is a `deadline` event "old → new" posted in the staff thread; the parent
   * is told only when the promised date moves earlier. Returns the changed cases.
   */
  reestimateDeadlines(actor?: string): Promise<{ code: string; from: string | null; to: string; estimated: boolean }[]>;
  /** 要求补正 (政府信息公开条例 第三十条): asks the parent for `missing`; the clock stops (deadline null). */
  requestCorrection(code: string, missing: string, actor: string, via?: AnswerWay): Promise<CaseRecord>;
  /** The corrected application arrived (also recorded when the parent answers in the chat): the clock restarts from zero. */
  receiveCorrection(code: string, text: string, actor: string): Promise<CaseRecord>;
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
   * disclosure_appeals with an 'appeal' case event (its line and staff's note) and an audit row; a later entry for the
   * same category supersedes. The annual report's table 四 counts the latest entries.
   */
  recordAppeal(code: string, input: AppealInput, actor: string): Promise<{ case: CaseRecord; appeal: DisclosureAppealRecord }>;
  /** The request's 行政复议 / 行政诉讼 entries, oldest first. */
  appeals(code: string): Promise<DisclosureAppealRecord[]>;
  /**
   * The 救济途径 line the written answer of this open case must carry (as an answered closing would), in the case's
   * locale, or null. For a case without a chat staff write the answer themselves: the card shows it to copy.
   */
  remedyHint(record: CaseRecord): string | null;
  /**
   * A message to the citizen could not be delivered (Telegram: blocked, chat gone, retries exhausted; web: the
   * session ended) on a case the 联系不上 transition does not apply to (closed, withdrawn, already unreachable):
   * flags it (`unreachable`) and tells staff (event `undelivered`, staff notice, audit row), once until the
   * case changes again. Returns the event, or null when staff were told already.
   */
  reportUndelivered(code: string, reason: string, actor?: string): Promise<CaseEventRecord | null>;
  /** 征求第三方意见 (第三十二条、第三十三条): the clock pauses until endConsultation. */
  startConsultation(code: string, party: string, actor: string): Promise<CaseRecord>;
  /** The consultation ended: its working days are added to the deadline. */
  endConsultation(code: string, actor: string, note?: string): Promise<CaseRecord>;
}

const isPauseEvent = (e: CaseEventRecord) => (PAUSE_EVENT_KINDS as readonly string[]).includes(e.kind);

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
  const { db } = deps;
  const prefix = deps.config?.CASE_PREFIX ?? 'XH';
  const timeZone = deps.config?.TIMEZONE ?? 'Asia/Shanghai';
  const reopenWindowDays = deps.config?.REOPEN_DAYS ?? 15;
  const phone = deps.config?.BUREAU_PHONE ?? '024-42842001';
  const now = deps.now ?? (() => new Date());
  const rules = deps.rules ?? loadDeadlineRules();
  const calendar = deps.calendar ?? createWorkCalendar({ overrides: loadCalendarOverrides() });
  const scales = deps.ratingScales ?? loadRatingScales();
  const bodies: RemedyBodies = {
    superior: deps.config?.BUREAU_SUPERIOR ?? '本溪市教育局',
    appealBody: deps.config?.BUREAU_APPEAL_BODY ?? '本溪市溪湖区人民政府',
  };
  const message = (record: CaseRecord, event: CaseEventRecord) => citizenMessage(record, event, {
    scales, phone, reopenDays: reopenWindowDays, hasAcceptanceNotice: (type) => Boolean(rules[type].acceptanceNotice),
    remedy: (r) => remedyLine(r, rules[r.type], bodies),
  });

  // Transactions (their tx handles) that queued a citizen message and have not finished yet.
  const citizenQueued = new Set<Db>();
  /** `db.transaction`, then `deps.queued` once it committed, when it queued a citizen message. */
  const inTransaction = async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
    let handle: Db | null = null;
    const result = await db.transaction((tx) => {
      handle = tx;
      citizenQueued.delete(tx);
      return work(tx);
    });
    if (handle && citizenQueued.delete(handle)) deps.queued?.();
    return result;
  };

  /** `forUpdate`: the transaction changes this case by what it reads; concurrent changes of it wait (PostgreSQL row lock). */
  const mustFind = async (q: Db, code: string, forUpdate = false) => {
    const record = await repo.findCaseByCode(q, normaliseCode(code), { forUpdate });
    if (!record) {
      const example = `${prefix}-2026-000123`;
      throw caseError('case_not_found', 'notFound', { code, example });
    }
    return record;
  };

  /** Queues the citizen message (when the case has a chat to answer on) and the staff notice. */
  const announce = async (tx: Db, record: CaseRecord, event: CaseEventRecord, change: StaffNotice['change'], at: Date, toCitizen = true) => {
    const reply = toCitizen ? message(record, event) : null;
    if (reply && botCanReach(record)) {
      await enqueueOutbox(
        tx,
        { target: record.channel as 'telegram' | 'console' | 'web', address: record.chatId!, payload: [reply], caseId: record.id, dedupeKey: `case-event:${event.id}:citizen` },
        at,
      );
      citizenQueued.add(tx);
    }
    const notice: StaffNotice = { change, caseCode: record.code, eventId: event.id };
    await enqueueOutbox(tx, { target: 'staff', address: '-', payload: notice, caseId: record.id, dedupeKey: `case-event:${event.id}:staff` }, at);
  };

  /** The parent must have got the reply a case closes on: one that could not be delivered does not count. */
  const mustHaveDelivered = async (tx: Db, record: CaseRecord) => {
    const reply = (await repo.listCaseEvents(tx, record.id)).filter((e) => e.kind === 'reply').at(-1);
    const delivery = reply ? await outboxStateByKey(tx, `case-event:${reply.id}:citizen`) : null;
    if (delivery?.state === 'dead')
      throw caseError('case_invalid', 'replyUndelivered', { code: record.code, why: delivery.lastError ?? '-' });
  };

  const event = (tx: Db, caseId: number, at: Date, actor: string, kind: CaseEventRecord['kind'], rest: Partial<CaseEventRecord> = {}) =>
    repo.insertCaseEvent(tx, { caseId, at: at.toISOString(), actor, kind, fromState: null, toState: null, note: null, ...rest });

  /** The disclosure clock from the case's events and the deadline under it (null while a pause runs). */
  const clocked = (record: CaseRecord, events: CaseEventRecord[], extended = record.extended) => {
    const clock = caseClock(calendar, dateInZone(new Date(record.receivedAt), timeZone), events, timeZone);
    return { clock, deadline: pausedDeadline(calendar, rules[record.type], clock, extended) };
  };

  const clockStepIn = async (tx: Db, record: CaseRecord, kind: ClockStep, note: string | null, actor: string, via?: AnswerWay) => {
    const events = record.type === 'disclosure' ? await repo.listCaseEvents(tx, record.id) : [];
    const at = now();
    checkClockStep(record, kind, clocked(record, events).clock, at, calendar, timeZone);
    // 第三十条 一次性告知申请人: an applicant without a chat is told by staff, who record how.
    if (kind === 'correction_requested' && !botCanReach(record) && !via)
      throw caseError('case_invalid', 'correctionNeedsWay', { code: record.code, ways: ANSWER_WAYS.join('/') });
    const ev = await event(tx, record.id, at, actor, kind, { note, via: via ?? null });
    const { deadline } = clocked(record, [...events, ev]);
    await repo.updateCase(tx, record.id, { deadlineOn: deadline?.deadlineOn ?? null, deadlineEstimated: deadline?.estimated ?? false, updatedAt: at.toISOString() });
    const updated = (await repo.findCaseById(tx, record.id))!;
    await announce(tx, updated, ev, 'pause', at, kind.startsWith('correction'));
    await recordAudit(tx, { actor, action: `case.${kind}`, subject: record.code, at });
    return updated;
  };
  const clockStep = async (code: string, kind: ClockStep, note: string | null, actor: string, via?: AnswerWay) => {
    checkClockNote(kind, note);
    return inTransaction(async (tx) => clockStepIn(tx, await mustFind(tx, code, true), kind, note?.trim() || null, actor, via));
  };

  /** One lifecycle action inside `tx` (act; and the reopening a revoking 复查 / 复核 orders, from `reopenFrom`). */
  const actIn = async (tx: Db, record: CaseRecord, action: CaseAction, actor: string, options: ActOptions = {}, reopenFrom?: string) => {
    const at = now();
    if (action.kind === 'close' && action.duplicateOf) await mustFind(tx, action.duplicateOf);
    if (action.kind === 'close' && record.repliedAt && (action.basis ?? 'answered') === 'answered' && !action.note.trim())
      await mustHaveDelivered(tx, record);
    const rating = action.kind === 'reopen' ? await repo.findRating(tx, record.id) : null;
    const lowRatingAt = rating && !rating.declined && rating.scale === scales.stars.id && (rating.value ?? 5) <= LOW_RATING ? rating.ratedAt : null;
    const events = record.type === 'disclosure' ? await repo.listCaseEvents(tx, record.id) : [];
    const pausedDeadlineFor = events.some(isPauseEvent) ? (extended: boolean) => clocked(record, events, extended).deadline : undefined;
    const { fields, note } = applyAction(record, action, {
      now: at, actor, rule: rules[record.type], calendar, timeZone, reopenWindowDays, lowRatingAt, pausedDeadlineFor, reopenFrom,
    });
    await repo.updateCase(tx, record.id, fields);
    const updated = (await repo.findCaseById(tx, record.id))!;
    const kind = action.kind === 'reply' ? 'reply' : 'transition';
    const via = (action.kind === 'reply' || action.kind === 'close' || action.kind === 'extend' || action.kind === 'claim') && action.via ? action.via : null;
    const ev = await event(tx, record.id, at, actor, kind, { fromState: record.state, toState: updated.state, note, via });
    await announce(tx, updated, ev, kind, at, options.notifyCitizen ?? true);
    const noticed = !record.acceptanceNoticeAt && updated.acceptanceNoticeAt;
    const detail = {
      from: record.state, to: updated.state, ...(via ? { via } : {}),
      // 信访 受理告知 recorded by this act (claim message, staff's way, or the answer itself)
      ...(noticed ? { acceptanceNotice: updated.acceptanceNoticeVia ?? 'bot' } : {}),
      ...(action.kind === 'extend' ? { approvedBy: updated.extensionApprovedBy } : {}),
    };
    await recordAudit(tx, { actor, action: `case.${action.kind}`, subject: updated.code, detail, at });
    return { case: updated, event: ev };
  };

  const desk: CaseDeskImpl = {
    requestCorrection: (code, missing, actor, via) => clockStep(code, 'correction_requested', missing, actor, via),
    receiveCorrection: (code, text, actor) => clockStep(code, 'correction_received', text, actor),
    startConsultation: (code, party, actor) => clockStep(code, 'consultation_started', party, actor),
    endConsultation: (code, actor, note) => clockStep(code, 'consultation_ended', note ?? null, actor),
    calendar,
    rules,
    bodies,
    async reportUndelivered(code, reason, actor = 'system') {
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        const events = await repo.listCaseEvents(tx, record.id);
        const told = events.filter((e) => e.kind === 'undelivered').at(-1);
        if (told && !events.some((e) => e.id > told.id && (e.kind === 'transition' || e.kind === 'reply'))) return null;
        const at = now();
        const ev = await event(tx, record.id, at, actor, 'undelivered', { note: reason.slice(0, 500) });
        await repo.updateCase(tx, record.id, { unreachable: true, updatedAt: at.toISOString() });
        await announce(tx, (await repo.findCaseById(tx, record.id))!, ev, 'undelivered', at, false); // staff only
        await recordAudit(tx, { actor, action: 'case.undelivered', subject: record.code, detail: { state: record.state }, at });
        return ev;
      });
    },

    async recordAcceptanceNotice(code, via, actor) {
      if (!(ANSWER_WAYS as readonly string[]).includes(via))
        throw caseError('case_invalid', 'acceptanceNoticeWay', { code, ways: ANSWER_WAYS.join('/') });
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        if (!rules[record.type].acceptanceNotice)
          throw caseError('case_illegal_transition', 'acceptanceNoticeType', { code: record.code, type: record.type });
        if (record.acceptanceNoticeAt)
          throw caseError('case_illegal_transition', 'acceptanceNoticeOnce', { code: record.code, at: formatLocalDateTime(record.acceptanceNoticeAt, timeZone) });
        const at = now();
        const ev = await event(tx, record.id, at, actor, 'acceptance_notice', { via });
        await repo.updateCase(tx, record.id, { acceptanceNoticeAt: at.toISOString(), acceptanceNoticeVia: via, updatedAt: at.toISOString() });
        const updated = (await repo.findCaseById(tx, record.id))!;
        await announce(tx, updated, ev, 'acceptance', at, false); // staff only: the citizen was told by staff
        await recordAudit(tx, { actor, action: 'case.acceptance_notice', subject: record.code, detail: { via }, at });
        return updated;
      });
    },
    async file(rawInput) {
      const input = checkFileInput(rawInput);
      const at = now();
      // The deadline counts from receipt (第三十一条): a receipt time still to come would push it past the legal one.
      if (input.receivedAt && input.receivedAt.getTime() > at.getTime() + 60_000)
        throw caseError('case_invalid', 'receivedInFuture', { at: formatLocalDateTime(input.receivedAt.toISOString(), timeZone) });
      const receivedAt = (input.receivedAt ?? at).toISOString();
      const deadline = caseDeadline(calendar, rules[input.type], { receivedAt, claimedAt: null, extended: false }, timeZone);
      return inTransaction(async (tx) => {
        if (input.idempotencyKey) {
          // The same message reaching two instances at once: the second waits here and then finds the first's case.
          const existing = await repo.findCaseByIdempotencyKey(tx, input.idempotencyKey, { forUpdate: true });
          if (existing) return existing;
        }
        const year = yearOf(dateInZone(new Date(receivedAt), timeZone));
        const code = `${prefix}-${year}-${String(await repo.nextCaseNumber(tx, year)).padStart(6, '0')}`;
        const id = await repo.insertCase(tx, {
          code, type: input.type, channel: input.channel, state: 'received', text: input.text,
          contact: input.contact ?? null, citizenName: input.citizenName ?? null, chatId: input.chatId ?? null,
          citizenRef: input.citizenRef ?? null, locale: input.locale ?? 'zh', handoff: input.handoff ?? false,
          sourceMessageId: input.sourceMessageId ?? null, receivedAt, deadlineOn: deadline.deadlineOn,
          deadlineEstimated: deadline.estimated, idempotencyKey: input.idempotencyKey ?? null,
          applicantType: input.applicantType ?? null, deliveryForm: input.deliveryForm ?? null,
          deliveryMethod: input.deliveryMethod ?? null, deliveryAddress: input.deliveryAddress ?? null,
          applicantIdType: input.applicantIdType ?? null, applicantIdNumber: input.applicantIdNumber ?? null,
          createdAt: at.toISOString(), updatedAt: at.toISOString(),
        });
        const record = (await repo.findCaseById(tx, id))!;
        const created = await event(tx, id, at, input.actor, 'created', { toState: 'received' });
        for (const line of input.context ?? []) await event(tx, id, at, input.actor, 'context', { note: line });
        await announce(tx, record, created, 'created', at, input.notifyCitizen ?? true);
        await recordAudit(tx, { actor: input.actor, action: 'case.file', subject: code, detail: { type: input.type, channel: input.channel }, at });
        return record;
      });
    },

    async act(code, rawAction, actor, options = {}) {
      const action = checkAction(rawAction);
      return inTransaction(async (tx) => actIn(tx, await mustFind(tx, code, true), action, actor, options));
    },

    async recordReview(code, rawInput, actor) {
      const input = checkReviewInput(rawInput);
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        const at = now();
        const plan = planReview(record, await listCaseReviews(tx, record.id), input, {
          rule: rules[record.type], calendar, today: dateInZone(at, timeZone),
          closedOn: record.closedAt ? dateInZone(new Date(record.closedAt), timeZone) : null, superior: bodies.superior,
        });
        const ev = await event(tx, record.id, at, actor, 'review', { note: plan.note });
        const { reopen, note: _note, ...fields } = plan;
        const review = await insertCaseReview(tx, { caseId: record.id, eventId: ev.id, ...fields, actor, createdAt: at.toISOString() });
        await recordAudit(tx, { actor, action: `case.${plan.level}`, subject: record.code, detail: { ...fields }, at });
        await repo.updateCase(tx, record.id, { updatedAt: at.toISOString() });
        await announce(tx, record, ev, 'review', at, false); // staff only: the reviewing body answers the petitioner itself
        if (!reopen) return { case: (await repo.findCaseById(tx, record.id))!, review };
        // 撤销: the matter comes back to the bureau; the petitioner is told it is handled again, with the new deadline.
        const reopenNote = `${reviewLevelLabel(plan.level)}撤销（${plan.body}，${plan.decidedOn ?? '-'}）`;
        const current = (await repo.findCaseById(tx, record.id))!;
        const reopened = await actIn(tx, current, { kind: 'reopen', note: reopenNote }, actor, {}, plan.receivedOn);
        return { case: reopened.case, review };
      });
    },

    reviews: async (code) => listCaseReviews(db, (await mustFind(db, code)).id),

    async recordAppeal(code, rawInput, actor) {
      const input = checkAppealInput(rawInput);
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        const at = now();
        const plan = planAppeal(record, input, dateInZone(at, timeZone));
        const fields = { category: plan.category, filedOn: plan.filedOn, outcome: plan.outcome, decidedOn: plan.decidedOn ?? null, caseRef: plan.caseRef ?? null };
        const line = appealText(fields, 'zh');
        const ev = await event(tx, record.id, at, actor, 'appeal', { note: plan.note ? `${line}；${plan.note}` : line });
        const appeal = await insertDisclosureAppeal(tx, { caseId: record.id, eventId: ev.id, ...fields, actor, createdAt: at.toISOString() });
        await recordAudit(tx, { actor, action: 'case.appeal', subject: record.code, detail: { ...fields }, at });
        await repo.updateCase(tx, record.id, { updatedAt: at.toISOString() });
        return { case: (await repo.findCaseById(tx, record.id))!, appeal };
      });
    },
    appeals: async (code) => listDisclosureAppeals(db, (await mustFind(db, code)).id),
    remedyHint: (record) => remedyLine({ ...record, closeBasis: 'answered' }, rules[record.type], bodies),

    async addFollowUp(code, text, actor = 'citizen') {
      if (!text.trim()) throw caseError('case_invalid', 'emptyFollowup', {});
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        const at = now();
        const ev = await event(tx, record.id, at, actor, 'followup', { note: text });
        await repo.updateCase(tx, record.id, { updatedAt: at.toISOString() });
        await announce(tx, record, ev, 'followup', at);
        if (actor === 'citizen' && record.type === 'disclosure') {
          const events = await repo.listCaseEvents(tx, record.id);
          if (clocked(record, events).clock.paused === 'correction') await clockStepIn(tx, record, 'correction_received', text, actor);
        }
        return ev;
      });
    },

    async addNote(code, text, actor) {
      if (!text.trim()) throw caseError('case_invalid', 'emptyNote', {});
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        const at = now();
        const ev = await event(tx, record.id, at, actor, 'note', { note: text });
        await recordAudit(tx, { actor, action: 'case.note', subject: record.code, at });
        return ev;
      });
    },

    async rate(code, rating, actor) {
      await inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        if (record.state !== 'closed')
          throw caseError('case_illegal_transition', 'rateBeforeClose', { code: record.code, state: record.state });
        const resolved = resolveRating(scales, rating, record.code, record.channel);
        // Once per closing: a rating stands; only a case reopened and closed again may be rated anew.
        const earlier = await repo.findRating(tx, record.id);
        if (earlier && record.closedAt && earlier.ratedAt >= record.closedAt)
          throw caseError('case_illegal_transition', 'ratedOnce', { code: record.code, label: earlier.label });
        const at = now();
        await repo.upsertRating(tx, { caseId: record.id, ...resolved, ratedAt: at.toISOString() });
        const ev = await event(tx, record.id, at, actor, 'rated', { note: `${resolved.scale}:${resolved.value ?? '-'} ${resolved.label}` });
        await announce(tx, record, ev, 'rated', at);
        await recordAudit(tx, { actor, action: 'case.rate', subject: record.code, detail: { ...resolved }, at });
      });
    },

    async endHandoff(code, actor) {
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        if (!record.handoff) return record;
        const at = now();
        await repo.updateCase(tx, record.id, { handoff: false, updatedAt: at.toISOString() });
        await event(tx, record.id, at, actor, 'note', { note: 'handoff ended' });
        return (await repo.findCaseById(tx, record.id))!;
      });
    },

    async reestimateDeadlines(actor = 'system') {
      const changed: { code: string; from: string | null; to: string; estimated: boolean }[] = [];
      for (const record of await repo.listOpenEstimatedCases(db)) {
        const times = { receivedAt: record.receivedAt, claimedAt: record.claimedAt, extended: record.extended };
        // A reopened case counts from its reopening day (see applyAction): leave it to staff.
        if (record.state === 'reopened') continue;
        const events = record.type === 'disclosure' ? await repo.listCaseEvents(db, record.id) : [];
        const result = events.some(isPauseEvent) ? clocked(record, events).deadline : caseDeadline(calendar, rules[record.type], times, timeZone);
        if (!result) continue; // a pause is running: no deadline to move
        if (result.deadlineOn === record.deadlineOn && result.estimated === record.deadlineEstimated) continue;
        await inTransaction(async (tx) => {
          const at = now();
          await repo.updateCase(tx, record.id, { deadlineOn: result.deadlineOn, deadlineEstimated: result.estimated, updatedAt: at.toISOString() });
          if (result.deadlineOn === record.deadlineOn) return; // only the "estimated" mark went away
          const updated = (await repo.findCaseById(tx, record.id))!;
          const ev = await event(tx, record.id, at, actor, 'deadline', { note: `${record.deadlineOn ?? '-'} → ${result.deadlineOn}` });
          const earlier = record.deadlineOn !== null && result.deadlineOn < record.deadlineOn;
          await announce(tx, updated, ev, 'deadline', at, earlier);
          await recordAudit(tx, { actor, action: 'case.deadline', subject: record.code, detail: { from: record.deadlineOn, to: result.deadlineOn }, at });
        });
        changed.push({ code: record.code, from: record.deadlineOn, to: result.deadlineOn, estimated: result.estimated });
      }
      return changed;
    },

    get: (code) => repo.findCaseByCode(db, normaliseCode(code)),
    list: (filter) => repo.listCases(db, filter),
    history: async (code) => repo.listCaseEvents(db, (await mustFind(db, code)).id),
    citizenMessage: message,
  };
  return desk;
}
