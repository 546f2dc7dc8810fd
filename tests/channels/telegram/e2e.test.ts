import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { detectIntent, loadIntents } from '../../../src/core/intents/index.js';
import { buildIndex } from '../../../src/knowledge/index.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { startEmulator, type BotMessage, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';
import { withButton } from '../../helpers/telegram-slack-loop.js';

/**
 * End to end through the real telegraf bot (long polling) against the
 * telegram-test-api emulator on 127.0.0.1, with the real engine, case desk and
 * SQLite. The emulator sits behind a local shim (tests/helpers/telegram-emulator.ts)
 * for exactly its gaps: it answers 500 to setMyCommands/sendChatAction, ignores
 * getUpdates' offset (so the shim throttles empty polls) and checks no limits
 * (the shim rejects > 4096 characters, > 64-byte callback_data, > 8 buttons a row).
 */
let emulator: Emulator;
let stack: TelegramStack;

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.failNext('setMyCommands', 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
  stack = await createTelegramStack({
    apiRoot: emulator.apiRoot,
    forceAlternative: { entryId: 'enrollment-materials-primary', section: null, title: '小学一年级报名需要准备的材料' },
  });
  await stack.channel.start();
});

afterAll(async () => {
  await stack?.close();
  await emulator?.close();
});

function parent(chatId: number) {
  const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
  return {
    say: (text: string) => client.sendMessage(client.makeMessage(text)),
    press: (message: BotMessage, label: RegExp) => {
      const button = message.replyMarkup?.inline_keyboard.flat().find((b) => label.test(b.text));
      if (!button) throw new Error(`no button ${label} on "${message.text}"`);
      return client.sendCallback(
        client.makeCallbackQuery(button.callback_data, { message: { message_id: message.messageId, reply_markup: message.replyMarkup } as never }),
      );
    },
    // As Telegram sends it: the replied-to message with its text (https://core.telegram.org/bots/api#message, reply_to_message).
    reply: (to: BotMessage, text: string) =>
      client.sendMessage(
        client.makeMessage(text, { reply_to_message: { message_id: to.messageId, text: to.text, from: { id: 666, is_bot: true, first_name: 'Bot' }, chat: { id: chatId, type: 'private' } } } as never),
      ),
    next: (predicate: (m: BotMessage) => boolean) => emulator.waitForBotMessage(chatId, predicate),
  };
}


