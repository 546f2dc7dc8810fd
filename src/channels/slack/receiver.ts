import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultBodyLimit, HTTPModuleFunctions, HTTPReceiver, isRawBodyError, type HTTPReceiverOptions } from '@slack/bolt';
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

function reply(res: ServerResponse, status: number, requestId: string): void {
  if (!res.headersSent) res.writeHead(status, { 'x-request-id': requestId });
  if (!res.writableEnded) res.end();
}

/**
 * Bolt's HTTPReceiver (signature check, /slack/events, custom routes) behind
 * three guards, each answering with the request id in `x-request-id` and in
 * the log line:
 * - a timestamp from the future → 401 before the body is read, so no listener runs;
 * - a body that is not a JSON object once parsed → 400 (see `malformedBody`);
 * - anything the receiver throws synchronously → 500 and logged, never a crash.
 */
export function createGuardedReceiver(options: HTTPReceiverOptions & { appLogger?: Logger }, now: () => number = Date.now): HTTPReceiver {
  const receiver = new HTTPReceiver(options);
  const log = options.appLogger;
  const endpoints = new Set(Array.isArray(options.endpoints) ? options.endpoints : [options.endpoints ?? '/slack/events']);
  const inner = receiver.requestListener;
  const pass = (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    try {
      inner(req, res);
    } catch (error) {
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
