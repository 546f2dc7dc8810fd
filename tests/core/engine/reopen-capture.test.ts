import { describe, expect, it } from 'vitest';
import type { createCaseDesk } from '../../../src/core/cases/index.js';
import { FRIDAY_MORNING, chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

type Desk = ReturnType<typeof createCaseDesk>;

async function closedCase(cases: Desk, text: string, note: string, chatId = 'c1') {
  const filed = await cases.file({ type: 'complaint', channel: 'console', chatId, text, actor: 'citizen' });
  await cases.act(filed.code, { kind: 'claim' }, 'console');
  await cases.act(filed.code, { kind: 'close', note }, 'console');
  return filed;
}

const followUps = async (cases: Desk, code: string) =>
  (await cases.history(code)).filter((e) => e.kind === 'followup').map((e) => e.note);

describe('while a reopened case waits for staff', () => {
  it('typed stars rate the closed case they are for, not the reopened one', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    expect(texts(await c.say('不满意，学校只退了一半'))).toContain(`已为您重新办理诉求 ${a.code}`);
    const b = await closedCase(cases, '食堂饭菜不卫生', '已责成学校整改。');
    expect(texts(await c.say('4'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await db.get('SELECT value FROM ratings WHERE case_id = ?', [b.id])).toEqual({ value: 4 });
    // Stars offered with /rate, then a number: the offered case again (here: already rated, so refused, not captured).
    expect(texts(await c.say('/rate', { command: 'rate' }))).toContain(b.code);
    expect(texts(await c.say('五颗星'))).toBe('这件诉求已经评价过或还不能评价。');
    expect(await followUps(cases, a.code)).toEqual([]);
    // Real details still go to the reopened case.
    expect(texts(await c.say('补充：还有100元资料费没有退'))).toContain(`已补充到重新办理的诉求 ${a.code}`);
    expect(await followUps(cases, a.code)).toEqual(['补充：还有100元资料费没有退']);
    await db.close();
  });

  it('an objection to another closed case is not added to the reopened one: named, it reopens that case; unnamed, the parent is asked which', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    await c.say('不满意，学校只退了一半');
    const b = await closedCase(cases, '食堂饭菜不卫生', '已责成学校整改。');
    const ask = await c.say('对食堂的处理不满意，要求重新办理');
    expect(texts(ask)).toBe(
      `您是对哪一件诉求不满意？如对已办结的诉求 ${b.code} 的办理结果不满意，请点下面的按钮，这条消息就作为您的意见；如是补充重新办理的诉求 ${a.code}，请在消息里写上编号 ${a.code} 再发送一次。这条消息还没有补充到任何诉求。`,
    );
    expect(labels(ask)).toEqual(['不满意，要求重新办理']);
    expect(await followUps(cases, a.code)).toEqual([]);
    // The button right after the question: the message that asked it is the reason, nothing to type again.
    expect(texts(await c.press(ask, '不满意，要求重新办理'))).toContain(`已为您重新办理诉求 ${b.code}，工作人员会看到您的意见：“对食堂的处理不满意，要求重新办理”`);
    expect((await cases.get(b.code))?.state).toBe('reopened');
    expect((await cases.history(b.code)).at(-1)).toMatchObject({ toState: 'reopened', note: '家长要求重新办理：对食堂的处理不满意，要求重新办理' });
    expect(await followUps(cases, a.code)).toEqual([]);

    // A reply to the reopened case's message is its details, even with 没解决 and another case open to objection.
    const c2 = await closedCase(cases, '操场施工噪音', '已要求施工方调整时间。');
    expect(texts(await c.say('食堂还是没解决，饭菜仍然是凉的', { replyToCaseCode: b.code }))).toContain(`已补充到重新办理的诉求 ${b.code}`);
    expect(await followUps(cases, b.code)).toEqual(['食堂还是没解决，饭菜仍然是凉的']);
    expect((await cases.get(c2.code))?.state).toBe('closed');

    // Naming the case: an objection to it at once.
    const d = await closedCase(cases, '校车晚点', '已要求校车公司整改。');
    expect(texts(await c.say(`诉求 ${d.code} 没解决，校车今天还是晚点了`))).toContain(`已为您重新办理诉求 ${d.code}`);
    // Naming the reopened case: its details.
    expect(texts(await c.say(`诉求 ${d.code} 还是没解决，司机换了人也一样`))).toContain(`已补充到重新办理的诉求 ${d.code}`);
    expect(await followUps(cases, d.code)).toEqual([`诉求 ${d.code} 还是没解决，司机换了人也一样`]);
    // Asked again, but answered with words first: the held message is dropped, a later press asks for the reason.
    const again = await c.say('不满意，要求重新办理，价格没有公示');
    expect(texts(again)).toContain(`如对已办结的诉求 ${c2.code} 的办理结果不满意`);
    await c.say('你好');
    expect(texts(await c.press(again, '不满意，要求重新办理'))).toContain(`请说明您对诉求 ${c2.code} 的办理结果哪里不满意`);
    await db.close();
  });

  it('asks which case in English too', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine, 'e1');
    await c.say('/lang en', { command: 'lang' });
    const a = await closedCase(cases, 'The school bus is late', 'The bus company was told.', 'e1');
    await c.say('Not satisfied, the bus is still late');
    const b = await closedCase(cases, 'The canteen food is cold', 'The school was told.', 'e1');
    expect(texts(await c.say('not satisfied with the canteen answer'))).toBe(
      `Which case are you not satisfied with? If it is the result of closed case ${b.code}, press the button below and this message is your reason; if you are adding to your reopened case ${a.code}, send the message again with the number ${a.code} in it. This message has not been added to any case.`,
    );
    await db.close();
  });

  it('stars off the scale on a rated case say it is already rated, and the next number is not taken as stars', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const c = chat(engine);
    const b = await closedCase(cases, '食堂饭菜不卫生', '已责成学校整改。');
    expect(texts(await c.say('5'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(texts(await c.say('0'))).toBe('这件诉求已经评价过或还不能评价。');
    expect(texts(await c.action({ kind: 'rate', caseCode: b.code, value: 9 }))).toBe('这件诉求已经评价过或还不能评价。');
    clock.now = new Date('2026-12-20T02:00:00Z'); // past REOPEN_DAYS: only offered stars make a bare number a rating
    expect(texts(await c.say('0星'))).toBe('这件诉求已经评价过或还不能评价。');
    // Not "already rated" again: "3" is no rating here (it would be, had the off-scale answer offered the stars again).
    expect(texts(await c.say('3'))).not.toBe('这件诉求已经评价过或还不能评价。');
    expect(await db.all('SELECT value FROM ratings')).toEqual([{ value: 5 }]);
    await db.close();
  });

  it('a question the knowledge base answers outright is answered and noted on the reopened case; an unsure one is added as before', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    await c.say('不满意，学校只退了一半');
    const answered = await c.say('孩子几岁能上一年级？');
    expect(answered[0]).toMatchObject({ heading: expect.stringContaining('小学一年级入学年龄要求'), text: '2020年8月31日（含）以前出生的可以报名。' });
    expect(texts(answered)).toContain(`这条消息也已补充到重新办理的诉求 ${a.code}。`);
    const unsure = await c.say('入学要带户口本吗');
    expect(texts(unsure)).toBe(`已收到，已补充到重新办理的诉求 ${a.code}，工作人员会一并处理。（发送“取消”后，之后的消息不再补充到这个诉求。）`);
    expect(await followUps(cases, a.code)).toEqual(['孩子几岁能上一年级？', '入学要带户口本吗']);
    await db.close();
  });
});

