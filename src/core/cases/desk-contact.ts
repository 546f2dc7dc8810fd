import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import { maskContact, normalisePhone } from './contact.js';
import type { Db } from '../../storage/db.js';
import type { DeskContext } from './desk-context.js';
import type { CaseRecord } from './types.js';
import { leaveUnreachable } from './desk-reachable.js';
import type { CaseDeskImpl } from './desk.js';
import { OPEN_STATES } from './transitions.js';
import { caseError } from '../i18n/errors-text.js';

/**
 * The phone a citizen gives after filing without one (the chat's "我的电话是139…", a bare number, their own contact
 * card): it becomes the open case's contact, with a `contact` event staff see in the case thread (the number masked
 * there; the card shows it as every contact is shown) and an audit row. A case in 联系不上 is reachable again by it
 * (leaveUnreachable). Null, nothing changed: the case is not open, or already has a contact (a change of an existing
 * number goes to staff as a follow-up, never silently over the one the case was filed with).
 */
export function contactMethods(ctx: DeskContext): Pick<CaseDeskImpl, 'addContact'> {
  const { now, inTransaction, mustFind } = ctx;
  return {
    async addContact(code, phone, actor = 'citizen') {
      const normalised = normalisePhone(phone);
      if (!normalised) throw caseError('case_invalid', 'fieldInvalid', { field: 'contact' });
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        if (record.contact || !OPEN_STATES.includes(record.state)) return null;
        const at = now();
        if (record.state === 'unreachable') return leaveUnreachable(ctx, tx, record, at, { actor, phone: normalised });
        return takeContact(ctx, tx, record, normalised, at, actor);
      });
    },
  };
}

/**
 * `phone` (normalised) becomes the contact of `record`, which has none: the `contact` event staff see in the case
 * thread (the number masked there), and the audit row. Nothing is sent to the citizen (they are answered in the chat).
 */
export async function takeContact(ctx: Pick<DeskContext, 'event' | 'announce'>, tx: Db, record: CaseRecord, phone: string, at: Date, actor: string): Promise<CaseRecord> {
  await repo.updateCase(tx, record.id, { contact: phone, updatedAt: at.toISOString() });
  const updated = (await repo.findCaseById(tx, record.id))!;
  const ev = await ctx.event(tx, record.id, at, actor, 'contact', { note: maskContact(phone) });
  await ctx.announce(tx, updated, ev, 'contact', at, false); // staff only: the parent is answered in the chat
  await recordAudit(tx, { actor, action: 'case.contact', subject: record.code, detail: { contactSet: true }, at });
  return updated;
}
