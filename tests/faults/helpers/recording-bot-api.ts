import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot API stand-in on 127.0.0.1 that records every sendMessage body exactly as the bot sent
 * it (chat_id, text, parse_mode, reply_markup) and can answer like an API that is down:
 * `outage(n, answer)` makes the next n sendMessage calls fail with `answer` (a 502, a 429 with
 * retry_after, …) before it recovers. Failed calls are recorded in `failed`, not in `sent`.
 * Every other method (getMe, setMyCommands, setWebhook, deleteWebhook, …) is answered `ok` and
 * recorded in `calls`, so a test can check what the bot registered at start-up.
 */
export interface RecordedSend {
  chatId: string;
  text: string;
  parseMode: unknown;
  replyMarkup: unknown;
  body: Record<string, unknown>;
}

export interface FailureAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface RecordingBotApi {
  apiRoot: string;
  sent: RecordedSend[];
  failed: { chatId: string; text: string; status: number }[];
  /** Calls of methods other than sendMessage, in arrival order. */
  calls: { method: string; body: Record<string, unknown> }[];
  outage(calls: number, answer: FailureAnswer): void;
  /** The next `calls` sendMessage requests are read and never answered (a proxy or API that hangs); recorded in `failed` with status 0. */
  silence(calls: number): void;
  /** Every sendMessage for which `rule` returns an answer fails with it (after any outage), e.g. one chat blocked the bot. */
  failWhen(rule: ((body: Record<string, unknown>) => FailureAnswer | undefined) | null): void;
  /** Resolves once `sent` satisfies `done`; rejects after `timeoutMs` (bounded wait, no sleeping). */
  waitFor(done: (sent: RecordedSend[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const badGateway = (): FailureAnswer => ({ status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } });
/** A Bot API error answer as Telegram words it, e.g. badRequest('Bad Request: chat not found'). */
export const botApiError = (status: number, description: string): FailureAnswer => ({
  status,
  body: { ok: false, error_code: status, description },
});
export const tooManyRequests = (retryAfter: number): FailureAnswer => ({
  status: 429,
  body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } },
});

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

/** `onSend` is told of every accepted sendMessage as it arrives (the load benchmark times replies with it). */
export async function startRecordingBotApi(options: { onSend?: (send: RecordedSend, atMs: number) => void } = {}): Promise<RecordingBotApi> {
  const sent: RecordedSend[] = [];
  const failed: RecordingBotApi['failed'] = [];
  const calls: RecordingBotApi['calls'] = [];
  const waiters = new Set<() => void>();
  let outage: { left: number; answer: FailureAnswer } | null = null;
  let silent = 0;
  let failRule: ((body: Record<string, unknown>) => FailureAnswer | undefined) | null = null;
  let messageId = 1;

  const answer = (method: string, body: Record<string, unknown>): FailureAnswer => {
    if (method !== 'sendMessage') calls.push({ method, body });
    if (method === 'getMe') return { status: 200, body: { ok: true, result: { id: 666, is_bot: true, first_name: 'Stub', username: 'TestNameBot' } } };
    if (method !== 'sendMessage') return { status: 200, body: { ok: true, result: true } };
    const chatId = String(body.chat_id);
    if (outage && outage.left > 0) {
      outage.left -= 1;
      failed.push({ chatId, text: String(body.text), status: outage.answer.status });
      return outage.answer;
    }
    const refused = failRule?.(body);
    if (refused) {
      failed.push({ chatId, text: String(body.text), status: refused.status });
      return refused;
    }
    const send = { chatId, text: String(body.text), parseMode: body.parse_mode, replyMarkup: body.reply_markup, body };
    sent.push(send);
    options.onSend?.(send, performance.now());
    for (const w of waiters) w();
    return { status: 200, body: { ok: true, result: { message_id: messageId++, date: 1_795_000_000, chat: { id: Number(chatId), type: 'private' }, text: body.text } } };
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const method = /\/bot[^/]+\/([A-Za-z]+)/.exec(req.url ?? '')?.[1] ?? '';
      const body = await readJson(req);
      if (method === 'sendMessage' && silent > 0) {
        silent -= 1;
        failed.push({ chatId: String(body.chat_id), text: String(body.text), status: 0 });
        return; // never answered (closed with the server)
      }
      const out = answer(method, body);
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    failed,
    calls,
    outage: (calls, failure) => {
      outage = { left: calls, answer: failure };
    },
    silence: (calls) => {
      silent = calls;
    },
    failWhen: (rule) => {
      failRule = rule;
    },
    waitFor: (done, timeoutMs = 8_000) =>
      new Promise<void>((resolve, reject) => {
        if (done(sent)) return resolve();
        const check = () => {
          if (!done(sent)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`recording Bot API: condition not met within ${timeoutMs} ms; sent ${sent.length}, failed ${failed.length}`));
        }, timeoutMs);
        waiters.add(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
