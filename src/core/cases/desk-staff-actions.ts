import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import type { Db } from '../../storage/db.js';
import { caseError } from '../i18n/errors-text.js';
import { maskIdNumbers } from '../privacy/mask.js';
import { formatLocalDateTime } from '../reports/local-time.js';
import { applyAction } from './apply-action.js';
import { citizenWroteAfterUnreachable } from './close-rules.js';
import { mustHaveDelivered } from './desk-closing.js';
import { isPauseEvent, type DeskContext } from './desk-context.js';
import type { CaseDeskImpl } from './desk.js';
import { opensObjection } from './ratings.js';
import { dateInZone } from '../calendar/dates.js';
import { correctionReplyDue, runningPauses } from '../deadlines/index.js';
import type { ActOptions, CaseAction, CaseEventRecord, CaseRecord } from './types.js';
import { checkAction } from './validate.js';

/** One lifecycle action inside `tx`: the case row, its event, the notices and the audit row. */
export function createActIn(ctx: DeskContext) {
  const { now, scales, clocked, ruleOf, calendar, timeZone, reopenWindowDays, event, announce, mustFind } = ctx;
  /** One lifecycle action inside `tx` (act; and the reopening a revoking 复查 / 复核 orders, from `reopenFrom`). */
  const actIn = async (tx: Db, record: CaseRecord, action: CaseAction, actor: string, options: ActOptions = {}, reopenFrom?: string) => {
    const at = now();
    /** 第三十条: the awaited 补正's request day and reply period (rules' `correction`), and whether one ever arrived. */
    const correctionState = (r: CaseRecord, events: CaseEventRecord[], today: Date) => {
      const asked = runningPauses(events).correction;
      const askedOn = asked ? dateInZone(new Date(asked.at), timeZone) : null;
      const replyDue = asked ? correctionReplyDue(calendar, ruleOf(r), asked.at, timeZone) : null;
      const lapsed = askedOn !== null && (replyDue === null || dateInZone(today, timeZone) > replyDue);
      return { askedOn, replyDue, lapsed, received: events.some((e) => e.kind === 'correction_received') };
    };
    const duplicateTarget = action.kind === 'close' && action.duplicateOf ? await mustFind(tx, action.duplicateOf) : null;
    if (action.kind === 'close' && record.repliedAt && (action.basis ?? 'answered') === 'answered' && !action.note.trim())
      await mustHaveDelivered(tx, record);
    const rating = action.kind === 'reopen' ? await repo.findRating(tx, record.id) : null;
    const lowRatingAt = rating && opensObjection(rating, scales) ? rating.ratedAt : null;
    const events = record.type === 'disclosure' || action.kind === 'close' ? await repo.listCaseEvents(tx, record.id) : [];
    const wrote = action.kind === 'close' ? citizenWroteAfterUnreachable(events) : null;
    const paused = events.some(isPauseEvent);
    const pausedDeadlineFor = paused ? (extended: boolean) => clocked(record, events, extended).deadline : undefined;
    const runningPause = paused ? clocked(record, events).clock.paused : null;
    const correction = action.kind === 'close' && record.type === 'disclosure' ? correctionState(record, events, at) : undefined;
    const { fields, note } = applyAction(record, action, {
      now: at, actor, rule: ruleOf(record), calendar, timeZone, reopenWindowDays, lowRatingAt, pausedDeadlineFor, runningPause, reopenFrom,
      close: { duplicateTarget, citizenWroteAfterUnreachable: wrote && formatLocalDateTime(wrote, timeZone), correctionAwaited: runningPause === 'correction', correction },
    });
    await repo.updateCase(tx, record.id, fields);
    const updated = (await repo.findCaseById(tx, record.id))!;
    const kind = action.kind === 'reply' ? 'reply' : 'transition';
    const via = action.kind !== 'unreachable' && action.kind !== 'reopen' && action.via ? action.via : null;
    const ev = await event(tx, record.id, at, actor, kind, { fromState: record.state, toState: updated.state, note, via });
    // The closing message says the close note as staff wrote it (a number to call, ID numbers masked); it is stored masked.
    const told = typeof fields.closeNote === 'string' ? { ...updated, closeNote: maskIdNumbers(fields.closeNote) } : updated;
    await announce(tx, told, ev, kind, at, options.notifyCitizen ?? true);
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
  return actIn;
}

export type ActIn = ReturnType<typeof createActIn>;

/** The desk's staff actions: a lifecycle step (签收, 答复, 办结 …), an internal note, the end of a 转人工 handoff. */
export function staffActionMethods(ctx: DeskContext, actIn: ActIn): Pick<CaseDeskImpl, 'act' | 'addNote' | 'endHandoff'> {
  const { now, inTransaction, mustFind, event } = ctx;
  return {
    async act(code, rawAction, actor, options = {}) {
      const action = checkAction(rawAction);
      return inTransaction(async (tx) => actIn(tx, await mustFind(tx, code, true), action, actor, options));
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
  };
}
