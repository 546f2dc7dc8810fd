import { afterEach, describe, expect, it } from 'vitest';
import { allText, createEngineStack, parent, type EngineStack } from '../../faults/helpers/engine-stack.js';
import { PERSON_ID } from '../../helpers/identity-numbers.js';
import { labels } from './harness.js';

/**
 * Review 16 findings 1 and 2: what parents write at the phone and confirm steps, through the real engine, the real
 * knowledge base (so an answer that trips an article is seen) and a real SQLite file.
 */
const COMPLAINT = '我要投诉，彩屯小学食堂每月多收伙食费200元，没有任何公示';
const EN_COMPLAINT = 'I want to file a complaint: the school canteen charges every pupil 200 yuan too much each month';
const SUMMARY_ZH = `请确认您的诉求：\n类型：投诉\n内容：${COMPLAINT}\n联系电话：138****5678\n确认无误请点“确认提交”，需要修改请点“修改”。`;

let stack: EngineStack | undefined;
afterEach(async () => {
  await stack?.db.close();
  stack = undefined;
});

const casesOf = (s: EngineStack) => s.db.all<{ code: string; type: string; text: string; contact: string | null; handoff: number }>(
  'SELECT code, type, text, contact, handoff FROM cases ORDER BY id',
);

describe('the phone step takes a phone the way parents write it', () => {
  it('a number inside a sentence is the contact: the summary follows, no handoff, no article, no "invalid number"', async () => {
    stack = await createEngineStack();
    const answers = [
      '我的电话是13812345678', '我的电话是138 1234 5678', '我的手机号是13812345678', '请打电话给我 13812345678',
      '电话13812345678', '联系电话：13812345678', '手机号13812345678', '打我电话13812345678', '手机13812345678',
    ];
    for (const [i, answer] of answers.entries()) {
      const p = parent(stack.engine, `phone-${i}`);
      expect(allText(await p.say(COMPLAINT))).toContain('请留下联系电话');
      expect(allText(await p.say(answer)), answer).toBe(SUMMARY_ZH);
      expect(allText(await p.say('确认提交，谢谢'))).toContain(`已登记，编号 XH-2026-${String(i + 1).padStart(6, '0')}（投诉）`);
    }
    const cases = await casesOf(stack);
    expect(cases).toHaveLength(answers.length);
    for (const row of cases) expect(row).toMatchObject({ type: 'complaint', text: COMPLAINT, contact: '13812345678', handoff: 0 });
  });

  it('what else the phone message says goes with the petition, shown back; a landline and an English sentence work too', async () => {
    stack = await createEngineStack();
    const p = parent(stack.engine, 'notes');
    await p.say(COMPLAINT);
    const noted = allText(await p.say('13812345678，白天打'));
    expect(noted).toBe(`电话已记下；“白天打”已补充到诉求内容里。\n请确认您的诉求：\n类型：投诉\n内容：${COMPLAINT}\n白天打\n联系电话：138****5678\n确认无误请点“确认提交”，需要修改请点“修改”。`);
    expect(allText(await p.say('没错'))).toContain('已登记，编号 XH-2026-000001');

    const named = parent(stack.engine, 'named');
    await named.say(COMPLAINT);
    expect(allText(await named.say('138-1234-5678 张女士'))).toContain(`内容：${COMPLAINT}\n张女士\n联系电话：138****5678`);
    expect(allText(await named.say('对的'))).toContain('已登记，编号 XH-2026-000002');

    const landline = parent(stack.engine, 'landline');
    await landline.say(COMPLAINT);
    expect(allText(await landline.say('座机024-42841234'))).toContain(`内容：${COMPLAINT}\n联系电话：024-****34`);

    const english = parent(stack.engine, 'english');
    expect(allText(await english.say(EN_COMPLAINT))).toContain('Please leave a phone number');
    expect(allText(await english.say('my phone is 13812345678'))).toBe(
      `Please check your case:\nType: complaint\nText: ${EN_COMPLAINT}\nPhone: 138****5678\nPress "Submit" if this is right, or "Edit" to change something.`,
    );
    expect(allText(await english.say('yes, thanks'))).toContain('Filed as XH-2026-000003 (complaint)');

    expect((await casesOf(stack)).map((c) => [c.text, c.contact])).toEqual([
      [`${COMPLAINT}\n白天打`, '13812345678'],
      [`${COMPLAINT}\n张女士`, '13812345678'],
      [EN_COMPLAINT, '13812345678'],
    ]);
  });

  it('at the confirm step "我的电话是…" changes the phone (no handoff), and "好的谢谢" confirms', async () => {
    stack = await createEngineStack();
    const p = parent(stack.engine, 'change');
    await p.say(COMPLAINT);
    expect(allText(await p.say('不留电话'))).toContain('联系电话：未留');
    expect(allText(await p.say('我的电话是13812345678'))).toBe(SUMMARY_ZH);
    expect(allText(await p.say('好的谢谢'))).toContain('已登记，编号 XH-2026-000001（投诉）');
    expect(await casesOf(stack)).toEqual([{ code: 'XH-2026-000001', type: 'complaint', text: COMPLAINT, contact: '13812345678', handoff: 0 }]);
  });

  it('a 政府信息公开申请 takes the phone from "我的手机号是…" (not as a postal address, not as a handoff) and an e-mail with digits as an e-mail', async () => {
    stack = await createEngineStack();
    const toContact = ['我想申请政府信息公开', '1', '张三', '1', PERSON_ID, '2025年彩屯小学收费标准文件'];
    for (const [i, [answer, shown]] of [['我的手机号是13812345678', '138****5678'], ['电话是13812345678', '138****5678'], ['13812345678@qq.com', '1***@qq.com']].entries()) {
      const p = parent(stack.engine, `disclosure-${i}`);
      for (const text of toContact) await p.say(text);
      expect(allText(await p.say(answer!)), answer).toBe('您希望以什么形式获取这些信息？');
      await p.say('1');
      expect(allText(await p.say('2')), answer).toContain(`联系方式：${shown}\n`);
    }
    expect(await casesOf(stack)).toEqual([]);
  });

  it('"不留了" and "不方便留电话" decline the phone, as the prompt offers', async () => {
    stack = await createEngineStack();
    for (const [i, answer] of ['不留了', '不方便留电话', '电话就不留了'].entries()) {
      const p = parent(stack.engine, `decline-${i}`);
      await p.say(COMPLAINT);
      expect(allText(await p.say(answer)), answer).toContain(`内容：${COMPLAINT}\n联系电话：未留\n`);
    }
    const english = parent(stack.engine, 'decline-en');
    await english.say(EN_COMPLAINT);
    expect(allText(await english.say('no thanks'))).toContain('Phone: none');
  });
});

