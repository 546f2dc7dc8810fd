import type { CallbackQuery, Message, User } from 'telegraf/types';
import type { ButtonPayload, Incoming, Locale } from '../../core/types.js';
import { maskPhones } from '../../core/privacy/mask.js';
import { maskTypedContact, phoneFromInternational } from '../../core/cases/contact.js';
import { sanitizeText } from '../shared/inbound-guard.js';

/**
 * Telegram message / callback query → the core's `Incoming`. Pure: the
 * reply-to case code and the decoded button payload are looked up by the
 * caller and passed in.
 */

const NON_TEXT_KEYS = [
  'photo', 'voice', 'sticker', 'location', 'document', 'video', 'audio', 'animation',
  'video_note', 'contact', 'venue', 'poll', 'dice', 'story', 'paid_media', 'game', 'checklist', 'giveaway',
] as const;

/** Kinds that are material a parent may send as evidence (a receipt's photo, a recording): counted on the filing. */
const EVIDENCE_KEYS = ['photo', 'document', 'video', 'voice', 'audio', 'video_note'] as const;

/** What a message carries besides words, for the engine: whether it is evidence, and its album (media_group_id). */
export function attachmentOf(message: Message): Incoming['attachment'] {
  if (!NON_TEXT_KEYS.some((key) => key in message)) return undefined;
  const album = (message as { media_group_id?: unknown }).media_group_id;
  return { evidence: EVIDENCE_KEYS.some((key) => key in message), ...(typeof album === 'string' ? { album } : {}) };
}

/** 'text' for something to answer, 'non-text' for media we cannot read, 'ignore' for service messages. */
export function classifyMessage(message: Message): 'text' | 'non-text' | 'ignore' {
  if ('text' in message && typeof message.text === 'string') return 'text';
  if (NON_TEXT_KEYS.some((key) => key in message)) return 'non-text';
  return 'ignore';
}

/**
 * The words of a message: its text, or the caption a parent typed under a photo, file or video
 * (as a text message with the caption's entities), or null when it has none. A caption is the
 * parent's question; answering it loses nothing, while the attachment itself stays unread.
 */
export function wordsOf(message: Message): Message.TextMessage | null {
  if ('text' in message && typeof message.text === 'string') return message;
  const caption = (message as { caption?: unknown }).caption;
  // A caption with nothing readable (blank, or zero-width and bidi characters only) is no words: the attachment is one
  // without a caption, which the engine notes during a filing, rather than a caption the bot has nothing to answer of.
  if (typeof caption !== 'string' || sanitizeText(caption) === '') return null;
  const entities = (message as { caption_entities?: Message.TextMessage['entities'] }).caption_entities;
  return { ...(message as Message.TextMessage), text: caption, ...(entities ? { entities } : {}) };
}

/** Telegram's language_code: `en…` → English, anything else (or none) → Chinese. */
export function platformLocale(from: User | undefined): Locale {
  return from?.language_code?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/**
 * `/lang en` → { command: 'lang', rest: 'en' }; `/help@CivicBot` → { command: 'help', rest: '' }.
 * Only a bot_command entity at offset 0 counts, as Telegram marks it.
 */
export function parseCommand(message: Message.TextMessage): { command?: string; rest: string } {
  const entity = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!entity) return { rest: message.text };
  const raw = message.text.slice(1, entity.length);
  const command = raw.split('@')[0]?.toLowerCase() ?? '';
  return { command, rest: message.text.slice(entity.length).trim() };
}

