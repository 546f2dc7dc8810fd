import type { webApi } from '@slack/bolt';
import { isAppError } from '../../core/errors.js';
import { errorText } from '../../core/i18n/errors-text.js';
import { t } from '../../core/i18n/index.js';
import { createChatQueue } from '../shared/inbound-guard.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { StaffAuthz } from './authz.js';
import type { SlackDeskContext } from './types.js';

/** The case desk's actor id for a Slack user. */
export const actorOf = (userId: string) => `slack:${userId}`;

/** Runs `work` for one key at a time (two clicks on the same case never interleave): the shared per-key queue. */
export const createKeyedLock = createChatQueue;

/** Text for a failed case action that staff can act on; unexpected errors are logged, not shown raw. */
export function failureText(ctx: SlackDeskContext, rawCode: string, error: unknown): string {
  const code = escapeMrkdwn(rawCode); // a forged modal's metadata or button value reaches here verbatim
  if (isAppError(error, 'case_not_found')) return t(ctx.locale, 'slack.msg.notFound', { code });
  if (isAppError(error, 'case_illegal_transition') || isAppError(error, 'case_invalid'))
    return t(ctx.locale, 'slack.msg.cannot', { code, reason: errorText(ctx.locale, error) });
  ctx.logger.error({ err: error, caseCode: code }, 'slack: case action failed');
  return t(ctx.locale, 'slack.msg.error', { reason: isAppError(error) ? errorText(ctx.locale, error) : t(ctx.locale, 'slack.msg.internal') });
}

/** An ephemeral note to one user in the staff channel (view submissions have no response_url). */
export async function tellUser(client: webApi.WebClient, ctx: SlackDeskContext, user: string, text: string, channel?: string): Promise<void> {
  await client.chat.postEphemeral({ channel: channel ?? ctx.staffChannel, user, text });
}

export interface Guards {
  authz: StaffAuthz;
  lock: ReturnType<typeof createKeyedLock>;
}
