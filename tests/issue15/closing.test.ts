import { afterEach, describe, expect, it } from 'vitest';
import { FRIDAY_MORNING } from '../core/engine/harness.js';
import { complaint, deskFixture, outbox, refusal } from '../core/cases/setup.js';
import { consoleSession } from './console-harness.js';

/** Issue 15 item 1: no case is closed without an answer the parent gets, or a reason they are told. */
let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const parentTexts = async (f: NonNullable<typeof fx>, caseId: number) =>
  (await outbox(f.db, caseId)).filter((r) => r.target !== 'staff').map((r) => (r.payload as { text: string }[])[0]!.text);

describe('closing a case (console staff desk, real engine)', () => {
  it('refuses /case close without a reply or a closing answer, and sends the closing answer to the parent', async () => {
    const s = await consoleSession(FRIDAY_MORNING);
    const out = await s.run([
      '我要投诉彩屯小学乱收费，每人多收200元资料费',
      '不留电话',
      '确认',
      '/case claim XH-2026-000001',
      '/case close XH-2026-000001',
    ]);
    expect(out).toContain('诉求 XH-2026-000001 尚未答复家长：办结时请填写给家长的办结答复（家长可见），例如 /case close XH-2026-000001 答复内容。');
    expect(out).not.toContain('已办结');
    expect((await s.cases.get('XH-2026-000001'))?.state).toBe('claimed');

    const closed = await s.run(['/case close XH-2026-000001 经核实，学校已退还多收的资料费。']);
    expect(closed).toContain('助手：关于您的诉求 XH-2026-000001，工作人员答复如下：\n经核实，学校已退还多收的资料费。\n该诉求已办结。');
    expect(closed).toContain('[1] ★ 非常不满意');
    expect(closed).toContain('[6] 不满意，要求重新办理');
    expect(closed).not.toMatch(/→ closed（console）\s*-$/m);
    expect((await s.cases.get('XH-2026-000001'))?.closeBasis).toBe('message');
    await s.close();
  });

  it('closes after a reply without another note, and the parent reads the reply before the closing', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    await fx.desk.act(c.code, { kind: 'reply', text: '已责成学校退费。' }, 'console');
    const { case: closed } = await fx.desk.act(c.code, { kind: 'close', note: '' }, 'console');
    expect(closed).toMatchObject({ state: 'closed', closeBasis: 'answered' });
    const texts = await parentTexts(fx, c.id);
    expect(texts.at(-2)).toBe(`关于您的诉求 ${c.code}，工作人员答复如下：\n已责成学校退费。`);
    expect(texts.at(-1)).toMatch(new RegExp(`^您的诉求 ${c.code} 已办结，感谢您的耐心等待。\\n请为本次办理结果评价`));
  });

  it('after a reopen, the old reply no longer counts: a new answer is needed', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    await fx.desk.act(c.code, { kind: 'reply', text: '已责成学校退费。' }, 'console');
    await fx.desk.act(c.code, { kind: 'close', note: '' }, 'console');
    await fx.desk.act(c.code, { kind: 'reopen', note: '家长要求重新办理：仍未退费' }, 'citizen');
    expect(await refusal(fx.desk.act(c.code, { kind: 'close', note: '' }, 'console'))).toContain(`诉求 ${c.code} 尚未答复家长`);
  });

  it('closes a duplicate, a 不予处理 and an unreachable case with the reason the parent reads', async () => {
    fx = await deskFixture();
    const first = await fx.desk.file(complaint());
    const again = await fx.desk.file(complaint());
    await fx.desk.act(again.code, { kind: 'claim' }, 'console');
    expect(await refusal(fx.desk.act(again.code, { kind: 'close', basis: 'duplicate', note: '' }, 'console'))).toContain('请写明重复的诉求编号');
    expect(await refusal(fx.desk.act(again.code, { kind: 'close', basis: 'duplicate', duplicateOf: 'XH-2026-999999', note: '' }, 'console'))).toContain(
      '没有编号为 XH-2026-999999 的诉求',
    );
    await fx.desk.act(again.code, { kind: 'close', basis: 'duplicate', duplicateOf: first.code.toLowerCase(), note: '' }, 'console');
    expect((await parentTexts(fx, again.id)).at(-1)).toMatch(
      new RegExp(`^您的诉求 ${again.code} 与您的诉求 ${first.code} 反映的是同一事项，将在 ${first.code} 中一并办理答复，本件已办结。\\n`),
    );

    const refused = await fx.desk.file(complaint({ text: '要求教育局撤销市人社局的社保缴费决定。' }));
    await fx.desk.act(refused.code, { kind: 'claim' }, 'console');
    expect(await refusal(fx.desk.act(refused.code, { kind: 'close', basis: 'not-processed', note: '' }, 'console'))).toContain('请写明理由');
    await fx.desk.act(refused.code, { kind: 'close', basis: 'not-processed', note: '社保缴费不属于教育局职责，请向市人社局反映。' }, 'console');
    expect((await parentTexts(fx, refused.id)).at(-1)).toMatch(/经审查不予处理，已办结。理由：社保缴费不属于教育局职责，请向市人社局反映。\n如有疑问请致电 024-42842001。/);

    const gone = await fx.desk.file(complaint());
    await fx.desk.act(gone.code, { kind: 'claim' }, 'console');
    expect(await refusal(fx.desk.act(gone.code, { kind: 'close', basis: 'unreachable', note: '' }, 'console'))).toContain('未登记“联系不上诉求人”');
    await fx.desk.act(gone.code, { kind: 'unreachable', note: '三次致电无人接听' }, 'console');
    const { case: closed } = await fx.desk.act(gone.code, { kind: 'close', note: '' }, 'console');
    expect(closed.closeBasis).toBe('unreachable');
    expect((await parentTexts(fx, gone.id)).at(-1)).toBe(
      `工作人员多次联系您未能联系上，诉求 ${gone.code} 已办结。\n如需继续办理，请点“不满意，要求重新办理”或致电 024-42842001。\n` +
        '请为本次办理结果评价（1 星最低，5 星最高）。如对办理结果不满意，可在办结后 15 日内点“不满意，要求重新办理”或直接回复“要求重新办理”及原因。',
    );
  });

  it('closes a 政府信息公开申请 only with its table 三 result, told to the applicant with the reply', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint({ type: 'disclosure', text: '申请公开2026年溪湖区义务教育学校招生计划' }));
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    expect(await refusal(fx.desk.act(c.code, { kind: 'close', note: '招生计划见附件。' }, 'console'))).toContain('办结时请选择办理结果');
    const badResult = fx.desk.act(c.code, { kind: 'close', note: '招生计划见附件。', disclosureResult: '（九）随便' }, 'console');
    expect(await refusal(badResult)).toBe('办理结果必须是年报表三的结果项之一（见 /case results）。');
    expect(await refusal(badResult, 'en')).toBe('The result must be one of the results in table 3 of the annual report (see /case results).');
    await fx.desk.act(c.code, { kind: 'close', note: '招生计划已通过电子邮件发送给您。', disclosureResult: '（一）予以公开' }, 'console');
    expect((await parentTexts(fx, c.id)).at(-1)).toMatch(/招生计划已通过电子邮件发送给您。\n该诉求已办结。\n办理结果：予以公开\n如对本答复不服，您可以自知道本答复之日起60日内向本溪市溪湖区人民政府申请行政复议，或者在6个月内依法向人民法院提起行政诉讼。\n请为本次办理结果评价/);
  });
});

describe('a reply the parent did not receive', () => {
  it('does not let the case close on it: staff must give a closing answer', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    const { event } = await fx.desk.act(c.code, { kind: 'reply', text: '已责成学校退费。' }, 'console');
    // Telegram refused the message for good (the parent blocked the bot): the outbox marks it dead.
    await fx.db.run("UPDATE outbox SET state = 'dead', last_error = 'Forbidden: bot was blocked by the user' WHERE dedupe_key = ?", [
      `case-event:${event.id}:citizen`,
    ]);
    expect(await refusal(fx.desk.act(c.code, { kind: 'close', note: '' }, 'console'))).toContain(
      `诉求 ${c.code} 的答复没有送达家长（Forbidden: bot was blocked by the user）`,
    );
    const { case: closed } = await fx.desk.act(c.code, { kind: 'close', note: '已电话告知家长：学校已退费。' }, 'console');
    expect(closed.state).toBe('closed');
  });
});
