import type { Message } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { classifyMessage, messageToIncoming, parseCommand, platformLocale } from '../../../src/channels/telegram/to-incoming.js';
import { telegramMediaUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';

const textMessage = (o: Parameters<typeof telegramTextUpdate>[0]) =>
  (telegramTextUpdate(o) as unknown as { message: Message.TextMessage }).message;
const now = new Date('2026-11-28T01:00:00Z');

describe('to-incoming', () => {
  it('maps a private text message with the platform locale', () => {
    const incoming = messageToIncoming({ message: textMessage({ text: '学区怎么划分？', chatId: 42, languageCode: 'zh-hans', messageId: 7 }), botUsername: 'XihuEduBot', now });
    expect(incoming).toEqual({ channel: 'telegram', chatId: '42', userId: '42', text: '学区怎么划分？', platformLocale: 'zh', receivedAt: now, messageId: '7' });
  });

  it('passes slash commands without the slash or bot name, arguments as text', () => {
    expect(parseCommand(textMessage({ text: '/lang en' }))).toEqual({ command: 'lang', rest: 'en' });
    const incoming = messageToIncoming({ message: textMessage({ text: '/Start@XihuEduBot', languageCode: 'en-GB' }), botUsername: 'XihuEduBot', now });
    expect(incoming.command).toBe('start');
    expect(incoming.text).toBe('');
    expect(incoming.platformLocale).toBe('en');
  });

  it('language: en… → English, anything else or missing → Chinese', () => {
    expect(platformLocale({ id: 1, is_bot: false, first_name: 'a', language_code: 'en' })).toBe('en');
    expect(platformLocale({ id: 1, is_bot: false, first_name: 'a', language_code: 'ru' })).toBe('zh');
    expect(platformLocale(undefined)).toBe('zh');
  });

  it('strips the bot mention in groups and carries the reply-to case code', () => {
    const message = textMessage({ text: '@XihuEduBot 我的投诉有进展吗', chatType: 'group', chatId: -100 });
    const incoming = messageToIncoming({ message, botUsername: 'XihuEduBot', replyToCaseCode: 'XH-2026-000007', now });
    expect(incoming.text).toBe('我的投诉有进展吗');
    expect(incoming.replyToCaseCode).toBe('XH-2026-000007');
  });

  it('marks groups and supergroups as shared chats with the private-chat link; a private chat is not', () => {
    for (const chatType of ['group', 'supergroup'] as const) {
      const incoming = messageToIncoming({ message: textMessage({ text: '@XihuEduBot 几岁上学', chatType, chatId: -100 }), botUsername: 'XihuEduBot', now });
      expect(incoming.sharedChat).toEqual({ privateChatUrl: 'https://t.me/XihuEduBot' });
    }
    expect(messageToIncoming({ message: textMessage({ text: '几岁上学', chatId: 42 }), botUsername: 'XihuEduBot', now }).sharedChat).toBeUndefined();
  });

  it('classifies media as non-text', () => {
    for (const kind of ['photo', 'voice', 'sticker', 'location', 'document'] as const) {
      const message = (telegramMediaUpdate(kind) as unknown as { message: Message }).message;
      expect(classifyMessage(message)).toBe('non-text');
    }
    expect(classifyMessage(textMessage({ text: 'hi' }))).toBe('text');
    expect(classifyMessage({ message_id: 1, date: 1, chat: { id: 1, type: 'private', first_name: 'x' }, new_chat_title: 'x' } as unknown as Message)).toBe('ignore');
  });
});
