import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/channels/telegram/pacer.js';

/**
 * A local Bot API stand-in that enforces Telegram's send limits on the given
 * clock: a chat gets at most one message per second, the bot at most 30 per
 * second overall; over either → 429 with `parameters.retry_after` (seconds,
 * rounded up). `injectEvery` adds an extra 429 on every n-th sendMessage to
 * mimic Telegram's unspecified flood control. Records every accepted message.
 */
export interface StubOptions {
  clock: Clock;
  perChatMs?: number;
  globalPerSecond?: number;
  injectEvery?: number;
  retryAfterSeconds?: number;
}

export interface StubBotApi {
  apiRoot: string;
  accepted: { chatId: string; text: string; at: number }[];
  rejected429: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

export async function startStubBotApi(options: StubOptions): Promise<StubBotApi> {
  const perChatMs = options.perChatMs ?? 1000;
  const globalPerSecond = options.globalPerSecond ?? 30;
  const lastByChat = new Map<string, number>();
  const recent: number[] = [];
  let sendCalls = 0;
  let messageId = 1;
  const stub: Omit<StubBotApi, 'close' | 'apiRoot'> = { accepted: [], rejected429: 0 };

  const tooMany = (retryAfterMs: number) => {
    stub.rejected429 += 1;
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } } };
  };

  const sendMessage = (body: Record<string, unknown>) => {
    const now = options.clock.now();
    const chatId = String(body.chat_id);
    sendCalls += 1;
    if (options.injectEvery && sendCalls % options.injectEvery === 0) return tooMany((options.retryAfterSeconds ?? 1) * 1000);
    while (recent.length > 0 && (recent[0] ?? 0) <= now - 1000) recent.shift();
    const last = lastByChat.get(chatId);
    if (last !== undefined && now - last < perChatMs) return tooMany(perChatMs - (now - last));
    if (recent.length >= globalPerSecond) return tooMany(1000 - (now - (recent[0] ?? now)));
    recent.push(now);
    lastByChat.set(chatId, now);
    stub.accepted.push({ chatId, text: String(body.text), at: now });
    return { status: 200, body: { ok: true, result: { message_id: messageId++, date: Math.floor(now / 1000), chat: { id: Number(chatId), type: 'private' }, text: body.text } } };
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const method = /\/bot[^/]+\/([A-Za-z]+)/.exec(req.url ?? '')?.[1] ?? '';
      const body = await readJson(req);
      const result =
        method === 'sendMessage'
          ? sendMessage(body)
          : method === 'getMe'
            ? { status: 200, body: { ok: true, result: { id: 666, is_bot: true, first_name: 'Stub', username: 'StubBot' } } }
            : { status: 200, body: { ok: true, result: true } };
      res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...stub,
    get accepted() {
      return stub.accepted;
    },
    get rejected429() {
      return stub.rejected429;
    },
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
