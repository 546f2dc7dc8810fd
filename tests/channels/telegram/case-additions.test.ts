import { describe, expect, it } from 'vitest';
import { liveTelegramOnSetClock } from '../../helpers/telegram-live.js';
import { PERSON_ID } from '../../helpers/identity-numbers.js';

/**
 * Through the real telegraf bot on the telegram-test-api emulator: a parent who just types (no Telegram "reply") a
 * 补充 to their complaint, or the 补正 their disclosure request waits for, has it added to the case; the 补正 restarts
 * the answer period (《政府信息公开条例》第三十条). The desk runs on a set clock.
 */
// Starts on Tuesday 2026-11-24 09:30 in Asia/Shanghai and runs at real speed (the sender's pacing waits on it).
const live = liveTelegramOnSetClock(Date.UTC(2026, 10, 24, 1, 30));
const parent = (chatId: number) => live.parent(chatId);

describe('Telegram: details typed after filing', () => {
  it('a typed 补充 reaches the complaint', async () => {
    const p = parent(731);
    const c = await live.stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '731', citizenRef: '731', text: '投诉彩屯小学乱收费，每个学生收500元资料费', actor: 'citizen' });
    await p.next((text) => text.includes(`已登记，编号 ${c.code}`));
    await p.say('补充一下，资料费是9月1日开学时班主任收的');
    await p.next((text) => text.includes(`已补充到您的诉求 ${c.code}`));
    expect((await live.stack.cases.history(c.code)).filter((e) => e.kind === 'followup').map((e) => e.note)).toEqual(['补充一下，资料费是9月1日开学时班主任收的']);
  });

  it('a typed 补正 is taken and the applicant is told the new answer date', async () => {
    const p = parent(732);
    const c = await live.stack.cases.file({
      type: 'disclosure', channel: 'telegram', chatId: '732', citizenRef: '732', text: '申请公开溪湖区2026年义务教育学校招生计划', contact: '13912345678',
      citizenName: '张三', actor: 'citizen', locale: 'zh', applicantType: '自然人', applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID,
      deliveryForm: '电子', deliveryMethod: '电子邮件', deliveryAddress: 'zhang@example.com',
    });
    await live.stack.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await live.stack.cases.requestCorrection(c.code, '请说明需要哪所学校的招生计划', 'slack:USTAFF1');
    await p.next((text) => text.includes(`${c.code} 需要补正`));
    await p.say(`${c.code} 要的是彩屯小学2026年的招生计划`);
    await p.next((text) => text.includes(`已收到您的补正，已补充到政府信息公开申请 ${c.code}`));
    // Counted again from 2026-11-24, the day the 补正 arrived: 20 working days.
    await p.next((text) => text.includes('答复期限重新起算，我们将在 2026年12月22日前答复您'));
    expect((await live.stack.cases.history(c.code)).filter((e) => e.kind === 'correction_received').map((e) => e.note)).toEqual([`${c.code} 要的是彩屯小学2026年的招生计划`]);
  });

  it('a typed 补充 after the only case was closed is not lost: the parent presses 不满意 on the offer and the case reopens with it', async () => {
    const p = parent(733);
    const c = await live.stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '733', citizenRef: '733', text: '投诉彩屯小学乱收费，每个学生收500元资料费', actor: 'citizen' });
    await live.stack.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await live.stack.cases.act(c.code, { kind: 'close', note: '经核实，学校已退费。' }, 'slack:USTAFF1');
    await p.next((text) => text.includes(`${c.code}`) && text.includes('办结'));
    await p.say('补充一下：学校只退了一半，还有100元没退');
    const offer = await p.next((text) => text.startsWith(`您的诉求 ${c.code} 已于 2026年11月24日 办结`));
    const buttons = offer.replyMarkup!.inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['不满意，要求重新办理', '作为新诉求提交', '不用了']);
    expect((await live.stack.cases.history(c.code)).filter((e) => e.kind === 'followup')).toEqual([]);
    await p.client.sendCallback(p.client.makeCallbackQuery(buttons[0]!.callback_data, { message: { message_id: offer.messageId, reply_markup: offer.replyMarkup } as never }));
    await p.next((text) => text.includes(`已为您重新办理诉求 ${c.code}，工作人员会看到您的意见：“补充一下：学校只退了一半，还有100元没退”`));
    expect((await live.stack.cases.get(c.code))?.state).toBe('reopened');
  });
});
