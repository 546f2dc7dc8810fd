import type { BotMessage } from './telegram-emulator.js';
import { TEST_BOT_TOKEN } from './telegram-harness.js';
import { withButton, type TelegramSlackLoop } from './telegram-slack-loop.js';

/** A parent on the Telegram emulator: send, wait for the bot, press an inline button, file a case without a phone. */
export function telegramParent(loop: TelegramSlackLoop, chatId: number) {
  const { emulator } = loop;
  const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
  // Only messages the bot sends after the last one a wait returned: an earlier "已登记" never answers a later filing.
  let seen = 0;
  const next = async (p: (m: BotMessage) => boolean) => {
    const after = seen;
    const message = await emulator.waitForBotMessage(chatId, (m) => m.messageId > after && p(m));
    seen = Math.max(seen, message.messageId);
    return message;
  };
  const press = (message: BotMessage, label: RegExp) => {
    const button = message.replyMarkup!.inline_keyboard.flat().find((b) => label.test(b.text))!;
    return client.sendCallback(client.makeCallbackQuery(button.callback_data, { message: { message_id: message.messageId, reply_markup: message.replyMarkup } as never }));
  };
  const say = (text: string) => client.sendMessage(client.makeMessage(text));
  /** Telegram "reply" to one of the bot's messages. */
  const answer = (to: BotMessage, text: string) =>
    client.sendMessage(client.makeMessage(text, {
      reply_to_message: { message_id: to.messageId, text: to.text, from: { id: 666, is_bot: true, first_name: 'Bot' }, chat: { id: chatId, type: 'private' } },
    } as never));
  const file = async (text: string) => {
    await say(text);
    await press(await next(withButton(/不留电话/)), /不留电话/);
    await press(await next(withButton(/确认提交/)), /确认提交/);
    return /XH-\d{4}-\d{6}/.exec((await next((m) => m.text.includes('已登记'))).text)![0];
  };
  /** Every text the bot sent this parent so far. */
  const texts = () => emulator.botMessages(chatId).map((m) => m.text);
  return { client, next, press, say, answer, file, texts };
}
