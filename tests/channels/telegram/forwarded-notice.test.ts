import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';
import { telegramStackPerTest } from '../../helpers/telegram-per-test.js';

/**
 * A school's notice forwarded as evidence while the bot asks for a phone, through the real telegraf bot: the number in
 * it is the school's, never the parent's (staff would call the school the complaint is about); the notice goes into
 * the petition whole, its punctuation as the parent received it, and the phone is asked for again.
 */
const telegram = telegramStackPerTest();

const { feed, texts } = telegram;
const ASK_PHONE = '请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。';
const NOTICE = '【彩屯小学】各位家长：请于本周五前缴纳教辅资料费500元，有疑问请致电13812345678。';

function forwarded(chatId: number, text: string, origin: 'chat' | 'legacy' = 'chat'): Update {
  const update = telegramTextUpdate({ chatId, text }) as unknown as { message: Record<string, unknown> };
  if (origin === 'chat') update.message.forward_origin = { type: 'chat', date: 1_795_000_000, sender_chat: { id: -100555, type: 'channel', title: '彩屯小学家校通知' } };
  update.message.forward_date = 1_795_000_000;
  return update as unknown as Update;
}

describe('Telegram: a forwarded notice while the phone is asked for', () => {
  it('is added to the petition (its number masked, as in all case text); its number is not the contact; the phone is asked again', async () => {
    const chatId = 9301;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
    await feed(forwarded(chatId, NOTICE));
    const [echo, ask] = (await texts(chatId)).slice(-2);
    expect(echo).toBe('您转发的消息已作为材料补充到这条诉求的内容里：“（家长转发的消息）【彩屯小学】各位家长：请于本周五前缴纳教辅资料费500元，有疑问请致电138****5678。”其中的电话号码不会当作您的联系电话。');
    expect(ask).toBe(ASK_PHONE);
    await feed(telegramTextUpdate({ chatId, text: '13912345678' }));
    expect((await texts(chatId)).at(-1)).toContain('联系电话：139****5678');
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    expect(await telegram.stack.db.all('SELECT text, contact FROM cases')).toEqual([
      // Stored as every case text is: the notice's number masked (it is the school's, never the contact).
      { text: `我要投诉彩屯小学乱收费，每个学生收500元资料费\n（家长转发的消息）${NOTICE.replace('13812345678', '138****5678')}`, contact: '13912345678' },
    ]);
  });

  it('a forward marked only by forward_date (older Bot API servers) is read the same; a forwarded number alone is no answer', async () => {
    const chatId = 9302;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
    await feed(forwarded(chatId, '13812345678', 'legacy'));
    expect((await texts(chatId)).slice(-2)).toEqual([
      '您转发的消息已作为材料补充到这条诉求的内容里：“（家长转发的消息）138****5678”。其中的电话号码不会当作您的联系电话。',
      ASK_PHONE,
    ]);
  });

  it('a forwarded notice as the description is the content, and its number is not offered as the parent’s phone', async () => {
    const chatId = 9303;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉' }));
    await feed(forwarded(chatId, NOTICE));
    expect((await texts(chatId)).at(-1)).toBe(ASK_PHONE);
  });
});
