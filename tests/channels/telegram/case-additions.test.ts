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
});
