import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { yearBounds } from '../../../src/core/reports/annual/gather.js';
import { requestTimeliness } from '../../../src/storage/annual-report-repo.js';
import { blockAction, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';
import { buttonsOf } from '../../helpers/slack-blocks.js';
import { PERSON_ID } from '../../helpers/identity-numbers.js';
import { deskFixture } from '../../core/cases/setup.js';

const select = (value: string) => ({ selected_option: { value } });

/**
 * 《政府信息公开条例》第三十条: "答复期限自行政机关收到补正的申请之日起计算". A 政府信息公开申请 by letter whose 补正 comes back
 * by post: staff record the day it arrived in Slack (button + modal, or `/case corrected`), the 20 working days run from
 * it, and an answer months later is late in the annual report. Until then the request cannot be answered and closed as
 * if no clock existed (review17 #8).
 */
describe('Slack: 补正已收到 for a 政府信息公开申请 without a chat (signed Bolt requests, real desk on SQLite)', () => {
  let h: SlackHarness;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;
  const at = (iso: string) => (fixture.clock.now = new Date(iso));
  let n = 0;

  beforeEach(async () => {
    fixture = await deskFixture({ now: '2026-02-10T02:00:00Z' }); // Tuesday 10:00 Beijing
    h = await startSlackHarness({ now: () => fixture.clock.now }, { db: fixture.db, desk: fixture.desk });
  });
  afterEach(async () => {
    await h.close();
    await fixture.close();
  });

  const letter = (key: string) =>
    h.desk.file({
      type: 'disclosure', channel: 'letter', text: '申请公开2025年学区划分依据', contact: '13812345678', citizenName: '张三',
      receivedAt: fixture.clock.now, actor: 'slack:USTAFF1', idempotencyKey: key, applicantType: '自然人', applicantIdType: '居民身份证',
      applicantIdNumber: PERSON_ID, deliveryForm: '纸质', deliveryMethod: '邮寄', deliveryAddress: '辽宁省本溪市溪湖区河西路1号',
    });
  const submit = async (callbackId: string, code: string, values: Parameters<typeof viewSubmission>[0]['values']) => {
    const mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId, privateMetadata: code, values }));
    return String((await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark })).body.text);
  };
  const command = async (text: string) => {
    const id = `c${n++}`;
    const mark = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/case', text, response_url: h.stub.responseUrl(id) }));
    return String(((await h.stub.waitFor('response_url', (c) => c.path?.endsWith(id) ?? false, { since: mark })).body as { text?: string }).text);
  };

  it('the card offers 补正已收到 while it is awaited; the clock restarts on the day it arrived; the annual report judges the answer', async () => {
    const c = await letter('letter-1');
    await h.slack.staffDesk.drainOnce();
    at('2026-02-12T02:00:00Z');
    expect(await submit(VIEWS.correct, c.code, { missing: '请补充身份证明复印件', via: select('书面') })).toContain('补正告知');
    const mark = h.stub.calls.length;
    await h.slack.staffDesk.drainOnce();
    expect(buttonsOf(await h.stub.waitFor('chat.update', undefined, { since: mark }))).toContain(CASE_ACTIONS.corrected);
    expect((await h.desk.get(c.code))?.deadlineOn).toBeNull();

    // Answering while the 补正 is still awaited would leave the answer with no deadline to be judged by.
    at('2026-02-24T02:00:00Z');
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    const early = await submit(VIEWS.close, c.code, { note: '见附件', via: select('书面'), applicant: select('自然人'), result: select('（一）予以公开') });
    expect(early).toContain(`申请 ${c.code} 仍在等待补正，答复期限暂停：收到补正的，请先登记“补正已收到”`);
    expect((await h.desk.get(c.code))?.state).toBe('claimed');

    // The corrected letter was signed for on Friday 2026-02-20; staff record it on 2026-02-24.
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.corrected, value: c.code }));
    const open = await h.stub.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEWS.corrected);
    expect(JSON.stringify(open.body.view)).toContain('要求补正的内容：请补充身份证明复印件');
    expect(JSON.stringify(open.body.view)).toContain('"initial_date":"2026-02-24"');
    expect(await submit(VIEWS.corrected, c.code, { date: { selected_date: '2026-02-25' } })).toContain('补正收到日期 2026-02-25 还没有到（今天是 2026-02-24）');
    expect(await submit(VIEWS.corrected, c.code, { date: { selected_date: '2026-02-11' } })).toContain('于 2026-02-12 才要求补正');
    const due = h.desk.calendar.addWorkingDays('2026-02-20', 20);
    const done = await submit(VIEWS.corrected, c.code, { date: { selected_date: '2026-02-20' }, text: '已收到身份证明复印件' });
    expect(done).toBe(`已登记申请 ${c.code} 于 2026-02-20 收到补正，答复期限自该日起重新计算，新的答复期限为 ${due}。`);
    expect((await h.desk.get(c.code))?.deadlineOn).toBe(due);
    const after = h.stub.calls.length;
    await h.slack.staffDesk.drainOnce();
    expect(buttonsOf(await h.stub.waitFor('chat.update', undefined, { since: after }))).not.toContain(CASE_ACTIONS.corrected);

    // Answered five months later: late, and the annual report says so.
    at('2026-08-03T02:00:00Z');
    await h.desk.act(c.code, { kind: 'close', note: '见附件', via: '书面', disclosureResult: '（一）予以公开', applicantType: '自然人' }, 'slack:USTAFF1');
    expect(await requestTimeliness(h.db, yearBounds(2026, 'Asia/Shanghai', new Date('2026-12-31T02:00:00Z')))).toEqual({ finished: 1, late: 1, estimated: 0, straddling: 0 });
  });

  it('`/case corrected CODE [date]` is the text form; an abandoned request still closes as （六）1', async () => {
    const c = await letter('letter-2');
    const d = await letter('letter-3');
    at('2026-02-12T02:00:00Z');
    await h.desk.requestCorrection(c.code, '请补充身份证明复印件', 'slack:USTAFF1', '书面');
    await h.desk.requestCorrection(d.code, '请说明所需信息的名称', 'slack:USTAFF1', '书面');
    at('2026-02-24T02:00:00Z');
    expect(await command('corrected')).toContain('用法：`/case corrected 编号 [收到日期] [说明]`');
    expect(await command(`corrected ${c.code} 2026-2-20 已收到身份证明复印件`)).toContain(`已登记申请 ${c.code} 于 2026-02-20 收到补正`);
    expect((await h.desk.get(c.code))?.deadlineOn).toBe(h.desk.calendar.addWorkingDays('2026-02-20', 20));
    expect(await command(`corrected ${c.code}`)).toContain(`申请 ${c.code} 没有正在等待的补正要求`);

    at('2026-06-01T02:00:00Z');
    await h.desk.act(d.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.desk.act(d.code, { kind: 'close', note: '申请人逾期未补正，视为放弃申请。', via: '书面', disclosureResult: '（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', applicantType: '自然人' }, 'slack:USTAFF1');
    expect((await h.desk.get(d.code))?.state).toBe('closed');
  });
});
