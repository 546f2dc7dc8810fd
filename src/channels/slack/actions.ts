import type { App } from '@slack/bolt';
import { t } from '../../core/i18n/index.js';
import { caseError } from '../../core/i18n/errors-text.js';
import { runningPauses } from '../../core/deadlines/index.js';
import type { CaseRecord } from '../../core/cases/types.js';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import { botCanReach } from '../../core/cases/answer-way.js';
import { assigneeText, isOpen } from './blocks.js';
import { localDate } from './mrkdwn.js';
import { actorOf, failureText, onCaseButton, type ButtonHandler, type Guards } from './guard.js';
import { offersDraft } from './learned-drafts.js';
import { claimModal, closeModal, consultModal, correctModal, correctedModal, extendModal, replyModal, returnModal, withdrawModal } from './modals.js';
import { openReviewModal } from './review-entry.js';
import { openAppealModal } from './appeal-entry.js';
import type { SlackStaffDesk } from './staff-desk.js';
import { CASE_ACTIONS, clockDeskOf, type SlackDeskContext } from './types.js';


/**
 * The case message buttons. Each acks first, checks staff, drops a replayed
 * click (same action_ts), then works under a per-case lock so a double click
 * sees the state the first click left.
 */
export function registerCaseActions(app: App, ctx: SlackDeskContext, guards: Guards, staffDesk: SlackStaffDesk): void {
  const l = ctx.locale;

  // A 信访 case without a chat whose 受理告知 is not recorded: the claim opens a modal asking how it was given.
  const rules = (ctx.desk as Partial<CaseDeskImpl>).rules;
  const noticeWayWanted = (record: CaseRecord) =>
    Boolean(rules?.[record.type]?.acceptanceNotice) && !botCanReach(record) && !record.acceptanceNoticeAt;

  const simple = (kind: 'claim' | 'unreachable'): ButtonHandler => async (record, args, say) => {
    const { body } = args;
    const actor = actorOf(body.user.id);
    // Closed first: a stale card's 认领 on a closed case is not "already claimed by …".
    if (!isOpen(record)) return say(t(l, 'slack.msg.closed', { code: record.code }));
    if (kind === 'claim' && record.assignee)
      return say(t(l, 'slack.msg.claimedBy', { code: record.code, assignee: assigneeText(record.assignee, l) }));
    if (kind === 'claim' && noticeWayWanted(record))
      return void (await args.client.views.open({ trigger_id: body.trigger_id, view: claimModal(record, l) }));
    try {
      await ctx.desk.act(record.code, kind === 'claim' ? { kind: 'claim' } : { kind: 'unreachable' }, actor);
      staffDesk.kick();
    } catch (error) {
      await say(failureText(ctx, record.code, error));
    }
  };

  const modal = (build: (r: CaseRecord) => ReturnType<typeof replyModal>, once?: 'extend'): ButtonHandler =>
    async (record, { body, client }, say) => {
      if (!isOpen(record)) return say(t(l, 'slack.msg.closed', { code: record.code }));
      if (once === 'extend' && record.extended) return say(t(l, 'slack.msg.extendedOnce', { code: record.code }));
      await client.views.open({ trigger_id: body.trigger_id, view: build(record) });
    };

  /** 要求补正 / 征求第三方意见 / 意见已收到: disclosure requests only, whatever a tampered click says. */
  const disclosureOnly = (handler: ButtonHandler): ButtonHandler => async (record, args, say) => {
    if (record.type !== 'disclosure') return say(t(l, 'slack.msg.notDisclosure', { code: record.code }));
    return handler(record, args, say);
  };
  /** 第三十条 一次性告知: a click on a stale message's 要求补正 is refused once a 补正 was asked for. */
  const correctOnce = (open: ButtonHandler): ButtonHandler => async (record, args, say) => {
    const pauses = runningPauses(await ctx.desk.history(record.code));
    if (!pauses.correctionAskedAt) return open(record, args, say);
    const date = localDate(new Date(pauses.correctionAskedAt), ctx.timeZone);
    const error = caseError('case_illegal_transition', pauses.correction ? 'correctionWaiting' : 'correctionOnce', { code: record.code, date });
    return say(failureText(ctx, record.code, error));
  };
  /** 延期 from a stale card while the disclosure clock is paused: refused at once (the desk would refuse the modal too). */
  const notWhilePaused = (open: ButtonHandler): ButtonHandler => async (record, args, say) => {
    if (record.type !== 'disclosure' || !isOpen(record)) return open(record, args, say);
    const { correction, consultation } = runningPauses(await ctx.desk.history(record.code));
    if (!correction && !consultation) return open(record, args, say);
    const error = caseError('case_illegal_transition', correction ? 'extendWhilePausedCorrection' : 'extendWhilePausedConsultation', { code: record.code });
    return say(failureText(ctx, record.code, error));
  };
  /** 退单 of a disclosure request (a tampered click: the card has no button) is refused with the desk's reason. */
  const notDisclosure = (open: ButtonHandler): ButtonHandler => async (record, args, say) => {
    if (record.type !== 'disclosure') return open(record, args, say);
    return say(failureText(ctx, record.code, caseError('case_illegal_transition', 'disclosureNoReturn', { code: record.code })));
  };
  /** 补正已收到: the modal while a 补正 is awaited, else why not (none asked, or already received). */
  const corrected: ButtonHandler = async (record, { body, client }, say) => {
    if (!isOpen(record)) return say(t(l, 'slack.msg.closed', { code: record.code }));
    const { correction } = runningPauses(await ctx.desk.history(record.code));
    if (!correction) return say(failureText(ctx, record.code, caseError('case_illegal_transition', 'correctionNotAsked', { code: record.code })));
    const view = correctedModal(record, l, localDate(ctx.now(), ctx.timeZone), correction.note);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
  const consulted: ButtonHandler = async (record, { body }, say) => {
    if (!isOpen(record)) return say(t(l, 'slack.msg.closed', { code: record.code }));
    try {
      await clockDeskOf(ctx).endConsultation(record.code, actorOf(body.user.id));
      staffDesk.kick();
    } catch (error) {
      await say(failureText(ctx, record.code, error));
    }
  };

  /** 记录复查/复核 (closed 信访 cases): the modal, or why this case takes none. */
  const review: ButtonHandler = async (record, { body, client }, say) => {
    try {
      await openReviewModal(ctx, client, body.trigger_id, record.code);
    } catch (error) {
      await say(failureText(ctx, record.code, error));
    }
  };

  /** 记录行政复议/诉讼 (closed disclosure requests): the modal, or why this case takes none. */
  const appeal: ButtonHandler = async (record, { body, client }, say) => {
    try {
      await openAppealModal(ctx, client, body.trigger_id, record.code);
    } catch (error) {
      await say(failureText(ctx, record.code, error));
    }
  };

  const handlers: Record<string, ButtonHandler> = {
    [CASE_ACTIONS.review]: review,
    [CASE_ACTIONS.appeal]: appeal,
    [CASE_ACTIONS.correct]: disclosureOnly(correctOnce(modal((r) => correctModal(r, l)))),
    [CASE_ACTIONS.consult]: disclosureOnly(modal((r) => consultModal(r, l))),
    [CASE_ACTIONS.consulted]: disclosureOnly(consulted),
    [CASE_ACTIONS.corrected]: disclosureOnly(corrected),
    [CASE_ACTIONS.claim]: simple('claim'),
    [CASE_ACTIONS.unreachable]: simple('unreachable'),
    [CASE_ACTIONS.reply]: modal((r) => replyModal(r, l)),
    [CASE_ACTIONS.extend]: notWhilePaused(modal((r) => extendModal(r, l), 'extend')),
    [CASE_ACTIONS.close]: modal((r) => closeModal(r, l, offersDraft(ctx, r))),
    [CASE_ACTIONS.return]: notDisclosure(modal((r) => returnModal(r, l))),
    [CASE_ACTIONS.withdraw]: modal((r) => withdrawModal(r, l)),
  };

  for (const [actionId, handler] of Object.entries(handlers)) onCaseButton(app, ctx, guards, actionId, handler);
}
