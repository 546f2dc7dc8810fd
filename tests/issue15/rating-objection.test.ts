import { describe, expect, it } from 'vitest';
import { FRIDAY_MORNING, chat, labels, makeEngine, tempDbPath, texts } from '../core/engine/harness.js';
import { consoleSession } from './console-harness.js';

/** Issue 15 items 2 and 3: one star scale everywhere, typed N = N stars, and the parent's objection. */
const FILE = ['我要投诉彩屯小学乱收费，每人多收200元资料费', '不留电话', '确认', '/case claim XH-2026-000001'];

describe('rating in the console', () => {
  it('lists 1 star first, so typing 5 gives five stars, and the staff line shows the stars', async () => {
    const s = await consoleSession(FRIDAY_MORNING);
    const out = await s.run([...FILE, '/case reply XH-2026-000001 已责成学校退还资料费', '/case close XH-2026-000001', '5']);
    expect(out).toContain('  [1] ★ 非常不满意\n  [2] ★★ 不满意\n  [3] ★★★ 一般\n  [4] ★★★★ 满意\n  [5] ★★★★★ 非常满意\n  [6] 不满意，要求重新办理');
    expect(out).toContain('您：5\n助手：已记录您对诉求 XH-2026-000001 的评价：★★★★★ 非常满意。\n感谢您的评价！');
    expect(out).toContain('[工作人员频道] XH-2026-000001 家长评价：★★★★★ 非常满意');
    expect(await s.db.get('SELECT value, label FROM ratings')).toEqual({ value: 5, label: '非常满意' });
    await s.close();
  });

  it('after ★★ offers the objection; the reason reopens the case, staff are told, the deadline restarts from the objection', async () => {
    const s = await consoleSession(FRIDAY_MORNING);
    const out = await s.run([...FILE, '/case reply XH-2026-000001 已责成学校退还资料费', '/case close XH-2026-000001', '2', '1', '学校只退了一半，还有100元没退']);
    expect(out).toContain('[工作人员频道] XH-2026-000001 家长评价：★★☆☆☆ 不满意');
    expect(out).toContain('助手：已记录您对诉求 XH-2026-000001 的评价：★★☆☆☆ 不满意。\n感谢您的评价。很抱歉没有让您满意');
    expect(out).toContain('您：1\n助手：请说明您对诉求 XH-2026-000001 的办理结果哪里不满意');
    expect(out).toContain('助手：已为您重新办理诉求 XH-2026-000001，工作人员会看到您的意见：“学校只退了一半，还有100元没退”。新的答复期限：2026年12月11日。');
    expect(out).toMatch(/\[工作人员频道\] XH-2026-000001：已办结 → 已重新办理（市民）：家长要求重新办理：学校只退了一半，还有100元没退/);
    expect(await s.cases.get('XH-2026-000001')).toMatchObject({ state: 'reopened', deadlineOn: '2026-12-11', closedAt: null, repliedAt: null });
    await s.close();
  });
});

