import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';
import { telegramStackPerTest } from '../../helpers/telegram-per-test.js';

/**
 * A 家长群 (supergroup) where one member asks for English, through the real telegraf bot: that member's reply is in
 * English, but the group is not switched — another parent on a Chinese Telegram is still answered in Chinese.
 */
const telegram = telegramStackPerTest();

const GROUP = -1001234;
const say = (userId: number, text: string, languageCode = 'zh-hans'): Update => telegramTextUpdate({ chatId: GROUP, chatType: 'supergroup', userId, text, languageCode });
const replies = () => telegram.texts(GROUP);

describe('Telegram group: one member asking for another language', () => {
  it('is answered in it once; the other parents keep their own language', async () => {
    await telegram.stack.channel.bot.handleUpdate(say(41, '/lang@TestNameBot en'));
    expect((await replies()).at(-1)).toBe(
      "OK, this reply is in English. In the group every parent is answered in their own Telegram language, so the group's language is not changed; to keep a language, message me privately and send /lang.",
    );
    await telegram.stack.channel.bot.handleUpdate(say(43, '@TestNameBot 小学什么时候报名'));
    const answer = (await replies()).slice(1).join('\n');
    expect(answer).toMatch(/报名/);
    expect(answer).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{4,}/);
  });
});
