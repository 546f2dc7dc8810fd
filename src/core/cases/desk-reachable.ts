import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import type { Db } from '../../storage/db.js';
import type { CaseState } from '../types.js';
import type { CaseRecord } from './types.js';
import type { DeskContext } from './desk-context.js';
import type { CaseDeskImpl } from './desk.js';
import { OPEN_STATES } from './transitions.js';

/**
 * The one way a case leaves 联系不上 because its citizen can be reached again: back to the state it left (or claimed /
 * received when none is known), the flag cleared, a transition staff see in the case thread (with `note` when the
 * channel gives one), the audit row, and — when the case had no contact — the phone the citizen gave. Used by the
 * desk's follow-up path (a reply to the 联系不上 message) and by recordReachable (a Telegram chat that had blocked the
 * bot writes again). Nothing is sent to the citizen.
 */
export async function leaveUnreachable(
  ctx: Pick<DeskContext, 'event' | 'announce'>,
  tx: Db,
  record: CaseRecord,
  at: Date,
  how: { actor: string; note?: string; phone?: string | null },
): Promise<CaseRecord> {
  const events = await repo.listCaseEvents(tx, record.id);
  const left = events.filter((e) => e.kind === 'transition' && e.toState === 'unreachable').at(-1)?.fromState;
  const to: CaseState = left && left !== 'unreachable' && (OPEN_STATES as readonly CaseState[]).includes(left) ? left : record.assignee ? 'claimed' : 'received';
  const phone = record.contact ? null : (how.phone ?? null);
  await repo.updateCase(tx, record.id, { state: to, unreachable: false, ...(phone ? { contact: phone } : {}), updatedAt: at.toISOString() });
  const ev = await ctx.event(tx, record.id, at, how.actor, 'transition', { fromState: 'unreachable', toState: to, ...(how.note ? { note: how.note.slice(0, 500) } : {}) });
  const updated = (await repo.findCaseById(tx, record.id))!;
  await ctx.announce(tx, updated, ev, 'transition', at, false); // staff only
  await recordAudit(tx, { actor: how.actor, action: 'case.reachable', subject: record.code, detail: { to, contactSet: Boolean(phone) }, at });
  return updated;
}

/**
 * The citizen of a case marked 联系不上 (a message could not be delivered: Telegram 403 after they blocked the bot)
 * wrote in the chat again: the case leaves 联系不上 (leaveUnreachable, with `note` and the phone their message gave, if
 * any); a case in another state only loses the flag. Null when the case was not flagged.
 */
export function reachableMethods(ctx: DeskContext): Pick<CaseDeskImpl, 'recordReachable'> {
  const { now, inTransaction, mustFind } = ctx;
  return {
    async recordReachable(code, note, actor = 'system', phone = null) {
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        if (!record.unreachable && record.state !== 'unreachable') return null;
        const at = now();
        if (record.state !== 'unreachable') {
          await repo.updateCase(tx, record.id, { unreachable: false, updatedAt: at.toISOString() });
          return (await repo.findCaseById(tx, record.id))!;
        }
        return leaveUnreachable(ctx, tx, record, at, { actor, note, phone });
      });
    },
  };
}