describe('after staff reopened a case (Slack 复查/复核 撤销, console /case reopen)', () => {
  it("the parent's details go to it, 取消 stops that, and the case reopened again is taken up again", async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    await cases.act(a.code, { kind: 'reopen', note: '复查撤销（本溪市教育局）' }, 'slack:USTAFF1');
    // Claimed again before the parent writes: still waiting for staff, the details still go to it.
    await cases.act(a.code, { kind: 'claim' }, 'slack:USTAFF1');
    expect(texts(await c.say('补充：还有100元资料费没有退'))).toBe(
      `已收到，已补充到重新办理的诉求 ${a.code}，工作人员会一并处理。（发送“取消”后，之后的消息不再补充到这个诉求。）`,
    );
    expect(await followUps(cases, a.code)).toEqual(['补充：还有100元资料费没有退']);
    expect(texts(await c.say('取消'))).toBe(`好的，之后的消息不再补充到诉求 ${a.code}。诉求 ${a.code} 仍在重新办理中。`);
    // After 取消 the same reopening is not taken up again: a detail-like message is the bot's again.
    expect(texts(await c.say('入学要带户口本吗'))).not.toContain(a.code);
    expect(await followUps(cases, a.code)).toEqual(['补充：还有100元资料费没有退']);
    // Answered and closed, then reopened by staff once more: a new reopening, taken up again.
    await cases.act(a.code, { kind: 'close', note: '已全部退费。' }, 'slack:USTAFF1');
    await cases.act(a.code, { kind: 'reopen' }, 'console');
    expect(texts(await c.say('还有食堂费没有退'))).toContain(`已补充到重新办理的诉求 ${a.code}`);
    expect(await followUps(cases, a.code)).toEqual(['补充：还有100元资料费没有退', '还有食堂费没有退']);
    await db.close();
  });

  it('取消 as the first reply to the reopen message ends it: what follows is not added', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    await cases.act(a.code, { kind: 'reopen' }, 'slack:USTAFF1');
    expect(texts(await c.say('取消'))).toBe(`好的，之后的消息不再补充到诉求 ${a.code}。诉求 ${a.code} 仍在重新办理中。`);
    expect(texts(await c.say('还有100元资料费没有退'))).not.toContain(a.code);
    expect(await followUps(cases, a.code)).toEqual([]);
    // A message that says it adds to the case still does (addendum.ts): the parent asked for it in words.
    expect(texts(await c.say('补充：还有100元资料费没有退'))).toContain(`已补充到您的诉求 ${a.code}`);
    expect(await followUps(cases, a.code)).toEqual(['补充：还有100元资料费没有退']);
    await db.close();
  });

  it('does not swallow stars or an objection meant for another closed case, nor a new petition', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    const b = await closedCase(cases, '食堂饭菜不卫生', '已责成学校整改。');
    await cases.act(a.code, { kind: 'reopen' }, 'slack:USTAFF1');
    // Stars typed for the case closed last: they rate it, nothing is added to the reopened one.
    expect(texts(await c.say('五星'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await db.get('SELECT value FROM ratings WHERE case_id = ?', [b.id])).toEqual({ value: 5 });
    // An objection naming the other closed case reopens that one.
    expect(texts(await c.say(`诉求 ${b.code} 没解决，饭菜还是凉的`))).toContain(`已为您重新办理诉求 ${b.code}`);
    // A new petition is a new petition: its filing goes on to the phone.
    expect(texts(await c.say('我要投诉操场施工噪音太大，影响上课'))).toContain('请留下联系电话');
    expect(await followUps(cases, a.code)).toEqual([]);
    await db.close();
  });

  it('a reopened case staff have answered takes nothing', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    await cases.act(a.code, { kind: 'reopen' }, 'slack:USTAFF1');
    await cases.act(a.code, { kind: 'reply', text: '学校将于本周内退还余款。' }, 'slack:USTAFF1');
    expect(texts(await c.say('孩子几岁能上一年级？'))).not.toContain(a.code);
    expect(await followUps(cases, a.code)).toEqual([]);
    await db.close();
  });
});