describe('typed stars where the stars came with the closing message (Telegram)', () => {
  it('a bare digit rates the case closed within REOPEN_DAYS; "五颗星" rates too, but a case is rated once per closing', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const c = chat(engine);
    const filed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    await cases.act(filed.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
    expect(texts(await c.say('4'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await db.get('SELECT value, label FROM ratings')).toEqual({ value: 4, label: '满意' });
    // The rating stands: a second one for the same closing is refused and changes nothing.
    expect(texts(await c.say('五颗星'))).toBe('这件诉求已经评价过或还不能评价。');
    expect(await db.get('SELECT value FROM ratings')).toEqual({ value: 4 });
    const second = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '校车晚点', actor: 'citizen' });
    await cases.act(second.code, { kind: 'claim' }, 'console');
    await cases.act(second.code, { kind: 'close', note: '已要求校车公司整改。' }, 'console');
    expect(texts(await c.say('五颗星'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await db.get('SELECT value FROM ratings WHERE case_id = ?', [second.id])).toEqual({ value: 5 });
    clock.now = new Date('2026-12-20T02:00:00Z'); // past REOPEN_DAYS: a digit is no longer taken as stars
    expect(texts(await c.say('3'))).not.toMatch(/感谢您的评价/u);
    expect(await db.get('SELECT value FROM ratings WHERE case_id = ?', [second.id])).toEqual({ value: 5 });
    await db.close();
  });
});

describe('objecting in words (Telegram / console engine)', () => {
  it('"我对答复不满意，要求重新办理" asks for the reason, then reopens; "取消" keeps it closed', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const c = chat(engine);
    const filed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    await cases.act(filed.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
    const ask = await c.say('我对答复不满意，要求重新办理');
    expect(texts(ask)).toBe(`请说明您对诉求 ${filed.code} 的办理结果哪里不满意、希望怎样重新办理（发送“取消”可放弃）：`);
    expect(labels(ask)).toEqual(['取消']);
    expect(texts(await c.say('取消'))).toBe(`好的，诉求 ${filed.code} 保持已办结。`);
    expect((await cases.get(filed.code))?.state).toBe('closed');
    // With the reason in the same message, it reopens at once.
    const done = await c.say('不满意，学校根本没有退费');
    expect(texts(done)).toContain(`已为您重新办理诉求 ${filed.code}，工作人员会看到您的意见：“不满意，学校根本没有退费”`);
    const history = await cases.history(filed.code);
    expect(history.at(-1)).toMatchObject({ actor: 'citizen', toState: 'reopened', note: '家长要求重新办理：不满意，学校根本没有退费' });
    await db.close();
  });

  it('is refused after REOPEN_DAYS, unless the parent rated ★★ or less within them', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const c = chat(engine);
    const a = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    await cases.act(a.code, { kind: 'claim' }, 'console');
    await cases.act(a.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
    clock.now = new Date('2026-12-13T02:00:00Z'); // 16 days after closing
    expect(texts(await c.say('要求重新办理，学校没有退费'))).toBe(
      `诉求 ${a.code} 已办结超过 15 日，不能再要求重新办理。如仍有问题，可以发送“我要投诉”重新登记，或致电 024-42842001。`,
    );
    clock.now = new Date('2026-12-10T02:00:00Z'); // day 13: rated ★★
    await c.action({ kind: 'rate', caseCode: a.code, value: 2 });
    clock.now = new Date('2026-12-20T02:00:00Z'); // 23 days after closing, 10 after the rating
    expect(texts(await c.say('要求重新办理，学校没有退费'))).toContain(`已为您重新办理诉求 ${a.code}`);
    await db.close();
  });
});

describe('stars off the scale, in the parent\'s language', () => {
  it('an English parent typing "6" or "0 stars" is asked for 1–5 in English, nothing is stored; "5 stars" rates; 五 after the offer rates too', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const en = chat(engine, 'e1');
    await en.say('/lang en', { command: 'lang' });
    const a = await cases.file({ type: 'complaint', channel: 'console', chatId: 'e1', text: 'The school bus is late every day', actor: 'citizen', locale: 'en' });
    await cases.act(a.code, { kind: 'claim' }, 'console');
    await cases.act(a.code, { kind: 'close', note: 'The bus company was told to leave on time.' }, 'console');
    const offScale = `Please rate with a number from 1 to 5: 1 star is the lowest, 5 stars the highest (e.g. "5" or "5 stars"). Case ${a.code} has not been rated.`;
    expect(texts(await en.say('6'))).toBe(offScale);
    expect(texts(await en.say('0 stars'))).toBe(offScale);
    expect(await db.get('SELECT COUNT(*) AS n FROM ratings')).toEqual({ n: 0 });
    expect(texts(await en.say('5 stars'))).toMatch(/^Your rating of case XH-\d{4}-\d{6} was recorded: [★☆]+ [\w ]+\.\nThank you for your rating!$/u);
    expect(await db.get('SELECT value FROM ratings')).toEqual({ value: 5 });

    const zh = chat(engine, 'z1');
    const b = await cases.file({ type: 'complaint', channel: 'console', chatId: 'z1', text: '食堂饭菜不卫生', actor: 'citizen' });
    await cases.act(b.code, { kind: 'claim' }, 'console');
    await cases.act(b.code, { kind: 'close', note: '已责成学校整改。' }, 'console');
    expect(texts(await zh.say('十分'))).toBe(`评分请发送 1 到 5 之间的数字：1 星最低，5 星最高（例如“5”或“5星”）。诉求 ${b.code} 尚未评价。`);
    // A button with stars off the scale (forged or from an older scale) gets the same answer, nothing stored.
    expect(texts(await zh.action({ kind: 'rate', caseCode: b.code, value: 9 }))).toBe(`评分请发送 1 到 5 之间的数字：1 星最低，5 星最高（例如“5”或“5星”）。诉求 ${b.code} 尚未评价。`);
    expect(texts(await zh.say('四'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await db.get('SELECT value FROM ratings WHERE case_id = ?', [b.id])).toEqual({ value: 4 });
    await db.close();
  });
});
