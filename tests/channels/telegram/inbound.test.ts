import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incoming, Reply } from '../../../src/core/types.js';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramMediaUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * The inbound pipeline through the real telegraf bot (`bot.handleUpdate`,
 * as polling and the webhook call it) with the real engine and case desk.
 * Replies are asserted as the outbox rows the sender will deliver.
 */
let emulator: Emulator;
let stack: TelegramStack;
let seen: Incoming[];

beforeAll(async () => {
  emulator = await startEmulator(); // answers answerCallbackQuery
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  seen = [];
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, record: seen });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterEach(async () => {
  await stack.close();
});

const feed = (update: ReturnType<typeof telegramTextUpdate>) => stack.channel.bot.handleUpdate(update);
const queued = (chatId: number): Promise<Reply[]> => queuedTelegramReplies(stack.db, chatId);

describe('telegram inbound', () => {
  it('files one case when the same confirm update is delivered twice', async () => {
    const chatId = 801;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
    await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
    const confirm = telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' });
    await feed(confirm);
    await feed(confirm);
    const count = await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases');
    expect(count?.n).toBe(1);
    expect(seen).toHaveLength(3);
    expect(seen[2]?.action).toEqual({ kind: 'confirm' });
    expect(seen[2]?.text).toBe('确认提交');
    const filed = await stack.db.get<{ code: string }>('SELECT code FROM cases');
    expect((await queued(chatId)).some((r) => r.text.startsWith(`已登记，编号 ${filed?.code}（投诉）`))).toBe(true);
  });

  it('answers a stale or forged button politely and changes nothing', async () => {
    const chatId = 802;
    emulator.calls.length = 0;
    await feed(telegramCallbackUpdate({ chatId, data: 'r|XH-2026-000001|5.AAAAAAAA' }));
    await feed(telegramCallbackUpdate({ chatId, data: 'k|gone-token.AAAAAAAA' }));
    expect(seen).toHaveLength(0);
    const answers = emulator.calls.filter((c) => c.method === 'answerCallbackQuery');
    expect(answers.map((a) => a.body.text)).toEqual(['这个按钮已失效，请重新发送您的问题。', '这个按钮已失效，请重新发送您的问题。']);
    expect(await queued(chatId)).toEqual([]);
  });

  it('always answers the callback query, also for a valid button', async () => {
    emulator.calls.length = 0;
    await feed(telegramCallbackUpdate({ chatId: 803, data: await stack.channel.codec.encode({ kind: 'menu', item: 'help' }) }));
    expect(emulator.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
    expect(seen[0]?.action).toEqual({ kind: 'menu', item: 'help' });
  });

  it('sends one flood notice after 20 messages a minute, ignores the rest, and leaves other chats alone', async () => {
    for (let i = 0; i < 25; i += 1) await feed(telegramTextUpdate({ chatId: 804, text: `你好${i}` }));
    await feed(telegramTextUpdate({ chatId: 805, text: '你好' }));
    expect(seen.filter((s) => s.chatId === '804')).toHaveLength(20);
    expect(seen.filter((s) => s.chatId === '805')).toHaveLength(1);
    const notices = (await queued(804)).filter((r) => r.text.includes('您发送得太快了'));
    expect(notices).toHaveLength(1);
  });

  it('answers photos, voice, stickers, locations and documents with a text-only notice (English for en users)', async () => {
    for (const kind of ['photo', 'voice', 'sticker', 'location', 'document'] as const) await feed(telegramMediaUpdate(kind, { chatId: 806 }));
    await feed(telegramMediaUpdate('photo', { chatId: 807, languageCode: 'en-US' }));
    // They reach the engine as attachments without words (it notes evidence on a filing in progress).
    expect(seen.map((s) => s.text)).toEqual(['', '', '', '', '', '']);
    const zh = await queued(806);
    expect(zh).toHaveLength(5);
    expect(zh.every((r) => r.text.startsWith('目前只能处理文字消息'))).toBe(true);
    expect((await queued(807))[0]?.text).toMatch(/^I can only read text messages/);
  });

  it('in groups answers only when mentioned, commanded or replied to', async () => {
    const group = { chatId: -100123, chatType: 'group' as const, userId: 42 };
    await feed(telegramTextUpdate({ ...group, text: '大家好，明天开家长会' }));
    await feed(telegramTextUpdate({ ...group, text: '/help@OtherBot' }));
    await feed(telegramMediaUpdate('sticker', group));
    expect(seen).toHaveLength(0);
    await feed(telegramTextUpdate({ ...group, text: '@TestNameBot 小学什么时候报名？' }));
    await feed(telegramTextUpdate({ ...group, text: '/help@TestNameBot' }));
    expect(seen.map((s) => [s.text, s.command])).toEqual([
      ['小学什么时候报名？', undefined],
      ['', 'help'],
    ]);
  });

  it('handles text over 4096 characters and control characters without error', async () => {
    const text = `\u0000\u0007请问${'学区划分'.repeat(1500)}\u202E？`;
    await feed(telegramTextUpdate({ chatId: 808, text }));
    expect(seen).toHaveLength(1);
    expect(Array.from(seen[0]?.text ?? '').length).toBeLessThanOrEqual(4096);
    expect(seen[0]?.text).not.toMatch(/[\u0000-\u0008\u202E]/);
    expect((await queued(808)).length).toBeGreaterThan(0);
  });

  it('passes /lang, the platform language and slash commands to the engine', async () => {
    await feed(telegramTextUpdate({ chatId: 809, text: '/lang en', languageCode: 'zh-hans' }));
    await feed(telegramTextUpdate({ chatId: 810, text: '/start', languageCode: 'en' }));
    expect(seen.map((s) => [s.command, s.text, s.platformLocale])).toEqual([
      ['lang', 'en', 'zh'],
      ['start', '', 'en'],
    ]);
    // after /lang en the adapter's own texts follow the chat's choice
    await feed(telegramMediaUpdate('photo', { chatId: 809, languageCode: 'zh-hans' }));
    expect((await queued(809)).at(-1)?.text).toMatch(/^I can only read text messages/);
  });
});
