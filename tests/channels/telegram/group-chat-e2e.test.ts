import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type BotMessage, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';
import { withButton } from '../../helpers/telegram-slack-loop.js';

/**
 * A 家长群 (review 16, item 3): every parent in a Telegram group writes under one chat id, and everyone reads what the
 * bot says there. Through the real telegraf bot (long polling) against the telegram-test-api emulator, with group
 * updates from two parents, A and B: what each sees in the group and in their own private chat with the bot.
 * The group gets policy answers and a deep link to a private chat; no case is filed, confirmed, rated or withdrawn
 * there, and no case message or staff reply is ever posted to it.
 */
let emulator: Emulator;
let stack: TelegramStack;

const GROUP = -100555;
const A = 111;
const B = 222;
const BOT_ID = 666; // the emulator's getMe

beforeAll(async () => {
  emulator = await startEmulator();
  // Groups are paced at 20 a minute in production (pacer.ts); sped up here like private chats.
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, pacing: { perChatIntervalMs: 50, globalPerSecond: 200, groupIntervalMs: 50 } });
  await stack.channel.start();
});

afterAll(async () => {
  await stack?.close();
  await emulator?.close();
});

function parent(userId: number, languageCode = 'zh-hans') {
  const from = { language_code: languageCode };
  const group = emulator.server.getClient(TEST_BOT_TOKEN, { chatId: GROUP, userId, firstName: '家长', type: 'group', chatTitle: '一年级家长群' });
  const own = emulator.server.getClient(TEST_BOT_TOKEN, { chatId: userId, userId, firstName: '家长' });
  const pressOn = (client: typeof own, message: BotMessage, label: RegExp) => {
    const button = message.replyMarkup?.inline_keyboard.flat().find((b) => label.test(b.text));
    if (!button) throw new Error(`no button ${label} on "${message.text}"`);
    return client.sendCallback(
      client.makeCallbackQuery(button.callback_data, { from, message: { message_id: message.messageId, reply_markup: message.replyMarkup } } as never),
    );
  };
  return {
    /** Says something to the bot in the group (mentioning it, as the bot only hears what is addressed to it). */
    inGroup: (text: string) => group.sendMessage(group.makeMessage(`@TestNameBot ${text}`, { from } as never)),
    commandInGroup: (text: string) => group.sendMessage(group.makeCommand(text, { from } as never)),
    /** Answers one of the bot's messages in the group with Telegram's reply-to. */
    replyInGroup: (to: BotMessage, text: string) =>
      group.sendMessage(
        group.makeMessage(text, {
          from,
          reply_to_message: { message_id: to.messageId, text: to.text, from: { id: BOT_ID, is_bot: true, first_name: 'Bot' }, chat: { id: GROUP, type: 'group' } },
        } as never),
      ),
    pressInGroup: (message: BotMessage, label: RegExp) => pressOn(group, message, label),
    say: (text: string) => own.sendMessage(own.makeMessage(text, { from } as never)),
    command: (text: string) => own.sendMessage(own.makeCommand(text, { from } as never)),
    press: (message: BotMessage, label: RegExp) => pressOn(own, message, label),
    /** The next bot message in this parent's private chat after `after`. */
    next: (predicate: (m: BotMessage) => boolean, after = 0) => emulator.waitForBotMessage(userId, (m) => m.messageId > after && predicate(m)),
  };
}

const inGroup = (predicate: (m: BotMessage) => boolean, after = 0) => emulator.waitForBotMessage(GROUP, (m) => m.messageId > after && predicate(m));
const lastId = (chatId: number) => emulator.botMessages(chatId).at(-1)?.messageId ?? 0;
const groupTexts = () => emulator.botMessages(GROUP).map((m) => m.text).join('\n---\n');
const caseCount = async () => (await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))?.n;

