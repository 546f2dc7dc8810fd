import type { AckFn, App, SlackViewAction, ViewResponseAction } from '@slack/bolt';
import { t } from '../../core/i18n/index.js';
import { markInboundProcessed } from '../../storage/slack-repo.js';
import { seconds, SlackStepHung, startBound, underLock, within } from './bounded.js';
import { tellUser, type Guards } from './guard.js';
import { typedBack } from './typed-back.js';
import type { Parsed } from './submissions.js';
import type { SlackDeskContext } from './types.js';

export type ViewAck = AckFn<ViewResponseAction> | AckFn<void>;

/** A step before the ack did not answer in time (the staff member was told). */
export const HUNG = Symbol('hung');

/**
 * The bounded steps of a modal submission (bounded.ts), shared by every case modal: a read the ack waits for (the
 * form's checks need the case) within the ack's bound; after the ack the staff check, the replay check and the work
 * under the case's lock each within the work bound, the staff member told in their language what was not done (or
 * whose outcome is unknown), with what they typed given back.
 */
export function viewSteps(app: App, ctx: SlackDeskContext, guards: Guards) {
  const l = ctx.locale;
  const { bounds } = ctx;
  const formHung = (body: SlackViewAction, view: SlackViewAction['view'], ms: number) =>
    tellUser(app.client, ctx, body.user.id, t(l, 'slack.api.formHung', { seconds: seconds(ms) }) + typedBack(l, view));

  return {
    /** `work` the ack waits for, within the ack's bound: past it the submission is acked, nothing is done, and the staff member is told. */
    async beforeAck<T>(ack: ViewAck, body: SlackViewAction, view: SlackViewAction['view'], work: Promise<T>): Promise<T | typeof HUNG> {
      try {
        return await within(bounds, bounds.ackMs, work);
      } catch (error) {
        if (!(error instanceof SlackStepHung)) throw error;
        ctx.logger.error({ callbackId: view.callback_id, ms: error.ms }, 'slack: database did not answer before the ack; form not taken');
        await ack();
        await formHung(body, view, error.ms);
        return HUNG;
      }
    },

    /**
     * Errors go back in the ack (under each field); otherwise ack, then the staff check (conversations.members may
     * hang) and the replay check (a resubmitted view id acts once), both within the work bound. Null when the
     * submission is not to be acted on (the staff member was told why, when it is not a replay).
     */
    async admit<T>(ack: ViewAck, body: SlackViewAction, parsed: Parsed<T>): Promise<T | null> {
      if (!parsed.ok) {
        await ack({ response_action: 'errors', errors: parsed.errors });
        return null;
      }
      await ack(); // before the staff check: conversations.members may be slow or rate-limited
      const bound = startBound(bounds, bounds.workMs);
      let staff: boolean;
      try {
        staff = await bound.race(guards.authz.isStaff(body.user.id));
      } catch (error) {
        if (!(error instanceof SlackStepHung)) throw error;
        ctx.logger.warn({ callbackId: body.view.callback_id, ms: error.ms }, 'slack: staff check did not answer in time; form not acted on');
        const what = t(l, 'slack.api.whatAction');
        await tellUser(app.client, ctx, body.user.id, t(l, 'slack.api.staffCheckHung', { seconds: seconds(error.ms), what }) + typedBack(l, body.view));
        return null;
      }
      if (!staff) {
        await tellUser(app.client, ctx, body.user.id, t(l, 'slack.msg.notStaff'));
        return null;
      }
      try {
        return (await bound.race(markInboundProcessed(ctx.db, `view:${body.view.id}`, ctx.now()))) ? parsed.value : null;
      } catch (error) {
        if (!(error instanceof SlackStepHung)) throw error;
        ctx.logger.error({ callbackId: body.view.callback_id, ms: error.ms }, 'slack: database did not answer the replay check; form not taken');
        await formHung(body, body.view, error.ms);
        return null;
      }
    },

    /**
     * `work` under the case's lock, within the work bound (the lock is released when it passes: bounded.ts underLock).
     * Past the bound the staff member is told its outcome is not known, with what they typed given back.
     */
    async underCaseLock(body: SlackViewAction, code: string, work: () => Promise<unknown>): Promise<void> {
      const bound = startBound(bounds, bounds.workMs);
      try {
        await underLock(bound, guards.lock, code, work);
      } catch (error) {
        if (!(error instanceof SlackStepHung)) throw error;
        ctx.logger.error({ callbackId: body.view.callback_id, caseCode: code, ms: error.ms }, 'slack: form did not finish in time (database or Slack not answering)');
        const what = t(l, 'slack.api.whatAction');
        await tellUser(app.client, ctx, body.user.id, t(l, 'slack.api.workHung', { seconds: seconds(error.ms), what }) + typedBack(l, body.view));
      }
    },

    /**
     * `work` with no case to lock — `/case new` files the case, `/disclose` records a publication — within the work
     * bound, as underCaseLock bounds a case's work. Past it the staff member is told its outcome is not known (the
     * call may still finish: staff check before submitting again), with what they typed given back.
     */
    async withinWork(body: SlackViewAction, work: () => Promise<unknown>): Promise<void> {
      try {
        await within(bounds, bounds.workMs, work());
      } catch (error) {
        if (!(error instanceof SlackStepHung)) throw error;
        ctx.logger.error({ callbackId: body.view.callback_id, ms: error.ms }, 'slack: form did not finish in time (database or Slack not answering)');
        const what = t(l, 'slack.api.whatAction');
        await tellUser(app.client, ctx, body.user.id, t(l, 'slack.api.workHung', { seconds: seconds(error.ms), what }) + typedBack(l, body.view));
      }
    },
  };
}

export type ViewSteps = ReturnType<typeof viewSteps>;
