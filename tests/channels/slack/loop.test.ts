import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import type { Reply } from '../../../src/core/types.js';
import { blockAction, STAFF_CHANNEL, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';

const CITIZEN_TEXT = '彩屯小学每月收取补课费300元 <!channel> 请联系我 13812345678';

async function citizenOutbox(h: SlackHarness, chatId: string): Promise<Reply[][]> {
  const rows = await h.db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'telegram' AND address = ? ORDER BY id", [chatId]);
  return rows.map((r) => JSON.parse(r.payload) as Reply[]);
}

const buttonIds = (blocks: unknown) =>
  ((blocks as { type: string; elements?: { action_id: string }[] }[]).find((b) => b.type === 'actions')?.elements ?? []).map((e) => e.action_id);

describe('Slack staff desk: the full loop through the real Bolt app', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('case created → staff message → Claim → Reply modal → submit → citizen gets the text → Close → asked to rate', async () => {
    const filed = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '1001', text: CITIZEN_TEXT, contact: '13812345678', actor: 'citizen' });
    await h.slack.staffDesk.drainOnce();

    // 1. The case message in the staff channel: escaped, masked, with the five buttons minus what the state forbids.
    const post = await h.stub.waitFor('chat.postMessage', (c) => c.body.channel === STAFF_CHANNEL && !c.body.thread_ts);
    const posted = JSON.stringify(post.body.blocks);
    expect(posted).toContain(filed.code);
    expect(posted).toContain('&lt;!channel&gt;');
    expect(posted).not.toContain('<!channel>');
    expect(posted).toContain('138****5678');
    expect(posted).not.toContain('13812345678');
    expect(posted).toContain('投诉');
    expect(buttonIds(post.body.blocks)).toEqual([CASE_ACTIONS.claim, CASE_ACTIONS.unreachable, CASE_ACTIONS.return, CASE_ACTIONS.withdraw]);
    const messageTs = (await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [filed.code]))?.ts;

    // 2. Claim: the message is updated in place and the thread gets one line.
    let mark = h.stub.calls.length;
    const res = await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, messageTs }));
    expect(res.status).toBe(200);
    const update = await h.stub.waitFor('chat.update', () => true, { since: mark });
    expect(JSON.stringify(update.body.blocks)).toContain('<@USTAFF1>');
    expect(buttonIds(update.body.blocks)).toEqual([CASE_ACTIONS.reply, CASE_ACTIONS.extend, CASE_ACTIONS.close, CASE_ACTIONS.unreachable, CASE_ACTIONS.return, CASE_ACTIONS.withdraw]);
    const line = await h.stub.waitFor('chat.postMessage', (c) => Boolean(c.body.thread_ts), { since: mark });
    expect(line.body.text).toMatch(/<@USTAFF1> → 办理中/);
    expect((await h.desk.get(filed.code))?.state).toBe('claimed');

    // 3. Reply opens a modal with the case text.
    mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.reply, value: filed.code }));
    const open = await h.stub.waitFor('views.open', () => true, { since: mark });
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(VIEWS.reply);
    expect(view.private_metadata).toBe(filed.code);
    expect(JSON.stringify(view.blocks)).toContain('彩屯小学每月收取补课费300元 &lt;!channel&gt;');
    const before = await citizenOutbox(h, '1001'); // the "filed" and "claimed" notes, no staff text

    // 4. Submit: the reply goes to the citizen's outbox, staff see it in the thread.
    mark = h.stub.calls.length;
    const answer = '您好，经核查，学校已停止收费并将退还补课费。';
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: filed.code, values: { reply: answer } }));
    const ack = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    expect(ack.body).toMatchObject({ channel: STAFF_CHANNEL, user: 'USTAFF1' });
    expect(String(ack.body.text)).toContain(`已提交对案件 ${filed.code} 的回复`);
    const replies = await citizenOutbox(h, '1001');
    expect(replies).toHaveLength(before.length + 1);
    expect(JSON.stringify(before)).not.toContain(answer);
    expect(JSON.stringify(replies.at(-1))).toContain(answer);
    const replyLine = await h.stub.waitFor('chat.postMessage', (c) => String(c.body.text).includes('已回复市民'), { since: mark });
    expect(replyLine.body.text).toContain(answer);

    // 5. Close with a note: the citizen is asked to rate.
    mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.close, value: filed.code }));
    const closeView = await h.stub.waitFor('views.open', () => true, { since: mark });
    expect((closeView.body.view as { callback_id: string }).callback_id).toBe(VIEWS.close);
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.close, privateMetadata: filed.code, values: { note: '已督促学校整改并退费。' } }));
    const closedUpdate = await h.stub.waitFor('chat.update', (c) => JSON.stringify(c.body.blocks).includes('已办结'), { since: mark });
    expect(buttonIds(closedUpdate.body.blocks)).toEqual([]);
    expect((await h.desk.get(filed.code))?.state).toBe('closed');
    const last = (await citizenOutbox(h, '1001')).at(-1) ?? [];
    const rateButtons = last.flatMap((r) => (r.buttons ?? []).flat()).filter((b) => b.payload.kind === 'rate');
    expect(rateButtons.length).toBeGreaterThanOrEqual(3);
  });
});
