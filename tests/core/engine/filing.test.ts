import { describe, expect, it } from 'vitest';
import { PERSON_ID, PERSON_ID_MASKED } from '../../helpers/identity-numbers.js';
import { chat, fakeKnowledge, FRIDAY_MORNING, labels, makeEngine, tempDbPath, texts } from './harness.js';

describe('filing a case', () => {
  it('walks type → content → phone → confirm and shows the code only after the case is committed', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const typeStep = await c.say('我想提个建议');
    expect(texts(typeStep)).toBe('请描述您的建议内容（事情经过、涉及的学校或单位、您的诉求）：');
    expect(texts(await c.say('好'))).toBe('内容太短了，请再具体描述一下（至少 5 个字）。');
    const contact = await c.say('建议彩屯小学放学时间延后半小时，方便双职工家庭接孩子');
    expect(labels(contact)).toEqual(['不留电话', '取消']);
    expect(texts(await c.say('12345'))).toContain('“123**”不是有效的电话号码');
    // A phone one digit short, or an ID number typed at this step, is not repeated back whole.
    const short = texts(await c.say('1397654321'));
    expect(short).toContain('“139*******”不是有效的电话号码');
    expect(short).not.toContain('1397654321');
    expect(texts(await c.say('21050220190830123X'))).toContain('“210**************X”不是有效的电话号码');
    const confirm = await c.say('024-4284 2001');
    expect(texts(confirm)).toBe(
      '请确认您的诉求：\n类型：建议\n内容：建议彩屯小学放学时间延后半小时，方便双职工家庭接孩子\n联系电话：024-****01\n确认无误请点“确认提交”，需要修改请点“修改”。',
    );
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 0 });
    const filed = await c.press(confirm, '确认提交');
    const row = await db.get<{ code: string; type: string; contact: string; deadline_on: string }>('SELECT code, type, contact, deadline_on FROM cases');
    expect(row).toMatchObject({ code: 'XH-2026-000001', type: 'suggestion', contact: '024-42842001' });
    const [year, month, day] = row!.deadline_on.split('-').map(Number);
    expect(texts(filed)).toBe(`已登记，编号 XH-2026-000001（建议）。答复期限：${year}年${month}月${day}日前。\n查询进度请发送“查询进度”或编号。`);
    expect(filed[0]!.caseCode).toBe('XH-2026-000001');
    await db.close();
  });

  it('answers a question typed at the phone step from one look-up in the knowledge base, then asks for the phone again', async () => {
    const asked: string[] = [];
    const counting = { current: () => ({ decide: (text: string) => (asked.push(text), fakeKnowledge.current().decide(text)) }) };
    const { engine, db } = await makeEngine(tempDbPath(), () => FRIDAY_MORNING, counting);
    const c = chat(engine);
    await c.say('我想提个建议');
    await c.say('建议彩屯小学放学时间延后半小时，方便双职工家庭接孩子');
    asked.length = 0;
    const answered = await c.say('孩子8月30号生的能上一年级吗');
    expect(answered[0]!.heading).toBe('小学一年级入学年龄要求 · 出生日期范围');
    expect(texts(answered.slice(1))).toContain('（您的诉求还没有提交，我们继续。）');
    expect(labels(answered)).toContain('不留电话');
    // The phone step asks whether the message is a question, and the answer reuses that decision.
    expect(asked).toEqual(['孩子8月30号生的能上一年级吗']);
    await db.close();
  });

  it('pre-fills type and content from a complaint and skips the phone', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const ask = await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    expect(texts(ask)).toContain('请留下联系电话');
    const confirm = await c.press(ask, '不留电话');
    expect(texts(confirm)).toContain('类型：投诉\n内容：我要投诉彩屯小学乱收费，每人多收200元\n联系电话：未留');
    expect(texts(await c.say('确认'))).toContain('已登记，编号 XH-2026-000001（投诉）');
    await db.close();
  });

  it('offers the phone written into the complaint as its contact instead of asking for it again', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const offer = await c.say('我要投诉彩屯小学乱收费，电话138 1234 5678');
    expect(texts(offer)).toBe('您在内容里留了电话 138****5678，工作人员用这个号码联系您可以吗？也可以直接输入另一个号码。');
    expect(labels(offer)).toEqual(['就用这个号码', '不留电话', '取消']);
    const confirm = await c.press(offer, '就用这个号码');
    expect(texts(confirm)).toContain('类型：投诉\n内容：我要投诉彩屯小学乱收费，电话138****5678\n联系电话：138****5678');
    expect(texts(await c.say('确认'))).toContain('已登记，编号 XH-2026-000001（投诉）');
    expect(await db.get('SELECT contact FROM cases')).toEqual({ contact: '13812345678' });
    await db.close();
  });

  it('hands the chat to a person when asked for one at the phone step, without filing the half-done case', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    expect(texts(await c.say('我要投诉彩屯小学乱收费，每人多收200元'))).toContain('请留下联系电话');
    const handed = await c.say('能不能找个工作人员跟我说');
    expect(texts(handed)).toContain('已为您转人工');
    // One case: the handoff (the complaint was not filed), whose staff context carries the complaint's text.
    const cases = await db.all<{ handoff: number; text: string }>('SELECT handoff, text FROM cases');
    expect(cases).toHaveLength(1);
    expect(cases[0]!.handoff).toBe(1);
    const context = await db.all<{ note: string }>("SELECT note FROM case_events WHERE kind = 'context'");
    expect(context.map((e) => e.note).join('\n')).toContain('彩屯小学乱收费，每人多收200元');
    // A phone sent now becomes the handoff case's contact (review 18 R20), which staff see on its card and thread.
    expect(texts(await c.say('13812345678'))).toBe('已把联系电话 138****5678 记入诉求 XH-2026-000001，工作人员需要时会打这个电话联系您。');
    expect(await db.all('SELECT contact FROM cases')).toEqual([{ contact: '13812345678' }]);
    await db.close();
  });

  it('cancels halfway without filing anything', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉');
    expect(texts(await c.say('取消'))).toBe('已取消，没有提交任何内容。');
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 0 });
    // The bot answers normally again.
    expect(texts(await c.say('你好'))).toContain('您好！');
    await db.close();
  });

  it('continues after a restart mid-flow (new engine, same database file)', async () => {
    const path = tempDbPath();
    const first = await makeEngine(path);
    const types = await chat(first.engine).say('/case', { command: 'case' });
    expect(labels(types)).toEqual(['咨询', '投诉', '建议', '求助', '政府信息公开申请', '取消']);
    await chat(first.engine).press(types, '求助');
    await first.db.close();

    const second = await makeEngine(path);
    const c = chat(second.engine);
    expect(texts(await c.say('孩子在学校被欺负不敢去上学了，希望教育局帮忙协调'))).toContain('请留下联系电话');
    expect(texts(await c.say('13812345678'))).toContain('类型：求助');
    expect(texts(await c.say('确认提交'))).toContain('已登记，编号 XH-2026-000001（求助）');
    expect(await second.db.get('SELECT type, contact FROM cases')).toEqual({ type: 'help', contact: '13812345678' });
    await second.db.close();
  });

  it('handles two messages of one chat that arrive together in order', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉');
    const [content, contact] = await Promise.all([c.say('彩屯小学每人多收200元资料费'), c.say('13812345678')]);
    expect(texts(content)).toContain('请留下联系电话');
    expect(texts(contact)).toContain('内容：彩屯小学每人多收200元资料费\n联系电话：138****5678');
    await db.close();
  });

  it('turns an unanswered question into an inquiry with its text', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const refused = await c.say('校车几点到彩屯小区');
    expect(texts(refused)).toContain('抱歉，知识库里没有找到这个问题的答案');
    const msg = await db.get<{ text: string; answered: number }>('SELECT text, answered FROM messages ORDER BY id DESC LIMIT 1');
    expect(msg).toEqual({ text: '校车几点到彩屯小区', answered: 0 });
    const ask = await c.press(refused, '登记为咨询件');
    expect(texts(ask)).toContain('请留下联系电话');
    const confirm = await c.press(ask, '不留电话');
    expect(texts(confirm)).toContain('类型：咨询\n内容：校车几点到彩屯小区');
    await c.press(confirm, '确认提交');
    expect(await db.get('SELECT m.case_id = c.id AS linked, c.source_message_id IS NOT NULL AS src FROM messages m, cases c WHERE m.text IS NOT NULL')).toEqual({ linked: 1, src: 1 });
    await db.close();
  });
});

