import { webApi } from '@slack/bolt';

/**
 * Points a Web API client at SLACK_API_URL (a local stub in tests) when set. The client joins method names to the
 * URL, so it needs the trailing slash a hand-typed URL often lacks.
 */
export const slackApiUrlOption = (apiUrl?: string): { slackApiUrl?: string } =>
  apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {};

/**
 * A Web API client for posts made at most once (case cards, thread lines, jobs' posts): no retries inside
 * @slack/web-api, whose retry of a call Slack took but whose answer was lost (a proxy's 5xx, a timeout) posts it twice.
 * A 429 is returned at once (`retryAfterOf`) for the caller to wait out; `timeoutMs` (default 30 s) bounds a call Slack
 * never answers. The callers retry themselves, looking for the post's metadata first (`carriesMetadata`).
 */
export function atMostOnceClient(
  token: string,
  options: { apiUrl?: string; timeoutMs?: number; logger?: webApi.WebClientOptions['logger'] } = {},
): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...slackApiUrlOption(options.apiUrl),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/** The seconds a refused 429 asks to wait (Slack took nothing), or null for any other error. */
export function retryAfterOf(error: unknown): number | null {
  const retryAfter = (error as { retryAfter?: unknown } | null)?.retryAfter;
  return typeof retryAfter === 'number' ? retryAfter : null;
}

/** Whether a channel or thread message carries our metadata of `eventType` with every field of `payload`. */
export function carriesMetadata(
  message: { metadata?: { event_type?: string; event_payload?: unknown } },
  eventType: string,
  payload: Record<string, string>,
): boolean {
  if (message.metadata?.event_type !== eventType) return false;
  const held = message.metadata.event_payload as Record<string, unknown> | undefined;
  return Object.entries(payload).every(([key, value]) => held?.[key] === value);
}
