import { describe, expect, it } from 'vitest';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

describe('answers', () => {
  it('answers with source and feedback buttons, keeps no text for a confident answer', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const replies = await chat(engine).say('娃8月30号生的能上一年级吗');
    expect(replies[0]).toMatchObject({ heading: '小学一年级入学年龄要求 · 出生日期范围', text: '2020年8月31日（含）以前出生的可以报名。' });
    expect(replies[0]!.source).toEqual({ entryId: 'enrollment-age', title: '小学一年级入学年龄要求', section: '出生日期范围', updated: '2026-04-20', url: null });
    expect(labels(replies)).toEqual(['有帮助', '没帮助']);
    const row = await db.get<{ id: number; text: string | null; intent: string; confident: number }>('SELECT id, text, intent, confident FROM messages');
    expect(row).toMatchObject({ text: null, intent: 'kb', confident: 1 });
    const sorry = await chat(engine).press(replies, '没帮助');
    expect(labels(sorry)).toEqual(['登记为咨询件']);
    expect(await db.get('SELECT text, feedback FROM messages WHERE id = ?', [row!.id])).toEqual({ text: '娃8月30号生的能上一年级吗', feedback: 0 });
    await db.close();
  });

  it('never answers a non-kb intent from the knowledge base', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    await chat(engine).say('谢谢');
    expect(await db.get('SELECT intent, answered, text FROM messages')).toEqual({ intent: 'thanks', answered: 0, text: null });
    await db.close();
  });

  it('switches to English and remembers it', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    expect(texts(await chat(engine).say('English'))).toBe('OK, I will speak English from now on.');
    expect(texts(await chat(engine).say('thanks'))).toBe('You are welcome! Ask me anything else at any time.');
    await db.close();
  });
});

describe('help', () => {
  it('builds /help from the intents marked for the menu, in both languages', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const zh = texts(await chat(engine).say('/help', { command: 'help' }));
    expect(zh.split('\n')[0]).toBe('我可以帮您：');
    expect(zh).toContain('· 投诉、建议、求助、咨询或政府信息公开申请（登记后有编号和答复期限），例如“我要投诉彩屯小学乱收费”');
    expect(zh).toContain('· 查询您的办理进度，例如“查询进度”');
    expect(zh).toContain('也可以拨打本溪市溪湖区教育局电话 024-42842001。');
    const en = texts(await chat(engine, 'c-en').say('menu', { platformLocale: 'en' }));
    expect(en).toContain('· check the progress of your case, e.g. "status"');
    await db.close();
  });
});

describe('status', () => {
  it('lists own open cases and reveals nothing about another chat’s code', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const mine = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    await cases.act(mine.code, { kind: 'claim' }, 'console');
    await cases.act(mine.code, { kind: 'reply', text: '已责成学校退还费用' }, 'console');
    const list = texts(await chat(engine, 'c1').say('查询进度'));
    expect(list).toContain(`${mine.code}（投诉）：已答复，答复期限`);
    const detail = texts(await chat(engine, 'c1').say(`${mine.code} 怎么样了`));
    expect(detail).toContain('状态：已答复');
    expect(detail).toContain('最新答复：已责成学校退还费用');
    const stranger = texts(await chat(engine, 'c2').say(`${mine.code} 怎么样了`));
    const missing = texts(await chat(engine, 'c2').say('XH-2026-999999 怎么样了'));
    expect(stranger).toBe(`没有找到编号为 ${mine.code} 的诉求，或它不属于当前对话。请核对编号。`);
    expect(missing).toBe(stranger.replace(mine.code, 'XH-2026-999999'));
    expect(texts(await chat(engine, 'c2').say('查询进度'))).toBe('您目前没有正在办理的诉求。');
    await db.close();
  });
});