describe('a filing button pressed after the flow ended', () => {
  it('a second tap on 确认提交 files nothing more and says the step is over, not "nothing to cancel"', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    const confirm = await c.say('不留电话');
    await c.press(confirm, '确认提交');
    const again = await c.press(confirm, '确认提交');
    expect(texts(again)).toBe('这个按钮所在的步骤已经结束（诉求已提交或已取消），这次没有执行任何操作。查询进度请发送“查询进度”。');
    // 不留电话 and 修改 of the same, finished flow say the same.
    expect(texts(await c.press(confirm, '修改'))).toBe(texts(again));
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 1 });
    await db.close();
  });

  it('in English too', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('English');
    await c.say('I want to file a complaint: the canteen of Caitun Primary overcharges 200 yuan a month');
    const confirm = await c.say('no phone');
    await c.press(confirm, 'Cancel');
    expect(texts(await c.press(confirm, 'Submit'))).toBe(
      'The step this button belongs to is already over (the request was filed or cancelled); nothing was done this time. Send "status" to check progress.',
    );
    await db.close();
  });
});

describe('a second petition written while one is being filed', () => {
  const first = '我要投诉彩屯小学乱收费，每人多收200元';
  const second = '我还要投诉另一所学校老师体罚学生';

  it('is held, not read as a bad phone number, and filed on its own after the first', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say(first);
    const held = await c.say(second);
    expect(texts(held)).toBe(
      '收到，这是另一条诉求，我先记下，等正在登记的这一条提交或取消后再单独登记，不会和它合在一起。\n' +
        '请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。',
    );
    const confirm = await c.say('不留电话');
    expect(texts(confirm)).toContain(`内容：${first}\n`);
    const filed = await c.press(confirm, '确认提交');
    expect(filed[0]!.caseCode).toBe('XH-2026-000001');
    expect(texts(filed.slice(1))).toBe('接下来单独登记您的另一条诉求：\n请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。');
    const confirmSecond = await c.say('13812345678');
    expect(texts(confirmSecond)).toContain(`类型：投诉\n内容：${second}\n联系电话：138****5678`);
    expect((await c.press(confirmSecond, '确认提交'))[0]!.caseCode).toBe('XH-2026-000002');
    expect(await db.all('SELECT code, text FROM cases ORDER BY code')).toEqual([
      { code: 'XH-2026-000001', text: first },
      { code: 'XH-2026-000002', text: second },
    ]);
    await db.close();
  });

  it('is offered next when the first is cancelled at its confirm step', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say(first);
    const confirm = await c.say('不留电话');
    await c.say(second);
    const cancelled = await c.press(confirm, '取消');
    expect(texts(cancelled)).toBe('已取消，没有提交任何内容。\n接下来单独登记您的另一条诉求：\n请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。');
    const filed = await c.press(await c.say('不留电话'), '确认提交');
    expect(filed[0]!.caseCode).toBe('XH-2026-000001');
    expect(await db.all('SELECT text FROM cases')).toEqual([{ text: second }]);
    await db.close();
  });

  it('is not lost when the parent asks for a person in the middle: the unsubmitted petition and the held one go to staff with the handoff', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say(first);
    await c.say(second);
    const handed = await c.say('转人工');
    expect(texts(handed)).toContain('已为您转人工');
    expect(texts(handed)).toContain('您正在登记、还没有提交的诉求内容，以及另一条先记下的诉求，都已一并转给工作人员，不会丢失。');
    const context = (await db.all<{ note: string }>("SELECT note FROM case_events WHERE kind = 'context' ORDER BY id")).map((e) => e.note);
    expect(context).toContain(`家长（未提交的投诉）: ${first}`);
    expect(context).toContain(`家长（另一条诉求，尚未登记）: ${second}`);
    await db.close();
  });

  it('is not lost with no recent lines kept for staff (HANDOFF_CONTEXT_MESSAGES=0), nor by the 转人工 menu button', async () => {
    const { engine, db } = await makeEngine(tempDbPath(), undefined, undefined, { HANDOFF_CONTEXT_MESSAGES: '0' });
    const c = chat(engine);
    await c.say(first);
    await c.say(second);
    const handed = await c.action({ kind: 'menu', item: 'human' });
    expect(texts(handed)).toContain('以及另一条先记下的诉求');
    const context = (await db.all<{ note: string }>("SELECT note FROM case_events WHERE kind = 'context' ORDER BY id")).map((e) => e.note);
    expect(context).toEqual([`家长（未提交的投诉）: ${first}`, `家长（另一条诉求，尚未登记）: ${second}`]);
    await db.close();
  });

  it('a held petition is capped at the limit the first has: a longer one is refused with its length, what was held kept', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const long = `我还要投诉另一所学校${'食堂饭菜有异味，'.repeat(375)}`; // 3,010 characters
    await c.say(first);
    await c.say('不留电话');
    const refused = texts(await c.say(long));
    expect(refused).toContain('这是另一条诉求，但共 3010 字，超过了 2000 字的上限，这条消息没有记下。请精简到 2000 字以内再发送。正在登记的这一条不受影响。');
    expect(refused).toContain('请确认您的诉求');
    await c.say(second);
    const added = `我还要投诉${'校车超载，'.repeat(399)}`; // 2,000 characters: with what is held, 2,017
    expect(texts(await c.say(added))).toContain('这是另一条诉求，但加上先记下的内容共 2017 字，超过了 2000 字的上限，这条消息没有记下。请精简到 2000 字以内再发送；先记下的内容仍然保留。');
    // 转人工 now opens the handoff (no generic error) with the held petition as it was kept.
    const handed = texts(await c.say('转人工'));
    expect(handed).toContain('已为您转人工');
    const context = (await db.all<{ note: string }>("SELECT note FROM case_events WHERE kind = 'context' ORDER BY id")).map((e) => e.note);
    expect(context).toContain(`家长（另一条诉求，尚未登记）: ${second}`);
    await db.close();
  });

  it('转人工 with a held petition longer than a context line (a state saved before the cap) splits it, nothing lost', async () => {
    const path = tempDbPath();
    const before = await makeEngine(path);
    const b = chat(before.engine);
    await b.say(first);
    await b.say('不留电话');
    await b.say(second);
    await before.engine.flush();
    // A held text of 6,000 characters, as the flow kept it before held petitions were capped.
    const legacy = `${second}\n${'我还要投诉学校门口商贩卖三无食品，'.repeat(352)}`.slice(0, 6000);
    const row = await before.db.get<{ state_json: string }>('SELECT state_json FROM conversations');
    const state = JSON.parse(row!.state_json) as { filing: { next: string } };
    expect(state.filing.next).toBe(second);
    state.filing.next = legacy;
    await before.db.run('UPDATE conversations SET state_json = ?', [JSON.stringify(state)]);
    await before.db.close();
    const { engine, db } = await makeEngine(path);
    const handed = texts(await chat(engine).say('转人工'));
    expect(handed).toContain('已为您转人工');
    expect(handed).not.toContain('系统出了点问题');
    const context = (await db.all<{ note: string }>("SELECT note FROM case_events WHERE kind = 'context' ORDER BY id")).map((e) => e.note);
    const parts = context.filter((line) => line.startsWith('家长（另一条诉求，尚未登记）'));
    expect(parts.length).toBe(2);
    for (const line of context) expect(line.length).toBeLessThanOrEqual(5000);
    expect(parts[0]!.startsWith('家长（另一条诉求，尚未登记）（第 1/2 段）: ')).toBe(true);
    expect(parts.map((line) => line.replace(/^家长（另一条诉求，尚未登记）（第 \d\/2 段）: /u, '')).join('')).toBe(legacy);
    await db.close();
  });

  it('a third message while one is already held is added to it, not put in its place', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const third = '我还要投诉学校门口商贩卖三无食品给学生';
    await c.say(first);
    await c.say(second);
    await c.say(third);
    const filed = await c.press(await c.say('不留电话'), '确认提交');
    expect(filed[0]!.caseCode).toBe('XH-2026-000001');
    const confirmNext = await c.say('不留电话');
    expect(texts(confirmNext)).toContain(`内容：${second}\n${third}\n`);
    await c.press(confirmNext, '确认提交');
    expect(await db.all('SELECT text FROM cases ORDER BY code')).toEqual([{ text: first }, { text: `${second}\n${third}` }]);
    await db.close();
  });
});

