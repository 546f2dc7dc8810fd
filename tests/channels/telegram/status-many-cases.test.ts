import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * 查询进度 with more open cases than one list shows: the parent is told how many are not listed and which is the
 * oldest (the ones left out are the oldest), instead of a list that silently stops at 20. Real telegraf
 * (`handleUpdate`), real engine, desk and SQLite; the reply read from the outbox the sender delivers from.
 */
let stack: TelegramStack;
beforeAll(async () => {
  stack = await createTelegramStack({ apiRoot: 'http://127.0.0.1:9' });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterAll(async () => {
  await stack?.close();
});

describe('status list of a chat with many open cases', () => {
  it('lists 20 and says how many more are open and the oldest code', async () => {
    const chat = 8104;
    const codes: string[] = [];
    for (let i = 1; i <= 23; i++)
      codes.push((await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: String(chat), text: `校车第${i}次晚点半小时`, actor: 'citizen' })).code);
    await stack.channel.bot.handleUpdate(telegramTextUpdate({ chatId: chat, text: '查询进度' }));
    const status = (await queuedTelegramReplies(stack.db, chat)).map((r) => r.text).find((t) => t.startsWith('您正在办理的诉求：'));
    expect(status).toBeDefined();
    const lines = status!.split('\n');
    expect(lines.filter((l) => /^XH-\d{4}-\d{6}（/.test(l))).toHaveLength(20);
    expect(lines.at(-1)).toBe(`另有 3 件正在办理的诉求未列出（最早的是 ${codes[0]}）。发送编号可查询单件进度。`);
  });
});
