import { describe, expect, it } from 'vitest';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';
import { telegramStackPerTest } from '../../helpers/telegram-per-test.js';

/**
 * The words around a phone number typed at the phone step, through the real telegraf bot: what only introduced or
 * closed the number ("my number is", "…就行", "(mobile)") is not glued into the petition staff must answer; a note
 * that says when to call or whom to ask for, or a statement of its own, is kept — as the parent typed it.
 */
const telegram = telegramStackPerTest();

const { feed, texts } = telegram;
const COMPLAINT = '我要投诉彩屯小学乱收费，每个学生收500元资料费';

/** The complaint, then `answer` at the phone step, then 确认提交: what the parent saw after the answer, and the case. */
async function fileWith(chatId: number, answer: string, languageCode = 'zh-hans', complaint = COMPLAINT) {
  await feed(telegramTextUpdate({ chatId, text: complaint, languageCode }));
  const before = (await texts(chatId)).length;
  await feed(telegramTextUpdate({ chatId, text: answer, languageCode }));
  const shown = (await texts(chatId)).slice(before);
  await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交', languageCode }));
  const row = await telegram.stack.db.get<{ text: string; contact: string }>('SELECT text, contact FROM cases WHERE chat_id = ?', [String(chatId)]);
  return { shown, row };
}

describe('Telegram: words around the number at the phone step', () => {
  it('a lead-in or closing word is not added to the petition; the summary comes at once', async () => {
    const { shown, row } = await fileWith(9401, '打我手机13912345678就行');
    expect(shown).toEqual([`请确认您的诉求：\n类型：投诉\n内容：${COMPLAINT}\n联系电话：139****5678\n确认无误请点“确认提交”，需要修改请点“修改”。`]);
    expect(row).toEqual({ text: COMPLAINT, contact: '13912345678' });
    expect((await fileWith(9402, '13912345678 (mobile)')).row?.text).toBe(COMPLAINT);
  });

  it('an English parent: "my number is …" and "You can reach me on …, thanks" are the phone only', async () => {
    const complaint = 'I want to complain: Caitun Primary School charges every pupil 500 yuan for materials.';
    for (const [chatId, answer] of [[9403, 'my number is 139 1234 5678'], [9404, 'You can reach me on 13912345678, thanks']] as const) {
      const { shown, row } = await fileWith(chatId, answer, 'en', complaint);
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatch(/^Please check your case:/);
      expect(row).toEqual({ text: complaint, contact: '13912345678' });
    }
  });

  it('when to call and whom to ask for are kept, with the punctuation the parent typed', async () => {
    const { shown, row } = await fileWith(9405, '13912345678，孩子妈妈，周五下午【3点后】方便');
    expect(shown[0]).toBe('电话已记下；“孩子妈妈，周五下午【3点后】方便”已补充到诉求内容里。');
    expect(row?.text).toBe(`${COMPLAINT}\n孩子妈妈，周五下午【3点后】方便`);
  });
});
