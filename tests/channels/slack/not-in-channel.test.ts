import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEWS } from '../../../src/channels/slack/types.js';
import { viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';

/**
 * review18 R14: the outcome of a modal reaches staff as an ephemeral in the staff channel. A member of
 * SLACK_STAFF_USER_IDS who is not in that channel (a leader, a colleague) got nothing: Slack answers the ephemeral with
 * user_not_in_channel, and they assumed the parent had the answer. They now get it as a direct message from the app.
 */
describe('Slack: a configured staff member outside the staff channel submits a modal (signed requests, real Bolt)', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
    h.stub.override('chat.postEphemeral', () => ({ json: { ok: false, error: 'user_not_in_channel' } }), 10);
  });
  afterEach(async () => {
    await h.close();
  });

  it('a reply to a parent that is sent: told by direct message', async () => {
    const { code } = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: 'c1', text: '投诉乱收费', actor: 'citizen' });
    await h.desk.act(code, { kind: 'claim' }, 'slack:USTAFF1');
    const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: code, values: { reply: '已责令学校退费。' } }));
    expect(res.status).toBe(200);
    const dm = await h.stub.waitFor('chat.postMessage', (c) => c.body.channel === 'USTAFF1');
    expect(dm.body.text).toBe(`已提交对案件 ${code} 的回复，将发送给市民。`);
  });

  it('a reply to a case that does not exist: the refusal, with the text typed, by direct message', async () => {
    const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: 'XH-2026-999999', values: { reply: '答复内容：已退费。' } }));
    expect(res.status).toBe(200);
    const dm = await h.stub.waitFor('chat.postMessage', (c) => c.body.channel === 'USTAFF1');
    expect(String(dm.body.text)).toMatch(/^没有找到案件 XH-2026-999999。/);
    expect(String(dm.body.text)).toContain('```\n答复内容：已退费。\n```');
  });
});
