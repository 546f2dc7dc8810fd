import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { defaultBodyLimit, ErrorCode, HTTPModuleFunctions, HTTPReceiver, isRawBodyError, verifySlackRequest, type HTTPReceiverOptions } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/** Slack's replay window: requests stamped more than 5 minutes from now are refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * True when the request's `x-slack-request-timestamp` lies more than the replay
 * window in the future. Bolt 5.1 only rejects old timestamps; a future one with
 * a valid signature would otherwise be replayable for ever.
 */
export function isFromTheFuture(req: IncomingMessage, nowMs: number): boolean {
  const header = req.headers['x-slack-request-timestamp'];
  const ts = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(ts) && ts > Math.floor(nowMs / 1000) + MAX_CLOCK_SKEW_SECONDS;
}

/** Set on each request by the guard (and read back into the listener context as `requestId`). */
export const REQUEST_ID_HEADER = 'x-civicdesk-request-id';

type BufferedRequest = IncomingMessage & { rawBody: Buffer };

/**
 * Why Bolt must not see this body, or null when it may. Bolt 5.1 parses the
 * body and then reads `body.ssl_check` without a null check, outside any
 * catch: a signed `payload=null` form or a JSON `null` body threw a TypeError
 * in a detached promise and ended the process. A body must parse the way
 * Bolt parses it and give a JSON object (not null, an array or a scalar).
 */
export function malformedBody(req: BufferedRequest): string | null {
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(req);
  } catch (error) {
    return `body does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not an object`;
  return null;
}

/**
 * Why this request is not authentically Slack's, or null when it is: Bolt's own
 * check (`HTTPModuleFunctions.parseAndVerifyHTTPRequest`, the same `verifySlackRequest`
 * and the same unsigned `ssl_check=1` exception) but judged against `nowMs`. Bolt 5.1's
 * HTTPReceiver reads the real clock for the 5-minute staleness rule and takes no clock,
 * so the guard verifies and the inner receiver runs with `signatureVerification: false`.
 */
export function unverifiedReason(req: BufferedRequest, signingSecret: string, nowMs: number): string | null {
  const text = req.rawBody.toString();
  if (req.headers['content-type'] === 'application/x-www-form-urlencoded' && parseQuery(text).ssl_check === '1') {
    // As Bolt: an SSL check needs no signature, so it must carry nothing else (no smuggled payload).
    req.rawBody = Buffer.from('ssl_check=1');
    return null;
  }
  try {
    verifySlackRequest({
      signingSecret,
      body: text,
      headers: {
        'x-slack-signature': HTTPModuleFunctions.getHeader(req, 'x-slack-signature'),
        'x-slack-request-timestamp': Number(HTTPModuleFunctions.getHeader(req, 'x-slack-request-timestamp')),
      },
      nowMilliseconds: nowMs,
    });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function reply(res: ServerResponse, status: number, requestId: string): void {
  if (!res.headersSent) res.writeHead(status, { 'x-request-id': requestId });
  if (!res.writableEnded) res.end();
}

/**
 * Bolt's HTTPReceiver (/slack/events, custom routes) behind four guards, each
 * answering with the request id in `x-request-id` and in the log line, all judged
 * against one clock `now` (epoch ms; tests freeze it so no verdict depends on load):
 * - a timestamp from the future → 401 before the body is read, so no listener runs;
 * - a bad signature or a timestamp over 5 minutes old → 401 (see `unverifiedReason`);
 * - a body that is not a JSON object once parsed → 400 (see `malformedBody`);
 * - a path no route serves → 404 (Bolt throws it to say so), logged at debug level only;
 * - anything else the receiver throws synchronously → 500 and logged, never a crash.
 */
export function createGuardedReceiver(options: HTTPReceiverOptions & { appLogger?: Logger }, now: () => number = Date.now): HTTPReceiver {
  // Bolt refuses an empty secret only while its own verification is on; the guard below verifies instead.
  if (!options.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (Slack app settings → Basic Information → Signing Secret).');
  const receiver = new HTTPReceiver({ ...options, signatureVerification: false });
  const log = options.appLogger;
  const endpoints = new Set(Array.isArray(options.endpoints) ? options.endpoints : [options.endpoints ?? '/slack/events']);
  const inner = receiver.requestListener;
  const pass = (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    try {
      inner(req, res);
    } catch (error) {
      // A path no route serves (a browser's /favicon.ico beside the web chat, a scanner): Bolt throws it to its
      // caller to say "not mine". Not found, not a server fault.
      if ((error as { code?: unknown } | null)?.code === ErrorCode.HTTPReceiverDeferredRequestError) {
        log?.debug({ requestId, method: req.method, path: req.url }, 'http: no route for this path (404)');
        return reply(res, 404, requestId);
      }
      log?.error({ err: error, requestId, path: req.url }, 'slack: request handler threw');
      reply(res, 500, requestId);
    }
  };
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    req.headers[REQUEST_ID_HEADER] = requestId;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!endpoints.has(path) || req.method !== 'POST') return pass(req, res, requestId);
    if (isFromTheFuture(req, now())) {
      log?.warn({ requestId }, 'slack: request stamped in the future refused (401)');
      return reply(res, 401, requestId);
    }
    HTTPModuleFunctions.bufferIncomingMessage(req, options.bodyLimit ?? defaultBodyLimit).then(
      (buffered) => {
        const unverified = unverifiedReason(buffered as BufferedRequest, options.signingSecret, now());
        if (unverified) {
          log?.warn({ requestId, problem: unverified }, 'slack: request failed verification (401)');
          return reply(res, 401, requestId);
        }
        const problem = malformedBody(buffered as BufferedRequest);
        if (problem) {
          log?.warn({ requestId, contentType: req.headers['content-type'], problem }, 'slack: malformed request body refused (400)');
          return reply(res, 400, requestId);
        }
        pass(buffered, res, requestId);
      },
      (error: unknown) => {
        const tooLarge = isRawBodyError(error) && (error as { statusCode?: number }).statusCode === 413;
        log?.warn({ requestId, err: error }, `slack: request body could not be read (${tooLarge ? 413 : 400})`);
        reply(res, tooLarge ? 413 : 400, requestId);
      },
    );
  };
  return receiver;
}
