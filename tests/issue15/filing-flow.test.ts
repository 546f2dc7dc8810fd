import { describe, expect, it } from 'vitest';
import { FILING_MAX_CHARS } from '../../src/core/engine/filing-checks.js';
import { chat, FRIDAY_MORNING, labels, makeEngine, tempDbPath, texts } from '../core/engine/harness.js';

/** Issue 15 item 6: the rough edges of the filing flow, through the real engine. */
describe('filing flow', () => {
  it('offers a phone already in the message; another typed number replaces it', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const offer = await c.say('我要投诉彩屯小学乱收费，每人多收200元，我电话139 1234 5678');
    expect(texts(offer)).toBe('您在内容里留了电话 139****5678，工作人员用这个号码联系您可以吗？也可以直接输入另一个号码。');
    const confirm = await c.say('024-42842001');
    expect(texts(confirm)).toContain('联系电话：024-****01');
    expect(texts(await c.say('确认'))).toContain('已登记');
    expect(await db.get('SELECT contact FROM cases')).toEqual({ contact: '024-42842001' });
    await db.close();
  });

  it('keeps 取消 on every re-prompt', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉');
    expect(labels(await c.say('好'))).toContain('取消'); // too short
    await c.say('彩屯小学每个学生多收200元资料费');
    const bad = await c.say('12345');
    expect(texts(bad)).toContain('“123**”不是有效的电话号码');
    expect(labels(bad)).toEqual(['不留电话', '取消']);
    const confirm = await c.say('不留电话');
    const hint = await c.say('嗯');
    expect(texts(hint)).toContain('请点“确认提交”提交诉求，或点“取消”放弃。');
    expect(labels(hint)).toEqual(['确认提交', '修改', '取消']);
    expect(labels(confirm)).toEqual(['确认提交', '修改', '取消']);
    expect(texts(await c.press(hint, '取消'))).toBe('已取消，没有提交任何内容。');
    await db.close();
  });

  it('refuses content with no Chinese characters or words, and says why', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉');
    for (const junk of ['asdfghjkl', '1234567890', '😡😡😡😡😡😡']) {
      const refused = await c.say(junk);
      expect(texts(refused)).toBe('您发送的内容里没有汉字或完整的词句，工作人员无法据此了解您的诉求。请用文字写明事情经过、涉及的学校或单位和您的诉求。');
      expect(labels(refused)).toEqual(['取消']);
    }
    // A parent writing English is answered in English; real words are content.
    expect(texts(await c.say('The school charges every pupil 200 yuan for books'))).toContain('Please leave a phone number');
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 0 });
    await db.close();
  });

  it(`caps the text at ${FILING_MAX_CHARS} characters with a clear message, also when the complaint itself is too long`, async () => {
    // The shortened text comes a minute later: a message right after the refusal is the rest of a split text.
    let at = FRIDAY_MORNING.getTime();
    const { engine, db } = await makeEngine(tempDbPath(), () => new Date(at));
    const c = chat(engine);
    const long = `我要投诉彩屯小学乱收费，${'学校每学期都以各种名目收取费用'.repeat(340)}`;
    const refused = await c.say(long);
    expect(texts(refused)).toContain(`内容共 ${[...long].length} 字，超过了 2000 字的上限`);
    expect(texts(refused)).toContain('请描述您的投诉内容');
    expect(labels(refused)).toEqual(['取消']);
    at += 60_000;
    const exact = `彩屯小学${'乱'.repeat(FILING_MAX_CHARS - 4)}`;
    expect(texts(await c.say(exact))).toContain('请留下联系电话');
    await db.close();
  });

  it('offers 修改 at the confirm step and changes one field without losing the others', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    const confirm = await c.say('13912345678');
    const edit = await c.press(confirm, '修改');
    expect(texts(edit)).toBe('请选择要修改的内容：');
    expect(labels(edit)).toEqual(['诉求类型', '内容', '联系电话', '取消']);
    const content = await c.press(edit, '内容');
    expect(texts(content)).toContain('请描述您的投诉内容');
    const again = await c.say('彩屯小学每人多收300元资料费，至今未退');
    expect(texts(again)).toBe(
      '请确认您的诉求：\n类型：投诉\n内容：彩屯小学每人多收300元资料费，至今未退\n联系电话：139****5678\n确认无误请点“确认提交”，需要修改请点“修改”。',
    );
    // Typed 修改 works too.
    expect(texts(await c.say('修改'))).toBe('请选择要修改的内容：');
    const type = await c.say('1');
    expect(texts(type)).toBe('请选择诉求类型：');
    expect(texts(await c.press(type, '建议'))).toContain('类型：建议\n内容：彩屯小学每人多收300元资料费，至今未退\n联系电话：139****5678');
    expect(texts(await c.say('确认'))).toContain('已登记，编号 XH-2026-000001（建议）');
    await db.close();
  });

  it('answers a question asked mid-flow, then returns to the step it was on', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    const confirm = await c.say('不留电话');
    expect(texts(confirm)).toContain('请确认您的诉求');
    const answered = await c.say('孩子8月30号生的能上一年级吗');
    expect(answered[0]!.heading).toContain('小学一年级入学年龄要求');
    expect(texts(answered.slice(1))).toContain('（您的诉求还没有提交，我们继续。）\n请确认您的诉求：\n类型：投诉');
    expect(labels(answered.slice(-1))).toEqual(['确认提交', '修改', '取消']);
    expect(texts(await c.say('确认'))).toContain('已登记，编号 XH-2026-000001（投诉）');
    await db.close();
  });
});
