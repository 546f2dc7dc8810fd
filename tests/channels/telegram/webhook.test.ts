import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretMatches } from '../../../src/channels/telegram/webhook.js';
import type { Incoming } from '../../../src/core/types.js';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';

const SECRET = 'xihu_webhook-Secret_2026';
let emulator: Emulator;
let stack: TelegramStack;
let server: Server;
let url: string;
let seen: Incoming[];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  seen = [];
  stack = await createTelegramStack({
    apiRoot: emulator.apiRoot,
    webhook: { url: 'http://127.0.0.1:9/telegram/webhook', secret: SECRET },
    record: seen,
  });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
  const handler = stack.channel.webhookHandler;
  if (!handler) throw new Error('webhook mode expected');
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const processed = async () => (await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM processed_inbound'))?.n;

describe('telegram webhook', () => {
  it('rejects a missing secret with 401 and a wrong one with 403; no handler runs', async () => {
    const update = telegramTextUpdate({ text: '我要投诉' });
    expect((await post(update)).status).toBe(401);
    expect((await post(update, { 'X-Telegram-Bot-Api-Secret-Token': 'wrong' })).status).toBe(403);
    expect((await post(update, { 'X-Telegram-Bot-Api-Secret-Token': `${SECRET}x` })).status).toBe(403);
    expect(seen).toHaveLength(0);
    expect(await processed()).toBe(0);
    expect(await stack.db.get('SELECT 1 FROM outbox')).toBeUndefined();
  });

  it('handles an update with the right secret once, even when Telegram redelivers it', async () => {
    const update = telegramTextUpdate({ chatId: 901, text: '小学什么时候报名？' });
    const headers = { 'X-Telegram-Bot-Api-Secret-Token': SECRET };
    expect((await post(update, headers)).status).toBe(200);
    expect((await post(update, headers)).status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.text).toBe('小学什么时候报名？');
    expect(await processed()).toBe(1);
  });

  it('stopping (SIGTERM): finishes the update in hand, then answers 503 so Telegram delivers later ones again', async () => {
    let entered!: () => void;
    const inHandStarted = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated = await createTelegramStack({
      apiRoot: emulator.apiRoot,
      webhook: { url: 'http://127.0.0.1:9/telegram/webhook', secret: SECRET },
      record: seen,
      wrapEngine: (engine) => ({
        handle: async (incoming, options) => {
          seen.push(incoming);
          entered();
          await gate; // the update is in hand when the shutdown starts
          return engine.handle(incoming, options);
        },
      }),
    });
    gated.channel.bot.botInfo = TEST_BOT_INFO;
    const handler = gated.channel.webhookHandler!;
    const own = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    const ownUrl = `http://127.0.0.1:${(own.address() as AddressInfo).port}/telegram/webhook`;
    const send = (update: unknown) =>
      fetch(ownUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: JSON.stringify(update) });
    try {
      const inHand = send(telegramTextUpdate({ chatId: 903, text: '小学什么时候报名？' }));
      await inHandStarted;
      const stopping = gated.channel.stopTaking();
      expect((await send(telegramTextUpdate({ chatId: 904, text: '学区怎么划分？' }))).status).toBe(503);
      release();
      expect((await inHand).status).toBe(200);
      expect(await stopping).toEqual({ turnsFinished: 1 });
      expect(seen.map((i) => i.chatId)).toEqual(['903']); // the refused update was not taken: Telegram sends it again
      expect(await gated.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM processed_inbound')).toEqual({ n: 1 });
    } finally {
      await new Promise((resolve) => own.close(resolve));
      await gated.close();
    }
  });

  it('answers 400 to a body that is not an update, 405 to other methods', async () => {
    const headers = { 'X-Telegram-Bot-Api-Secret-Token': SECRET };
    expect((await post({ hello: 'world' }, headers)).status).toBe(400);
    expect((await fetch(url, { method: 'POST', headers, body: '{not json' })).status).toBe(400);
    expect((await fetch(url, { headers })).status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  it('registers the webhook with its secret_token on start', async () => {
    emulator.calls.length = 0;
    await stack.channel.start();
    const call = emulator.calls.find((c) => c.method === 'setWebhook');
    expect(call?.body).toMatchObject({ url: 'http://127.0.0.1:9/telegram/webhook', secret_token: SECRET });
    expect(emulator.calls.some((c) => c.method === 'getUpdates')).toBe(false);
  });

  it('compares secrets in constant time and exactly', () => {
    expect(secretMatches(SECRET, SECRET)).toBe(true);
    expect(secretMatches(SECRET.toLowerCase(), SECRET)).toBe(false);
    expect(secretMatches('', SECRET)).toBe(false);
  });
});
