import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import type { Incoming } from '../../../src/core/types.js';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * Contact cards (📎 → Contact) sent when the bot asks for a phone, through the real telegraf bot. Only the parent's own
 * card is their call-back number: a card picked from the address book (the 班主任's) would have staff call the person
 * the complaint is about. Telegram gives the number in international form: a +1 number is not a mainland 141… one.
 */
let emulator: Emulator;
let stack: TelegramStack;
let seen: Incoming[];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  seen = [];
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, record: seen });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterEach(async () => {
  await stack.close();
});

const feed = (update: Update) => stack.channel.bot.handleUpdate(update);
const texts = async (chatId: number) => (await queuedTelegramReplies(stack.db, chatId)).map((r) => r.text);
const ASK_PHONE = '请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。';

/** A contact card from the parent `chatId`; `userId` is the account the card belongs to (none: an address-book entry). */
function card(chatId: number, phone: string, name: string, userId?: number): Update {
  const base = telegramTextUpdate({ chatId }) as unknown as { update_id: number; message: Record<string, unknown> };
  const { text: _text, ...rest } = base.message;
  return { update_id: base.update_id, message: { ...rest, contact: { phone_number: phone, first_name: name, ...(userId ? { user_id: userId } : {}) } } } as unknown as Update;
}

async function atPhoneStep(chatId: number) {
  await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
  expect((await texts(chatId)).at(-1)).toBe(ASK_PHONE);
}

describe('Telegram: contact cards at the phone step', () => {
  it("another person's card is not the parent's phone: said so, asked again, the case is filed without it", async () => {
    const chatId = 9101;
    await atPhoneStep(chatId);
    await feed(card(chatId, '+86 139 1234 5678', '王老师', 77777));
    expect((await texts(chatId)).slice(-2)).toEqual([
      '您发来的是“王老师”的联系人名片，不是您本人的号码，所以没有作为您的联系电话。请留下您本人的电话；如需工作人员联系此人，请在诉求内容里写明。',
      ASK_PHONE,
    ]);
    // A card of no Telegram account (an address-book entry) is not the parent's either.
    await feed(card(chatId, '13912345678', '校长'));
    expect((await texts(chatId)).slice(-2)[0]).toMatch(/^您发来的是“校长”的联系人名片/);
    await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
    expect((await texts(chatId)).at(-1)).toContain('联系电话：未留');
    await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    const cases = await stack.db.all<{ code: string; contact: string | null }>('SELECT code, contact FROM cases');
    expect(cases).toEqual([{ code: expect.stringMatching(/^XH-/), contact: null }]);
  });

  it("the parent's own card answers the step; a number from another country is said to be one, not misread", async () => {
    const chatId = 9102;
    await atPhoneStep(chatId);
    await feed(card(chatId, '14155552671', '家长', chatId));
    await feed(card(chatId, '+85291234567', '家长', chatId));
    const notMainland = '您分享的号码不是中国大陆的电话号码，工作人员无法回拨，所以没有记下。请输入大陆手机号或带区号的座机，或点“不留电话”。';
    expect((await texts(chatId)).slice(-4)).toEqual([notMainland, ASK_PHONE, notMainland, ASK_PHONE]);
    // The number the engine was handed as the parent's words (recent lines for staff) is starred.
    expect(seen.at(-1)?.text).toBe('+852********');
    await feed(card(chatId, '8613912345678', '家长', chatId));
    expect((await texts(chatId)).at(-1)).toContain('联系电话：139****5678');
    await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    expect(await stack.db.all('SELECT contact FROM cases')).toEqual([{ contact: '13912345678' }]);
  });

  it('an own card with a landline after +86 is read with its area code', async () => {
    const chatId = 9103;
    await atPhoneStep(chatId);
    await feed(card(chatId, '+86 24 4284 2001', '家长', chatId));
    await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    expect(await stack.db.all('SELECT contact FROM cases')).toEqual([{ contact: '024-42842001' }]);
  });
});
