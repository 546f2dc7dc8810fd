import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import { insertCaseReview, listCaseReviews } from '../../storage/reviews-repo.js';
import { insertDisclosureAppeal, listDisclosureAppeals } from '../../storage/appeals-repo.js';
import { listRegisterItems } from '../../storage/registers-repo.js';
import { appealText, checkAppealInput, planAppeal, sameAppeal } from './appeals.js';
import { dateInZone } from '../calendar/dates.js';
import { t } from '../i18n/index.js';
import '../i18n/staff.js';
import type { DeskContext } from './desk-context.js';
import type { ActIn } from './desk-staff-actions.js';
import type { CaseDeskImpl } from './desk.js';
import { remedyLine } from './remedies.js';
import { checkReviewInput, planReview } from './reviews.js';

/** The desk's 复查 / 复核 methods, disclosure 行政复议 / 行政诉讼 entries, and the 救济途径 line an answer must carry. */
export function reviewMethods(
  ctx: DeskContext,
  actIn: ActIn,
): Pick<CaseDeskImpl, 'recordReview' | 'reviews' | 'recordAppeal' | 'appeals' | 'remedyHint'> {
  const { db, now, rules, calendar, timeZone, bodies, inTransaction, mustFind, event, announce } = ctx;
  return {
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
        // In the staff's language at the time of writing (STAFF_LOCALE): the note is stored with the reopening and
        // stays as written if the language is changed later.
        const reopenNote = t(ctx.staffLocale, 'staff.review.reopenNote', {
          level: t(ctx.staffLocale, `staff.review.level.${plan.level}`), body: plan.body, decided: plan.decidedOn ?? '-',
        });
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
        const plan = planAppeal(record, await listDisclosureAppeals(tx, record.id), input, dateInZone(at, timeZone), ctx.staffLocale);
        const { fields } = plan;
        const updated = plan.appealId !== null;
        // The event note says whether it is a new appeal or the result (correction) of one already recorded.
        const line = `${updated ? t(ctx.staffLocale, 'staff.appealUpdated') : ''}${appealText(fields, ctx.staffLocale)}`;
        const ev = await event(tx, record.id, at, actor, 'appeal', { note: plan.note ? `${line}；${plan.note}` : line });
        const appeal = await insertDisclosureAppeal(tx, { caseId: record.id, eventId: ev.id, ...fields, appealId: plan.appealId, actor, createdAt: at.toISOString() });
        await recordAudit(tx, { actor, action: updated ? 'case.appeal.update' : 'case.appeal', subject: record.code, detail: { ...fields, appealId: plan.appealId ?? appeal.id }, at });
        await repo.updateCase(tx, record.id, { updatedAt: at.toISOString() });
        await announce(tx, record, ev, 'appeal', at, false); // staff only: the card and its thread
        // The same case in the 行政复议/诉讼 register (entered before it was linked): table 四 counts it once, through
        // this request (registers-repo registerFactsForYear); staff are told which entry it is.
        const register = (await listRegisterItems(tx, 'review')).filter((r) =>
          sameAppeal({ ...fields, code: record.code }, { id: r.id, category: r.category, title: r.title, ref: r.ref, dateOn: r.dateOn, note: r.note }));
        return { case: (await repo.findCaseById(tx, record.id))!, appeal, updated, sameInRegister: register.map((r) => ({ id: r.id, category: r.category, title: r.title, ref: r.ref, dateOn: r.dateOn, note: r.note })) };
      });
    },
    appeals: async (code) => listDisclosureAppeals(db, (await mustFind(db, code)).id),
    remedyHint: (record) => remedyLine({ ...record, closeBasis: 'answered' }, rules[record.type], bodies),
  };
}
