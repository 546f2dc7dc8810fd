import { describe, expect, it } from 'vitest';
import type { createCaseDesk } from '../../../src/core/cases/index.js';
import { eraseChat } from '../../../src/storage/retention-repo.js';
import { PERSON_ID } from '../../helpers/identity-numbers.js';
import { FRIDAY_MORNING, chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * An addition ("补充一下…") typed when the chat's only case is closed: not answered as a new question and not lost —
 * the parent is told the case was closed and chooses to object with it, file it as a new petition, or drop it.
 * Real engine, desk and SQLite file; the clock is set.
 */
type Desk = ReturnType<typeof createCaseDesk>;
const DAY = 86_400_000;

async function closedCase(cases: Desk, text: string, chatId = 'c1') {
  const filed = await cases.file({ type: 'complaint', channel: 'console', chatId, text, actor: 'citizen' });
  await cases.act(filed.code, { kind: 'claim' }, 'console');
  await cases.act(filed.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
  return filed;
}

const followUps = async (cases: Desk, code: string) => (await cases.history(code)).filter((e) => e.kind === 'followup').map((e) => e.note);
const OFFER = ['不满意，要求重新办理', '作为新诉求提交', '不用了'];

describe('an addition to a closed case', () => {
  it('offers the objection with the words as its reason, and pressing it reopens the case with them', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费');
    clock.now = new Date(FRIDAY_MORNING.getTime() + 3 * DAY); // Monday 2026-11-30
    const offer = await c.say('补充一下：学校只退了一半，还有100元没退');
    expect(texts(offer)).toBe(
      `您的诉求 ${a.code} 已于 2026年11月27日 办结，这条消息没有补充到任何诉求。如对办理结果不满意，请点“不满意，要求重新办理”，这条消息就作为您的意见；如是新的情况，请点“作为新诉求提交”；不需要的话请点“不用了”。`,
    );
    expect(labels(offer)).toEqual(OFFER);
    expect(await followUps(cases, a.code)).toEqual([]);
    expect(texts(await c.press(offer, '不满意，要求重新办理'))).toContain(`已为您重新办理诉求 ${a.code}，工作人员会看到您的意见：“补充一下：学校只退了一半，还有100元没退”`);
    expect((await cases.get(a.code))?.state).toBe('reopened');
    expect((await cases.history(a.code)).at(-1)).toMatchObject({ toState: 'reopened', note: '家长要求重新办理：补充一下：学校只退了一半，还有100元没退' });
    await db.close();
  });

  it('the offer typed: 作为新诉求提交 starts the filing with the words; 不用了 files nothing; a late press is over', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费');
    const offer = await c.say('我想补充情况：食堂的饭菜也是凉的，孩子吃了肚子疼');
    expect(labels(offer)).toEqual(OFFER);
    const filing = await c.say('作为新诉求提交');
    // Through the filing flow as a typed petition goes (the type read from the words); the case exists only once confirmed.
    expect(texts(filing)).toContain('请留下联系电话');
    expect(await cases.list({ chatId: 'c1', channel: 'console' })).toHaveLength(1);
    const confirm = await c.press(filing, '不留电话');
    expect(texts(confirm)).toContain('内容：我想补充情况：食堂的饭菜也是凉的，孩子吃了肚子疼');
    const done = texts(await c.press(confirm, '确认提交'));
    const code = /已登记，编号 (XH-\d{4}-\d{6})/u.exec(done)?.[1];
    const filed = code ? await cases.get(code) : null;
    expect(filed?.text).toBe('我想补充情况：食堂的饭菜也是凉的，孩子吃了肚子疼');
    expect(await followUps(cases, a.code)).toEqual([]);

    // With an open case again, 补充 goes to it, as before; once it is closed too, the offer names the latest closed.
    await cases.act(filed!.code, { kind: 'claim' }, 'console');
    await cases.act(filed!.code, { kind: 'close', note: '已责成学校整改。' }, 'console');
    const second = await c.say('忘了说，食堂的问题是上周才开始的');
    expect(texts(second)).toContain(`您的诉求 ${filed!.code} 已于`);
    expect(texts(await c.say('不用了'))).toBe(`好的，这条消息没有提交，也没有补充到诉求 ${filed!.code}。`);
    expect(await cases.list({ chatId: 'c1', channel: 'console' })).toHaveLength(2);
    expect((await cases.get(filed!.code))?.state).toBe('closed');
    // The offer's buttons after it is over: nothing done.
    expect(texts(await c.press(second, '作为新诉求提交'))).toBe('这个按钮所在的步骤已经结束（诉求已提交或已取消），这次没有执行任何操作。查询进度请发送“查询进度”。');
    expect(texts(await c.press(offer, '不满意，要求重新办理'))).toContain('这个按钮所在的步骤已经结束');
    expect((await cases.get(a.code))?.state).toBe('closed');
    // 取消 typed while the offer stands: dropped, said so.
    await c.say('补充一下：班主任也知道这件事');
    expect(texts(await c.say('取消'))).toBe(`好的，这条消息没有提交，也没有补充到诉求 ${filed!.code}。`);
    await db.close();
  });

  it('names the case whose code the message gives; a status request and a question stay what they are', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费');
    clock.now = new Date(FRIDAY_MORNING.getTime() + DAY);
    const b = await closedCase(cases, '食堂饭菜不卫生');
    clock.now = new Date(FRIDAY_MORNING.getTime() + 2 * DAY);
    expect(texts(await c.say('补充：资料费是开学时收的'))).toContain(`您的诉求 ${b.code} 已于 2026年11月28日 办结`);
    const named = await c.say(`${a.code} 学校说的退费到现在也没到账`);
    expect(texts(named)).toContain(`您的诉求 ${a.code} 已于 2026年11月27日 办结`);
    expect(labels(named)).toEqual(OFFER);
    expect(texts(await c.say(`${a.code} 办理得怎么样了`))).toContain('状态：');
    // No addition words: a question is a question.
    const answer = await c.say('孩子几岁能上一年级？');
    expect(texts(answer)).toBe('2020年8月31日（含）以前出生的可以报名。');
    expect(labels(answer)).not.toContain('作为新诉求提交');
    expect(await followUps(cases, a.code)).toEqual([]);
    await db.close();
  });

  it('past REOPEN_DAYS: no objection offered, only a new petition or nothing (in English too)', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const c = chat(engine);
    const a = await closedCase(cases, '彩屯小学乱收费');
    // 15 days after the closing day still counts (the desk's own reading); the 16th does not.
    clock.now = new Date(FRIDAY_MORNING.getTime() + 15 * DAY);
    expect(labels(await c.say('补充一下：还有100元没退'))).toEqual(OFFER);
    clock.now = new Date(FRIDAY_MORNING.getTime() + 16 * DAY);
    const late = await c.say('补充一下：还有100元没退');
    expect(texts(late)).toBe(
      `您的诉求 ${a.code} 已于 2026年11月27日 办结，不能再补充或要求重新办理，这条消息没有补充到任何诉求。如需反映，请点“作为新诉求提交”；不需要的话请点“不用了”。`,
    );
    expect(labels(late)).toEqual(['作为新诉求提交', '不用了']);

    // The desk's window also runs from a rating of ★★ or less: rated ★ on day 14, the objection is offered on day 20.
    const rated = await closedCase(cases, '校车晚点', 'c2');
    const c2 = chat(engine, 'c2');
    clock.now = new Date(FRIDAY_MORNING.getTime() + 30 * DAY);
    await c2.action({ kind: 'rate', caseCode: rated.code, value: 1 });
    clock.now = new Date(FRIDAY_MORNING.getTime() + 36 * DAY);
    const afterRating = await c2.say('补充一下：校车今天又晚了半小时');
    expect(texts(afterRating)).toContain(`您的诉求 ${rated.code} 已于 2026年12月13日 办结`);
    expect(labels(afterRating)).toEqual(OFFER);
    // Typed, the label is the offer's press (not a bare objection that would ask for the reason again).
    expect(texts(await c2.say('不满意，要求重新办理'))).toContain(`已为您重新办理诉求 ${rated.code}，工作人员会看到您的意见：“补充一下：校车今天又晚了半小时”`);

    const e = chat(engine, 'e1');
    await e.say('/lang en', { command: 'lang' });
    const b = await closedCase(cases, 'The school bus is late', 'e1');
    const english = await e.say('I want to add: the bus was late again today');
    expect(texts(english)).toBe(
      `Your case ${b.code} was closed on 2027-01-02; this message has not been added to any case. If you are not satisfied with the result, press "Not satisfied, reopen" and this message becomes your reason; if it is a new matter, press "Submit as a new request"; otherwise press "No, thanks".`,
    );
    expect(labels(english)).toEqual(['Not satisfied, reopen', 'Submit as a new request', 'No, thanks']);
    expect(texts(await e.say('No, thanks'))).toBe(`All right, this message was not filed and not added to case ${b.code}.`);
    await db.close();
  });

  it('offers the objection exactly when the desk would take it: not for a disclosure request, not once erased', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine, 'd1');
    const request = await cases.file({
      type: 'disclosure', channel: 'console', chatId: 'd1', citizenRef: 'd1', text: '申请公开溪湖区2026年义务教育学校招生计划', contact: '13912345678',
      citizenName: '张三', actor: 'citizen', locale: 'zh', applicantType: '自然人', applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID,
      deliveryForm: '电子', deliveryMethod: '电子邮件', deliveryAddress: 'zhang@example.com',
    });
    await cases.act(request.code, { kind: 'claim' }, 'console');
    await cases.act(request.code, { kind: 'close', note: '已公开，见附件。', disclosureResult: '（一）予以公开' }, 'console');
    expect(await cases.citizenMayReopen(request.code)).toBe(false);
    const offer = await c.say('补充一下：我还要2025年的招生计划');
    expect(texts(offer)).toContain(`您的诉求 ${request.code} 已于 2026年11月27日 办结，不能再补充或要求重新办理`);
    expect(labels(offer)).toEqual(['作为新诉求提交', '不用了']);

    const a = await closedCase(cases, '彩屯小学乱收费', 'c9');
    expect(await cases.citizenMayReopen(a.code)).toBe(true);
    await eraseChat(db, 'console', 'c9', FRIDAY_MORNING.toISOString(), { journal: false });
    expect(await cases.citizenMayReopen(a.code)).toBe(false);
    // Erased, the case is no longer the chat's: an addition is handled as any message, never offered an objection.
    expect(labels(await chat(engine, 'c9').say('补充一下：学校只退了一半'))).not.toContain('不满意，要求重新办理');
    await db.close();
  });
});

describe('the closed case an addition is offered against', () => {
  it('is the one closed last, even when the chat has more than 20 closed cases and it was filed first', async () => {
    const clock = { now: FRIDAY_MORNING };
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
    const minute = () => (clock.now = new Date(clock.now.getTime() + 60_000));
    const first = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费，每人500元', actor: 'citizen' });
    await cases.act(first.code, { kind: 'claim' }, 'console');
    for (let i = 2; i <= 21; i += 1) {
      minute();
      await closedCase(cases, `第${i}件：学校食堂饭菜不卫生，孩子吃了肚子疼`);
    }
    minute();
    await cases.act(first.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
    expect(await cases.list({ chatId: 'c1', channel: 'console', states: ['closed'] })).toHaveLength(21);

    const offer = await chat(engine).say('补充一下：学校只退了一半，还有100元没退');
    expect(labels(offer)).toEqual(OFFER);
    expect(texts(offer)).toContain(`您的诉求 ${first.code} 已于 2026年11月27日 办结`);
    expect(offer.find((r) => r.caseCode)?.caseCode).toBe(first.code);
    await db.close();
  });
});
