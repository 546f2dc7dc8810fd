import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Slack's v0 signature over `v0:{timestamp}:{raw body}`. */
export function slackSignature(body: string, timestamp: number, secret = TEST_SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  secret?: string;
  /** Replace the computed signature (forgery tests). */
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs a correctly signed request (unless told otherwise) to Bolt's endpoint. */
export async function postSigned(url: string, body: string, contentType: string, options: SignedPostOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(body, timestamp, options.secret),
      ...options.headers,
    },
    body,
  });
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A slash command: form body. */
export const postCommand = (url: string, fields: Record<string, string>, options?: SignedPostOptions) =>
  postSigned(url, form(fields), 'application/x-www-form-urlencoded', options);

/** Interactivity (block_actions, view_submission): one `payload` form field holding JSON. */
export const postInteraction = (url: string, payload: unknown, options?: SignedPostOptions) =>
  postSigned(url, form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded', options);

/** Events API: a JSON event_callback. */
export const postEvent = (url: string, envelope: unknown, options?: SignedPostOptions) =>
  postSigned(url, JSON.stringify(envelope), 'application/json', options);