describe('转人工 in the middle of a filing keeps what the parent already gave', () => {
  const noRecentLines = { HANDOFF_CONTEXT_MESSAGES: '0' };
  const contextOf = async (db: Awaited<ReturnType<typeof makeEngine>>['db']) =>
    (await db.all<{ note: string }>("SELECT note FROM case_events WHERE kind = 'context' ORDER BY id")).map((e) => e.note);

  it('the phone given becomes the case contact (masked when shown) and the petition keeps its type', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath(), undefined, undefined, noRecentLines);
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    expect(texts(await c.say('13812345678'))).toContain('联系电话：138****5678');
    const handed = await c.say('转人工');
    expect(texts(handed)).toContain('您正在登记、还没有提交的诉求内容已一并转给工作人员，不会丢失。');
    expect(texts(handed)).not.toContain('13812345678');
    const record = await cases.get(handed[0]!.caseCode!);
    expect(record).toMatchObject({ type: 'complaint', contact: '13812345678', handoff: true });
    expect(await contextOf(db)).toEqual(['家长（未提交的投诉）: 我要投诉彩屯小学乱收费，每人多收200元']);
    await db.close();
  });

  it('a 政府信息公开申请 keeps its type and a line with the fields given, the ID and the phone in the address masked', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath(), undefined, undefined, noRecentLines);
    const c = chat(engine);
    let r = await c.say('我要申请政府信息公开');
    r = await c.press(r, '自然人');
    r = await c.say('周芳');
    r = await c.press(r, '居民身份证');
    r = await c.say(PERSON_ID);
    r = await c.say('请公开2025年溪湖区小学学区划分文件');
    r = await c.say('13812345678');
    r = await c.press(r, '纸质');
    r = await c.press(r, '邮寄');
    r = await c.say('本溪市溪湖区河东路12号 周芳 收 电话13912345678');
    expect(texts(r)).toContain('请确认您的政府信息公开申请');
    const handed = await c.say('转人工');
    expect(texts(handed)).toContain('不会丢失');
    const record = await cases.get(handed[0]!.caseCode!);
    // Not submitted, so not a 政府信息公开申请 on the books (no 20-working-day clock, not in the annual count): an inquiry
    // carrying every field given, for staff to log once it is complete.
    expect(record).toMatchObject({ type: 'inquiry', contact: '13812345678', handoff: true });
    const context = await contextOf(db);
    expect(context).toEqual([
      `家长（未提交的政府信息公开申请）已填写：申请人类型 自然人；姓名 周芳；身份证明 居民身份证 ${PERSON_ID_MASKED}；信息形式 纸质；获取方式 邮寄；邮寄地址 本溪市溪湖区河东路12号 周芳 收 电话139****5678`,
      '家长（未提交的政府信息公开申请）: 请公开2025年溪湖区小学学区划分文件',
    ]);
    expect(context.join('\n')).not.toContain(PERSON_ID);
    await db.close();
  });

  it('fields given before the description are kept too (only the applicant steps answered)', async () => {
    const { engine, db } = await makeEngine(tempDbPath(), undefined, undefined, noRecentLines);
    const c = chat(engine);
    await c.press(await c.say('我要申请政府信息公开'), '自然人');
    expect(texts(await c.say('周芳'))).toContain('请选择申请人的身份证明');
    const handed = await c.say('转人工');
    expect(texts(handed)).toContain('不会丢失');
    expect(await contextOf(db)).toEqual(['家长（未提交的政府信息公开申请）已填写：申请人类型 自然人；姓名 周芳']);
    await db.close();
  });
});

