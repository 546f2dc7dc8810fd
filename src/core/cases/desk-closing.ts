import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import type { Db } from '../../storage/db.js';
import { outboxStateByKey } from '../../storage/outbox-repo.js';
import { caseError } from '../i18n/errors-text.js';
import type { DeskContext } from './desk-context.js';
import type { ActIn } from './desk-staff-actions.js';
import type { CaseDeskImpl, UndeliveredOutcome } from './desk.js';
import { resolveRating } from './ratings.js';
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
  const { now, scales, inTransaction, mustFind, event, announce } = ctx;
  return {
    async recordUndelivered(code, reason, actor = 'system') {
      return inTransaction(async (tx): Promise<UndeliveredOutcome> => {
        const record = await mustFind(tx, code, true);
        if ((TRANSITIONS.unreachable.from as readonly CaseState[]).includes(record.state)) {
          // An action note holds at most 5000 characters; a delivery error's text is far shorter.
          const action = checkAction({ kind: 'unreachable', note: reason.slice(0, 5000) });
          const done = await actIn(tx, record, action, actor);
          return { told: 'unreachable', ...done };
        }
        const events = await repo.listCaseEvents(tx, record.id);
        const told = events.filter((e) => e.kind === 'undelivered').at(-1);
        if (told && !events.some((e) => e.id > told.id && (e.kind === 'transition' || e.kind === 'reply'))) return { told: 'already', case: record };
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
