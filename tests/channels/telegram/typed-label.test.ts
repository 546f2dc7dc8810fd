import { describe, expect, it } from 'vitest';
import { liveTelegramOnSetClock } from '../../helpers/telegram-live.js';

/**
 * Through the real telegraf bot on the telegram-test-api emulator: a parent who types the label of a button the bot
 * just offered gets what pressing it gives — "就用这个号码" takes the offered number, "【确认撤回】" withdraws — and a
 * message that merely contains a label is read as what it says.
 */
// Tuesday 2026-11-24 09:30 in Asia/Shanghai, running at real speed (the sender's pacing waits on it).
const live = liveTelegramOnSetClock(Date.UTC(2026, 10, 24, 1, 30));

/** A parent typing, waiting for the bot's first message after what they type that `matches`. */
function typing(chatId: number) {
  const p = live.parent(chatId);
  return {
    all: p.all,
    async say(text: string, matches: (text: string) => boolean): Promise<string> {
      const seen = p.all().length;
      await p.say(text);
      await live.emulator.waitForBotMessage(chatId, () => p.all().slice(seen).some(matches));
      return p.all().slice(seen).find(matches)!;
    },
  };
}

describe('Telegram: a button label typed', () => {
  it('"就用这个号码" typed takes the offered number; a question containing it does not', async () => {
    const p = typing(741);
    await p.say('我要投诉彩屯小学乱收费，每人500元，电话 139 1234 5678', (text) => text.includes('您在内容里留了电话 139****5678'));
    const asked = await p.say('就用这个号码吗？我换号了', (text) => text.includes('电话'));
    expect(asked).not.toContain('联系电话：139****5678');
    const confirm = await p.say('就用这个号码！', (text) => text.includes('联系电话：'));
    expect(confirm).toContain('联系电话：139****5678');
    expect(confirm).not.toContain('就用这个号码');
    const filed = await p.say('确认提交', (text) => /XH-\d{4}-\d{6}/.test(text));
    const code = /XH-\d{4}-\d{6}/.exec(filed)![0];
    expect((await live.stack.cases.get(code))?.contact).toBe('13912345678');
  });

  it('"English" typed at the language choice, then "use this number." typed in English', async () => {
    const p = typing(742);
    await p.say('/lang', (text) => text.includes('请选择语言'));
    expect(await p.say('English', (text) => /speak|English|语言/u.test(text))).toBe('OK, I will speak English from now on.');
    await p.say('I want to file a complaint: the school charges 500 yuan for books, call 139 1234 5678', (text) => text.includes('139****5678'));
    const confirm = await p.say('use this number.', (text) => text.includes('Phone:'));
    expect(confirm).toContain('Phone: 139****5678');
    expect(confirm).not.toMatch(/use this number/iu);
  });
});
