import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';

/**
 * Review 18 R20 through the real telegraf bot on the telegram-test-api emulator: after a complaint filed without a
 * phone, the parent's own contact card (contact.user_id = the sender) or "我的电话是…" goes onto the case, said back
 * masked; a card of someone else (the 班主任's) is not kept. The desk runs on a set clock.
 */
let emulator: Emulator;
let stack: TelegramStack;
const START = Date.UTC(2026, 10, 24, 1, 30);
const started = Date.now();
const clock = { now: () => START + (Date.now() - started), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

beforeAll(async () => {
  emulator = await startEmulator();
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, clock });
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
    /** 📎 → Contact: a card with no text, as Telegram sends it. */
    shareContact(phone: string, userId: number, firstName: string) {
      const { text: _text, ...message } = client.makeMessage('');
      return client.sendMessage({ ...message, contact: { phone_number: phone, first_name: firstName, user_id: userId } } as unknown as ReturnType<typeof client.makeMessage>);
    },
    next: (predicate: (text: string) => boolean) => emulator.waitForBotMessage(chatId, (m) => predicate(m.text)),
  };
}

async function filedWithoutPhone(chatId: number) {
  const c = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: String(chatId), citizenRef: String(chatId), text: '投诉彩屯小学乱收费，每个学生收500元资料费', actor: 'citizen' });
  return c.code;
}

const contactOf = async (code: string) => (await stack.cases.get(code))?.contact ?? null;

describe('Telegram: a phone given after filing without one (review 18 R20)', () => {
  it("the parent's own contact card goes onto the case", async () => {
    const p = parent(741);
    const code = await filedWithoutPhone(741);
    await p.next((text) => text.includes(`已登记，编号 ${code}`));
    await p.shareContact('8613912345678', 741, '家长');
    await p.next((text) => text === `已把联系电话 139****5678 记入诉求 ${code}，工作人员需要时会打这个电话联系您。`);
    expect(await contactOf(code)).toBe('13912345678');
    expect((await stack.cases.history(code)).filter((e) => e.kind === 'contact').map((e) => e.note)).toEqual(['139****5678']);
  });

  it("someone else's card (the teacher's) is not kept", async () => {
    const p = parent(742);
    const code = await filedWithoutPhone(742);
    await p.next((text) => text.includes(`已登记，编号 ${code}`));
    await p.shareContact('13812345678', 77777, '王老师');
    await p.next((text) => text.startsWith('收到您分享的联系人。'));
    expect(await contactOf(code)).toBeNull();
  });

  it('"我的电话是…" goes onto the case and opens no 转人工 case', async () => {
    const p = parent(743);
    const code = await filedWithoutPhone(743);
    await p.next((text) => text.includes(`已登记，编号 ${code}`));
    await p.say('刚才忘了留电话，我的电话是13912345678');
    await p.next((text) => text === `已把联系电话 139****5678 记入诉求 ${code}，工作人员需要时会打这个电话联系您。`);
    expect(await contactOf(code)).toBe('13912345678');
    expect((await stack.cases.list({ chatId: '743', channel: 'telegram' })).map((c) => c.code)).toEqual([code]);
  });
});
