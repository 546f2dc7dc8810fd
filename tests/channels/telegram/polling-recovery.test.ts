import { afterEach, describe, expect, it, vi } from 'vitest';
import { leadPolling } from '../../../src/app/poll-leader.js';
import { silentLogger } from '../../../src/logger.js';
import { telegramTestDb } from '../../helpers/telegram-db.js';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';

/**
 * The channel keeps serving parents through Bot API faults that used to end it: a 409 Conflict on getUpdates (an
 * old process still polling during a restart) ended long polling for good, and an API unreachable at start-up made
 * start() reject (the whole app exited). Real telegraf against the telegram-test-api emulator, wired as main.ts wires
 * it (poll leader; on PostgreSQL through the advisory lock), real engine and database. Pauses are short here
 * (restartMs) so the waits are short; the waits are for what the parent sees.
 */
let emulator: Emulator | undefined;
let stack: TelegramStack | undefined;
afterEach(async () => {
  await stack?.close();
  await emulator?.close();
  stack = undefined;
  emulator = undefined;
});

async function start(statuses: string[]) {
  emulator = await startEmulator();
  const db = await telegramTestDb();
  stack = await createTelegramStack({
    apiRoot: emulator.apiRoot,
    db,
    restartMs: 40,
    onStatus: (s) => statuses.push(s),
    pollingLeader: (poller) => leadPolling({ db, poller, logger: silentLogger(), retryMs: 50 }),
  });
  await stack.channel.start();
  return { emulator, stack };
}

describe('telegram polling recovers', () => {
  it('after a 409 Conflict on getUpdates: reported down, polled again, and the next question is answered', async () => {
    const statuses: string[] = [];
    const { emulator } = await start(statuses);
    const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId: 6101, userId: 6101, firstName: '家长' });
    await client.sendMessage(client.makeMessage('你好'));
    await emulator.waitForBotMessage(6101, () => true);
    expect(statuses.at(-1)).toBe('connected');

    emulator.failNext('getUpdates', 409, {
      ok: false,
      error_code: 409,
      description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    await vi.waitFor(() => expect(statuses).toContain('down'), { timeout: 10_000, interval: 10 });
    await client.sendMessage(client.makeMessage('孩子2020年8月30号出生，今年能上一年级吗？'));
    const answer = await emulator.waitForBotMessage(6101, (m) => m.text.includes('入学'), 15_000);
    expect(answer.text).toContain('来源');
    expect(statuses.at(-1)).toBe('connected');
  });

  it('with the Bot API unreachable at start-up (502): start() resolves, the channel is down, then connects and answers', async () => {
    const statuses: string[] = [];
    emulator = await startEmulator();
    emulator.failNext('getMe', 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
    const db = await telegramTestDb();
    stack = await createTelegramStack({ apiRoot: emulator.apiRoot, db, restartMs: 40, onStatus: (s) => statuses.push(s) });
    await expect(stack.channel.start()).resolves.toBeUndefined();
    expect(statuses).toEqual(['down']);
    const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId: 6102, userId: 6102, firstName: '家长' });
    await client.sendMessage(client.makeMessage('小学什么时候报名？'));
    const answer = await emulator.waitForBotMessage(6102, (m) => m.text.includes('来源'), 15_000);
    expect(answer.text).toMatch(/报名/);
    expect(statuses).toEqual(['down', 'connected']);
  });
});
