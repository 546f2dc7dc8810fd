import { describe, expect, it } from 'vitest';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';
import { telegramStackPerTest } from '../../helpers/telegram-per-test.js';

/**
 * Words typed after a command on the same line, through the real telegraf bot: "/case 我要投诉…" keeps the complaint,
 * "/case XH-…" looks the case up, "/help 问题" and "/start 问题" answer the question after the help.
 */
const telegram = telegramStackPerTest();

const { feed, texts } = telegram;

describe('Telegram: words after a command', () => {
  it('/case with a complaint keeps it as the description; the filed case carries it', async () => {
    const chatId = 9501;
    await feed(telegramTextUpdate({ chatId, text: '/case 我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
    expect(await texts(chatId)).toEqual(['请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。']);
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    expect(await telegram.stack.db.all('SELECT type, text FROM cases')).toEqual([{ type: 'complaint', text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }]);
    // A case code after /case is looked up.
    await feed(telegramTextUpdate({ chatId, text: '/case XH-2026-000001' }));
    expect((await texts(chatId)).at(-1)).toMatch(/XH-2026-000001/);
    expect((await texts(chatId)).at(-1)).not.toMatch(/请选择诉求类型/);
  });

  it('/case with the text of a case still open: that case, not a second one', async () => {
    const chatId = 9503;
    const complaint = '我要投诉彩屯小学乱收费，每个学生收500元资料费';
    await feed(telegramTextUpdate({ chatId, text: `/case ${complaint}` }));
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    await feed(telegramTextUpdate({ chatId, text: `/case ${complaint}` }));
    expect((await texts(chatId)).at(-1)).toContain('没有重复登记');
    expect(await telegram.stack.db.all('SELECT text FROM cases')).toEqual([{ text: complaint }]);
  });

  it('/help and /start with a question: the help, then the answer', async () => {
    await feed(telegramTextUpdate({ chatId: 9502, text: '/help 小学什么时候报名' }));
    const help = await texts(9502);
    expect(help[0]).toMatch(/^我可以帮您/);
    expect(help.slice(1).join('\n')).toMatch(/报名/);
    await feed(telegramTextUpdate({ chatId: 9503, text: '/start 小学什么时候报名' }));
    expect((await texts(9503)).slice(1).join('\n')).toMatch(/报名/);
    // A link payload (ASCII, no words) is no question: the help alone.
    await feed(telegramTextUpdate({ chatId: 9504, text: '/start grp_-100123' }));
    expect(await texts(9504)).toHaveLength(1);
  });
});
