import type { App } from '@slack/bolt';
import { ANSWER_WAYS, type CaseAction, type CaseRecord } from '../../core/cases/types.js';
import { t } from '../../core/i18n/index.js';
import { recordAudit } from '../../storage/audit-repo.js';
import { insertDisclosure } from '../../storage/disclosures-repo.js';
import { DRAFT_VALUE, draftFromClosedCase } from './learned-drafts.js';
import { escapeMrkdwn, localDate } from './mrkdwn.js';
import { actorOf, failureText, shownCode, tellUser, type Guards } from './guard.js';
import { typedBack } from './typed-back.js';
import { HUNG, viewSteps } from './view-steps.js';
import type { SlackStaffDesk } from './staff-desk.js';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import { caseDeadline } from '../../core/deadlines/index.js';
import { parseClaim, parseClose, parseCorrected, parseDisclosure, parseExtend, parseNewCase, parseReply, parseReturn, parseReview, parseText, parseWithdraw, readValues, type DeadlineOf, type Parsed } from './submissions.js';
import { recordReviewFor } from './review-entry.js';
import { registerAppealView } from './appeal-entry.js';
import { clockDeskOf, VIEWS, type SlackDeskContext } from './types.js';
import { recordCorrectionFor } from './correction-entry.js';

/**
 * Modal submissions. Validation errors go back in the ack (Slack shows them
 * under the field); otherwise ack first, then act, each step bounded (view-steps.ts).
 * A resubmitted view (same view id) acts once. The Reply modal is the only path that sends text to a citizen.
 */
