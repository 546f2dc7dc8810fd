import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import { contactInText } from '../engine/phone.js';
import { dateInZone, yearOf } from '../calendar/dates.js';
import { caseDeadline } from '../deadlines/index.js';
import { caseError } from '../i18n/errors-text.js';
import { formatLocalDateTime } from '../reports/local-time.js';
import type { ClockStepIn } from './desk-clock.js';
import type { DeskContext } from './desk-context.js';
import { leaveUnreachable } from './desk-reachable.js';
import { takeContact } from './desk-contact.js';
import { OPEN_STATES } from './transitions.js';
import type { CaseDeskImpl } from './desk.js';
import { ANSWER_WAYS } from './types.js';
import { checkFileInput } from './validate.js';

/** The desk's filing methods: a new case, the citizen's follow-ups on it, and the 受理告知 staff gave outside the bot. */
export function filingMethods(ctx: DeskContext, clockStepIn: ClockStepIn): Pick<CaseDeskImpl, 'file' | 'addFollowUp' | 'recordAcceptanceNotice'> {
  const { prefix, timeZone, now, rules, ruleOf, calendar, inTransaction, mustFind, event, announce, clocked } = ctx;
  return {
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
        const fields: repo.CaseFields = { acceptanceNoticeAt: at.toISOString(), acceptanceNoticeVia: via, updatedAt: at.toISOString() };
        // 信访 "自受理之日起60日内办结": the limit counts from this notice (a reopened case counts from its reopening).
        if (ruleOf(record).clockStart === 'accepted' && record.state !== 'reopened') {
          const deadline = caseDeadline(calendar, ruleOf(record), { ...record, acceptanceNoticeAt: fields.acceptanceNoticeAt }, timeZone);
          Object.assign(fields, { deadlineOn: deadline.deadlineOn, deadlineEstimated: deadline.estimated });
        }
        await repo.updateCase(tx, record.id, fields);
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
      const deadline = caseDeadline(calendar, ruleOf({ type: input.type, receivedAt }), { receivedAt, claimedAt: null, extended: false }, timeZone);
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
          // A case without a contact takes the phone written in its text (stored masked: the number would be lost).
          contact: input.contact ?? contactInText(input.text), citizenName: input.citizenName ?? null, chatId: input.chatId ?? null,
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

    async addFollowUp(code, text, actor = 'citizen') {
      if (!text.trim()) throw caseError('case_invalid', 'emptyFollowup', {});
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        const at = now();
        const ev = await event(tx, record.id, at, actor, 'followup', { note: text });
        await repo.updateCase(tx, record.id, { updatedAt: at.toISOString() });
        await announce(tx, record, ev, 'followup', at);
        // The follow-up is stored masked: a call-back number in it ("请打我爱人电话…") becomes the contact of a case
        // that has none, as a phone sent on its own does (addContact); one that has a contact keeps it.
        const phone = actor === 'citizen' && !record.contact ? contactInText(text) : null;
        // The citizen answered "如需继续办理，请回复本消息": reachable, so the case can no longer close as 联系不上 (close-rules.ts).
        if (actor === 'citizen' && record.state === 'unreachable') await leaveUnreachable(ctx, tx, record, at, { actor: 'citizen', phone });
        else if (phone && OPEN_STATES.includes(record.state)) await takeContact(ctx, tx, record, phone, at, actor);
        if (actor === 'citizen' && record.type === 'disclosure') {
          const events = await repo.listCaseEvents(tx, record.id);
          if (clocked(record, events).clock.paused === 'correction') await clockStepIn(tx, record, 'correction_received', text, actor);
        }
        return ev;
      });
    },
  };
}
