import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Telegram's side of webhook mode, which telegram-test-api 4.2.1 lacks (it POSTs each update once,
 * without the secret header, and drops it on a non-2xx answer; see platform-limits.md §3):
 * - the emulator's webhook (registered by the bots' setWebhook) points here; this front accepts
 *   each update at once, like Telegram's queue, and delivers it to the bot with
 *   `X-Telegram-Bot-Api-Secret-Token`;
 * - an update answered non-2xx, or not answered at all (connection refused or reset: the instance
 *   died), is delivered again after a back-off, as Telegram does ("we will repeat the request");
 * - several instances behind a load balancer: every attempt goes to the next target in rotation
 *   (a dead instance's refused connection moves the update on to the next one);
 * - per chat, one update is in flight at a time and the next waits for the previous one's 2xx:
 *   updates of a chat arrive in order even across retries. This is how the harness models Telegram
 *   (it does not document the order of concurrent deliveries [U]); chats are delivered in parallel.
 */
export interface DeliveryFront {
  /** The URL the bots register with setWebhook (the emulator pushes there). */
  url: string;
  /** Updates accepted from the emulator. */
  accepted: number;
  /** Updates a bot answered with 2xx, per chat in order of acceptance. */
  delivered: Map<string, number[]>;
  deliveredCount(): number;
  /** Attempts that failed (non-2xx or no answer) and were retried. */
  retries: number;
  /** Attempts made and the time they took in all (ms): the instances' answer time. */
  attempts: { count: number; totalMs: number };
  /** Waits until every accepted update was answered 2xx (or the deadline passes). */
  idle(timeoutMs: number): Promise<void>;
  /** Waits until `count` updates of `chat` were answered 2xx. */
  answered(chat: string, count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startDeliveryFront(options: {
  targets: () => string[];
  secret: string;
  path: string;
  /** First retry after this long, doubling up to `maxBackoffMs` (Telegram's own intervals are longer). */
  backoffMs?: number;
  maxBackoffMs?: number;
}): Promise<DeliveryFront> {
  const backoff = options.backoffMs ?? 50;
  const maxBackoff = options.maxBackoffMs ?? 800;
  const queues = new Map<string, { body: string; updateId: number }[]>();
  const busy = new Set<string>();
  let rotation = 0;
  let closed = false;
  const waiters = new Set<() => void>();
  const front: DeliveryFront = {
    url: '',
    accepted: 0,
    delivered: new Map(),
    deliveredCount: () => [...front.delivered.values()].reduce((n, l) => n + l.length, 0),
    retries: 0,
    attempts: { count: 0, totalMs: 0 },
    idle(timeoutMs) {
      return until(() => front.deliveredCount() >= front.accepted, timeoutMs, () => `${front.accepted - front.deliveredCount()} of ${front.accepted} updates still unanswered`);
    },
    answered(chat, count, timeoutMs) {
      return until(() => (front.delivered.get(chat)?.length ?? 0) >= count, timeoutMs, () => `chat ${chat}: ${front.delivered.get(chat)?.length ?? 0} of ${count} updates answered`);
    },
    async close() {
      closed = true;
      await new Promise((resolve) => server.close(resolve));
    },
  };

  /** Resolves when `done()` holds, checked after every delivery. */
  function until(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
        const check = () => {
          if (!done()) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`webhook delivery: ${describe()}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
    });
  }

  const attempt = async (body: string): Promise<boolean> => {
    const targets = options.targets();
    const target = targets[rotation++ % targets.length]!;
    const started = performance.now();
    front.attempts.count += 1;
    try {
      const res = await fetch(`${target}${options.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': options.secret },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      front.attempts.totalMs += performance.now() - started;
      return res.status >= 200 && res.status < 300;
    } catch {
      return false; // refused, reset or timed out: not answered
    }
  };

  const pump = async (chat: string) => {
    if (busy.has(chat)) return;
    busy.add(chat);
    try {
      const queue = queues.get(chat)!;
      while (queue.length > 0 && !closed) {
        const next = queue[0]!;
        let wait = backoff;
        while (!(await attempt(next.body))) {
          if (closed) return;
          front.retries += 1;
          await new Promise((resolve) => setTimeout(resolve, wait)); // Telegram's retry interval, not a test wait
          wait = Math.min(wait * 2, maxBackoff);
        }
        queue.shift();
        const list = front.delivered.get(chat) ?? [];
        list.push(next.updateId);
        front.delivered.set(chat, list);
        for (const w of [...waiters]) w();
      }
    } finally {
      busy.delete(chat);
    }
  };

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const update = JSON.parse(body) as { update_id: number; message?: { chat: { id: number } }; callback_query?: { from: { id: number } } };
      const chat = String(update.message?.chat.id ?? update.callback_query?.from.id ?? 0);
      const queue = queues.get(chat) ?? [];
      queue.push({ body, updateId: update.update_id });
      queues.set(chat, queue);
      front.accepted += 1;
      res.writeHead(200).end();
      void pump(chat);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.path}`;
  return front;
}
