import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import type { CaseState } from '../types.js';
import type { DeskContext } from './desk-context.js';
import type { CaseDeskImpl } from './desk.js';
import { OPEN_STATES } from './transitions.js';

/**
 * The citizen of a case marked 联系不上 (a message could not be delivered: Telegram 403 after they blocked the bot)
 * wrote in the chat again: they can be reached. The case leaves 联系不上 for the state it was in before (a transition
 * event staff see in the case thread, with `note`), and the flag is cleared, so nobody closes it as unreachable; a
 * case in another state only loses the flag. Nothing is sent to the citizen. Null when the case was not flagged.
 */
export function reachableMethods(ctx: DeskContext): Pick<CaseDeskImpl, 'recordReachable'> {
  const { now, inTransaction, mustFind, event, announce } = ctx;
  return {
    async recordReachable(code, note, actor = 'system') {
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        if (!record.unreachable && record.state !== 'unreachable') return null;
        const at = now();
        if (record.state !== 'unreachable') {
          await repo.updateCase(tx, record.id, { unreachable: false, updatedAt: at.toISOString() });
          return (await repo.findCaseById(tx, record.id))!;
        }
        const events = await repo.listCaseEvents(tx, record.id);
        const into = events.filter((e) => e.kind === 'transition' && e.toState === 'unreachable').at(-1);
        const before = into?.fromState && into.fromState !== 'unreachable' && (OPEN_STATES as readonly CaseState[]).includes(into.fromState) ? into.fromState : 'received';
        await repo.updateCase(tx, record.id, { state: before, unreachable: false, updatedAt: at.toISOString() });
        const ev = await event(tx, record.id, at, actor, 'transition', { fromState: 'unreachable', toState: before, note: note.slice(0, 500) });
        const updated = (await repo.findCaseById(tx, record.id))!;
        await announce(tx, updated, ev, 'transition', at, false); // staff only
        await recordAudit(tx, { actor, action: 'case.reachable', subject: record.code, detail: { state: before }, at });
        return updated;
      });
    },
  };
}
