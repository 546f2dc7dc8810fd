import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageEvent, slashCommand, STAFF_CHANNEL } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postEvent } from '../../helpers/slack-signer.js';

/**
 * review18 R18: a thread note was stored in Slack's wire format and shown back double-escaped in `/case CODE`
 * ("&amp;lt;学校&amp;gt;", "&lt;https://…&amp;amp;c=2&gt;", "&lt;@UWANG&gt;"). It is stored as typed and shown once escaped.
 */
describe('a staff note with <, &, a link and a mention (signed Events API request, real Bolt)', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('is stored as the staff member typed it, and /case CODE shows it as typed', async () => {
    const { code } = await h.desk.file({ type: 'complaint', channel: 'phone', text: '投诉：学校乱收费', contact: '13912345678', actor: 'slack:USTAFF1' });
    await h.db.run("INSERT INTO slack_case_messages (case_code, channel, ts, posted_at, updated_at) VALUES (?, ?, '1764300000.000100', 'x', 'x')", [code, STAFF_CHANNEL]);
    // Typed: 家长说 <学校> 收费 & 拖延，见 https://example.gov.cn/a?b=1&c=2 ，已告知 @王老师 (and a link given a label)
    const wire = '家长说 &lt;学校&gt; 收费 &amp; 拖延，见 <https://example.gov.cn/a?b=1&amp;c=2> ，已告知 <@UWANG|王老师>，通知见<https://example.gov.cn/n|区教育局通知>，抄送 <#CSTAFF01|staff> <!here>';
    await postEvent(h.url, messageEvent({ text: wire, threadTs: '1764300000.000100', eventId: 'EvEsc1' }));
    await h.stub.waitFor('chat.postEphemeral');
    const typed = '家长说 <学校> 收费 & 拖延，见 https://example.gov.cn/a?b=1&c=2 ，已告知 @王老师，通知见区教育局通知 (https://example.gov.cn/n)，抄送 #staff @here';
    expect((await h.desk.history(code)).filter((e) => e.kind === 'note').map((e) => e.note)).toEqual([typed]);

    await postCommand(h.url, slashCommand({ command: '/case', text: code, response_url: h.stub.responseUrl('d1') }));
    const detail = JSON.stringify((await h.stub.waitFor('response_url', (c) => c.path === '/response/d1')).body);
    expect(detail).toContain('家长说 &lt;学校&gt; 收费 &amp; 拖延，见 https://example.gov.cn/a?b=1&amp;c=2 ，已告知 @王老师');
    expect(detail).not.toContain('&amp;lt;');
    expect(detail).not.toContain('<!here>');
  });
});
