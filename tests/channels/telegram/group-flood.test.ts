import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../helpers/telegram-db.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';

/**
 * In a 家长群 the flood guard judges each member, not the group: one parent sending the bot 22 messages within a
 * minute is slowed down, and the next parents' questions are answered. Real telegraf (`handleUpdate`), real engine
 * and SQLite; the replies are read from the outbox the sender delivers from. The clock is fixed: all within a minute.
 */
let stack: TelegramStack;
beforeAll(async () => {
  stack = await createTelegramStack({ apiRoot: 'http://127.0.0.1:9', clock: fakeClock() });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterAll(async () => {
  await stack?.close();
});

const FLOOD = '您发送得太快了，请稍候一分钟再继续。我们会处理您之后发来的消息。';

describe('flood guard in a group chat', () => {
  it("one parent flooding the bot does not silence it for the group's other parents", async () => {
    const chat = { id: -100_777, type: 'supergroup', title: '一年级家长群' };
    let id = 1;
    const say = (userId: number, text: string) =>
      stack.channel.bot.handleUpdate({
        update_id: id,
        message: { message_id: id++, date: 0, chat, from: { id: userId, is_bot: false, first_name: `p${userId}` }, text },
      } as never);
    for (let i = 0; i < 22; i++) await say(31, `@${TEST_BOT_INFO.username} 测试${i}`);
    const texts = async () => (await queuedTelegramReplies(stack.db, chat.id)).map((r) => r.text);
    expect((await texts()).filter((t) => t === FLOOD)).toHaveLength(1); // the flooding parent is told once
    const before = (await texts()).length;
    await say(32, `@${TEST_BOT_INFO.username} 孩子2020年8月30号出生，今年能上一年级吗？`);
    await say(33, `@${TEST_BOT_INFO.username} 小学什么时候报名？`);
    const after = (await texts()).slice(before);
    expect(after.filter((t) => t === FLOOD)).toHaveLength(0);
    expect(after.some((t) => t.includes('入学'))).toBe(true);
    expect(after.some((t) => t.includes('报名'))).toBe(true);
    // The flooding parent is still held back.
    await say(31, `@${TEST_BOT_INFO.username} 小学什么时候报名？`);
    expect((await texts()).length).toBe(before + after.length);
  });
});
