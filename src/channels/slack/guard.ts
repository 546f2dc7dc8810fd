import type { App, BlockButtonAction, RespondFn, webApi } from '@slack/bolt';
import type { CaseRecord } from '../../core/cases/types.js';
import { markInboundProcessed } from '../../storage/slack-repo.js';
import { isAppError } from '../../core/errors.js';
import { errorText } from '../../core/i18n/errors-text.js';
import { t } from '../../core/i18n/index.js';
import { createChatQueue } from '../shared/inbound-guard.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { seconds, SlackStepHung, startBound, underLock, within } from './bounded.js';
import type { StaffAuthz } from './authz.js';
import type { SlackDeskContext } from './types.js';

/** The case desk's actor id for a Slack user. */
export const actorOf = (userId: string) => `slack:${userId}`;

/** Runs `work` for one key at a time (two clicks on the same case never interleave): the shared per-key queue. */
export const createKeyedLock = createChatQueue;

/**
 * A case code as staff typed or a button carried it, for a message: cut to 40 characters (a forged or broken button
 * value of thousands is not echoed whole) and escaped.
 */
export const shownCode = (raw: string) => escapeMrkdwn(truncate(raw, 40));

/** Text for a failed case action that staff can act on; unexpected errors are logged, not shown raw. */
export function failureText(ctx: SlackDeskContext, rawCode: string, error: unknown): string {
  const code = shownCode(rawCode); // a forged modal's metadata or button value reaches here verbatim
  if (isAppError(error, 'case_not_found')) return t(ctx.locale, 'slack.msg.notFound', { code });
  if (isAppError(error, 'case_illegal_transition') || isAppError(error, 'case_invalid'))
    return t(ctx.locale, 'slack.msg.cannot', { code, reason: errorText(ctx.locale, error) });
  ctx.logger.error({ err: error, caseCode: code }, 'slack: case action failed');
  return t(ctx.locale, 'slack.msg.error', { reason: isAppError(error) ? errorText(ctx.locale, error) : t(ctx.locale, 'slack.msg.internal') });
}

/** Slack's answers to an ephemeral for a user who cannot see the channel (a configured staff id not in it). */
const NOT_IN_CHANNEL = new Set(['user_not_in_channel', 'channel_not_found', 'not_in_channel']);

/**
 * An ephemeral note to one user in the staff channel (view submissions have no response_url). A user who is staff by
 * SLACK_STAFF_USER_IDS without being in that channel cannot get one there: they get it as a direct message from the
 * app instead (chat.postMessage to the user id), not nothing.
 */
export async function tellUser(client: webApi.WebClient, ctx: SlackDeskContext, user: string, text: string, channel?: string): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel: channel ?? ctx.staffChannel, user, text });
  } catch (error) {
    if (!NOT_IN_CHANNEL.has(String((error as { data?: { error?: unknown } }).data?.error))) throw error;
    await client.chat.postMessage({ channel: user, text });
  }
}

export interface Guards {
  authz: StaffAuthz;
  /** Per-case lock; taken through bounded.ts underLock so a hung call holds it no longer than its bound. */
  lock: ReturnType<typeof createKeyedLock>;
}

/** What a case-card button's handler gets besides the case. */
export interface ButtonArgs {
  body: BlockButtonAction;
  action: BlockButtonAction['actions'][number];
  client: webApi.WebClient;
  respond: RespondFn;
}

export type ButtonHandler = (record: CaseRecord, args: ButtonArgs, say: (text: string) => Promise<void>) => Promise<void>;

/**
 * A case message button. It acks first, checks staff, drops a replayed click (same action_ts), then works under a
 * per-case lock so a double click sees the state the first click left; `say` answers the clicker only.
 */
export function onCaseButton(app: App, ctx: SlackDeskContext, guards: Guards, actionId: string, handler: ButtonHandler): void {
  const l = ctx.locale;
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const say = async (text: string) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
    const user = body.user.id;
    // After the ack every step is bounded (bounded.ts): a hung staff check or database gets a message, not silence.
    const { bounds } = ctx;
    const what = t(l, 'slack.api.whatAction');
    let staff: boolean;
    try {
      staff = await within(bounds, bounds.workMs, guards.authz.isStaff(user));
    } catch (error) {
      if (!(error instanceof SlackStepHung)) throw error;
      ctx.logger.warn({ actionId, ms: error.ms }, 'slack: staff check did not answer in time; button not acted on');
      return say(t(l, 'slack.api.staffCheckHung', { seconds: seconds(error.ms), what }));
    }
    if (!staff) return say(t(l, 'slack.msg.notStaff'));
    const code = action.value ?? '';
    // One bound for the replay check and the locked work; past it the case's lock is released (bounded.ts underLock).
    const bound = startBound(bounds, bounds.workMs);
    const act = async () => {
      if (!(await markInboundProcessed(ctx.db, `action:${user}:${action.action_ts}`, ctx.now()))) return;
      await underLock(bound, guards.lock, code, async () => {
        const record = await ctx.desk.get(code);
        if (!record) return say(t(l, 'slack.msg.notFound', { code: shownCode(code) }));
        await handler(record, { body, action, client, respond }, say);
      });
    };
    try {
      await bound.race(act());
    } catch (error) {
      if (!(error instanceof SlackStepHung)) throw error;
      ctx.logger.error({ actionId, caseCode: code, ms: error.ms }, 'slack: button did not finish in time (database or Slack not answering)');
      await say(t(l, 'slack.api.workHung', { seconds: seconds(error.ms), what }));
    }
  });
}
