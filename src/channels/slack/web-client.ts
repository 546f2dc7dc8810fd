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

/**
 * Pages read at most when looking for our earlier post in a channel's history or a case thread (200 messages a page,
 * so 5,000 messages). A case thread holds a line per change of the case, so a real one stays far below it; the bound
 * only keeps a runaway cursor (a Slack fault, a channel flooded by others) from reading without end: conversations.history
 * and .replies are Tier 3 (50+ calls a minute, ../shared/reference/platform-limits.md), and 25 calls stay within one
 * minute's budget. Past it the post counts as not found and is made (a duplicate beats a lost post), with a warning.
 */
export const LOOKUP_PAGE_SIZE = 200;
export const LOOKUP_MAX_PAGES = 25;

interface MessagePage<M> {
  messages?: M[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/**
 * The first message `matches` accepts, reading page after page with Slack's cursor (`read(cursor)` asks one page of
 * LOOKUP_PAGE_SIZE); `{ found: null, complete: false }` when LOOKUP_MAX_PAGES were read and more were left.
 */
export async function findInPages<M>(
  read: (cursor: string | undefined) => Promise<MessagePage<M>>,
  matches: (message: M) => boolean,
  maxPages = LOOKUP_MAX_PAGES,
): Promise<{ found: M | null; complete: boolean }> {
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await read(cursor);
    const found = (res.messages ?? []).find(matches);
    if (found) return { found, complete: true };
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return { found: null, complete: true };
  }
  return { found: null, complete: false };
}