describe('the type step', () => {
  it('a message that names the type and says what happened keeps it as the content instead of asking for it again', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    expect(texts(await c.say('/file', { command: 'file' }))).toBe('请选择诉求类型：');
    const contact = await c.say('我要投诉彩屯小学乱收费，每人500元');
    expect(labels(contact)).toEqual(['不留电话', '取消']);
    expect(texts(await c.say('不留电话'))).toContain('类型：投诉\n内容：我要投诉彩屯小学乱收费，每人500元\n');
    // The type alone still asks for the content.
    const other = chat(engine, 'c2');
    await other.say('/file', { command: 'file' });
    expect(texts(await other.say('投诉'))).toBe('请描述您的投诉内容（事情经过、涉及的学校或单位、您的诉求）：');
    await db.close();
  });
});

describe('two flows at one clock reading (a test clock, a clock stepped back)', () => {
  it('a second petition filed at the same instant is a new case, not the first one shown again', async () => {
    const { engine, db } = await makeEngine(tempDbPath()); // the clock stands still at FRIDAY_MORNING
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    const first = await c.press(await c.say('不留电话'), '确认提交');
    await c.say('我要投诉彩屯小学食堂卫生很差，饭菜有异味');
    const second = await c.press(await c.say('不留电话'), '确认提交');
    expect([first[0]!.caseCode, second[0]!.caseCode]).toEqual(['XH-2026-000001', 'XH-2026-000002']);
    expect((await db.all<{ text: string }>('SELECT text FROM cases ORDER BY id')).map((r) => r.text)).toEqual([
      '我要投诉彩屯小学乱收费，每人多收200元',
      '我要投诉彩屯小学食堂卫生很差，饭菜有异味',
    ]);
    await db.close();
  });

  it('转人工 again after 取消 opens a new handoff that staff see, not the withdrawn one', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    expect((await c.say('转人工'))[0]!.caseCode).toBe('XH-2026-000001');
    await c.say('取消');
    const again = await c.say('转人工');
    expect(again[0]!.caseCode).toBe('XH-2026-000002');
    expect((await cases.get('XH-2026-000002'))?.state).toBe('received');
    await db.close();
  });
});

