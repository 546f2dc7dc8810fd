import { afterEach, describe, expect, it } from 'vitest';
import { enqueueOutbox } from '../../src/storage/outbox-repo.js';
import { fakeClock } from '../helpers/telegram-db.js';
import { createTelegramStack, type TelegramStack } from '../helpers/telegram-harness.js';
import { startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * A 家长群 upgraded to a supergroup while an answer waits in the outbox (review 18 R21): Telegram answers sendMessage to
 * the old group id with 400 and `parameters.migrate_to_chat_id`. The answer, and what queued behind it, must reach the
 * group under its new id (real telegraf client against a recording Bot API on 127.0.0.1, real SQLite, fake clock).
 */
let api: RecordingBotApi | undefined;
let telegram: TelegramStack | undefined;
afterEach(async () => {
  await telegram?.close();
  await api?.close();
  api = telegram = undefined;
});

const OLD = '-4001';
const NEW = '-1004001';

describe('Telegram: a group upgraded to a supergroup', () => {
  it('sends the queued answers to the new chat id instead of dropping them', async () => {
    api = await startRecordingBotApi();
    const clock = fakeClock();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, clock });
    api.failWhen((body) =>
      String(body.chat_id) === OLD
        ? { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: Number(NEW) } } }
        : undefined,
    );
    const now = new Date(clock.now());
    await enqueueOutbox(telegram.db, { target: 'telegram', address: OLD, payload: [{ text: '学区划分以区教育局公布的方案为准。' }] }, now);
    await enqueueOutbox(telegram.db, { target: 'telegram', address: OLD, payload: [{ text: '还有问题可以继续问我。' }] }, now);
    for (let i = 0; i < 4; i += 1) await telegram.channel.sender.drain();
    expect(api.failed.map((f) => [f.chatId, f.status])).toEqual([[OLD, 400]]);
    expect(api.sent.map((s) => [s.chatId, s.text])).toEqual([
      [NEW, '学区划分以区教育局公布的方案为准。'],
      [NEW, '还有问题可以继续问我。'],
    ]);
    expect(await telegram.db.all("SELECT address, state FROM outbox WHERE target = 'telegram' ORDER BY id")).toEqual([
      { address: NEW, state: 'sent' },
      { address: NEW, state: 'sent' },
    ]);
  });
});
