import { afterEach, describe, expect, it } from 'vitest';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { createTelegramStack, TEST_BOT_INFO, type TelegramStack } from '../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../helpers/telegram-updates.js';
import { startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * Hostile citizen and staff text on the EXACT payloads sent (issue 9, item 3): Telegram
 * sendMessage text + parse_mode through the real telegraf stack against a recording Bot API;
 * Slack chat.postMessage blocks through the real Bolt app against the stub Web API. Expected
 * strings are written out by hand, not computed with the escaping functions under test.
 */
const HOSTILE = '家长反映：<a href="x">点我</a> <!channel> &lt;script&gt; <b>加粗</b> 学校乱收费';
const STAFF_REPLY = '<b>请注意</b> <a href="http://evil.example">链接</a> &lt; <!here> 已退还费用';
const CHAT = 880001;

let api: RecordingBotApi | undefined;
let telegram: TelegramStack | undefined;
let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  await telegram?.close();
  await api?.close();
  slack = telegram = api = undefined;
});

/** Undo Telegram HTML escaping (what the parent's app shows). */
const shownOnTelegram = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

async function fileHostileCase(): Promise<{ code: string }> {
  api = await startRecordingBotApi();
  telegram = await createTelegramStack({ apiRoot: api.apiRoot });
  telegram.channel.bot.botInfo = TEST_BOT_INFO;
  const say = (text: string) => telegram!.channel.bot.handleUpdate(telegramTextUpdate({ chatId: CHAT, text }));
  await say(`我要投诉，${HOSTILE}`);
  await say('不留');
  await say('确认');
  await telegram.channel.sender.drain();
  const [record] = await telegram.cases.list({ chatId: String(CHAT) });
  if (!record) throw new Error(`no case filed; sent: ${JSON.stringify(api.sent.map((s) => s.text))}`);
  return { code: record.code };
}

describe('Telegram: hostile text on the sendMessage payloads', () => {
  it('escapes citizen text in the confirm prompt and round-trips it exactly', async () => {
    const { code } = await fileHostileCase();
    const stored = await telegram!.cases.get(code);
    expect(stored?.text).toBe(`我要投诉，${HOSTILE}`);

    const confirm = api!.sent.find((s) => s.text.startsWith('请确认您的诉求'));
    expect(confirm?.parseMode).toBe('HTML');
    expect(confirm?.chatId).toBe(String(CHAT));
    expect(confirm?.text).toContain(
      '内容：我要投诉，家长反映：&lt;a href="x"&gt;点我&lt;/a&gt; &lt;!channel&gt; &amp;lt;script&amp;gt; &lt;b&gt;加粗&lt;/b&gt; 学校乱收费\n',
    );
    expect(shownOnTelegram(confirm!.text)).toContain(`内容：我要投诉，${HOSTILE}\n`);
    for (const s of api!.sent) {
      expect(s.parseMode).toBe('HTML');
      expect(s.text).not.toMatch(/<a href="x"|<!channel>|<b>加粗/);
    }
  });

  it('escapes a staff reply with markup before it reaches the parent', async () => {
    const { code } = await fileHostileCase();
    await telegram!.cases.act(code, { kind: 'claim' }, 'slack:USTAFF1');
    await telegram!.cases.act(code, { kind: 'reply', text: STAFF_REPLY }, 'slack:USTAFF1');
    await telegram!.channel.sender.drain();
    const reply = api!.sent.find((s) => s.text.startsWith(`关于您的诉求 ${code}`));
    expect(reply?.parseMode).toBe('HTML');
    expect(reply?.text).toBe(
      `关于您的诉求 ${code}，工作人员答复如下：\n&lt;b&gt;请注意&lt;/b&gt; &lt;a href="http://evil.example"&gt;链接&lt;/a&gt; &amp;lt; &lt;!here&gt; 已退还费用`,
    );
    expect(shownOnTelegram(reply!.text)).toBe(`关于您的诉求 ${code}，工作人员答复如下：\n${STAFF_REPLY}`);
  });
});

describe('Slack: hostile text on the chat.postMessage payloads', () => {
  it('posts citizen text with <!channel>, <a href> and &lt; escaped, so nobody is pinged and nothing links', async () => {
    const { code } = await fileHostileCase();
    slack = await startSlackHarness({}, { db: telegram!.db, desk: telegram!.cases });
    await slack.slack.staffDesk.drainOnce();
    const post = slack.stub.callsOf('chat.postMessage').find((c) => JSON.stringify(c.body.blocks ?? '').includes(code));
    expect(post, `no case post; calls: ${slack.stub.calls.map((c) => c.method).join(', ')}`).toBeDefined();
    const blocks = post!.body.blocks as { type: string; text?: { type: string; text: string } }[];
    const citizen = blocks.find((b) => b.type === 'section' && b.text?.text.includes('家长反映'));
    expect(citizen?.text).toEqual({
      type: 'mrkdwn',
      text: '我要投诉，家长反映：&lt;a href="x"&gt;点我&lt;/a&gt; &lt;!channel&gt; &amp;lt;script&amp;gt; &lt;b&gt;加粗&lt;/b&gt; 学校乱收费',
    });
    expect(String(post!.body.text)).not.toContain('<!channel>');

    // A staff reply with markup goes into the case thread escaped as well.
    await slack.desk.act(code, { kind: 'claim' }, 'slack:USTAFF1');
    await slack.desk.act(code, { kind: 'reply', text: STAFF_REPLY }, 'slack:USTAFF1');
    await slack.slack.staffDesk.drainOnce();
    const thread = slack.stub.callsOf('chat.postMessage').filter((c) => c.body.thread_ts);
    const line = thread.map((c) => String(c.body.text)).find((t) => t.includes('已退还费用'));
    expect(line).toContain('&lt;b&gt;请注意&lt;/b&gt; &lt;a href="http://evil.example"&gt;链接&lt;/a&gt; &amp;lt; &lt;!here&gt; 已退还费用');
    for (const call of slack.stub.calls) expect(JSON.stringify(call.body)).not.toMatch(/<!channel>|<!here>|<a href=/);
  });
});
