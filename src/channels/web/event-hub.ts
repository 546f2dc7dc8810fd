import type { ServerResponse } from 'node:http';
import type { Logger } from '../../logger.js';
import type { WebMessageDto } from './render.js';

/**
 * Open Server-Sent Event streams, per session. When the sender stores new
 * lines for a session, each of its streams is sent what lies after its own
 * cursor (the id of the last line it sent; a reconnecting browser gives it
 * back as Last-Event-ID), so nothing is skipped or repeated per stream.
 * A comment line every `heartbeatMs` keeps proxies from closing idle streams.
 */
export const MAX_STREAMS_PER_SESSION = 4;

interface Stream {
  res: ServerResponse;
  cursor: number;
  busy: Promise<void>;
}

export interface EventHubOptions {
  load: (sessionId: string, after: number) => Promise<WebMessageDto[]>;
  logger: Logger;
  heartbeatMs: number;
}

export function createEventHub(options: EventHubOptions) {
  const sessions = new Map<string, Set<Stream>>();
  let count = 0;
  let stopped = false;

  const push = (sessionId: string, stream: Stream) => {
    stream.busy = stream.busy.then(async () => {
      if (stream.res.writableEnded) return;
      const messages = await options.load(sessionId, stream.cursor);
      for (const message of messages) {
        stream.res.write(`id: ${message.id}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
        stream.cursor = message.id;
      }
    }).catch((error: unknown) => options.logger.warn({ err: error }, 'web chat: could not push to a stream'));
  };

  const heartbeat = setInterval(() => {
    for (const streams of sessions.values()) for (const s of streams) s.res.write(': ping\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    open(sessionId: string, res: ServerResponse, after: number): void {
      if (stopped) {
        // Shutting down: a stream opened now would hold the server open; the browser retries elsewhere or later.
        res.writeHead(503, { 'retry-after': '5' }).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no', // nginx: do not buffer the stream
        'x-content-type-options': 'nosniff',
      });
      res.write('retry: 3000\n\n');
      const streams = sessions.get(sessionId) ?? new Set<Stream>();
      sessions.set(sessionId, streams);
      if (streams.size >= MAX_STREAMS_PER_SESSION) {
        const oldest = streams.values().next().value;
        oldest?.res.end();
      }
      const stream: Stream = { res, cursor: after, busy: Promise.resolve() };
      streams.add(stream);
      count += 1;
      res.on('close', () => {
        if (streams.delete(stream)) count -= 1;
        if (streams.size === 0 && sessions.get(sessionId) === streams) sessions.delete(sessionId);
      });
      push(sessionId, stream);
    },
    notify(sessionIds: Iterable<string>): void {
      for (const id of sessionIds) for (const stream of sessions.get(id) ?? []) push(id, stream);
    },
    /** Ends a session's streams (after an erase the old session is gone). */
    close(sessionId: string): void {
      for (const stream of sessions.get(sessionId) ?? []) stream.res.end();
    },
    connections: () => count,
    stop(): void {
      stopped = true;
      clearInterval(heartbeat);
      for (const streams of sessions.values()) for (const s of streams) s.res.end();
      sessions.clear();
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
