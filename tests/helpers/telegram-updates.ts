import type { Update } from 'telegraf/types';

/**
 * Builders for Telegram updates with overrides, for tests that feed the real
 * telegraf bot (`bot.handleUpdate`) or the webhook handler.
 *
 * @example
 *   telegramTextUpdate({ text: '/lang en', languageCode: 'en' })
 */
let nextUpdateId = 1000;
let nextMessageId = 1;

export interface TextUpdateOptions {
  text?: string;
  updateId?: number;
  messageId?: number;
  chatId?: number;
  userId?: number;
  languageCode?: string;
  chatType?: 'private' | 'group' | 'supergroup';
  replyTo?: { messageId: number; fromId: number; isBot?: boolean; text?: string };
}

const user = (id: number, languageCode?: string) => ({
  id,
  is_bot: false,
  first_name: '家长',
  ...(languageCode ? { language_code: languageCode } : {}),
});

const chat = (id: number, type: TextUpdateOptions['chatType'] = 'private') =>
  type === 'private' ? { id, type: 'private' as const, first_name: '家长' } : { id, type, title: '家长群' };

function base(o: TextUpdateOptions) {
  const chatId = o.chatId ?? 501;
  return {
    message_id: o.messageId ?? nextMessageId++,
    date: 1_795_000_000,
    chat: chat(chatId, o.chatType),
    from: user(o.userId ?? chatId, o.languageCode ?? 'zh-hans'),
  };
}

export function telegramTextUpdate(o: TextUpdateOptions = {}): Update {
  const text = o.text ?? '请问小学什么时候报名？';
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  const message: Record<string, unknown> = { ...base(o), text };
  if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
  if (o.replyTo)
    message.reply_to_message = {
      message_id: o.replyTo.messageId,
      date: 1_795_000_000,
      chat: message.chat,
      from: { id: o.replyTo.fromId, is_bot: o.replyTo.isBot ?? true, first_name: 'Bot' },
      text: o.replyTo.text ?? '…',
    };
  return { update_id: o.updateId ?? nextUpdateId++, message } as unknown as Update;
}

export function telegramMediaUpdate(kind: 'photo' | 'voice' | 'sticker' | 'location' | 'document', o: TextUpdateOptions = {}): Update {
  const media: Record<string, unknown> = {
    photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }],
    voice: { file_id: 'v', file_unique_id: 'v', duration: 3 },
    sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false },
    location: { latitude: 41.3, longitude: 123.7 },
    document: { file_id: 'd', file_unique_id: 'd' },
  };
  return { update_id: o.updateId ?? nextUpdateId++, message: { ...base(o), [kind]: media[kind] } } as unknown as Update;
}

export function telegramCallbackUpdate(o: { data: string; chatId?: number; userId?: number; updateId?: number; label?: string; languageCode?: string }): Update {
  const chatId = o.chatId ?? 501;
  return {
    update_id: o.updateId ?? nextUpdateId++,
    callback_query: {
      id: `cq-${nextUpdateId}`,
      chat_instance: 'ci',
      from: user(o.userId ?? chatId, o.languageCode ?? 'zh-hans'),
      data: o.data,
      message: {
        message_id: nextMessageId++,
        date: 1_795_000_000,
        chat: chat(chatId),
        text: '…',
        reply_markup: { inline_keyboard: [[{ text: o.label ?? '按钮', callback_data: o.data }]] },
      },
    },
  } as unknown as Update;
}