describe('telegram end to end (emulator)', () => {
  it('starts although setMyCommands failed (logged, not fatal) and answers', async () => {
    const commandCalls = emulator.calls.filter((c) => c.method === 'setMyCommands');
    expect(commandCalls).toHaveLength(1); // the first failed (500) and start-up went on without retrying
    const p = parent(700);
    await p.say('你好');
    await p.next((m) => m.text.length > 0);
  });

  it('ask → answer with its source, then the alternatives button → that answer', async () => {
    const p = parent(701);
    await p.say('小学什么时候报名？');
    const answer = await p.next((m) => m.text.includes('来源：'));
    // the knowledge base decides which section answers best; the channel must show it with its source
    const heading = /^<b>([^<·]+) · ([^<]+)<\/b>\n\n/.exec(answer.text);
    expect(heading).not.toBeNull();
    const [, title = '', section = ''] = heading ?? [];
    expect(title).toMatch(/招生|报名|入学/);
    expect(answer.text).toMatch(new RegExp(`\\n\\n<i>来源：${title}（${section}），更新于 \\d{4}-\\d{2}-\\d{2}</i>$`));
    expect(answer.raw.parse_mode).toBe('HTML');
    const alternatives = await p.next((m) => m.text === '您是不是想问：');
    const label = alternatives.replyMarkup?.inline_keyboard[0]?.[0]?.text ?? '';
    const [altTitle = ''] = label.split(' · ');
    expect(altTitle.length).toBeGreaterThan(0);
    await p.press(alternatives, new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const picked = await p.next((m) => m.messageId > alternatives.messageId && m.text.includes(`来源：${altTitle}`));
    expect(picked.text.startsWith(`<b>${label}</b>`)).toBe(true);
    expect(emulator.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true);

    // 有帮助 on the first answer is stored against its entry and section
    await p.press(answer, /有帮助/);
    await p.next((m) => m.messageId > picked.messageId);
    const feedback = await stack.db.get<{ entry_id: string; section: string; feedback: number }>(
      "SELECT entry_id, section, feedback FROM messages WHERE chat_id = '701' AND feedback IS NOT NULL",
    );
    expect(feedback).toEqual({ entry_id: expect.any(String), section, feedback: 1 });
  });

  it('files a case with the buttons, relays the staff reply, and stores the rating', async () => {
    const p = parent(702);
    await p.say('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    await p.press(await p.next(withButton(/不留电话/)), /不留电话/);
    await p.press(await p.next(withButton(/确认提交/)), /确认提交/);
    const filed = await p.next((m) => /XH-\d{4}-\d{6}/.test(m.text) && m.text.includes('已登记'));
    const code = /XH-\d{4}-\d{6}/.exec(filed.text)?.[0] ?? '';
    const record = await stack.cases.get(code);
    expect(record?.chatId).toBe('702');
    expect(record?.type).toBe('complaint');

    await stack.cases.act(code, { kind: 'claim' }, 'slack:U1');
    await stack.cases.act(code, { kind: 'reply', text: '经核查，资料费已责令学校退还。' }, 'slack:U1');
    const reply = await p.next((m) => m.text.includes('经核查，资料费已责令学校退还。'));
    expect(reply.text).toContain(code);

    // the parent answers the staff reply with Telegram's reply-to: it reaches that case
    await p.reply(reply, '谢谢，已经收到退款');
    const ack = await p.next((m) => m.messageId > reply.messageId);
    expect(ack.text).toContain(code);
    const history = await stack.cases.history(code);
    expect(history.some((e) => e.kind === 'followup' && e.note?.includes('已经收到退款'))).toBe(true);

    await stack.cases.act(code, { kind: 'close', note: '已退费' }, 'slack:U1');
    const rating = await p.next(withButton(/非常满意/));
    await p.press(rating, /★★★★★/);
    await p.next((m) => m.messageId > rating.messageId);
    const row = await stack.db.get<{ value: number }>('SELECT r.value FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.code = ?', [code]);
    expect(row?.value).toBe(5);
  });

  it('a reply to the bot message that names a case reaches that case even when the message → case link is not stored', async () => {
    const p = parent(706);
    await p.say('我要投诉彩屯小学乱收费，每个学生收300元资料费');
    await p.press(await p.next(withButton(/不留电话/)), /不留电话/);
    await p.press(await p.next(withButton(/确认提交/)), /确认提交/);
    const filed = await p.next((m) => /XH-\d{4}-\d{6}/.test(m.text) && m.text.includes('已登记'));
    const code = /XH-\d{4}-\d{6}/.exec(filed.text)?.[0] ?? '';
    await stack.cases.act(code, { kind: 'claim' }, 'slack:U1');
    await stack.cases.act(code, { kind: 'reply', text: '已联系学校核查。' }, 'slack:U1');
    const reply = await p.next((m) => m.text.includes('已联系学校核查。'));
    // The link is written after Telegram confirms the send (a quick reply can come first) and is purged in time:
    // once the sender has written it, it is removed, as if the reply had come first.
    const linked = () => stack.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM telegram_message_cases WHERE chat_id = '706' AND message_id = ?", [reply.messageId]);
    await vi.waitFor(async () => expect((await linked())?.n).toBe(1));
    await stack.db.run("DELETE FROM telegram_message_cases WHERE chat_id = '706'");
    await p.reply(reply, '好的，谢谢');
    const ack = await p.next((m) => m.messageId > reply.messageId);
    expect(ack.text).toContain(code);
    expect((await stack.cases.history(code)).some((e) => e.kind === 'followup' && e.note?.includes('好的，谢谢'))).toBe(true);
  });

  it('details the parent sends after their objection reopened a case are added to that case, not answered as a new question', async () => {
    const p = parent(708);
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '708', text: '彩屯小学乱收费，每人收500元资料费', actor: 'citizen' });
    await stack.cases.act(filed.code, { kind: 'claim' }, 'slack:U1');
    await stack.cases.act(filed.code, { kind: 'close', note: '经核查，资料费已责令学校退还。' }, 'slack:U1');
    const closing = await p.next((m) => m.text.includes('资料费已责令学校退还'));
    await p.say('不满意，学校只退了一半');
    const reopened = await p.next((m) => m.messageId > closing.messageId && m.text.includes('已为您重新办理'));
    expect(reopened.text).toContain('您接下来发送的补充说明会加入这个诉求');
    // The details read like a question about fees; they belong to the reopened case.
    await p.say('补充一下：班主任说资料费和校服费要一起交，校服费收多少钱合理？');
    const ack = await p.next((m) => m.messageId > reopened.messageId);
    expect(ack.text).toBe(`已收到，已补充到重新办理的诉求 ${filed.code}，工作人员会一并处理。（发送“取消”后，之后的消息不再补充到这个诉求。）`);
    const history = await stack.cases.history(filed.code);
    expect(history.filter((e) => e.kind === 'followup').map((e) => e.note)).toEqual(['补充一下：班主任说资料费和校服费要一起交，校服费收多少钱合理？']);
    // "取消" ends it: the next question is answered by the bot again.
    await p.say('取消');
    const ended = await p.next((m) => m.messageId > ack.messageId);
    expect(ended.text).toBe(`好的，之后的消息不再补充到诉求 ${filed.code}。诉求 ${filed.code} 仍在重新办理中。`);
    await p.say('小学什么时候报名？');
    await p.next((m) => m.messageId > ended.messageId && m.text.includes('来源：'));
    expect((await stack.cases.history(filed.code)).filter((e) => e.kind === 'followup')).toHaveLength(1);
  });

  it('after staff reopened a case the parent is told, and their details go to it, a rating of another case does not', async () => {
    const p = parent(712);
    const rated = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '712', text: '食堂饭菜不卫生', actor: 'citizen' });
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '712', text: '彩屯小学乱收费，每人收500元资料费', actor: 'citizen' });
    for (const code of [filed.code, rated.code]) {
      await stack.cases.act(code, { kind: 'claim' }, 'slack:U1');
      await stack.cases.act(code, { kind: 'close', note: `${code} 已办结。` }, 'slack:U1');
    }
    await p.next((m) => m.text.includes(`${rated.code} 已办结。`));
    // Staff reopen it (the desk call a Slack 复查/复核 撤销 makes): the parent's message says where details go.
    await stack.cases.act(filed.code, { kind: 'reopen', note: '复查撤销' }, 'slack:U1');
    const told = await p.next((m) => m.text.includes(`您的诉求 ${filed.code} 已重新办理`));
    expect(told.text).toContain('您接下来发送的情况说明会补充到这个诉求（发送“取消”即不再补充）。');
    // Stars for the case closed last rate it; nothing goes to the reopened case.
    await p.say('4星');
    const thanks = await p.next((m) => m.messageId > told.messageId);
    expect(thanks.text).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    await p.say('补充：还有100元资料费没有退');
    const ack = await p.next((m) => m.messageId > thanks.messageId);
    expect(ack.text).toBe(`已收到，已补充到重新办理的诉求 ${filed.code}，工作人员会一并处理。（发送“取消”后，之后的消息不再补充到这个诉求。）`);
    const followUps = (await stack.cases.history(filed.code)).filter((e) => e.kind === 'followup').map((e) => e.note);
    expect(followUps).toEqual(['补充：还有100元资料费没有退']);
    expect((await stack.cases.history(rated.code)).some((e) => e.kind === 'rated')).toBe(true);
  });

  it('stars off the 1–5 scale ("0", "6", "10分", "六星") get a clear answer and store nothing; "五星" then rates five', async () => {
    const p = parent(709);
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '709', text: '校车经常晚点半小时', actor: 'citizen' });
    await stack.cases.act(filed.code, { kind: 'claim' }, 'slack:U1');
    await stack.cases.act(filed.code, { kind: 'close', note: '已要求校车公司按时发车。' }, 'slack:U1');
    let last = await p.next((m) => m.text.includes('已要求校车公司按时发车'));
    const offScale = `评分请发送 1 到 5 之间的数字：1 星最低，5 星最高（例如“5”或“5星”）。诉求 ${filed.code} 尚未评价。`;
    for (const typed of ['0', '6', '10分', '六星']) {
      await p.say(typed);
      const since = last.messageId;
      last = await p.next((m) => m.messageId > since);
      expect([typed, last.text]).toEqual([typed, offScale]);
    }
    expect(await stack.db.get('SELECT COUNT(*) AS n FROM ratings WHERE case_id = ?', [filed.id])).toEqual({ n: 0 });
    await p.say('五星');
    const since = last.messageId;
    expect((await p.next((m) => m.messageId > since)).text).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    const row = await stack.db.get<{ value: number }>('SELECT r.value FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.code = ?', [filed.code]);
    expect(row?.value).toBe(5);
  });

  it('answers a photo with the text-only notice', async () => {
    const p = parent(703);
    await emulator.server.addUserMessage({
      ...emulator.server.getClient(TEST_BOT_TOKEN, { chatId: 703, userId: 703 }).makeMessage(''),
      photo: [{ file_id: 'x', file_unique_id: 'x', width: 1, height: 1 }],
    } as never);
    const notice = await p.next(() => true);
    expect(notice.text).toContain('目前只能处理文字消息');
  });

  it('not sure which entry: "您是不是想问" with the titles and both routes to staff; 转人工 reaches staff', async () => {
    const knowledge = await loadKnowledge('knowledge');
    const index = buildIndex(knowledge.entries, knowledge.synonyms);
    const intents = await loadIntents();
    const question = readFileSync('bench/devset.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { q: string }).q)
      .find((q) => index.decide(q).kind === 'suggest' && detectIntent(intents, q).intent === 'kb');
    expect(question).toBeDefined();
    const p = parent(704);
    await p.say(question!);
    const list = await p.next((m) => m.text.startsWith('没能确定'));
    expect(list.text).toBe('没能确定您问的是哪一项。您是不是想问下面其中一项？都不是的话，可以登记为咨询件，或转人工。');
    const labels = list.replyMarkup?.inline_keyboard.flat().map((b) => b.text) ?? [];
    expect(labels.slice(-2)).toEqual(['登记为咨询件', '转人工']);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels.length).toBeLessThanOrEqual(5);
    await p.press(list, /^转人工$/);
    const handoff = await p.next((m) => m.messageId > list.messageId && m.text.includes('已为您转人工'));
    expect(handoff.text).toMatch(/编号 XH-\d{4}-\d{6}/);
  });

  it('never sent a message or button beyond Telegram limits', () => {
    const sends = emulator.calls.filter((c) => c.method === 'sendMessage');
    expect(sends.length).toBeGreaterThan(5);
    for (const s of sends) expect(String(s.body.text).length).toBeLessThanOrEqual(4096);
  });
});