describe('a petition told in several messages', () => {
  it('a further message at the phone step is added to the petition and echoed, not called an invalid phone', async () => {
    stack = await createEngineStack();
    const p = parent(stack.engine, 'two');
    await p.say('我要投诉');
    expect(allText(await p.say('彩屯小学食堂每月多收伙食费200元'))).toContain('请留下联系电话');
    const added = await p.say('每个月都这样，已经半年了');
    expect(allText(added)).toBe(
      '已补充到这条诉求的内容里：“每个月都这样，已经半年了”。如果这是另一件事，请点“另一条诉求”单独登记。\n' +
        '请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。',
    );
    expect(labels(added)).toEqual(['另一条诉求', '不留电话', '取消']);
    // A continuation the classifier reads as a grievance of its own is more of this one too, not "another petition".
    expect(allText(await p.say('而且不给开发票，老师还说不交就别在学校吃饭'))).toContain('已补充到这条诉求的内容里');
    const summary = allText(await p.say('13812345678'));
    expect(summary).toContain('内容：彩屯小学食堂每月多收伙食费200元\n每个月都这样，已经半年了\n而且不给开发票，老师还说不交就别在学校吃饭\n联系电话：138****5678');
    // At the confirm step as well: the summary is shown again with it.
    expect(allText(await p.say('食堂的账目也从来不公开'))).toContain('而且不给开发票，老师还说不交就别在学校吃饭\n食堂的账目也从来不公开\n联系电话：138****5678');
    const filed = await p.say('确认');
    expect(filed[0]!.caseCode).toBe('XH-2026-000001');
    expect(allText(filed)).not.toContain('另一条诉求');
    expect(await casesOf(stack)).toEqual([
      {
        code: 'XH-2026-000001', type: 'complaint', contact: '13812345678', handoff: 0,
        text: '彩屯小学食堂每月多收伙食费200元\n每个月都这样，已经半年了\n而且不给开发票，老师还说不交就别在学校吃饭\n食堂的账目也从来不公开',
      },
    ]);
  });

  it('"另一条诉求" moves the addition out; it is filed on its own after the first', async () => {
    stack = await createEngineStack();
    const p = parent(stack.engine, 'split');
    await p.say(COMPLAINT);
    await p.say('不留电话');
    const added = await p.say('学校门口的校车每天都严重超载');
    expect(allText(added)).toContain(`内容：${COMPLAINT}\n学校门口的校车每天都严重超载\n联系电话：未留`);
    const moved = await p.press(added, 'choose', (b) => b.value === 'more:split');
    expect(allText(moved)).toBe(
      `收到，这是另一条诉求，我先记下，等正在登记的这一条提交或取消后再单独登记，不会和它合在一起。\n请确认您的诉求：\n类型：投诉\n内容：${COMPLAINT}\n联系电话：未留\n确认无误请点“确认提交”，需要修改请点“修改”。`,
    );
    const filed = await p.say('确认');
    expect(allText(filed)).toContain('接下来单独登记您的另一条诉求');
    await p.say('不留电话');
    await p.say('确认');
    expect((await casesOf(stack)).map((c) => c.text)).toEqual([COMPLAINT, '学校门口的校车每天都严重超载']);
  });

  it('a message held as a second petition by its opening words can be put back into this one with "补充到这条诉求"', async () => {
    stack = await createEngineStack();
    const p = parent(stack.engine, 'merge');
    await p.say(COMPLAINT);
    const held = await p.say('我还要反映一下，每个月都这样，已经半年了');
    expect(allText(held)).toContain('收到，这是另一条诉求，我先记下');
    expect(labels(held)).toEqual(['补充到这条诉求', '不留电话', '取消']);
    const merged = await p.press(held, 'choose', (b) => b.value === 'more:merge');
    expect(allText(merged)).toBe(
      '已补充到这条诉求的内容里：“我还要反映一下，每个月都这样，已经半年了”。如果这是另一件事，请点“另一条诉求”单独登记。\n' +
        '请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。',
    );
    await p.say('13812345678');
    const filed = await p.say('确认');
    expect(allText(filed)).not.toContain('接下来单独登记');
    expect((await casesOf(stack)).map((c) => c.text)).toEqual([`${COMPLAINT}\n我还要反映一下，每个月都这样，已经半年了`]);
  });

  it('in English too; a message that opens a new matter is still held apart', async () => {
    stack = await createEngineStack();
    const p = parent(stack.engine, 'en-more');
    await p.say(EN_COMPLAINT);
    const added = await p.say('They have done this for half a year and give no receipts');
    expect(allText(added)).toContain('Added to this case: "They have done this for half a year and give no receipts". If it is a separate matter, press "Separate request"');
    expect(labels(added)).toContain('Separate request');

    const zh = parent(stack.engine, 'zh-new');
    await zh.say(COMPLAINT);
    expect(allText(await zh.say('我还要投诉另一所学校老师体罚学生'))).toContain('收到，这是另一条诉求，我先记下');
  });
});