describe('telegram group chats (emulator)', () => {
  it("parent B cannot give the phone for, confirm, withdraw or rate parent A's petition; each is sent to a private chat", async () => {
    const a = parent(A);
    const b = parent(B);
    await a.inGroup('我要投诉，彩屯小学食堂每月多收伙食费200元，没有任何公示');
    const pointer = await inGroup((m) => m.text.includes('https://t.me/TestNameBot?start=file_complaint'));
    expect(pointer.text).toBe(
      '这里是群聊，群里的人都能看到。登记投诉、建议、求助、咨询或政府信息公开申请涉及您的个人信息，请私聊我办理（打开链接后点“开始”）：\nhttps://t.me/TestNameBot?start=file_complaint',
    );
    expect(pointer.replyMarkup?.inline_keyboard ?? []).toEqual([]);

    // B answers the bot's message with a phone: warned, nothing kept, nothing filed.
    await b.replyInGroup(pointer, '13998765432');
    const warned = await inGroup((m) => m.text.includes('不要在群里发送电话'), pointer.messageId);
    expect(warned.text).toBe('为保护您的隐私，请不要在群里发送电话、身份证号等个人信息，这条消息里的号码没有记录。需要的话，可以长按刚才的消息把它删除。');
    await b.replyInGroup(pointer, '确认');
    expect((await inGroup((m) => m.text.startsWith('在群里我只回答'), warned.messageId)).text).toContain('https://t.me/TestNameBot');
    await b.inGroup('撤回投诉');
    expect((await inGroup((m) => m.text.includes('?start=withdraw'), warned.messageId)).text).toContain('撤回诉求涉及您的个人信息');
    await b.inGroup('5');
    expect((await inGroup((m) => m.text.includes('?start=rate'), warned.messageId)).text).toContain('评价办理结果或要求重新办理');
    await b.commandInGroup('/status@TestNameBot');
    await inGroup((m) => m.text.includes('?start=status'), warned.messageId);
    expect(await caseCount()).toBe(0);
    // The number is kept nowhere: not in the replies, the group's conversation state or the message log.
    await stack.engine.flush();
    for (const [table, column] of [['outbox', 'payload'], ['conversations', 'state_json'], ['messages', 'text']] as const) {
      const row = await stack.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} LIKE '%13998765432%'`);
      expect([table, row?.n]).toEqual([table, 0]);
    }
    expect(await stack.db.get('SELECT COUNT(*) AS n FROM conversations WHERE chat_id = ?', [String(GROUP)])).toEqual({ n: 1 });
    expect(groupTexts()).not.toMatch(/13998765432|139\*+5432|彩屯小学食堂/);
  });

  it('answers a policy question in the group with its source, without buttons that file or hand off', async () => {
    const a = parent(A);
    const before = lastId(GROUP);
    await a.inGroup('小学什么时候报名？');
    const answer = await inGroup((m) => m.text.includes('来源：'), before);
    const labels = emulator.botMessages(GROUP).filter((m) => m.messageId > before).flatMap((m) => m.replyMarkup?.inline_keyboard.flat() ?? []).map((b) => b.text);
    expect(labels.filter((l) => /登记|转人工|查询进度|不满意|★/.test(l))).toEqual([]);
    expect(answer.text).toMatch(/招生|报名|入学/);
  });

  it('a question the knowledge base cannot settle: no 登记为咨询件 / 转人工 buttons in the group, the private link instead', async () => {
    const a = parent(A);
    const before = lastId(GROUP);
    await a.inGroup('学校门口的路灯晚上不亮，归哪个部门管？');
    const link = await inGroup((m) => m.text.includes('https://t.me/TestNameBot?start=file'), before);
    const sent = emulator.botMessages(GROUP).filter((m) => m.messageId > before && m.messageId <= link.messageId);
    expect(sent.flatMap((m) => m.replyMarkup?.inline_keyboard.flat() ?? []).map((b) => b.text).filter((l) => /登记|转人工|查询进度/.test(l))).toEqual([]);
  });

  it("A files in the private chat the link opens; staff's reply reaches A only; B sees none of it", async () => {
    const a = parent(A);
    const b = parent(B);
    const groupBefore = lastId(GROUP);
    await a.command('/start file_complaint');
    const asked = await a.next((m) => m.text.includes('请描述您的投诉内容'));
    expect(emulator.botMessages(A).map((m) => m.text)).toContain('这里是您和我的私聊，内容只有您和办理的工作人员能看到。');
    await a.say('彩屯小学食堂每月多收伙食费200元，没有任何公示');
    const phone = await a.next(withButton(/不留电话/), asked.messageId);
    await a.say('13812345678');
    const confirm = await a.next(withButton(/确认提交/), phone.messageId);
    expect(confirm.text).toContain('138****5678');
    await a.press(confirm, /确认提交/);
    const filed = await a.next((m) => m.text.includes('已登记'), confirm.messageId);
    const code = /XH-\d{4}-\d{6}/.exec(filed.text)?.[0] ?? '';
    expect(await stack.cases.get(code)).toMatchObject({ chatId: String(A), citizenRef: String(A), contact: '13812345678', type: 'complaint' });

    await stack.cases.act(code, { kind: 'claim' }, 'slack:U1');
    await stack.cases.act(code, { kind: 'reply', text: '经核查，已责令学校公示伙食费。' }, 'slack:U1');
    await a.next((m) => m.text.includes('经核查，已责令学校公示伙食费。'), filed.messageId);
    await stack.cases.act(code, { kind: 'close', note: '已公示' }, 'slack:U1');
    const rating = await a.next(withButton(/★★★★★/), filed.messageId);

    // B asks for "their" status privately: nothing of A's case.
    await b.command('/status');
    const bStatus = await b.next(() => true);
    expect(bStatus.text).not.toContain(code);
    // In the group, B can neither see nor rate A's case.
    await b.inGroup('非常满意');
    await inGroup((m) => m.text.includes('?start=rate'), groupBefore);
    expect(await stack.db.get('SELECT COUNT(*) AS n FROM ratings')).toEqual({ n: 0 });
    const groupRows = await stack.db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'telegram' AND address = ?", [String(GROUP)]);
    expect(groupRows.map((r) => r.payload).join('\n')).not.toMatch(new RegExp(`${code}|伙食费|13812345678|138\\*+5678`));
    expect(groupTexts()).not.toMatch(new RegExp(`${code}|经核查|伙食费200元`));
    expect(emulator.botMessages(B).map((m) => m.text).join('\n')).not.toMatch(new RegExp(`${code}|伙食费|经核查`));

    // A rates in the private chat.
    await a.press(rating, /★★★★★/);
    await a.next((m) => m.text.includes('感谢您的评价'), rating.messageId);
    expect(await stack.db.get('SELECT COUNT(*) AS n FROM ratings')).toEqual({ n: 1 });
  });

  it('a button pressed in the group that would act on a case is answered with the private link', async () => {
    const a = parent(A);
    const before = lastId(GROUP);
    await a.inGroup('学校乱收费怎么办啊，有没有人管');
    const offer = await inGroup(() => true, before);
    // An old message in the group with a 登记/转人工 button (sent before groups were kept to questions): pressing it.
    const data = await stack.channel.codec.encode({ kind: 'menu', item: 'human' });
    await a.pressInGroup({ ...offer, replyMarkup: { inline_keyboard: [[{ text: '转人工', callback_data: data }]] } }, /转人工/);
    expect((await inGroup((m) => m.text.includes('?start=human'), offer.messageId)).text).toContain('转人工、由工作人员答复涉及您的个人信息');
    expect(await stack.db.get("SELECT COUNT(*) AS n FROM cases WHERE chat_id = ?", [String(GROUP)])).toEqual({ n: 0 });
  });

  it('English: a parent whose Telegram is in English gets the pointer in English', async () => {
    const b = parent(B, 'en');
    const before = lastId(GROUP);
    await b.commandInGroup('/case@TestNameBot');
    const pointer = await inGroup((m) => m.text.includes('?start=file'), before);
    expect(pointer.text).toBe(
      'This is a group chat: everyone in it can read along. Filing a complaint, suggestion, request for help, inquiry or information-disclosure request involves your personal details, so please do it in a private chat with me (open the link, then press "Start"):\nhttps://t.me/TestNameBot?start=file',
    );
  });

  it('a case filed under a group id (before this change) never has its updates posted to the group: staff are told', async () => {
    const legacy = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: String(GROUP), citizenRef: String(B), text: '校车经常晚点半小时', actor: 'citizen' });
    await stack.cases.act(legacy.code, { kind: 'claim' }, 'slack:U1');
    await stack.cases.act(legacy.code, { kind: 'reply', text: '已要求校车公司按时发车。' }, 'slack:U1');
    await vi.waitFor(async () => expect((await stack.cases.get(legacy.code))?.state).toBe('unreachable'), { timeout: 8000 });
    const history = await stack.cases.history(legacy.code);
    expect(history.find((e) => e.kind === 'transition' && e.toState === 'unreachable')?.note).toContain('filed in a group chat');
    expect(groupTexts()).not.toMatch(new RegExp(`${legacy.code}|校车|按时发车`));
  });
});
