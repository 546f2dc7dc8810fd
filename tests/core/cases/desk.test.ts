import { afterEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { complaint, count, deskFixture, outbox } from './setup.js';

let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});

describe('CaseDesk.file', () => {
  it('commits the case, its created and context events, the citizen message and the staff notice', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint({ context: ['家长：转人工', '机器人：好的，正在为您转接工作人员。'] }));
    expect(record).toMatchObject({
      code: 'XH-2026-000001', state: 'received', type: 'complaint', channel: 'telegram', chatId: '10001',
      deadlineOn: '2026-03-02', deadlineEstimated: false, receivedAt: '2026-02-10T02:00:00.000Z', handoff: false,
    });
    const history = await fx.desk.history(record.code);
    expect(history.map((e) => [e.kind, e.toState, e.note])).toEqual([
      ['created', 'received', null],
      ['context', null, '家长：转人工'],
      ['context', null, '机器人：好的，正在为您转接工作人员。'],
    ]);
    expect(await outbox(fx.db, record.id)).toEqual([
      {
        target: 'telegram',
        address: '10001',
        payload: [{ text: '您的投诉已登记，编号 XH-2026-000001。我们将在 2026年3月2日前答复您。查询进度请发送“查询 XH-2026-000001”。', caseCode: 'XH-2026-000001' }],
      },
      { target: 'staff', address: '-', payload: { change: 'created', caseCode: 'XH-2026-000001', eventId: history[0]!.id } },
    ]);
    expect((await fx.desk.file(complaint())).code).toBe('XH-2026-000002');
  });

  it('numbers per year of receipt in TIMEZONE with the configured prefix', async () => {
    // Logged on 2 January (a receipt time still to come is refused, so the clock is past both receipts).
    fx = await deskFixture({ now: '2027-01-02T02:00:00Z', config: { CASE_PREFIX: 'BX' } });
    const late = await fx.desk.file(complaint({ receivedAt: new Date('2026-12-31T17:00:00Z') })); // 01:00 on 1 January in Beijing
    expect(late).toMatchObject({ code: 'BX-2027-000001', deadlineOn: '2027-01-15', deadlineEstimated: true });
    expect((await fx.desk.file(complaint({ receivedAt: new Date('2026-12-31T15:00:00Z') }))).code).toBe('BX-2026-000001'); // 23:00 on 31 December
  });

  it('tells an English-speaking parent in English, and marks an estimated deadline', async () => {
    fx = await deskFixture({ now: '2026-12-28T03:00:00Z' });
    const record = await fx.desk.file(complaint({ type: 'inquiry', locale: 'en' }));
    const [citizen] = await outbox(fx.db, record.id);
    expect((citizen!.payload as { text: string }[])[0]!.text).toBe(
      `Your inquiry has been registered as ${record.code}. We will answer by 2027-01-05 (estimated from the statutory holidays; ` +
        `the official holiday schedule may change it). To check its progress, send "status ${record.code}".`,
    );
  });

  it('queues no citizen message for a case logged from the phone, without a chat, or shown by the caller', async () => {
    fx = await deskFixture();
    const phone = await fx.desk.file(complaint({ channel: 'phone', chatId: null, actor: 'console' }));
    const noChat = await fx.desk.file(complaint({ chatId: null }));
    const shownByEngine = await fx.desk.file(complaint({ notifyCitizen: false }));
    expect((await outbox(fx.db)).map((r) => r.target)).toEqual(['staff', 'staff', 'staff']);
    const created = (await fx.desk.history(shownByEngine.code))[0]!;
    expect(fx.desk.citizenMessage(shownByEngine, created)?.text).toContain(`编号 ${shownByEngine.code}`);
    expect((await fx.desk.act(phone.code, { kind: 'claim' }, 'console')).case.state).toBe('claimed');
    expect((await outbox(fx.db, noChat.id)).map((r) => r.target)).toEqual(['staff']);
  });

  it('returns the first case for a repeated idempotency key and writes nothing new', async () => {
    fx = await deskFixture();
    const first = await fx.desk.file(complaint({ idempotencyKey: 'telegram:update:555' }));
    const tables = ['cases', 'case_events', 'outbox', 'audit_log', 'case_counters'];
    const before = await Promise.all(tables.map((t) => count(fx.db, t)));
    const again = await fx.desk.file(complaint({ idempotencyKey: 'telegram:update:555', text: '重复投递的同一条消息' }));
    expect(again).toEqual(first);
    expect(await Promise.all(tables.map((t) => count(fx.db, t)))).toEqual(before);
    expect((await fx.desk.file(complaint({ idempotencyKey: 'telegram:update:556' }))).code).toBe('XH-2026-000002');
  });

  it('rejects invalid input with every problem named', async () => {
    fx = await deskFixture();
    await expect(fx.desk.file(complaint({ text: '  ', type: 'rumour' as never }))).rejects.toThrow(
      'Invalid case: type: type must be one of inquiry, complaint, suggestion, help, disclosure, petition; text: text must not be empty',
    );
  });
});

