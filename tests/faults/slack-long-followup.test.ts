import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/channels/slack/blocks.js';
import { slashCommand } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { postCommand } from '../helpers/slack-signer.js';

/**
 * A parent's follow-up longer than one Slack section once escaped: Telegram takes 4,096 characters in a message, and
 * `&`, `<`, `>` grow five- and fourfold when escaped for mrkdwn. Staff must read every word of it, in the case thread
 * and in `/case CODE`, while each block stays within Slack's 3,000 characters.
 */
type Block = { type: string; text?: { text: string } };
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('Slack: a long citizen follow-up reaches staff whole', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const sentence = '补充情况：学校食堂每月多收伙食费&住宿费<说是代收>，没有收据，家长们都不敢问。';
  const followUp = `${sentence.repeat(Math.floor(3990 / sentence.length))}最后一句：请尽快答复。`;

  it('the thread line carries every character of a 4,000-character follow-up', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '7007', text: '食堂乱收费', actor: 'citizen' });
    await h.slack.staffDesk.drainOnce();
    const mark = h.stub.calls.length;
    await h.desk.addFollowUp(c.code, followUp, 'citizen');
    await h.slack.staffDesk.drainOnce();
    const lines = h.stub.callsOf('chat.postMessage').filter((p) => p.body.thread_ts && h.stub.calls.indexOf(p) >= mark);
    expect(lines.length).toBeGreaterThan(0);
    // Split where Slack's advised message length (4,000) would be passed, in a row in the thread, nothing cut.
    for (const p of lines) expect(String(p.body.text).length).toBeLessThanOrEqual(4000);
    const shown = lines.map((p) => String(p.body.text)).join('');
    expect(shown).toContain('最后一句：请尽快答复。');
    expect(unescape(shown)).toContain(followUp);
  });

  it('the conversation before 转人工 is posted whole in the thread, however long, in messages of at most 4,000 characters', async () => {
    const context = Array.from({ length: 6 }, (_, i) => `家长（第 ${i + 1} 条）：${'老师上课体罚学生&家长<不敢说>。'.repeat(60)}`);
    context.push('家长：最后这条也要转给工作人员');
    await h.desk.file({ type: 'help', channel: 'telegram', chatId: '7009', text: '转人工', actor: 'citizen', handoff: true, context });
    await h.slack.staffDesk.drainOnce();
    const lines = h.stub.callsOf('chat.postMessage').filter((p) => p.body.thread_ts);
    expect(lines.length).toBeGreaterThan(1);
    for (const p of lines) expect(String(p.body.text).length).toBeLessThanOrEqual(4000);
    const shown = unescape(lines.map((p) => String(p.body.text)).join(''));
    for (const line of context) expect(shown).toContain(line);
  });

  it('/case CODE shows the whole follow-up, each section within 3,000 characters', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '7008', text: '食堂乱收费', actor: 'citizen' });
    await h.desk.addFollowUp(c.code, followUp, 'citizen');
    const res = await postCommand(h.url, slashCommand({ command: '/case', text: c.code, user_id: 'USTAFF1', response_url: h.stub.responseUrl('detail') }));
    expect(res.status).toBe(200);
    await h.stub.waitFor('response_url', (call) => call.path === '/response/detail');
    const pages = h.stub.callsOf('response_url').filter((call) => call.path === '/response/detail');
    const blocks = pages.flatMap((p) => (p.body.blocks ?? []) as Block[]);
    for (const b of blocks) if (b.text) expect(Array.from(b.text.text).length).toBeLessThanOrEqual(LIMITS.sectionText);
    const text = unescape(blocks.map((b) => b.text?.text ?? '').join(''));
    expect(text).toContain('最后一句：请尽快答复。');
  });
});
