import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { startInstance, ready, waitFor, type BotInstance } from './bot-instance.js';
import { startDeliveryFront, type DeliveryFront } from './webhook-delivery.js';
import { freePort } from '../../helpers/free-port.js';

/**
 * Parents on Telegram (webhook mode) served by N CivicDesk instances on one database: the
 * telegram-test-api emulator creates the updates and receives the bots' messages, the delivery
 * front (webhook-delivery.ts) plays Telegram's webhook queue in front of the instances.
 * Used by tests/faults/instances/two-instances-kill.test.ts and bench/instances.ts.
 */
export const BOT_TOKEN = '7000000001:multi-instance-test-token';
const SECRET = 'multi-instance-webhook-secret';
/** A Wednesday, 10:00:30 in Asia/Shanghai: a working day inside office hours. */
export const FAKE_START = '2026-03-04T02:00:30.000Z';

export interface Scenario {
  emulator: Emulator;
  front: DeliveryFront;
  instances: BotInstance[];
  /** Every instance process started, killed ones included (their stdout stays readable). */
  all: BotInstance[];
  /** SIGKILLs instance `index` and waits until it is gone. */
  kill(index: number): Promise<BotInstance>;
  /** Starts instance `index` again (same INSTANCE_ID and port). */
  restart(index: number): BotInstance;
  /** Each chat sends its messages in turn; the next goes once Telegram had a 2xx for the previous one. */
  converse(chats: number[], script: (chat: number) => string[], onDelivered?: () => void): Promise<void>;
  stop(): Promise<void>;
}


export async function startScenario(options: { instances: number; database: { DATABASE_URL: string } | { DATABASE_PATH: string }; env?: Record<string, string> }): Promise<Scenario> {
  const emulator = await startEmulator();
  const instances: BotInstance[] = [];
  const all: BotInstance[] = [];
  const front = await startDeliveryFront({ targets: () => instances.map((i) => i.url), secret: SECRET, path: '/telegram/webhook' });
  const env: Record<string, string> = {
    ...options.database,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    TELEGRAM_WEBHOOK_URL: front.url,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_GLOBAL_PER_SECOND: '1000',
    SLACK_BOT_TOKEN: '',
    WEB_CHAT_ENABLED: 'false',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    CLOCK_FAKE_START: FAKE_START,
    CLOCK_REAL_START: String(Date.now()),
    ...options.env,
  };
  const ports = await Promise.all(Array.from({ length: options.instances }, freePort));
  const names = ports.map((_p, i) => `bot-${String.fromCharCode(97 + i)}`);
  const launch = (i: number) => {
    // Each process calls the Bot API through its own tag, so the emulator's log says who sent what.
    const instance = startInstance(names[i]!, ports[i]!, { ...env, TELEGRAM_API_ROOT: `${emulator.apiRoot}/via/${names[i]}-${all.length + 1}/` });
    instances[i] = instance;
    all.push(instance);
    return instance;
  };
  for (let i = 0; i < options.instances; i += 1) launch(i);
  try {
    await Promise.all(instances.map((i) => ready(i)));
    await waitFor('the webhook registration', () => ((emulator.server as unknown as { webhooks: Record<string, unknown> }).webhooks[BOT_TOKEN] ? true : undefined), 10_000);
  } catch (error) {
    for (const i of all) i.child.kill('SIGKILL');
    await emulator.close();
    await front.close();
    throw error;
  }

  // The emulator reads its update_id and message_id counters when an update is added but advances
  // them only after the webhook push returned, so concurrent updates would share ids. Advancing them
  // at once as well gives every update its own (ids then step by 2; Telegram promises only increase).
  const counters = emulator.server as unknown as { updateId: number; messageId: number };
  const userSends = (message: Parameters<typeof emulator.server.addUserMessage>[0]) => {
    const added = emulator.server.addUserMessage(message);
    counters.updateId += 1;
    counters.messageId += 1;
    return added;
  };

  return {
    emulator,
    front,
    instances,
    all,
    async kill(index) {
      const victim = instances[index]!;
      victim.child.kill('SIGKILL');
      await victim.exited;
      return victim;
    },
    restart: launch,
    async converse(chats, script, onDelivered) {
      await Promise.all(
        chats.map(async (chat) => {
          const client = emulator.server.getClient(BOT_TOKEN, { chatId: chat, userId: chat, firstName: `家长${chat}`, timeout: 60_000 });
          for (const [k, text] of script(chat).entries()) {
            await userSends(client.makeMessage(text));
            await front.answered(String(chat), k + 1, 45_000);
            onDelivered?.();
          }
        }),
      );
    },
    async stop() {
      for (const i of instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGTERM');
      await Promise.all(instances.map((i) => Promise.race([i.exited, new Promise((r) => setTimeout(r, 10_000))])));
      for (const i of all) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
      await front.close();
      await emulator.close();
    },
  };
}