describe('a request typed while the filing waits for the phone', () => {
  it('查询进度, 帮助 and 删除我的数据 are answered, then the same step is asked again; nothing is filed or erased', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    const status = await c.say('查询进度');
    expect(texts(status)).not.toContain('不是有效的电话号码');
    expect(texts(status.slice(-1))).toBe(
      '（您的诉求还没有提交，我们继续。）\n请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。',
    );
    const privacy = await c.say('删除我的数据');
    expect(texts(privacy)).toContain('我们保存：');
    expect(texts(privacy)).toContain('正在登记的诉求提交或取消之后，再发送“删除我的数据”即可删除。');
    // No 确认删除 button: pressed now, its confirm would be read by the filing.
    expect(labels(privacy)).toEqual(['不留电话', '取消']);
    const help = await c.say('帮助');
    expect(texts(help)).toContain('我可以帮您');
    expect(labels(help)).toEqual(['不留电话', '取消']);
    // The flow is where it was: the phone completes it.
    expect(texts(await c.say('13812345678'))).toContain('内容：我要投诉彩屯小学乱收费，每人多收200元\n联系电话：138****5678');
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 0 });
    await db.close();
  });
});

describe('withdrawing a case already filed', () => {
  it('"我想撤回投诉" offers to withdraw the open case (no new filing); 确认撤回 withdraws it, staff see it', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    await c.press(await c.say('不留电话'), '确认提交');
    const offer = await c.say('我想撤回投诉');
    expect(texts(offer)).toBe('确认撤回诉求 XH-2026-000001？撤回后工作人员将不再办理。');
    expect(labels(offer)).toEqual(['确认撤回', '取消']);
    const done = await c.press(offer, '确认撤回');
    expect(texts(done)).toBe('已撤回诉求 XH-2026-000001，工作人员将不再办理。如有需要可随时重新提交。');
    expect((await cases.get('XH-2026-000001'))?.state).toBe('withdrawn');
    expect((await cases.history('XH-2026-000001')).at(-1)).toMatchObject({ actor: 'citizen', toState: 'withdrawn' });
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 1 });
    // Nothing left to withdraw; an old 确认撤回 does nothing.
    expect(texts(await c.say('撤回投诉'))).toBe('您目前没有正在办理、可以撤回的诉求。');
    expect(texts(await c.press(offer, '确认撤回'))).toContain('这次没有执行任何操作');
    await db.close();
  });

  it('with several open cases asks for the number; 取消 keeps the case; a question about withdrawing is not a request', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    for (const text of ['我要投诉彩屯小学乱收费，每人多收200元', '我要投诉彩屯小学食堂卫生很差，饭菜有异味']) {
      await c.say(text);
      await c.press(await c.say('不留电话'), '确认提交');
    }
    expect(texts(await c.say('撤回我的诉求'))).toBe('您有多件正在办理的诉求（XH-2026-000001、XH-2026-000002）。请发送“撤回”加编号，例如“撤回 XH-2026-000001”。');
    const offer = await c.say('撤回 xh-2026-000002');
    expect(texts(offer)).toBe('确认撤回诉求 XH-2026-000002？撤回后工作人员将不再办理。');
    expect(texts(await c.say('取消'))).toBe('好的，不撤回。您的诉求 XH-2026-000002 继续办理。');
    expect((await cases.get('XH-2026-000002'))?.state).toBe('received');
    expect(texts(await c.say('撤回投诉后还能再投诉吗'))).not.toContain('确认撤回');
    await db.close();
  });

  it('the words inside a complaint or an unrelated sentence are not a request to withdraw the open case', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元');
    await c.press(await c.say('不留电话'), '确认提交');
    for (const text of ['学校老师让我撤回投诉，不然就给孩子穿小鞋', '老师收回我的申请表，我要投诉', 'I want to withdraw my son from the kindergarten']) {
      const answer = texts(await c.say(text));
      expect(answer).not.toContain('确认撤回');
      expect(answer).not.toContain('Withdraw');
      await c.say('取消');
    }
    expect((await cases.get('XH-2026-000001'))?.state).toBe('received');
    await db.close();
  });
});

describe('menu buttons and commands while a filing is open', () => {
  it('/help and /status are answered and the flow goes on; 登记诉求 (/case) resumes it instead of starting over', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    expect(labels(await c.say('/case', { command: 'case' }))).toContain('投诉');
    await c.say('投诉');
    await c.say('彩屯小学每人多收200元资料费，至今未退'); // content in: the phone step
    const help = await c.say('/help', { command: 'help' });
    expect(texts(help)).toContain('我可以帮您');
    expect(labels(help)).toEqual(['不留电话', '取消']); // no 登记诉求 that would start over
    const again = await c.action({ kind: 'menu', item: 'file' });
    expect(texts(again)).toBe('（您的诉求还没有提交，我们继续。）\n请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。');
    expect(texts(await c.say('/status', { command: 'status' }))).toContain('（您的诉求还没有提交，我们继续。）');
    expect(texts(await c.say('不留电话'))).toContain('内容：彩屯小学每人多收200元资料费，至今未退\n');
    await db.close();
  });
});