export function registerViews(app: App, ctx: SlackDeskContext, guards: Guards, staffDesk: SlackStaffDesk): void {
  const l = ctx.locale;

  const { admit, beforeAck, underCaseLock, withinWork } = viewSteps(app, ctx, guards);

  type Values = Record<string, string | undefined>;
  type After = (code: string, values: Values, user: string, client: typeof app.client) => Promise<unknown>;
  const caseView = (callbackId: string, toAction: (values: Values, record: CaseRecord | null) => Parsed<CaseAction>, after?: After) => {
    app.view(callbackId, async ({ ack, body, view, client }) => {
      const code = view.private_metadata;
      // The case is read before the ack (the form's checks need it): within the ack's bound, or the form is not taken.
      const record = await beforeAck(ack, body, view, ctx.desk.get(code));
      if (record === HUNG) return;
      const values = readValues(view.state);
      const action = await admit(ack, body, toAction(values, record));
      if (!action) return;
      const actor = actorOf(body.user.id);
      await underCaseLock(body, code, async () => {
        try {
          await ctx.desk.act(code, action, actor);
          staffDesk.kick();
          if (action.kind === 'claim' && action.via)
            await tellUser(client, ctx, body.user.id, t(l, 'slack.msg.claimedWithNotice', { code, via: action.via }));
          if (action.kind === 'return' || action.kind === 'withdraw')
            await tellUser(client, ctx, body.user.id, t(l, action.kind === 'return' ? 'slack.msg.returned' : 'slack.msg.withdrawn', { code }));
          if (action.kind === 'reply')
            await tellUser(client, ctx, body.user.id, action.via ? t(l, 'slack.msg.replyRecorded', { code, via: action.via }) : t(l, 'slack.msg.replySent', { code }));
        } catch (error) {
          await tellUser(client, ctx, body.user.id, failureText(ctx, code, error) + typedBack(l, view));
          return;
        }
        await after?.(code, values, body.user.id, client);
      });
    });
  };

  caseView(VIEWS.reply, (values, record) => parseReply(l, values, record));
  caseView(VIEWS.claim, (values) => parseClaim(values));
  caseView(VIEWS.extend, (values, record) => parseExtend(l, values, record));
  caseView(VIEWS.return, (values, record) => parseReturn(l, values, record));
  caseView(VIEWS.withdraw, (values) => parseWithdraw(l, values));
  // "Draft a knowledge entry" ticked in the Close modal: only after the close committed.
  const draftAfterClose: After = async (code, values, user, client) =>
    values.draft?.split(',').includes(DRAFT_VALUE) ? draftFromClosedCase(ctx, client, code, user) : null;
  caseView(VIEWS.close, (values, record) => parseClose(l, values, record), draftAfterClose);

  /** 要求补正 / 征求第三方意见 modals: the text is what is missing (sent to the applicant) or who is consulted. */
  type Run = (code: string, text: string, actor: string, values: Values) => Promise<unknown>;
  const pauseView = (callbackId: string, key: string, max: number, run: Run, done?: string) => {
    app.view(callbackId, async ({ ack, body, view, client }) => {
      const code = view.private_metadata;
      const values = readValues(view.state);
      const text = await admit(ack, body, parseText(l, values, key, max));
      if (text === null) return;
      await underCaseLock(body, code, async () => {
        const record = await ctx.desk.get(code);
        if (!record) return tellUser(client, ctx, body.user.id, t(l, 'slack.msg.notFound', { code: shownCode(code) }));
        if (record.type !== 'disclosure') return tellUser(client, ctx, body.user.id, t(l, 'slack.msg.notDisclosure', { code: record.code }));
        try {
          await run(record.code, text, actorOf(body.user.id), values);
          staffDesk.kick();
          if (done) await tellUser(client, ctx, body.user.id, t(l, done, { code: record.code }));
        } catch (error) {
          await tellUser(client, ctx, body.user.id, failureText(ctx, record.code, error) + typedBack(l, view));
        }
      });
    });
  };
  // An applicant without a chat: the modal's 告知方式 says how the 补正 reached them (the desk refuses it otherwise).
  const wayOf = (values: Values) => ANSWER_WAYS.find((w) => w === values.via);
  pauseView(VIEWS.correct, 'missing', 1000, (code, text, actor, values) => clockDeskOf(ctx).requestCorrection(code, text, actor, wayOf(values)), 'slack.msg.correctionSent');
  pauseView(VIEWS.consult, 'party', 200, (code, text, actor) => clockDeskOf(ctx).startConsultation(code, text, actor));

  // 补正已收到: the clock restarts on the day the corrected request arrived (第三十条), told back with the new deadline.
  app.view(VIEWS.corrected, async ({ ack, body, view, client }) => {
    const code = view.private_metadata;
    const input = await admit(ack, body, parseCorrected(l, readValues(view.state)));
    if (!input) return;
    await underCaseLock(body, code, async () => {
      try {
        const text = await recordCorrectionFor(ctx, code, input.text, body.user.id, input.receivedOn);
        staffDesk.kick();
        await tellUser(client, ctx, body.user.id, text);
      } catch (error) {
        await tellUser(client, ctx, body.user.id, failureText(ctx, code, error) + typedBack(l, view));
      }
    });
  });

  // 复查 / 复核: the fields are checked here (errors under each field); the desk then records it as `/case review` does.
  app.view(VIEWS.review, async ({ ack, body, view, client }) => {
    const code = view.private_metadata;
    const input = await admit(ack, body, parseReview(l, readValues(view.state), localDate(ctx.now(), ctx.timeZone)));
    if (!input) return;
    await underCaseLock(body, code, async () => {
      try {
        const text = await recordReviewFor(ctx, code, input, body.user.id);
        staffDesk.kick();
        await tellUser(client, ctx, body.user.id, text);
      } catch (error) {
        await tellUser(client, ctx, body.user.id, failureText(ctx, code, error) + typedBack(l, view));
      }
    });
  });

  // 行政复议 / 行政诉讼 of a disclosure answer (appeal-entry.ts): the same desk call as `/case appeal CODE …`.
  registerAppealView(app, ctx, guards, staffDesk);

  // The deadline a logged request would get, as the desk computes it on filing (a partial desk in tests: no check).
  const full = ctx.desk as Partial<CaseDeskImpl>;
  const deadlineOf: DeadlineOf | undefined =
    full.calendar && full.rules
      ? (type, receivedAt) => caseDeadline(full.calendar!, full.rules![type], { receivedAt: receivedAt.toISOString(), claimedAt: null, extended: false }, ctx.timeZone).deadlineOn
      : undefined;
  app.view(VIEWS.newCase, async ({ ack, body, view, client }) => {
    const input = await admit(ack, body, parseNewCase(l, readValues(view.state), ctx.now(), ctx.timeZone, deadlineOf));
    if (!input) return;
    const actor = actorOf(body.user.id);
    // After the ack, within the work bound (view-steps.ts withinWork): no case exists yet, so there is no lock to hold.
    await withinWork(body, async () => {
      try {
        const record = await ctx.desk.file({ ...input, actor, idempotencyKey: `slack:view:${body.view.id}` });
        staffDesk.kick();
        const deadline = record.deadlineOn ?? t(l, 'slack.field.none');
        await tellUser(client, ctx, body.user.id, t(l, 'slack.msg.filed', { code: record.code, deadline }));
      } catch (error) {
        await tellUser(client, ctx, body.user.id, failureText(ctx, '-', error) + typedBack(l, view));
      }
    });
  });

  app.view(VIEWS.disclose, async ({ ack, body, view, client }) => {
    const input = await admit(ack, body, parseDisclosure(l, readValues(view.state), localDate(ctx.now(), ctx.timeZone)));
    if (!input) return;
    const actor = actorOf(body.user.id);
    // After the ack, within the work bound (view-steps.ts withinWork); a publication is no case: no lock to hold.
    await withinWork(body, async () => {
      const result = await insertDisclosure(ctx.db, { ...input, createdBy: actor }, ctx.now());
      if (!result.duplicate)
        await recordAudit(ctx.db, { actor, action: 'disclosure.add', subject: String(result.id), detail: input.title, at: ctx.now() });
      const text = result.duplicate ? t(l, 'slack.err.duplicate') : t(l, 'slack.msg.disclosed', { title: escapeMrkdwn(input.title), date: input.publishedOn });
      await tellUser(client, ctx, body.user.id, text);
    });
  });
}
