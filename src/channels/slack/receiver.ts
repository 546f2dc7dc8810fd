import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';

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

/**
 * Bolt's HTTPReceiver (signature check, /slack/events, custom routes) with the
 * future-timestamp check in front: such requests get 401 before the body is
 * read, so no listener runs.
 */
export function createGuardedReceiver(options: HTTPReceiverOptions, now: () => number = Date.now): HTTPReceiver {
  const receiver = new HTTPReceiver(options);
  const endpoints = new Set(Array.isArray(options.endpoints) ? options.endpoints : [options.endpoints ?? '/slack/events']);
  const inner = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (endpoints.has(path) && isFromTheFuture(req, now())) {
      res.writeHead(401);
      res.end();
      return;
    }
    inner(req, res);
  };
  return receiver;
}
