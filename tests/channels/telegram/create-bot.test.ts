import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, telegramOptionsFromConfig } from '../../../src/channels/telegram/create-bot.js';
import { parseConfig } from '../../../src/config.js';
import { createLogger, silentLogger } from '../../../src/logger.js';
import type { Db } from '../../../src/storage/db.js';
import { telegramTestDb } from '../../helpers/telegram-db.js';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { TEST_BOT_INFO } from '../../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';

let emulator: Emulator;
let db: Db;
beforeAll(async () => {
  emulator = await startEmulator();
  db = await telegramTestDb();
});
afterAll(async () => {
  await db.close();
  await emulator.close();
});

const engine = { handle: async () => [{ text: '好的' }] };

describe('createTelegramChannel', () => {
  it('builds without starting: no request goes out until start()', () => {
    emulator.calls.length = 0;
    const channel = createTelegramChannel({ token: '1:T', apiRoot: emulator.apiRoot, db, engine, logger: silentLogger() });
    expect(channel.webhookHandler).toBeNull();
    expect(emulator.calls).toEqual([]);
  });

  it('explains a rejected token', async () => {
    emulator.failNext('getMe', 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const channel = createTelegramChannel({ token: '1:BAD', apiRoot: emulator.apiRoot, db, engine, logger: silentLogger() });
    await expect(channel.start()).rejects.toThrow('Telegram rejected TELEGRAM_BOT_TOKEN (401/404): copy the token again from @BotFather.');
  });

  it('explains an unreachable Bot API server, reports the channel down and keeps trying instead of failing start()', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'error', format: 'json', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
    const statuses: string[] = [];
    const channel = createTelegramChannel({ token: '1:T', apiRoot: 'http://127.0.0.1:9', db, engine, logger, onStatus: (s) => statuses.push(s), restartMs: 60_000 });
    await expect(channel.start()).resolves.toBeUndefined();
    expect(statuses).toEqual(['down']);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg);
    expect(logged).toEqual([expect.stringMatching(/^Cannot reach the Telegram Bot API at http:\/\/127\.0\.0\.1:9: .*Check TELEGRAM_API_ROOT and the network\. Telegram stays down and is tried again/)]);
    await channel.stop();
  });

  it('has bot.catch installed: a failing middleware is logged and polling would go on', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'error', format: 'json', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
    const channel = createTelegramChannel({ token: '1:T', apiRoot: emulator.apiRoot, db, engine, logger });
    channel.bot.botInfo = TEST_BOT_INFO;
    channel.bot.use(() => {
      throw new Error('boom');
    });
    const edited = { update_id: 4242, channel_post: (telegramTextUpdate() as unknown as { message: unknown }).message };
    await expect(channel.bot.handleUpdate(edited as never)).resolves.toBeUndefined();
    expect(lines.join('')).toContain('unhandled error while handling an update');
  });

  it('apologises when the engine fails, with the bureau phone', async () => {
    const channel = createTelegramChannel({
      token: '1:T',
      apiRoot: emulator.apiRoot,
      db,
      engine: { handle: async () => Promise.reject(new Error('engine down')) },
      logger: silentLogger(),
    });
    channel.bot.botInfo = TEST_BOT_INFO;
    await channel.bot.handleUpdate(telegramTextUpdate({ chatId: 4711, text: '你好' }));
    const row = await db.get<{ payload: string }>("SELECT payload FROM outbox WHERE address = '4711'");
    expect(JSON.parse(row?.payload ?? '[]')).toEqual([{ text: '抱歉，系统暂时出了点问题，请稍后再试。如情况紧急，请拨打 024-42842001。' }]);
  });

  it('reads its options from configuration: polling by default, webhook when the URL is set', () => {
    expect(telegramOptionsFromConfig(parseConfig({}))).toBeNull();
    expect(telegramOptionsFromConfig(parseConfig({ TELEGRAM_BOT_TOKEN: '1:T' }))).toEqual({ token: '1:T', pacing: { globalPerSecond: 30 }, defaultLocale: 'zh', staffLocale: 'zh', bureauPhone: '024-42842001' });
    expect(telegramOptionsFromConfig(parseConfig({ TELEGRAM_BOT_TOKEN: '1:T', TELEGRAM_GLOBAL_PER_SECOND: '1000' }))?.pacing).toEqual({ globalPerSecond: 1000 });
    expect(() => parseConfig({ TELEGRAM_GLOBAL_PER_SECOND: '0' })).toThrow(/TELEGRAM_GLOBAL_PER_SECOND: must be an integer from 1 to 1000/);
    const webhook = telegramOptionsFromConfig(
      parseConfig({ TELEGRAM_BOT_TOKEN: '1:T', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081', TELEGRAM_WEBHOOK_URL: 'https://bot.example.cn/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 's3cret' }),
    );
    expect(webhook).toMatchObject({ apiRoot: 'http://127.0.0.1:8081', webhook: { url: 'https://bot.example.cn/telegram/webhook', secret: 's3cret' } });
    const channel = createTelegramChannel({ ...webhook!, db, engine, logger: silentLogger() });
    expect(channel.webhookPath).toBe('/telegram/webhook');
    expect(channel.webhookHandler).not.toBeNull();
  });
});
