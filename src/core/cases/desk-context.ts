import type { Db } from '../../storage/db.js';
import * as repo from '../../storage/cases-repo.js';
import { enqueueOutbox } from '../../storage/outbox-repo.js';
import { createWorkCalendar } from '../calendar/calendar.js';
import { dateInZone } from '../calendar/dates.js';
import { loadCalendarOverrides } from '../calendar/sources.js';
import { caseClock, correctionReplyDue, loadDeadlineRules, pausedDeadline, PAUSE_EVENT_KINDS, ruleInForce, type DeadlineRule } from '../deadlines/index.js';
import { caseError } from '../i18n/errors-text.js';
import { botCanReach } from './answer-way.js';
import type { CaseDeskDeps } from './desk.js';
import { citizenMessage } from './messages.js';
import { remedyLine, type RemedyBodies } from './remedies.js';
import { loadRatingScales } from './ratings.js';
import type { CaseEventRecord, CaseRecord, StaffNotice } from './types.js';
import { normaliseCode } from './validate.js';

/** What every group of desk methods shares: the desk's settings and its transaction, lookup and announcement steps. */
export type DeskContext = ReturnType<typeof createDeskContext>;

export const isPauseEvent = (e: CaseEventRecord) => (PAUSE_EVENT_KINDS as readonly string[]).includes(e.kind);

/** The settings (with their defaults) and the steps every desk change is made of. */
export function createDeskContext(deps: CaseDeskDeps) {
  const { db } = deps;
  const prefix = deps.config?.CASE_PREFIX ?? 'XH';
  const timeZone = deps.config?.TIMEZONE ?? 'Asia/Shanghai';
  const reopenWindowDays = deps.config?.REOPEN_DAYS ?? 15;
  const phone = deps.config?.BUREAU_PHONE ?? '024-42842001';
  /** STAFF_LOCALE: the language of the event notes the desk writes itself (a deadline moved, an appeal recorded). */
  const staffLocale = deps.config?.STAFF_LOCALE ?? 'zh';
  const now = deps.now ?? (() => new Date());
  const rules = deps.rules ?? loadDeadlineRules();
  const calendar = deps.calendar ?? createWorkCalendar({ overrides: loadCalendarOverrides() });
  const scales = deps.ratingScales ?? loadRatingScales();
  /** The deadline rule in force on the (local) day the case was received: the 2007 条例's for a request before 2019-05-15. */
  const ruleOf = (record: { type: CaseRecord['type']; receivedAt: string }): DeadlineRule =>
    ruleInForce(rules[record.type], dateInZone(new Date(record.receivedAt), timeZone));
  const bodies: RemedyBodies = {
    superior: deps.config?.BUREAU_SUPERIOR ?? '本溪市教育局',
    appealBody: deps.config?.BUREAU_APPEAL_BODY ?? '本溪市溪湖区人民政府',
  };
  const message = (record: CaseRecord, event: CaseEventRecord) => citizenMessage(record, event, {
    scales, phone, reopenDays: reopenWindowDays, hasAcceptanceNotice: (type) => Boolean(rules[type].acceptanceNotice),
    remedy: (r) => remedyLine(r, rules[r.type], bodies),
    correctionDue: (r, e) => correctionReplyDue(calendar, ruleOf(r), e.at, timeZone),
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
  const event = (tx: Db, caseId: number, at: Date, actor: string, kind: CaseEventRecord['kind'], rest: Partial<CaseEventRecord> = {}) =>
    repo.insertCaseEvent(tx, { caseId, at: at.toISOString(), actor, kind, fromState: null, toState: null, note: null, ...rest });

  /** The disclosure clock from the case's events and the deadline under it (null while a pause runs). */
  const clocked = (record: CaseRecord, events: CaseEventRecord[], extended = record.extended) => {
    const clock = caseClock(calendar, dateInZone(new Date(record.receivedAt), timeZone), events, timeZone);
    return { clock, deadline: pausedDeadline(calendar, ruleOf(record), clock, extended) };
  };

  return {
    db, prefix, timeZone, staffLocale, reopenWindowDays, now, rules, ruleOf, calendar, scales, bodies,
    message, inTransaction, mustFind, announce, event, clocked,
  };
}
