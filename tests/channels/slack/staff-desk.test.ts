import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';

describe('Slack staff desk: the case thread and the other actions', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('puts a citizen follow-up into the case thread, escaped and masked; its phone becomes the contact the card shows masked', async () => {
    const c = await h.desk.file({ type: 'help', channel: 'telegram', chatId: '4004', text: '孩子被同学欺负', actor: 'citizen', handoff: true, context: ['家长：老师不管 <@U999>'] });
    await h.slack.staffDesk.drainOnce();
    const post = await h.stub.waitFor('chat.postMessage', (p) => !p.body.thread_ts);
    const context = await h.stub.waitFor('chat.postMessage', (p) => Boolean(p.body.thread_ts));
    expect(context.body.text).toBe('转人工前的对话：\n> 家长：老师不管 &lt;@U999&gt;');
    expect(JSON.stringify(post.body.blocks)).toContain('市民要求人工服务');
    const mark = h.stub.calls.length;
    await h.desk.addFollowUp(c.code, '补充：我的电话 13912345678，身份证 210502198801011234 <!everyone>');
    await h.slack.staffDesk.drainOnce();
    const line = await h.stub.waitFor('chat.postMessage', (p) => Boolean(p.body.thread_ts), { since: mark });
    expect(line.body.thread_ts).toBe((await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages'))?.ts);
    expect(String(line.body.text)).toMatch(/市民追加留言：补充：我的电话 139\*\*\*\*5678，身份证 210502\*{8}1234 &lt;!everyone&gt;$/);
    // The case had no contact: the number in the follow-up became it, and the card shows it as every contact is
    // shown in the channel (masked; whole only in the audited /case detail).
    const updates = h.stub.callsOf('chat.update');
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]!.body)).toContain('139****5678');
    expect(JSON.stringify(h.stub.calls.map((call) => call.body))).not.toContain('13912345678');
    expect((await h.desk.get(c.code))!.contact).toBe('13912345678');
    expect(post.body.channel).toBe('CSTAFF01');
    const sent = await h.db.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'staff'");
    expect(sent.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('keeps a failed staff notice for a retry and posts it once Slack answers again', async () => {
    const c = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '5005', text: '报名时间？', actor: 'citizen' });
    h.stub.override('chat.postMessage', () => ({ json: { ok: false, error: 'channel_not_found' } }));
    expect(await h.slack.staffDesk.drainOnce()).toBe(0);
    const row = await h.db.get<{ state: string; attempts: number; last_error: string }>("SELECT state, attempts, last_error FROM outbox WHERE target = 'staff'");
    // A misconfigured channel is not the notice's fault: it waits without using up its attempts.
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    expect(row?.last_error).toContain('channel_not_found');
    expect(h.slack.staffDesk.problem()).toContain('channel_not_found');
    await h.db.run("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE target = 'staff'");
    expect(await h.slack.staffDesk.drainOnce()).toBe(1);
    expect(await h.db.get('SELECT case_code FROM slack_case_messages')).toEqual({ case_code: c.code });
  });

  it('posts the case again when its staff message was deleted', async () => {
    const c = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '5006', text: '幼儿园补贴怎么申请？', actor: 'citizen' });
    await h.slack.staffDesk.drainOnce();
    const old = (await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages'))?.ts;
    h.stub.override('chat.update', () => ({ json: { ok: false, error: 'message_not_found' } }));
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    expect(await h.slack.staffDesk.drainOnce()).toBe(1);
    const now = (await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages'))?.ts;
    expect(now).not.toBe(old);
    const line = await h.stub.waitFor('chat.postMessage', (p) => Boolean(p.body.thread_ts));
    expect(line.body.thread_ts).toBe(now);
  });

  it('Extend asks for a reason and the approving 负责人, once per case', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '6006', text: '校服价格过高', actor: 'citizen' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.extend, value: c.code }));
    const open = await h.stub.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEWS.extend);
    const empty = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.extend, privateMetadata: c.code, values: { reason: '  ' } }));
    expect(await empty.json()).toEqual({ response_action: 'errors', errors: { reason: '请填写此项。', approver: '请填写此项。' } });
    // 第三十三条: no extension without the 负责人 who approved it.
    const unapproved = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.extend, privateMetadata: c.code, values: { reason: '需会同物价部门核查' } }));
    expect(await unapproved.json()).toEqual({ response_action: 'errors', errors: { approver: '请填写此项。' } });
    expect((await h.desk.get(c.code))?.extended).toBe(false);
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.extend, privateMetadata: c.code, values: { reason: '需会同物价部门核查', approver: '王副局长' } }));
    await h.stub.waitFor('chat.update');
    expect(await h.desk.get(c.code)).toMatchObject({ state: 'extended', extended: true, extensionReason: '需会同物价部门核查', extensionApprovedBy: '王副局长' });
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.extend, value: c.code, responseUrl: h.stub.responseUrl('ext') }));
    expect((await h.stub.waitFor('response_url')).body.text).toBe(`案件 ${c.code} 已延期过一次，不能再次延期。`);
    expect(h.stub.callsOf('views.open')).toHaveLength(1);
  });

  it('closing a 政府信息公开申请 asks for the applicant type and the table 三 result row', async () => {
    const c = await h.desk.file({ type: 'disclosure', channel: 'telegram', chatId: '7007', text: '申请公开2026年学校布局调整方案', actor: 'citizen' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.close, value: c.code }));
    const view = (await h.stub.waitFor('views.open')).body.view as { blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] };
    const options = (id: string) => view.blocks.find((b) => b.block_id === id)?.element?.options?.map((o) => o.value) ?? [];
    expect(options('applicant')).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
    expect(options('result')).toHaveLength(21);
    expect(options('result')).toContain('（三）不予公开/1.属于国家秘密');
    const missing = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.close, privateMetadata: c.code, values: { note: '已答复' } }));
    expect(await missing.json()).toEqual({ response_action: 'errors', errors: { applicant: '请填写此项。', result: '请填写此项。' } });
    await postInteraction(
      h.url,
      viewSubmission({
        callbackId: VIEWS.close,
        privateMetadata: c.code,
        values: { note: '已书面答复申请人', applicant: { selected_option: { value: '自然人' } }, result: { selected_option: { value: '（一）予以公开' } } },
      }),
    );
    await h.stub.waitFor('chat.update');
    const row = await h.db.get('SELECT state, applicant_type, disclosure_result FROM cases WHERE code = ?', [c.code]);
    expect(row).toEqual({ state: 'closed', applicant_type: '自然人', disclosure_result: '（一）予以公开' });
  });

  it('Unreachable marks the case at once', async () => {
    const c = await h.desk.file({ type: 'suggestion', channel: 'telegram', chatId: '8008', text: '建议增加课后服务', actor: 'citizen' });
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.unreachable, value: c.code }));
    await h.stub.waitFor('chat.update');
    expect((await h.desk.get(c.code))?.state).toBe('unreachable');
  });
});
