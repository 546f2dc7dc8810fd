import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';
import { buttonsOf, contextOf } from '../../helpers/slack-blocks.js';
import { complaint, deskFixture, outbox } from '../../core/cases/setup.js';

const parentTexts = async (h: SlackHarness, caseId: number) =>
  (await outbox(h.db, caseId)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);

describe('Slack staff desk: disclosure clock pauses (《政府信息公开条例》第三十条、第三十二条、第三十三条)', () => {
  let h: SlackHarness;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;
  const at = (iso: string) => (fixture.clock.now = new Date(iso));

  beforeEach(async () => {
    fixture = await deskFixture({ now: '2026-02-10T02:00:00Z' }); // Tuesday 10:00 Beijing
    h = await startSlackHarness({ now: () => fixture.clock.now }, { db: fixture.db, desk: fixture.desk });
  });
  afterEach(async () => {
    await h.close();
    await fixture.close();
  });

  it('offers 要求补正 and 征求第三方意见 on disclosure case messages only', async () => {
    await h.desk.file(complaint({ chatId: '9001', citizenRef: '9001' }));
    await h.desk.file(complaint({ type: 'disclosure', chatId: '9002', citizenRef: '9002', text: '申请公开2025年学区划分依据' }));
    await h.slack.staffDesk.drainOnce();
    const posts = h.stub.callsOf('chat.postMessage').filter((c) => !c.body.thread_ts);
    expect(posts).toHaveLength(2);
    expect(buttonsOf(posts[0]!)).not.toContain(CASE_ACTIONS.correct);
    expect(buttonsOf(posts[0]!)).not.toContain(CASE_ACTIONS.consult);
    expect(buttonsOf(posts[1]!)).toEqual(expect.arrayContaining([CASE_ACTIONS.correct, CASE_ACTIONS.consult]));
    expect(buttonsOf(posts[1]!)).not.toContain(CASE_ACTIONS.consulted);
    const labels = JSON.stringify(posts[1]!.body.blocks);
    expect(labels).toContain('"要求补正"');
    expect(labels).toContain('"征求第三方意见"');
  });

  it('要求补正: the modal asks what is missing, the parent is asked, the clock stops and the message says the request is pending', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9003', citizenRef: '9003', text: '申请公开2025年学区划分依据' }));
    expect(c.deadlineOn).toBe('2026-03-16');
    await h.slack.staffDesk.drainOnce();
    at('2026-02-12T02:00:00Z');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.correct, value: c.code }));
    const open = await h.stub.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEWS.correct);
    const empty = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.correct, privateMetadata: c.code, values: { missing: ' ' } }));
    expect(await empty.json()).toEqual({ response_action: 'errors', errors: { missing: '请填写此项。' } });

    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.correct, privateMetadata: c.code, values: { missing: '请补充申请人身份证明' } }));
    const note = await h.stub.waitFor('chat.postEphemeral');
    expect(note.body.text).toBe(`已向申请人发出案件 ${c.code} 的补正告知，答复期限暂停，收到补正后重新起算。`);
    const update = await h.stub.waitFor('chat.update');
    expect((await h.desk.get(c.code))?.deadlineOn).toBeNull();
    expect((await parentTexts(h, c.id)).at(-1)).toContain(`您的政府信息公开申请 ${c.code} 需要补正：请补充申请人身份证明。`);
    expect(buttonsOf(update)).not.toContain(CASE_ACTIONS.correct);
    expect(contextOf(update)).toContain('2026-02-12 已要求补正：请补充申请人身份证明。申请人尚未补正，申请待补正');
    const line = await h.stub.waitFor('chat.postMessage', (p) => Boolean(p.body.thread_ts));
    expect(String(line.body.text)).toContain('<@USTAFF1> 要求补正（计时暂停）：请补充申请人身份证明');

    // The parent's answer restarts the clock; the message shows the new deadline and no pending line.
    at('2026-02-26T02:00:00Z');
    const mark = h.stub.calls.length;
    await h.desk.addFollowUp(c.code, '已补充身份证明材料', 'citizen');
    await h.slack.staffDesk.drainOnce();
    const after = await h.stub.waitFor('chat.update', undefined, { since: mark });
    expect(JSON.stringify(after.body.blocks)).toContain('2026-03-25');
    expect(contextOf(after)).not.toContain('申请待补正');
  });

  it('征求第三方意见 pauses the clock and 意见已收到 resumes it, the buttons following the state', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9004', citizenRef: '9004', text: '申请公开某校食堂承包合同' }));
    await h.slack.staffDesk.drainOnce();
    const before = (await parentTexts(h, c.id)).length;
    at('2026-03-02T02:00:00Z');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.consult, value: c.code }));
    expect(((await h.stub.waitFor('views.open')).body.view as { callback_id: string }).callback_id).toBe(VIEWS.consult);
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.consult, privateMetadata: c.code, values: { party: '某餐饮公司（第三方）' } }));
    const paused = await h.stub.waitFor('chat.update');
    expect((await h.desk.get(c.code))?.deadlineOn).toBeNull();
    expect(buttonsOf(paused)).toContain(CASE_ACTIONS.consulted);
    expect(buttonsOf(paused)).not.toContain(CASE_ACTIONS.consult);
    expect(contextOf(paused)).toContain('2026-03-02 起征求第三方意见：某餐饮公司（第三方）。征求意见期间不计入答复期限');

    at('2026-03-09T02:00:00Z');
    const mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.consulted, value: c.code }));
    const resumed = await h.stub.waitFor('chat.update', undefined, { since: mark });
    expect((await h.desk.get(c.code))?.deadlineOn).toBe('2026-03-23'); // 2026-03-16 + 5 working days not counted
    expect(buttonsOf(resumed)).toContain(CASE_ACTIONS.consult);
    expect(buttonsOf(resumed)).not.toContain(CASE_ACTIONS.consulted);
    expect(JSON.stringify(resumed.body.blocks)).toContain('2026-03-23');
    const line = await h.stub.waitFor('chat.postMessage', (p) => String(p.body.text).includes('第三方意见征求结束'), { since: mark });
    expect(line.body.thread_ts).toBeTruthy();
    expect(await parentTexts(h, c.id)).toHaveLength(before); // the parent is not told about a consultation
  });

  it('refuses a tampered pause action or submission on a non-disclosure case, and 补正 after 7 working days', async () => {
    const other = await h.desk.file(complaint({ chatId: '9005', citizenRef: '9005' }));
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.correct, value: other.code, responseUrl: h.stub.responseUrl('c1') }));
    expect((await h.stub.waitFor('response_url')).body.text).toBe(
      `案件 ${other.code} 不是政府信息公开申请：要求补正、征求第三方意见只适用于政府信息公开申请（《政府信息公开条例》第三十条、第三十三条）。`,
    );
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.consult, privateMetadata: other.code, values: { party: '某公司' } }));
    expect((await h.stub.waitFor('chat.postEphemeral')).body.text).toContain(`案件 ${other.code} 不是政府信息公开申请`);
    expect(h.stub.callsOf('views.open')).toHaveLength(0);
    expect((await h.desk.history(other.code)).map((e) => e.kind)).toEqual(['created']);

    const late = await h.desk.file(complaint({ type: 'disclosure', chatId: '9006', citizenRef: '9006', text: '申请公开学校布局调整方案' }));
    at('2026-02-27T02:00:00Z'); // received Tue 10 Feb; 2月14日–23日 春节 (2月14日、28日 上班): 8 working days later
    const mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.correct, privateMetadata: late.code, values: { missing: '请补充身份证明' } }));
    const refused = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(refused.body.text).toContain('超过《政府信息公开条例》第三十条规定的 7 个工作日补正告知期限，不能再要求补正。请按现有申请内容答复');
    expect((await h.desk.get(late.code))?.deadlineOn).not.toBeNull();
    await h.slack.staffDesk.drainOnce();
    const post = h.stub.callsOf('chat.postMessage').find((p) => JSON.stringify(p.body.blocks).includes(late.code))!;
    expect(buttonsOf(post)).not.toContain(CASE_ACTIONS.correct); // no longer offered
    expect(buttonsOf(post)).toContain(CASE_ACTIONS.consult);
  });

  it('after one answered 补正, the button is gone and a stale button or a modal submission is refused in Chinese', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9101', citizenRef: '9101', text: '申请公开2025年学区划分依据' }));
    at('2026-02-11T02:00:00Z');
    await h.desk.requestCorrection(c.code, '请补充申请人身份证明', 'slack:USTAFF1');
    at('2026-02-12T02:00:00Z');
    await h.desk.addFollowUp(c.code, '已补充身份证明材料', 'citizen');
    await h.slack.staffDesk.drainOnce();
    const latest = [...h.stub.callsOf('chat.update'), ...h.stub.callsOf('chat.postMessage').filter((p) => !p.body.thread_ts)].at(-1)!;
    expect(buttonsOf(latest)).not.toContain(CASE_ACTIONS.correct);
    expect(buttonsOf(latest)).toContain(CASE_ACTIONS.consult);

    const refusal =
      `案件 ${c.code} 现在不能这样处理：申请 ${c.code} 已于 2026-02-11 要求过补正。补正应当一次性告知（《政府信息公开条例》第三十条），不能再次要求补正；` +
      '请按现有申请内容答复，内容确实无法确定的，可在答复中说明（年报“补正后申请内容仍不明确”）。';
    // A click on the button of an older copy of the message: no modal, the refusal.
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.correct, value: c.code, responseUrl: h.stub.responseUrl('again') }));
    expect((await h.stub.waitFor('response_url')).body.text).toBe(refusal);
    expect(h.stub.callsOf('views.open')).toHaveLength(0);

    // A modal opened before the first 补正 and submitted now: refused, nothing recorded, the parent not asked.
    const mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.correct, privateMetadata: c.code, values: { missing: '再补充学籍证明' } }));
    // The text typed is given back with the refusal (review18 R8).
    expect((await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark })).body.text).toBe(`${refusal}\n\n您在表单中填写的内容如下，可复制后重新提交：\nmissing：\n\`\`\`\n再补充学籍证明\n\`\`\``);
    expect((await h.desk.history(c.code)).map((e) => e.kind)).toEqual(['created', 'correction_requested', 'followup', 'correction_received']);
  });

  it('a running consultation shows the third party\'s reply date, and past it how many working days late', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9102', citizenRef: '9102', text: '申请公开某校食堂承包合同' }));
    at('2026-03-02T02:00:00Z'); // Monday
    await h.desk.startConsultation(c.code, '某餐饮公司（第三方）', 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    const paused = [...h.stub.callsOf('chat.update'), ...h.stub.callsOf('chat.postMessage').filter((p) => !p.body.thread_ts)].at(-1)!;
    // 15 working days after 2026-03-02: 3–6, 9–13, 16–20, 23 March.
    expect(contextOf(paused)).toContain('第三方应于 2026-03-23 前提出意见（第三十二条：15个工作日）。');

    at('2026-03-25T02:00:00Z'); // two working days later; claiming the case re-renders the message
    const mark = h.stub.calls.length;
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    const late = await h.stub.waitFor('chat.update', undefined, { since: mark });
    expect(contextOf(late)).toContain(':warning: 第三方答复期限 2026-03-23 已过 2 个工作日（第三十二条：15个工作日）：请催办，或按条例规定自行决定是否公开。');
  });
});