/** Removes `@BotName` mentions so the engine sees the question only. */
export function stripMention(text: string, botUsername: string): string {
  if (!botUsername) return text;
  return text.replace(new RegExp(`@${botUsername.replace(/[^A-Za-z0-9_]/g, '')}\\b`, 'gi'), ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * A group or supergroup (a 家长群): other parents read every message there, so the engine keeps it to questions and
 * sends the rest to the private chat this link opens (https://t.me/<bot>, Telegram's deep link). Undefined for a
 * private chat.
 */
export function sharedChatOf(chat: { type: string } | undefined, botUsername: string): Incoming['sharedChat'] {
  if (chat?.type !== 'group' && chat?.type !== 'supergroup') return undefined;
  const name = botUsername.replace(/[^A-Za-z0-9_]/g, '');
  return { privateChatUrl: name ? `https://t.me/${name}` : null };
}

/** A forwarded message: Bot API 7.0+ marks it with `forward_origin`, older servers with `forward_date`. */
export function isForwarded(message: Message): boolean {
  return 'forward_origin' in message || 'forward_date' in message;
}

export function messageToIncoming(input: {
  message: Message.TextMessage;
  botUsername: string;
  replyToCaseCode?: string | null;
  now: Date;
}): Incoming {
  const { message } = input;
  const { command, rest } = parseCommand(message);
  const incoming: Incoming = {
    channel: 'telegram',
    chatId: String(message.chat.id),
    userId: String(message.from?.id ?? message.chat.id),
    text: sanitizeText(stripMention(rest, input.botUsername)),
    platformLocale: platformLocale(message.from),
    receivedAt: input.now,
    messageId: String(message.message_id),
  };
  if (command) incoming.command = command;
  if (isForwarded(message)) incoming.forwarded = true;
  const attachment = attachmentOf(message);
  if (attachment) incoming.attachment = attachment;
  if (input.replyToCaseCode) incoming.replyToCaseCode = input.replyToCaseCode;
  const shared = sharedChatOf(message.chat, input.botUsername);
  if (shared) incoming.sharedChat = shared;
  return incoming;
}

/**
 * A contact card (the phone a parent shares with Telegram's 📎 → Contact, often how they answer "请留下联系电话"): the
 * engine gets whose card it is, its number read as a mainland one and the name on it; the text, which the recent lines
 * and logs may keep, is masked. Only a card of the sender's own account (`user_id` = the sender, what "share my phone"
 * sends) is theirs: one picked from the address book (the 班主任 "王老师") is someone else's number.
 */
export function contactToIncoming(message: Message.ContactMessage, now: Date, botUsername = ''): Incoming {
  const { contact } = message;
  const raw = sanitizeText(contact.phone_number, 40);
  const shared = sharedChatOf(message.chat, botUsername);
  const own = contact.user_id !== undefined && contact.user_id === message.from?.id;
  return {
    ...(shared ? { sharedChat: shared } : {}),
    channel: 'telegram',
    chatId: String(message.chat.id),
    userId: String(message.from?.id ?? message.chat.id),
    // A number the mainland masking does not recognise (another country's, a landline written after +86) is starred whole.
    text: maskPhones(raw) === raw ? maskTypedContact(raw) : maskPhones(raw),
    sharedContact: { own, phone: phoneFromInternational(raw), name: sanitizeText(`${contact.first_name} ${contact.last_name ?? ''}`.trim(), 40) },
    platformLocale: platformLocale(message.from),
    receivedAt: now,
  };
}

/** A message with nothing to read (a photo or file without a caption, a voice message, a sticker) in a private chat. */
export function attachmentToIncoming(message: Message, now: Date): Incoming {
  return {
    channel: 'telegram',
    chatId: String(message.chat.id),
    userId: String(message.from?.id ?? message.chat.id),
    text: '',
    attachment: attachmentOf(message) ?? { evidence: false },
    platformLocale: platformLocale(message.from),
    receivedAt: now,
  };
}

/** The label of the pressed button, read from the keyboard of the message it sat on. */
export function pressedLabel(query: CallbackQuery): string {
  const message = query.message as { reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] } } | undefined;
  const data = 'data' in query ? query.data : undefined;
  for (const row of message?.reply_markup?.inline_keyboard ?? [])
    for (const button of row) if (button.callback_data === data) return sanitizeText(button.text, 200);
  return '';
}

export function callbackToIncoming(input: { query: CallbackQuery; action: ButtonPayload; now: Date; botUsername?: string }): Incoming {
  const { query } = input;
  const chatId = query.message?.chat.id ?? query.from.id;
  const shared = sharedChatOf(query.message?.chat, input.botUsername ?? '');
  return {
    ...(shared ? { sharedChat: shared } : {}),
    channel: 'telegram',
    chatId: String(chatId),
    userId: String(query.from.id),
    text: pressedLabel(query),
    action: input.action,
    platformLocale: platformLocale(query.from),
    receivedAt: input.now,
  };
}
