import { startSlackHarness, type SlackHarness } from './slack-harness.js';
import { startEmulator, type BotMessage, type Emulator } from './telegram-emulator.js';
import { createTelegramStack, type TelegramStack } from './telegram-harness.js';

/**
 * A parent on Telegram (telegraf against the telegram-test-api emulator) and staff on Slack (signed
 * requests to the real Bolt app, Web API on a stub), over one case desk and one SQLite file.
 */
export interface TelegramSlackLoop {
  emulator: Emulator;
  stack: TelegramStack;
  slack: SlackHarness;
  close(): Promise<void>;
}

/**
 * `at`: the wall-clock time the loop starts at (ISO); the clock then runs at real pace from there, so case codes,
 * deadlines and every dated verdict are the same whatever day the suite runs. Without it: the real time.
 */
export async function startTelegramSlackLoop(options: { at?: string } = {}): Promise<TelegramSlackLoop> {
  const emulator = await startEmulator();
  const offset = options.at ? new Date(options.at).getTime() - Date.now() : 0;
  const clock = options.at
    ? { now: () => Date.now() + offset, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), monotonic: () => performance.now() }
    : undefined;
  const stack = await createTelegramStack({ apiRoot: emulator.apiRoot, ...(clock ? { clock } : {}) });
  await stack.channel.start();
  const slack = await startSlackHarness(clock ? { now: () => new Date(clock.now()) } : {}, { db: stack.db, desk: stack.cases });
  return {
    emulator,
    stack,
    slack,
    async close() {
      await slack.close();
      await stack.close();
      await emulator.close();
    },
  };
}

/** A bot message carrying an inline button whose label matches. */
export const withButton = (label: RegExp) => (m: BotMessage) => m.replyMarkup?.inline_keyboard.flat().some((b) => label.test(b.text)) ?? false;
