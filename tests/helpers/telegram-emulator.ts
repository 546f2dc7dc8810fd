import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';

/**
 * The telegram-test-api emulator on 127.0.0.1 behind a small local shim.
 * The shim covers exactly the emulator's known gaps:
 * - methods it lacks (setMyCommands, getMyCommands, deleteMyCommands, sendChatAction) answer 500
 *   there; the shim answers `{ ok: true, result: true }` and records the call;
 * - it enforces no limits: the shim rejects sendMessage with more than 4096 characters,
 *   callback_data over 64 bytes, rows over 8 or more than 100 buttons (400, as Telegram would);
 * - getUpdates answers at once and ignores offset/timeout, so a polling bot would spin; the
 *   shim holds empty polls for 20 ms (throttling only, no test waits on it).
 * `failNext(method, response)` makes the next call of a method fail (e.g. setMyCommands 500).
 * `confirmByOffset`: getUpdates keeps Telegram's contract instead of the emulator's (which marks an update read
 * once fetched): an update is returned again until a later getUpdates confirms it with `offset` > its id, so a
 * bot that fetched updates and stopped before confirming them gets them again after its restart.
 */
export const SHIMMED_METHODS = ['setMyCommands', 'getMyCommands', 'deleteMyCommands', 'sendChatAction'] as const;

export interface BotMessage {
  messageId: number;
  chatId: string;
  text: string;
  replyMarkup?: { inline_keyboard: { text: string; callback_data: string }[][] };
  raw: Record<string, unknown>;
}

export interface Emulator {
  apiRoot: string;
  server: TelegramServer;
  /**
   * Every Bot API method the bot called, in order of arrival, with its JSON body. `via`: the tag of
   * an API root `${apiRoot}/via/TAG` (several bot processes on one emulator tell themselves apart).
   */
  calls: { method: string; body: Record<string, unknown>; via?: string }[];
  failNext(method: string, status: number, body: Record<string, unknown>): void;
  /** Every later call of `method` is never answered (a Bot API connection that hangs); its socket closes with the emulator. */
  hang(method: string): void;
  botMessages(chatId: number | string): BotMessage[];
  waitForBotMessage(chatId: number | string, predicate: (m: BotMessage) => boolean, timeoutMs?: number): Promise<BotMessage>;
  close(): Promise<void>;
}


async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function limitProblem(body: Record<string, unknown>): string | null {
  const text = String(body.text ?? '');
  if (text.length === 0 || text.length > 4096) return 'Bad Request: message is too long';
  const markup = body.reply_markup as BotMessage['replyMarkup'] | undefined;
  const rows = markup?.inline_keyboard ?? [];
  if (rows.some((r) => r.length > 8) || rows.flat().length > 100) return 'Bad Request: reply markup is too long';
  if (rows.flat().some((b) => Buffer.byteLength(b.callback_data, 'utf8') > 64)) return 'Bad Request: BUTTON_DATA_INVALID';
  return null;
}

export async function startEmulator(options: { confirmByOffset?: boolean } = {}): Promise<Emulator> {
  // Port 0 (the OS picks one as it listens): a port picked beforehand can be taken by another test run meanwhile.
  // The library turns a configured 0 into 9000, so it is set after construction and read back once listening.
  const server = new TelegramServer({ port: 1, host: '127.0.0.1', storeTimeout: 600 });
  const config = server.config as { port: number; apiURL: string };
  config.port = 0;
  await server.start();
  config.port = ((server as unknown as { server: Server }).server.address() as AddressInfo).port;
  config.apiURL = `http://127.0.0.1:${config.port}`;
  const upstream = server.config.apiURL;
  const calls: Emulator['calls'] = [];
  const failures = new Map<string, { status: number; body: Record<string, unknown> }>();
  const hanging = new Set<string>();
  const chatChains = new Map<string, Promise<void>>();
  let unconfirmed: { update_id: number }[] = []; // confirmByOffset: fetched from the emulator, not yet confirmed

  const shim: Server = createServer((req, res) => {
    void (async () => {
      const via = /^\/via\/([^/]+)/.exec(req.url ?? '')?.[1];
      if (via) req.url = req.url!.slice(`/via/${via}`.length);
      const raw = await readBody(req);
      const method = /\/bot[^/]+\/([A-Za-z]+)/.exec(req.url ?? '')?.[1] ?? '';
      const body = raw && (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (method !== 'getUpdates') calls.push({ method, body, ...(via ? { via } : {}) });
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      };
      if (hanging.has(method)) return;
      const failure = failures.get(method);
      if (failure) {
        failures.delete(method);
        return reply(failure.status, failure.body);
      }
      if ((SHIMMED_METHODS as readonly string[]).includes(method)) return reply(200, { ok: true, result: true });
      if (method === 'sendMessage') {
        const problem = limitProblem(body);
        if (problem) return reply(400, { ok: false, error_code: 400, description: problem });
      }
      // A chat's messages are stored in the order they arrived, as Telegram would: concurrent forwards
      // to the emulator could otherwise overtake each other (a dead process's last request stored late).
      const chat = method === 'sendMessage' ? String(body.chat_id) : null;
      const previous = chat === null ? Promise.resolve() : (chatChains.get(chat) ?? Promise.resolve());
      const forwarding = previous.then(() =>
        fetch(`${upstream}${req.url}`, {
          method: req.method,
          headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json') },
          body: raw || undefined,
        }),
      );
      if (chat !== null) {
        const settled = forwarding.then(() => undefined, () => undefined);
        chatChains.set(chat, settled);
        void settled.then(() => chatChains.get(chat) === settled && chatChains.delete(chat));
      }
      const forwarded = await forwarding;
      const json = (await forwarded.json()) as { result?: unknown[] };
      if (method === 'getUpdates' && options.confirmByOffset && Array.isArray(json.result)) {
        const offset = Number(body.offset ?? 0);
        for (const u of json.result as { update_id: number }[]) unconfirmed.push(u);
        unconfirmed = unconfirmed.filter((u) => u.update_id >= offset);
        json.result = body.limit ? unconfirmed.slice(0, Number(body.limit)) : [...unconfirmed];
      }
      if (method === 'getUpdates' && Array.isArray(json.result) && json.result.length === 0)
        await new Promise((resolve) => setTimeout(resolve, 20));
      reply(forwarded.status, json);
    })().catch((error: unknown) => {
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => shim.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(shim.address() as AddressInfo).port}`;

  const botMessages = (chatId: number | string): BotMessage[] =>
    server.storage.botMessages
      .filter((u) => String(u.message.chat_id) === String(chatId))
      .map((u) => {
        const m = u.message as unknown as Record<string, unknown>;
        return { messageId: u.messageId, chatId: String(m.chat_id), text: String(m.text ?? ''), replyMarkup: m.reply_markup as BotMessage['replyMarkup'], raw: m };
      });

  return {
    apiRoot,
    server,
    calls,
    failNext: (method, status, body) => void failures.set(method, { status, body }),
    hang: (method) => void hanging.add(method),
    botMessages,
    waitForBotMessage(chatId, predicate, timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = botMessages(chatId).find(predicate);
          if (!found) return false;
          server.off('AddedBotMessage', check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          server.off('AddedBotMessage', check);
          reject(new Error(`no matching bot message in chat ${chatId}; got: ${JSON.stringify(botMessages(chatId).map((m) => m.text))}`));
        }, timeoutMs);
        if (!check()) server.on('AddedBotMessage', check);
      });
    },
    async close() {
      shim.closeAllConnections();
      await new Promise((resolve) => shim.close(resolve));
      await server.stop();
    },
  };
}
