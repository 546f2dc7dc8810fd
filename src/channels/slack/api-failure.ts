import { webApi } from '@slack/bolt';
import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';

/**
 * What staff are told when a Slack Web API call of an interactive request failed (a modal that could not open, a
 * staff check Slack did not answer). The App's client makes no retries of its own and refuses a 429 at once
 * (create-slack-app.ts): a trigger_id lasts 3 s, so a retry or a wait inside the client could only fail later, in silence.
 */

/** The staff check could not ask Slack who is in the staff channel (and no earlier answer is cached): nobody is refused as "not staff" for it. */
export class StaffCheckUnavailable extends Error {
  constructor(readonly reason: unknown) {
    super('slack: cannot check staff channel membership', { cause: reason });
  }
}

const API_CODES = new Set<string>([webApi.ErrorCode.RateLimitedError, webApi.ErrorCode.HTTPError, webApi.ErrorCode.RequestError, webApi.ErrorCode.PlatformError]);

/** The Web API error in `error` (Bolt may wrap a listener's error in `.original`), or null. */
function apiErrorOf(error: unknown): { code: string; retryAfter?: number; data?: { error?: string } } | null {
  for (const e of [error, (error as { original?: unknown } | null)?.original, (error as { reason?: unknown } | null)?.reason]) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && API_CODES.has(code)) return e as { code: string };
  }
  return null;
}

/** Why Slack failed and when to try again, in the staff's words. */
export function slackProblem(l: Locale, error: unknown): { reason: string; wait: string } | null {
  const api = apiErrorOf(error);
  if (!api) return null;
  const wait = typeof api.retryAfter === 'number' && api.retryAfter > 0 ? t(l, 'slack.api.waitSeconds', { seconds: Math.ceil(api.retryAfter) }) : t(l, 'slack.api.waitLater');
  if (api.code === webApi.ErrorCode.RateLimitedError) return { reason: t(l, 'slack.api.ratelimited'), wait };
  if (api.code === webApi.ErrorCode.RequestError) return { reason: t(l, 'slack.api.unreachable'), wait };
  if (api.code === webApi.ErrorCode.PlatformError) return { reason: t(l, 'slack.api.refused', { error: String(api.data?.error ?? '') }), wait };
  return { reason: t(l, 'slack.api.serverError'), wait };
}

/** The text for a request whose Slack call failed, or null when `error` is no Slack failure. */
export function slackFailureText(l: Locale, error: unknown, requestId: string): string | null {
  const staffCheck = error instanceof StaffCheckUnavailable ? error : (error as { original?: unknown } | null)?.original instanceof StaffCheckUnavailable ? ((error as { original: StaffCheckUnavailable }).original) : null;
  const found = slackProblem(l, staffCheck ? staffCheck.reason : error);
  if (staffCheck) return t(l, 'slack.api.staffCheckDown', { reason: found?.reason ?? t(l, 'slack.api.serverError'), wait: found?.wait ?? t(l, 'slack.api.waitLater'), requestId });
  return found ? t(l, 'slack.api.down', { ...found, requestId }) : null;
}