describe('不满意 pressed again on a case already reopened', () => {
  it('says it is already being handled again (not "no closed case"), and after a staff answer that it can be asked again once closed', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费', '经核实，学校已退费。');
    expect(texts(await c.action({ kind: 'reopen', caseCode: a.code }))).toContain(`请说明您对诉求 ${a.code} 的办理结果哪里不满意`);
    expect(texts(await c.say('学校只退了一半'))).toContain(`已为您重新办理诉求 ${a.code}`);
    // A second tap on the same closing message's button.
    expect(texts(await c.action({ kind: 'reopen', caseCode: a.code }))).toBe(
      `诉求 ${a.code} 已在重新办理中，不必再次要求。您接下来发送的补充说明会加入这个诉求（发送“取消”即不再补充）。`,
    );
    expect((await cases.history(a.code)).filter((e) => e.toState === 'reopened')).toHaveLength(1);
    await cases.act(a.code, { kind: 'reply', text: '学校将于本周内退还余款。' }, 'slack:USTAFF1');
    expect(texts(await c.action({ kind: 'reopen', caseCode: a.code }))).toBe(
      `诉求 ${a.code} 已在重新办理中，工作人员已作出答复；办结后如仍不满意，可以再次要求重新办理。`,
    );
    // Closed again: a second objection reopens it a second time.
    await cases.act(a.code, { kind: 'close', note: '余款已退还。' }, 'slack:USTAFF1');
    expect(texts(await c.say('不满意，余款还是没有退'))).toContain(`已为您重新办理诉求 ${a.code}`);
    expect((await cases.history(a.code)).filter((e) => e.toState === 'reopened')).toHaveLength(2);
    await db.close();
  });
});
