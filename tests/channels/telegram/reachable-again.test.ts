import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiError, startRecordingBotApi, type RecordingBotApi } from '../../faults/helpers/recording-bot-api.js';
import { createTelegramStack, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * A parent who had blocked the bot (staff's reply got 403, the case became 联系不上) unblocks it and writes again:
 * the lost staff reply is sent to them, the case leaves 联系不上 (staff see it in the case history), and their status
 * no longer reads 联系不上诉求人. Real telegraf (`handleUpdate`), the real outbox sender against a Bot API stand-in on
 * 127.0.0.1 that answers 403 for the chat while it is blocked, real desk and SQLite.
 */
let api: RecordingBotApi;
let stack: TelegramStack;
beforeAll(async () => {
  api = await startRecordingBotApi();
  stack = await createTelegramStack({ apiRoot: api.apiRoot });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterAll(async () => {
  await stack?.close();
  await api?.close();
});

const CHAT = 7301;
const textsTo = () => api.sent.filter((s) => s.chatId === String(CHAT)).map((s) => s.text);

describe('a parent who blocked the bot comes back', () => {
  it('gets the staff reply that was lost, and the case is no longer 联系不上', async () => {
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: String(CHAT), text: '校车经常晚点半小时', actor: 'citizen' });
    await stack.cases.act(filed.code, { kind: 'claim' }, 'slack:U1');
    await stack.channel.sender.drain();
    expect(textsTo().some((t) => t.includes('签收'))).toBe(true);

    api.failWhen((body) => (String(body.chat_id) === String(CHAT) ? botApiError(403, 'Forbidden: bot was blocked by the user') : undefined));
    await stack.cases.act(filed.code, { kind: 'reply', text: '第一条答复：已联系校车公司' }, 'slack:U1');
    await stack.channel.sender.drain();
    await stack.channel.sender.drain(); // the 联系不上 notice the 403 queued dies the same way
    expect((await stack.cases.get(filed.code))?.state).toBe('unreachable');
    expect(textsTo().some((t) => t.includes('第一条答复'))).toBe(false);

    const before = textsTo().length;
    api.failWhen(null); // the parent unblocked the bot
    await stack.channel.bot.handleUpdate(telegramTextUpdate({ chatId: CHAT, text: '查询进度' }));
    await stack.channel.sender.drain();
    const after = textsTo().slice(before);
    const replyAt = after.findIndex((t) => t.includes('第一条答复：已联系校车公司'));
    expect(replyAt).toBe(0); // the lost reply first, then the answer to what they sent
    const status = after.slice(replyAt + 1).find((t) => t.includes(filed.code));
    expect(status).toBeDefined();
    expect(status).not.toContain('联系不上');
    expect(after.some((t) => t.includes('未能联系上'))).toBe(false);
    const record = await stack.cases.get(filed.code);
    expect(record).toMatchObject({ state: 'replied', unreachable: false });
    const history = await stack.cases.history(filed.code);
    expect(history.at(-1)).toMatchObject({ kind: 'transition', fromState: 'unreachable', toState: 'replied' });
    expect(history.at(-1)?.note).toContain('已可联系');

    // A further reply reaches the parent.
    await stack.cases.act(filed.code, { kind: 'reply', text: '第二条答复：校车已改为7点发车' }, 'slack:U1');
    await stack.channel.sender.drain();
    expect(textsTo().at(-1)).toContain('第二条答复');
  });
  it('a phone in the message that shows they are back goes onto the case once, and they are told it was kept', async () => {
    const chat = 7302;
    const to = () => api.sent.filter((s) => s.chatId === String(chat)).map((s) => s.text);
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: String(chat), text: '食堂饭菜经常是凉的', actor: 'citizen' });
    await stack.cases.act(filed.code, { kind: 'claim' }, 'slack:U1');
    await stack.channel.sender.drain();
    api.failWhen((body) => (String(body.chat_id) === String(chat) ? botApiError(403, 'Forbidden: bot was blocked by the user') : undefined));
    await stack.cases.act(filed.code, { kind: 'reply', text: '答复：已联系学校食堂' }, 'slack:U1');
    await stack.channel.sender.drain();
    await stack.channel.sender.drain();
    expect((await stack.cases.get(filed.code))?.state).toBe('unreachable');

    const before = to().length;
    api.failWhen(null);
    await stack.channel.bot.handleUpdate(telegramTextUpdate({ chatId: chat, text: '我的电话是13912345678' }));
    await stack.channel.sender.drain();
    const after = to().slice(before).join('\n');
    expect(after).toContain('139****5678');
    expect(after).not.toContain('没有另外保存');
    expect(await stack.cases.get(filed.code)).toMatchObject({ contact: '13912345678', unreachable: false });
  });
});
