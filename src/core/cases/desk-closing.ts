import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import type { Db } from '../../storage/db.js';
import { outboxStateByKey } from '../../storage/outbox-repo.js';
import { caseError } from '../i18n/errors-text.js';
import type { DeskContext } from './desk-context.js';
import type { ActIn } from './desk-staff-actions.js';
import type { CaseDeskImpl, UndeliveredOutcome } from './desk.js';
import { resolveRating } from './ratings.js';
import { caseDeadline, runningPauses } from '../deadlines/index.js';
import '../i18n/staff.js';
import { t } from '../i18n/index.js';
import type { CaseState } from '../types.js';
import { TRANSITIONS } from './transitions.js';
import type { CaseRecord } from './types.js';
import { checkAction } from './validate.js';

/** The parent must have got the reply a case closes on: one that could not be delivered does not count. */
export const mustHaveDelivered = async (tx: Db, record: CaseRecord) => {
  const reply = (await repo.listCaseEvents(tx, record.id)).filter((e) => e.kind === 'reply').at(-1);
  const delivery = reply ? await outboxStateByKey(tx, `case-event:${reply.id}:citizen`) : null;
  if (delivery?.state === 'dead')
    throw caseError('case_invalid', 'replyUndelivered', { code: record.code, why: delivery.lastError ?? '-' });
};

/** After the closing answer: the parent's rating, and staff told when a message to them did not arrive. */
export function closingMethods(ctx: DeskContext, actIn: ActIn): Pick<CaseDeskImpl, 'rate' | 'recordUndelivered'> {
  const { now, scales, inTransaction, mustFind, event, announce, clocked, ruleOf, calendar, timeZone } = ctx;
  /** Whether the bot's message for `event` has not reached the citizen (its outbox row is not `sent`). */
  const notDelivered = async (tx: Db, eventId: number) => {
    const row = await outboxStateByKey(tx, `case-event:${eventId}:citizen`);
    return row !== null && row.state !== 'sent';
  };

  /**
   * A message to the citizen will never arrive: a 信访 受理告知 the bot gave (the claim or answer message) that was not
   * delivered is recorded as not given (the card and the digest ask staff to give it another way), and a 补正告知 the bot
   * sent that was not delivered no longer stops the disclosure clock (a `correction_undelivered` event: the request is
   * void, the clock runs on from receipt). Returns the case as it now is and, for staff, what was undone.
   */
  const voidUndeliveredNotices = async (tx: Db, record: CaseRecord, actor: string): Promise<{ record: CaseRecord; voided: string[] }> => {
    const events = await repo.listCaseEvents(tx, record.id);
    const voided: string[] = [];
    const at = now();
    if (record.acceptanceNoticeAt && !record.acceptanceNoticeVia) {
      const notice = events.find((e) => e.at === record.acceptanceNoticeAt && !e.via && (e.kind === 'transition' || e.kind === 'reply'));
      if (notice && (await notDelivered(tx, notice.id))) {
        const fields: repo.CaseFields = { acceptanceNoticeAt: null, acceptanceNoticeVia: null, updatedAt: at.toISOString() };
        // 信访 counted from the 受理告知: without it, back to the latest lawful start (the day the notice is due).
        if (ruleOf(record).clockStart === 'accepted' && record.state !== 'reopened') {
          const deadline = caseDeadline(calendar, ruleOf(record), { ...record, acceptanceNoticeAt: null }, timeZone);
          Object.assign(fields, { deadlineOn: deadline.deadlineOn, deadlineEstimated: deadline.estimated });
        }
        await repo.updateCase(tx, record.id, fields);
        await recordAudit(tx, { actor, action: 'case.acceptance_notice_undelivered', subject: record.code, detail: { eventId: notice.id }, at });
        voided.push(t('zh', 'staff.undelivered.acceptanceNotice', { code: record.code }));
      }
    }
    const asked = record.type === 'disclosure' ? runningPauses(events).correction : undefined;
    const request = asked ? events.filter((e) => e.kind === 'correction_requested' && e.at === asked.at).at(-1) : undefined;
    if (request && !request.via && (await notDelivered(tx, request.id))) {
      const ev = await event(tx, record.id, at, actor, 'correction_undelivered', { note: request.note });
      const { deadline } = clocked(record, [...events, ev]);
      await repo.updateCase(tx, record.id, { deadlineOn: deadline?.deadlineOn ?? null, deadlineEstimated: deadline?.estimated ?? false, updatedAt: at.toISOString() });
      await announce(tx, (await repo.findCaseById(tx, record.id))!, ev, 'pause', at, false); // staff only
      await recordAudit(tx, { actor, action: 'case.correction_undelivered', subject: record.code, detail: { deadline: deadline?.deadlineOn ?? null }, at });
      voided.push(t('zh', 'staff.undelivered.correction', { deadline: deadline?.deadlineOn ?? '-' }));
    }
    return { record: voided.length > 0 ? (await repo.findCaseById(tx, record.id))! : record, voided };
  };

  return {
    async recordUndelivered(code, rawReason, actor = 'system') {
      return inTransaction(async (tx): Promise<UndeliveredOutcome> => {
        const found = await mustFind(tx, code, true);
        // A notice counts only once delivered: one the bot sent that did not arrive is undone first (review17 #17).
        const { record, voided } = await voidUndeliveredNotices(tx, found, actor);
        const reason = voided.length > 0 ? `${rawReason.slice(0, 4000)}；${voided.join('；')}` : rawReason;
        if ((TRANSITIONS.unreachable.from as readonly CaseState[]).includes(record.state)) {
          // An action note holds at most 5000 characters; a delivery error's text is far shorter.
          const action = checkAction({ kind: 'unreachable', note: reason.slice(0, 5000) });
          const done = await actIn(tx, record, action, actor);
          return { told: 'unreachable', ...done };
        }
        const events = await repo.listCaseEvents(tx, record.id);
        const told = events.filter((e) => e.kind === 'undelivered').at(-1);
        if (told && !voided.length && !events.some((e) => e.id > told.id && (e.kind === 'transition' || e.kind === 'reply'))) return { told: 'already', case: record };
        const at = now();
        const ev = await event(tx, record.id, at, actor, 'undelivered', { note: reason.slice(0, 500) });
        await repo.updateCase(tx, record.id, { unreachable: true, updatedAt: at.toISOString() });
        const updated = (await repo.findCaseById(tx, record.id))!;
        await announce(tx, updated, ev, 'undelivered', at, false); // staff only
        await recordAudit(tx, { actor, action: 'case.undelivered', subject: record.code, detail: { state: record.state }, at });
        return { told: 'undelivered', case: updated, event: ev };
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
  };
}
