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

export async function startTelegramSlackLoop(): Promise<TelegramSlackLoop> {
  const emulator = await startEmulator();
  const stack = await createTelegramStack({ apiRoot: emulator.apiRoot });
  await stack.channel.start();
  const slack = await startSlackHarness({}, { db: stack.db, desk: stack.cases });
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
