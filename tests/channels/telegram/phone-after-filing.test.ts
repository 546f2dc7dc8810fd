import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * A parent who filed without a phone and sends it afterwards, through the real telegraf bot: the number becomes the
 * contact of their open case (staff see it on the case), the parent is told which case, and no 转人工 case is opened.
 */
let emulator: Emulator;
let stack: TelegramStack;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterEach(async () => {
  await stack.close();
});

const feed = (update: Update) => stack.channel.bot.handleUpdate(update);
const texts = async (chatId: number) => (await queuedTelegramReplies(stack.db, chatId)).map((r) => r.text);

async function filedWithoutPhone(chatId: number): Promise<string> {
  await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
  await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
  await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
  const row = await stack.db.get<{ code: string }>('SELECT code FROM cases WHERE chat_id = ?', [String(chatId)]);
  return row!.code;
}

function ownCard(chatId: number, phone: string): Update {
  const base = telegramTextUpdate({ chatId }) as unknown as { update_id: number; message: Record<string, unknown> };
  const { text: _text, ...rest } = base.message;
  return { update_id: base.update_id, message: { ...rest, contact: { phone_number: phone, first_name: '家长', user_id: chatId } } } as unknown as Update;
}

describe('Telegram: the phone sent after filing without one', () => {
  it('typed: set as the case contact, the parent told, no handoff case; staff see it on the case', async () => {
    const chatId = 9961;
    const code = await filedWithoutPhone(chatId);
    await feed(telegramTextUpdate({ chatId, text: '刚才忘了留电话，我的电话是13912345678' }));
    expect((await texts(chatId)).at(-1)).toBe(`已把联系电话 139****5678 补充到您的诉求 ${code}，工作人员需要时会通过这个号码联系您。`);
    expect(await stack.db.all('SELECT code, contact FROM cases')).toEqual([{ code, contact: '13912345678' }]);
    const history = await stack.cases.history(code);
    expect(history.at(-1)).toMatchObject({ kind: 'followup', actor: 'citizen', note: '家长补充联系电话：13912345678' });
    // Sent again: the case has a contact now; the number is not read as a phone answer twice.
    await feed(telegramTextUpdate({ chatId, text: '13812345678' }));
    expect(await stack.db.all('SELECT contact FROM cases')).toEqual([{ contact: '13912345678' }]);
  });

  it("the parent's own contact card: set as the case contact", async () => {
    const chatId = 9962;
    const code = await filedWithoutPhone(chatId);
    await feed(ownCard(chatId, '8613912345678'));
    expect((await texts(chatId)).at(-1)).toBe(`已把联系电话 139****5678 补充到您的诉求 ${code}，工作人员需要时会通过这个号码联系您。`);
    expect(await stack.db.all('SELECT contact FROM cases')).toEqual([{ contact: '13912345678' }]);
  });
});
