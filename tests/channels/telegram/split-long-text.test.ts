import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { fakeClock } from '../../helpers/telegram-db.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * A complaint pasted in one go that Telegram's client splits at 4,096 characters (two messages back to back), through
 * the real telegraf bot on a set clock: the first part is refused as too long, and the second — the middle of a
 * sentence — must not become the petition; it is refused with it. A shortened text sent later is taken.
 */
let emulator: Emulator;
let stack: TelegramStack;
let clock: ReturnType<typeof fakeClock>;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  clock = fakeClock();
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, clock });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterEach(async () => {
  await stack.close();
});

const feed = (update: Update) => stack.channel.bot.handleUpdate(update);
const texts = async (chatId: number) => (await queuedTelegramReplies(stack.db, chatId)).map((r) => r.text);
const FULL = [...('我要投诉彩屯小学乱收费。' + '事情经过如下：开学以来学校多次以各种名义向家长收取费用，'.repeat(200) + '最后，请求教育局责令学校退还全部费用。')];
const SPLIT_PART = '这条消息紧跟在刚才那条超长的消息之后，应是同一段文字被分成了几条发送，所以也没有登记。请把整段诉求精简到 2000 字以内，作为一条消息重新发送。';
const DESCRIBE = '请描述您的投诉内容（事情经过、涉及的学校或单位、您的诉求）：';

describe('Telegram: a long complaint split into two messages', () => {
  it('the second part is refused with the first, not taken as the petition; a shortened text is taken', async () => {
    const chatId = 9601;
    await feed(telegramTextUpdate({ chatId, text: FULL.slice(0, 4096).join('') }));
    clock.advance(400);
    await feed(telegramTextUpdate({ chatId, text: FULL.slice(4096).join('') }));
    const replies = await texts(chatId);
    expect(replies[0]).toMatch(/^内容共 4096 字，超过了 2000 字的上限/);
    expect(replies.slice(1)).toEqual([DESCRIBE, SPLIT_PART]);
    clock.advance(90_000);
    await feed(telegramTextUpdate({ chatId, text: '彩屯小学开学以来多次以资料费名义向每个学生收取500元，请求责令退还。' }));
    expect((await texts(chatId)).at(-1)).toMatch(/^请留下联系电话/);
    expect(await stack.db.all('SELECT code FROM cases')).toEqual([]);
  });

  it('a description sent well after a refusal is taken as the petition', async () => {
    const chatId = 9602;
    await feed(telegramTextUpdate({ chatId, text: FULL.join('') }));
    clock.advance(60_000);
    await feed(telegramTextUpdate({ chatId, text: '彩屯小学多次以资料费名义收费，请求责令退还。' }));
    expect((await texts(chatId)).at(-1)).toMatch(/^请留下联系电话/);
  });
});