describe('CaseDesk.act', () => {
  it('puts the staff reply in the citizen message and ends a handoff on reply', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint({ type: 'inquiry', handoff: true }));
    expect(record.handoff).toBe(true);
    await fx.desk.act(record.code, { kind: 'claim' }, 'slack:U01');
    const { case: after } = await fx.desk.act(record.code, { kind: 'reply', text: '新生入学报名时间为7月1日至7月10日。' }, 'slack:U01');
    expect(after).toMatchObject({ state: 'replied', handoff: false, assignee: 'slack:U01' });
    const texts = (await outbox(fx.db, record.id)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);
    expect(texts.at(-1)).toBe(`关于您的诉求 ${record.code}，工作人员答复如下：\n新生入学报名时间为7月1日至7月10日。`);
  });

  it('clears the handoff on close and offers the rating buttons', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint({ handoff: true }));
    await fx.desk.act(record.code, { kind: 'claim' }, 'console');
    const { case: closed } = await fx.desk.act(record.code, { kind: 'close', note: '当面答复' }, 'console');
    expect(closed).toMatchObject({ state: 'closed', handoff: false, closeNote: '当面答复', closedAt: '2026-02-10T02:00:00.000Z' });
    const last = (await outbox(fx.db, record.id)).filter((r) => r.target === 'telegram').at(-1)!.payload as { buttons: { label: string; payload: unknown }[][] }[];
    // One order on every channel: 1 star first, so the console's [N] is N stars; then the objection.
    expect(last[0]!.buttons.map((row) => row[0]!.label)).toEqual(['★ 非常不满意', '★★ 不满意', '★★★ 一般', '★★★★ 满意', '★★★★★ 非常满意', '不满意，要求重新办理']);
    expect(last[0]!.buttons[4]![0]!.payload).toEqual({ kind: 'rate', caseCode: record.code, value: 5 });
    expect(last[0]!.buttons[5]![0]!.payload).toEqual({ kind: 'reopen', caseCode: record.code });
  });

  it('speaks English to an English-speaking parent through the whole lifecycle', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint({ locale: 'en', channel: 'console', chatId: 'console' }));
    await fx.desk.act(record.code, { kind: 'claim' }, 'console');
    await fx.desk.act(record.code, { kind: 'extend', reason: 'We need the school\'s receipts.', approvedBy: '王科长' }, 'console');
    await fx.desk.act(record.code, { kind: 'close', note: 'The school has refunded the fee.' }, 'console');
    const citizen = (await outbox(fx.db, record.id)).filter((r) => r.target === 'console');
    const texts = citizen.map((r) => (r.payload as { text: string }[])[0]!.text);
    expect(texts.slice(1)).toEqual([
      `Your case ${record.code} has been taken on by a member of staff. The answer is due by 2026-03-02.`,
      `Your case ${record.code} needs more time. The new deadline is 2026-03-09. Reason: We need the school's receipts.`,
      `About your case ${record.code}, the bureau answers:\nThe school has refunded the fee.\nThe case is now closed.\n` +
        'Please rate how it was handled (1 star lowest, 5 stars highest). If you are not satisfied, press "Not satisfied, reopen" or reply "reopen" with your reason within 15 days of closing.',
    ]);
    const buttons = (citizen.at(-1)!.payload as { buttons: { label: string }[][] }[])[0]!.buttons;
    expect(buttons.map((row) => row[0]!.label)).toEqual(['★ Very dissatisfied', '★★ Dissatisfied', '★★★ Neutral', '★★★★ Satisfied', '★★★★★ Very satisfied', 'Not satisfied, reopen']);
  });

  it('extends a deadline once, with the reason, and refuses a second extension', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint({ type: 'disclosure', text: '申请公开2026年溪湖区义务教育学校招生计划' }));
    await fx.desk.act(record.code, { kind: 'claim' }, 'console');
    const { case: extended } = await fx.desk.act(record.code, { kind: 'extend', reason: '需征求第三方意见', approvedBy: '王科长' }, 'console');
    expect(extended).toMatchObject({ state: 'extended', extended: true, extensionReason: '需征求第三方意见', deadlineOn: '2026-04-14' });
    await fx.desk.act(record.code, { kind: 'reply', text: '已答复' }, 'console');
    await fx.desk.act(record.code, { kind: 'close', note: '', disclosureResult: '（一）予以公开' }, 'console');
    // A disclosure answer is not reopened (review 16 #4): the once-only extension is checked on a complaint.
    await expect(fx.desk.act(record.code, { kind: 'reopen' }, 'citizen')).rejects.toThrow(`Disclosure request ${record.code} was answered and cannot be reopened`);
    const complaintCase = await fx.desk.file(complaint({ text: '校车超载' }));
    await fx.desk.act(complaintCase.code, { kind: 'claim' }, 'console');
    await fx.desk.act(complaintCase.code, { kind: 'extend', reason: '需现场核查', approvedBy: '王科长' }, 'console');
    await fx.desk.act(complaintCase.code, { kind: 'reply', text: '已答复' }, 'console');
    await fx.desk.act(complaintCase.code, { kind: 'close', note: '' }, 'console');
    await fx.desk.act(complaintCase.code, { kind: 'reopen' }, 'citizen');
    await expect(fx.desk.act(complaintCase.code, { kind: 'extend', reason: '再次延期', approvedBy: '王科长' }, 'console')).rejects.toThrow(
      `Case ${complaintCase.code} was already extended once (reason: 需现场核查); a deadline can be extended only once.`,
    );
  });

  it('reopens within REOPEN_DAYS of closing and not after, with a fresh deadline', async () => {
    fx = await deskFixture({ config: { REOPEN_DAYS: 15 } });
    const a = await fx.desk.file(complaint());
    const b = await fx.desk.file(complaint());
    for (const c of [a, b]) {
      await fx.desk.act(c.code, { kind: 'claim' }, 'console');
      await fx.desk.act(c.code, { kind: 'close', note: '已处理' }, 'console');
    }
    fx.clock.now = new Date('2026-02-25T09:00:00Z'); // 15 days later
    const { case: reopened } = await fx.desk.act(a.code, { kind: 'reopen', note: '家长表示仍未退费' }, 'citizen');
    expect(reopened).toMatchObject({ state: 'reopened', closedAt: null, closeNote: null, deadlineOn: '2026-03-10' }); // 10 working days from 2月25日
    fx.clock.now = new Date('2026-02-26T09:00:00Z'); // 16 days later
    await expect(fx.desk.act(b.code, { kind: 'reopen' }, 'citizen')).rejects.toThrow(
      `Case ${b.code} was closed on 2026-02-10, 16 days ago: it can be reopened only within 15 days of closing (REOPEN_DAYS). File a new case instead.`,
    );
  });

  it('restarts the clock at 签收 for a type whose rule says clockStart: claimed', async () => {
    fx = await deskFixture();
    const db = fx.db;
    const { createCaseDesk } = await import('../../../src/core/cases/index.js');
    const { loadDeadlineRules } = await import('../../../src/core/deadlines/index.js');
    const rules = loadDeadlineRules();
    rules.help = { ...rules.help, clockStart: 'claimed' };
    const clock = { now: new Date('2026-02-12T02:00:00Z') };
    const desk = createCaseDesk({ db, rules, now: () => clock.now });
    const record = await desk.file(complaint({ type: 'help', text: '孩子转学手续办不下来，请帮忙' }));
    expect(record.deadlineOn).toBe('2026-03-04'); // provisional: 10 working days from receipt
    clock.now = new Date('2026-02-24T02:00:00Z');
    expect((await desk.act(record.code, { kind: 'claim' }, 'console')).case.deadlineOn).toBe('2026-03-09');
  });

  it('records one audit row per staff action and names unknown codes', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint());
    await fx.desk.act(record.code.toLowerCase(), { kind: 'claim' }, 'slack:U07');
    await fx.desk.addNote(record.code, '已联系学校核实', 'slack:U07');
    const audit = await fx.db.all<{ actor: string; action: string; subject: string }>('SELECT actor, action, subject FROM audit_log ORDER BY id');
    expect(audit).toEqual([
      { actor: 'citizen', action: 'case.file', subject: record.code },
      { actor: 'slack:U07', action: 'case.claim', subject: record.code },
      { actor: 'slack:U07', action: 'case.note', subject: record.code },
    ]);
    await expect(fx.desk.act('XH-2026-999999', { kind: 'claim' }, 'console')).rejects.toMatchObject({
      code: 'case_not_found',
      message: 'No case with code XH-2026-999999. Check the code (e.g. XH-2026-000123).',
    });
    await expect(fx.desk.act(record.code, { kind: 'reply', text: ' ' }, 'console')).rejects.toThrow('Invalid case action: text: reply text must not be empty');
  });

  it('adds follow-ups (staff notice, no citizen message) and notes (neither)', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint({ handoff: true }));
    const follow = await fx.desk.addFollowUp(record.code, '补充一下：收费没有开收据。');
    await fx.desk.addNote(record.code, '内部备注：需核实', 'console');
    expect(follow).toMatchObject({ kind: 'followup', actor: 'citizen', note: '补充一下：收费没有开收据。' });
    expect((await outbox(fx.db, record.id)).map((r) => r.target)).toEqual(['telegram', 'staff', 'staff']);
    expect((await outbox(fx.db, record.id))[2]!.payload).toEqual({ change: 'followup', caseCode: record.code, eventId: follow.id });
    const ended = await fx.desk.endHandoff(record.code, 'citizen');
    expect(ended.handoff).toBe(false);
    expect((await fx.desk.history(record.code)).map((e) => e.kind)).toEqual(['created', 'followup', 'note', 'note']);
  });

  it('lists by state, chat and deadline', async () => {
    fx = await deskFixture();
    const a = await fx.desk.file(complaint({ type: 'inquiry' })); // due 2026-02-24
    const b = await fx.desk.file(complaint({ chatId: '20002' })); // due 2026-03-02
    await fx.desk.act(b.code, { kind: 'claim' }, 'console');
    expect((await fx.desk.list({ states: ['received'] })).map((c) => c.code)).toEqual([a.code]);
    expect((await fx.desk.list({ chatId: '20002' })).map((c) => c.code)).toEqual([b.code]);
    expect((await fx.desk.list({ outcome: { day: { today: '2026-02-25', offsetMinutes: 480 }, in: ['openOverdue'] } })).map((c) => c.code)).toEqual([a.code]);
    expect((await fx.desk.list({ dueBy: '2026-03-02' })).map((c) => c.code)).toEqual([b.code, a.code]);
    expect((await fx.desk.list({ assignee: 'console' })).map((c) => c.code)).toEqual([b.code]);
  });
});

describe('CaseDesk.queued', () => {
  it("wakes the citizen's channel after a change for the citizen committed, not for staff-only changes", async () => {
    const base = await deskFixture();
    fx = base;
    const record = await base.desk.file(complaint({ notifyCitizen: false }));
    const seen: number[] = [];
    // Each wake reports how many citizen messages of the case are committed when it comes.
    const citizenRows = async () => (await outbox(base.db, record.id)).filter((r) => r.target !== 'staff').length;
    const woken: Promise<number>[] = [];
    const desk = createCaseDesk({ db: base.db, now: () => new Date('2026-02-10T03:00:00Z'), queued: () => void woken.push(citizenRows()) });
    await desk.act(record.code, { kind: 'claim' }, 'U1');
    await desk.addNote(record.code, '已电话联系学校', 'U1');
    await desk.act(record.code, { kind: 'reply', text: '已责令学校退还多收的费用。' }, 'U1');
    for (const n of woken) seen.push(await n);
    expect(seen).toEqual([1, 2]);
  });
});

