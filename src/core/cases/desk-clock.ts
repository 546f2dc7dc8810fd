import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import type { Db } from '../../storage/db.js';
import { dateInZone, type IsoDate } from '../calendar/dates.js';
import { caseDeadline } from '../deadlines/index.js';
import { startOfLocalDay } from '../reports/local-time.js';
import { caseError } from '../i18n/errors-text.js';
import { t } from '../i18n/index.js';
import '../i18n/staff.js';
import { botCanReach } from './answer-way.js';
import { checkClockNote, checkClockStep, type ClockStep } from './clock-rules.js';
import { isPauseEvent, type DeskContext } from './desk-context.js';
import type { CaseDeskImpl } from './desk.js';
import { ANSWER_WAYS, type AnswerWay, type CaseRecord } from './types.js';

/** One step of a disclosure case's clock (补正, 征求意见) inside `tx`: the event, the deadline under it, the notices. */
export function createClockStepIn(ctx: DeskContext) {
  const { now, calendar, timeZone, clocked, event, announce } = ctx;
  /** `on`: the day the step happened when staff record it later (a corrected request that came by post); default today. */
  const clockStepIn = async (tx: Db, record: CaseRecord, kind: ClockStep, note: string | null, actor: string, via?: AnswerWay, on?: IsoDate) => {
    const events = record.type === 'disclosure' ? await repo.listCaseEvents(tx, record.id) : [];
    const today = dateInZone(now(), timeZone);
    // The clock counts days (caseClock reads the event's local day): an earlier day is recorded at its noon.
    const at = on && on < today ? new Date(startOfLocalDay(on, timeZone).getTime() + 12 * 3_600_000) : now();
    checkClockStep(record, kind, clocked(record, events).clock, now(), calendar, timeZone, on);
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
  return clockStepIn;
}

export type ClockStepIn = ReturnType<typeof createClockStepIn>;

/** The desk's clock methods: pauses a staff member starts and ends, and deadlines re-estimated when a schedule arrives. */
export function clockMethods(
  ctx: DeskContext,
  clockStepIn: ClockStepIn,
): Pick<CaseDeskImpl, 'requestCorrection' | 'receiveCorrection' | 'startConsultation' | 'endConsultation' | 'reestimateDeadlines'> {
  const { db, now, calendar, ruleOf, timeZone, inTransaction, mustFind, clocked, event, announce } = ctx;
  const clockStep = async (code: string, kind: ClockStep, note: string | null, actor: string, via?: AnswerWay, on?: IsoDate) => {
    checkClockNote(kind, note);
    return inTransaction(async (tx) => clockStepIn(tx, await mustFind(tx, code, true), kind, note?.trim() || null, actor, via, on));
  };

  return {
    requestCorrection: (code, missing, actor, via) => clockStep(code, 'correction_requested', missing, actor, via),
    receiveCorrection: (code, text, actor, receivedOn) => clockStep(code, 'correction_received', text, actor, undefined, receivedOn),
    startConsultation: (code, party, actor) => clockStep(code, 'consultation_started', party, actor),
    endConsultation: (code, actor, note) => clockStep(code, 'consultation_ended', note ?? null, actor),

    async reestimateDeadlines(actor = 'system') {
      const changed: { code: string; from: string | null; to: string; estimated: boolean }[] = [];
      for (const record of await repo.listEstimatedCases(db)) {
        const times = { receivedAt: record.receivedAt, claimedAt: record.claimedAt, acceptanceNoticeAt: record.acceptanceNoticeAt ?? null, extended: record.extended };
        // A reopened case counts from its reopening day (see applyAction): leave it to staff.
        if (record.state === 'reopened') continue;
        const events = record.type === 'disclosure' ? await repo.listCaseEvents(db, record.id) : [];
        const result = events.some(isPauseEvent) ? clocked(record, events).deadline : caseDeadline(calendar, ruleOf(record), times, timeZone);
        if (!result) continue; // a pause is running: no deadline to move
        if (result.deadlineOn === record.deadlineOn && result.estimated === record.deadlineEstimated) continue;
        await inTransaction(async (tx) => {
          const at = now();
          await repo.updateCase(tx, record.id, { deadlineOn: result.deadlineOn, deadlineEstimated: result.estimated, updatedAt: at.toISOString() });
          if (result.deadlineOn === record.deadlineOn) return; // only the "estimated" mark went away
          const finished = record.state === 'closed' || record.state === 'withdrawn';
          const note = `${record.deadlineOn ?? '-'} → ${result.deadlineOn}${finished ? t(ctx.staffLocale, 'staff.deadline.recountedOfficial') : ''}`;
          const ev = await event(tx, record.id, at, actor, 'deadline', { note });
          await recordAudit(tx, { actor, action: 'case.deadline', subject: record.code, detail: { from: record.deadlineOn, to: result.deadlineOn }, at });
          // A finished case only gets the right date for the reports: nobody is waiting on it, so no message.
          if (finished) return;
          const updated = (await repo.findCaseById(tx, record.id))!;
          const earlier = record.deadlineOn !== null && result.deadlineOn < record.deadlineOn;
          await announce(tx, updated, ev, 'deadline', at, earlier);
        });
        changed.push({ code: record.code, from: record.deadlineOn, to: result.deadlineOn, estimated: result.estimated });
      }
      // Deadlines a migration queued (0042: open 信访 counted from receipt, now from 受理): recomputed under the rules in
      // force, each with its event and audit row, taken off the queue in the same transaction (once, across instances).
      for (const queued of await repo.listQueuedRecomputations(db)) {
        const moved = await inTransaction(async (tx) => {
          if (!(await repo.takeQueuedRecomputation(tx, queued.caseId))) return null;
          const record = await repo.findCaseById(tx, queued.caseId);
          if (!record || record.closedAt || !['received', 'claimed', 'replied', 'extended', 'unreachable'].includes(record.state)) return null;
          const times = { receivedAt: record.receivedAt, claimedAt: record.claimedAt, acceptanceNoticeAt: record.acceptanceNoticeAt ?? null, extended: record.extended };
          const result = caseDeadline(calendar, ruleOf(record), times, timeZone);
          if (result.deadlineOn === record.deadlineOn) return null;
          const at = now();
          await repo.updateCase(tx, record.id, { deadlineOn: result.deadlineOn, deadlineEstimated: result.estimated, updatedAt: at.toISOString() });
          const note = `${record.deadlineOn ?? '-'} → ${result.deadlineOn}${t(ctx.staffLocale, 'staff.deadline.petitionFromAcceptance')}`;
          const ev = await event(tx, record.id, at, actor, 'deadline', { note });
          await recordAudit(tx, { actor, action: 'case.deadline', subject: record.code, detail: { from: record.deadlineOn, to: result.deadlineOn, reason: queued.reason }, at });
          const earlier = record.deadlineOn !== null && result.deadlineOn < record.deadlineOn;
          await announce(tx, (await repo.findCaseById(tx, record.id))!, ev, 'deadline', at, earlier);
          return { code: record.code, from: record.deadlineOn, to: result.deadlineOn, estimated: result.estimated };
        });
        if (moved) changed.push(moved);
      }
      return changed;
    },
  };
}