describe('handoff', () => {
  it('opens a case with the recent lines, forwards later messages, ends on 取消', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('娃8月30号生的能上一年级吗');
    const opened = await c.say('转人工');
    const code = opened[0]!.caseCode!;
    expect(texts(opened)).toBe(`已为您转人工，编号 ${code}。本溪市溪湖区教育局工作人员会在今天 17:00 前回复您。期间您发送的消息都会转给工作人员。发送“取消”可结束人工服务。`);
    const record = await cases.get(code);
    expect(record).toMatchObject({ type: 'inquiry', handoff: true, chatId: 'c1' });
    const context = (await cases.history(code)).filter((e) => e.kind === 'context').map((e) => e.note).join('\n');
    expect(context).toContain('家长: 娃8月30号生的能上一年级吗');

    const ack = await c.say('我家孩子是8月31号生的，户口在彩屯');
    expect(texts(ack)).toBe(`已收到，已转给工作人员（编号 ${code}）。本溪市溪湖区教育局工作人员会在今天 17:00 前回复您。`);
    expect((await cases.history(code)).some((e) => e.kind === 'followup' && e.note === '我家孩子是8月31号生的，户口在彩屯')).toBe(true);
    expect(await db.get("SELECT COUNT(*) AS n FROM messages WHERE entry_id IS NOT NULL")).toEqual({ n: 1 });

    expect(texts(await c.say('取消'))).toBe(`已结束人工服务（编号 ${code}）。您可以继续向我提问。`);
    expect(texts(await c.say('娃8月30号生的能上一年级吗'))).toContain('2020年8月31日');
    await db.close();
  });

  it('promises the next working morning outside office hours', async () => {
    // Saturday 2026-11-28 20:00 in Beijing → Monday 2026-11-30.
    const { engine, db } = await makeEngine(tempDbPath(), () => new Date('2026-11-28T12:00:00Z'));
    expect(texts(await chat(engine).say('我要找人工客服'))).toContain('会在 2026年11月30日（星期一）08:30 后回复您');
    await db.close();
  });

  it('names the next opening by the bureau\'s day and weekday, in each language, across a month end and midnight', async () => {
    // Monday 2026-11-30 23:59:30 in Beijing (15:59:30 UTC, still the 30th in UTC) → Tuesday 2026-12-01.
    const late = await makeEngine(tempDbPath(), () => new Date('2026-11-30T15:59:30Z'));
    expect(texts(await chat(late.engine).say('我要找人工客服'))).toContain('会在 2026年12月1日（星期二）08:30 后回复您');
    await late.db.close();
    // Saturday 2026-11-28 00:30 in Beijing is still Friday the 27th in UTC; an English chat reads the same day.
    const early = await makeEngine(tempDbPath(), () => new Date('2026-11-27T16:30:00Z'));
    const c = chat(early.engine, 'en1');
    await c.say('English');
    expect(texts(await c.say('I want to talk to a person'))).toContain('will answer on Monday 2026-11-30 after 08:30');
    await early.db.close();
    // An office that opens in the afternoon is not said to open in the morning (上午).
    const afternoon = await makeEngine(tempDbPath(), () => new Date('2026-11-28T12:00:00Z'), undefined, { OFFICE_HOURS: '13:30-17:00' });
    const reply = texts(await chat(afternoon.engine).say('我要找人工客服'));
    expect(reply).toContain('会在 2026年11月30日（星期一）13:30 后回复您');
    expect(reply).not.toContain('上午');
    await afternoon.db.close();
  });

  it('adds a reply-to message to that case without silencing the bot', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const filed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    const ack = await chat(engine).say('补充：收费凭证我拍照了', { replyToCaseCode: filed.code });
    expect(texts(ack)).toBe(`已收到，已补充到您的诉求 ${filed.code}，工作人员会一并处理。`);
    expect(texts(await chat(engine).say('娃8月30号生的能上一年级吗'))).toContain('2020年8月31日');
    await db.close();
  });
});

describe('rating and privacy', () => {
  it('offers the configured stars for the latest closed case and records the rating', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const filed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    expect(texts(await chat(engine).say('我要评价'))).toBe('您目前没有可以评价的已办结诉求。');
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    await cases.act(filed.code, { kind: 'reply', text: '已退费' }, 'console');
    await cases.act(filed.code, { kind: 'close', note: '已退费' }, 'console');
    const ask = await chat(engine).say('我要评价');
    expect(texts(ask)).toBe(`请为诉求 ${filed.code} 的办理结果评分：`);
    expect(labels(ask)).toEqual(['★ 非常不满意', '★★ 不满意', '★★★ 一般', '★★★★ 满意', '★★★★★ 非常满意', '不满意，要求重新办理']);
    expect(texts(await chat(engine).press(ask, '★★★★★ 非常满意'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await db.get('SELECT value, label FROM ratings')).toEqual({ value: 5, label: '非常满意' });
    // Another chat cannot rate this case.
    expect(texts(await chat(engine, 'c2').action({ kind: 'rate', caseCode: filed.code, value: 1 }))).toContain('没有找到编号');
    await db.close();
  });

  it('explains what is kept and erases the chat’s data on confirmation', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    await chat(engine).say('校车几点到彩屯小区');
    const info = await chat(engine).say('删除我的数据');
    expect(texts(info)).toContain('我们保存：您的语言选择和当前办理步骤（30 天后自动删除）');
    expect(texts(await chat(engine).press(info, '确认删除'))).toBe('已删除您的聊天数据（1 条消息记录，0 件诉求的个人信息）。');
    expect(await db.get("SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL")).toEqual({ n: 0 });
    expect(await db.get("SELECT COUNT(*) AS n FROM conversations")).toEqual({ n: 0 });
    await db.close();
  });

  it('withdraws open cases first, with the parent’s consent, then erases their personal data', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const filed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费，电话13812345678', contact: '13812345678', actor: 'citizen' });
    const info = await chat(engine).say('删除我的数据');
    expect(texts(info)).toContain(`您还有正在办理的诉求（${filed.code}）。确认删除将先撤回这些诉求，工作人员将不再办理。`);
    const done = texts(await chat(engine).press(info, '确认删除'));
    expect(done).toContain(`您正在办理的诉求（${filed.code}）已按您的确认撤回，其中的个人信息也已删除。`);
    expect(await db.get('SELECT state, contact, text FROM cases')).toEqual({ state: 'withdrawn', contact: null, text: '[已删除]' });
    const events = await db.all<{ to_state: string | null; actor: string }>("SELECT to_state, actor FROM case_events WHERE kind = 'transition'");
    expect(events).toContainEqual({ to_state: 'withdrawn', actor: 'citizen' });
    await db.close();
  });

  it('cancelling the privacy prompt deletes nothing and says so', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    await chat(engine).say('校车几点到彩屯小区');
    const info = await chat(engine).say('删除我的数据');
    expect(texts(await chat(engine).press(info, '取消'))).toBe('好的，没有删除任何数据。');
    expect(await db.get('SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL')).toEqual({ n: 1 });
    await db.close();
  });
});
