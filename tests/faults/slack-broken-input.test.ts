import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../src/channels/slack/types.js';
import type { CaseRecord } from '../../src/core/cases/types.js';
import { blockAction, messageEvent, slashCommand, viewSubmission } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { postCommand, postEvent, postInteraction } from '../helpers/slack-signer.js';

/**
 * Broken input a staff member's Slack client (or a forged, correctly signed request) can send: button
 * values and modal metadata naming no case or carrying markup, buttons and modals of an older release,
 * a command this version does not serve. Each gets a clear Chinese answer, nothing changes, nobody is pinged.
 */
describe('Slack desk under forged, stale and unknown input', () => {
  let h: SlackHarness;
  let filed: CaseRecord;
  beforeEach(async () => {
    h = await startSlackHarness();
    filed = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '4004', text: '孩子转学需要什么材料？', actor: 'citizen' });
    await h.slack.staffDesk.drainOnce();
    await h.stub.waitFor('chat.postMessage');
  });
  afterEach(async () => {
    await h.close();
  });

  it('a button naming a case that does not exist says so, with the forged value escaped', async () => {
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: '<!channel> XH-2099-000001', responseUrl: h.stub.responseUrl('nf') }));
    const note = await h.stub.waitFor('response_url');
    expect(note.body).toMatchObject({ response_type: 'ephemeral', text: '没有找到案件 &lt;!channel&gt; XH-2099-000001。' });
    expect((await h.desk.get(filed.code))?.state).toBe('received');
  });

  it('a button value of thousands of characters is not echoed whole (review18)', async () => {
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: 'x'.repeat(3000), responseUrl: h.stub.responseUrl('long') }));
    const note = await h.stub.waitFor('response_url', (c) => c.path.endsWith('long'));
    expect(note.body).toMatchObject({ response_type: 'ephemeral', text: `没有找到案件 ${'x'.repeat(39)}…。` });
  });

  it('a stale 认领 button on a case closed since says it is closed, not that it was claimed', async () => {
    await h.desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF2');
    await h.desk.act(filed.code, { kind: 'close', note: '已电话答复家长。' }, 'slack:USTAFF2');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, responseUrl: h.stub.responseUrl('stale-claim') }));
    const note = await h.stub.waitFor('response_url', (c) => c.path.endsWith('stale-claim'));
    expect(note.body).toMatchObject({ response_type: 'ephemeral', text: `案件 ${filed.code} 已不在办理中。` });
  });

  it('a reply modal whose metadata names no case tells the user, escaped, and sends nothing to any citizen', async () => {
    const outboxBefore = await h.db.all("SELECT id FROM outbox WHERE target = 'telegram'");
    const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: '<@U999> nope', values: { reply: '您好，材料如下。' } }));
    expect(res.status).toBe(200);
    const note = await h.stub.waitFor('chat.postEphemeral');
    // What was typed comes back with the refusal (review18 R8), to use on the right case.
    expect(note.body).toMatchObject({ user: 'USTAFF1', text: '没有找到案件 &lt;@U999&gt; nope。\n\n您在表单中填写的内容如下，可复制后重新提交：\nreply：\n```\n您好，材料如下。\n```' });
    expect(await h.db.all("SELECT id FROM outbox WHERE target = 'telegram'")).toEqual(outboxBefore);
  });

  it('a reply modal without its text field is sent back with the field marked, nothing sent', async () => {
    await h.desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
    const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: filed.code, values: {} }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.reply).toMatch(/必填|请填写/);
    expect((await h.desk.history(filed.code)).some((e) => e.kind === 'reply')).toBe(false);
  });

  it('a reply longer than the modal allows (3,000 characters) is sent back, not cut', async () => {
    await h.desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
    const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: filed.code, values: { reply: '长'.repeat(3001) } }));
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.reply).toContain('3000');
    expect((await h.desk.history(filed.code)).some((e) => e.kind === 'reply')).toBe(false);
  });

  it('a button of an older release (unknown action id) is acknowledged and explained, nothing changes', async () => {
    const res = await postInteraction(h.url, blockAction({ actionId: 'case_escalate_v0', value: filed.code, responseUrl: h.stub.responseUrl('old') }));
    expect(res.status).toBe(200);
    const note = await h.stub.waitFor('response_url');
    expect(note.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(note.body.text)).toContain('按钮已失效');
    expect((await h.desk.get(filed.code))?.state).toBe('received');
  });

  it('a modal of an older release (unknown callback id) is acknowledged and explained', async () => {
    const res = await postInteraction(h.url, viewSubmission({ callbackId: 'case_escalate_view', privateMetadata: filed.code, values: { reason: 'x' } }));
    expect(res.status).toBe(200);
    const note = await h.stub.waitFor('chat.postEphemeral');
    expect(String(note.body.text)).toContain('已失效');
  });

  it('a slash command this version does not serve is acknowledged and lists the commands it has', async () => {
    const res = await postCommand(h.url, slashCommand({ command: '/petition', text: 'list', response_url: h.stub.responseUrl('cmd') }));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('本系统不提供 /petition 命令');
    expect(answer.text).toContain('`/cases`');
  });

  it('a note typed with a file in a case thread is kept (the file itself stays in Slack)', async () => {
    const { ts } = (await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [filed.code]))!;
    const withFile = messageEvent({ text: '学校回函见附件，已核实', threadTs: ts });
    (withFile.event as Record<string, unknown>).subtype = 'file_share';
    (withFile.event as Record<string, unknown>).files = [{ id: 'F1', name: '回函.pdf' }];
    await postEvent(h.url, withFile);
    await postEvent(h.url, messageEvent({ text: '第二条备注', threadTs: ts }));
    await expect.poll(async () => (await h.desk.history(filed.code)).filter((e) => e.kind === 'note').length).toBe(2);
    const notes = (await h.desk.history(filed.code)).filter((e) => e.kind === 'note').map((n) => n.note);
    expect(notes).toEqual(['学校回函见附件，已核实', '第二条备注']);
  });
});
