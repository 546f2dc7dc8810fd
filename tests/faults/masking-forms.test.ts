import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAFF_CHANNEL } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

/**
 * Issue 16, probe 5: a full-width mobile (１３９８７６５４３２１), a dotted or
 * dashed one (138.1234.5678, 139-8765-4321) and a full-width ID number reached
 * the Slack staff post, thread updates and the handoff context unmasked.
 */
const SECRETS = ['13987654321', '13812345678', '13787654321', '21050220190830123X'];
const FORMS = {
  text: '孩子转学的事，电话１３９８７６５４３２１，或138.1234.5678',
  context: '家长：我的身份证是２１０５０２２０１９０８３０１２３Ｘ',
  followUp: '补充：也可以打139-8765-4321或137 8765 4321',
};

/** Every digit a reader could still read, full width folded: no secret may appear in it. */
const readable = (payload: unknown) => [...JSON.stringify(payload).normalize('NFKC')].filter((c) => /[\dXx]/.test(c)).join('');

describe('numbers written in other forms, in what Slack staff see', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('are masked in the case post, its handoff context and the thread update', async () => {
    const filed = await h.desk.file({
      type: 'inquiry',
      channel: 'telegram',
      chatId: '4004',
      text: FORMS.text,
      handoff: true,
      context: [FORMS.context],
      actor: 'citizen',
    });
    await h.slack.staffDesk.drainOnce();
    const post = await h.stub.waitFor('chat.postMessage', (c) => c.body.channel === STAFF_CHANNEL && !c.body.thread_ts);
    const shown = JSON.stringify(post.body);
    expect(shown).toContain('139****4321');
    expect(shown).toContain('138****5678');
    // The handoff context goes to the case's thread.
    const context = await h.stub.waitFor('chat.postMessage', (c) => Boolean(c.body.thread_ts) && JSON.stringify(c.body).includes('身份证'));
    expect(JSON.stringify(context.body)).toContain('210502********123X');

    await h.desk.addFollowUp(filed.code, FORMS.followUp, 'citizen');
    const mark = h.stub.calls.length;
    await h.slack.staffDesk.drainOnce();
    const thread = await h.stub.waitFor('chat.postMessage', (c) => Boolean(c.body.thread_ts), { since: mark });
    expect(JSON.stringify(thread.body)).toContain('137****4321');

    for (const call of h.stub.calls) for (const secret of SECRETS) expect(readable(call.body)).not.toContain(secret.slice(0, 8));
  });
});
