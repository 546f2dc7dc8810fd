/**
 * The channel-agnostic vocabulary shared by the core and every adapter.
 * Adapters (Telegram, Slack, console) translate platform updates into
 * `Incoming` and render `Reply` back; the core never sees a platform type.
 */

export type Locale = 'zh' | 'en';

/** Where a message or a case came from. The first three and 'web' (the web chat) are live bot channels. */
export const CHANNELS = ['telegram', 'slack', 'console', 'phone', 'minxin', 'visit', 'letter', 'web'] as const;
export type ChannelName = (typeof CHANNELS)[number];
/** Channels the bot can talk back on. */
export type CitizenChannel = 'telegram' | 'console' | 'web';

/** 咨询 / 投诉 / 建议 / 求助 / 政府信息公开申请 / 信访 */
export const CASE_TYPES = ['inquiry', 'complaint', 'suggestion', 'help', 'disclosure', 'petition'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATES = [
  'received',
  'claimed',
  'replied',
  'closed',
  'returned',
  'extended',
  'unreachable',
  'withdrawn',
  'reopened',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/**
 * What a button means, typed. Adapters pack it into a short opaque string
 * (Telegram allows 64 bytes of callback_data) and unpack it on the way in;
 * the core only ever sees this union.
 */
/**
 * What a confirm or cancel button was shown for: the filing (ref = its id), the privacy erase, the withdrawal of a
 * case or an objection to one (ref = the case code). A press acts only while that step is the one pending; without
 * `of` (a typed /cancel, buttons sent before they were bound) it acts on whatever is pending.
 */
export type ConfirmTarget = 'file' | 'erase' | 'withdraw';
export type CancelTarget = ConfirmTarget | 'object';

export type ButtonPayload =
  | { kind: 'ask'; entryId: string; section: string | null; questionId?: number } // "您是不是想问" alternative (of question row questionId)
  | { kind: 'feedback'; messageId: number; helpful: boolean } // answer was helpful / not
  | { kind: 'file-case'; messageId: number } // turn an unanswered question into a case
  | { kind: 'case-type'; type: CaseType } // filing flow: pick a type
  | { kind: 'confirm'; of?: ConfirmTarget; ref?: string } // filing flow / privacy erase / withdrawal: yes
  | { kind: 'cancel'; of?: CancelTarget; ref?: string } // any flow: stop
  | { kind: 'skip' } // filing flow: no contact phone
  | { kind: 'rate'; caseCode: string; value: number } // stars after closure
  | { kind: 'reopen'; caseCode: string } // 不满意，要求重新办理 (within REOPEN_DAYS of closing)
  | { kind: 'add-to-case'; caseCode: string } // the message just held is a 补充/补正 of this open case of the chat's
  | { kind: 'closed-addition'; caseCode: string; choice: 'reopen' | 'new' | 'none' } // an addition to a closed case: object with it / file it as a new petition / drop it
  | { kind: 'choose'; value: string } // filing flow: one of the step's offered choices (short ascii id, e.g. "form:paper")
  | { kind: 'lang'; locale: Locale }
  | { kind: 'menu'; item: 'help' | 'file' | 'status' | 'privacy' | 'human' };

export interface Button {
  label: string;
  payload: ButtonPayload;
}

/** Where an answer came from; rendered under the answer by every channel. */
export interface SourceRef {
  entryId: string;
  title: string;
  section: string | null;
  updated: string | null; // YYYY-MM-DD
  url: string | null;
}

/**
 * One message the bot sends. `text` is plain text (no markup): adapters escape
 * it for their format (Telegram HTML, Slack mrkdwn) and may render `heading`
 * in bold and `source` underneath.
 */
export interface Reply {
  text: string;
  heading?: string;
  source?: SourceRef;
  buttons?: Button[][];
  /** Case this reply is about, so a channel can thread it or a reply-to can be mapped back. */
  caseCode?: string;
  /**
   * The language the engine wrote this reply in, when the channel adds words of its own (the source line under an
   * answer): the turn's language may come from the platform or the message, which the channel's stored chat
   * language does not know. Absent: the chat's language.
   */
  locale?: Locale;
}

/** A message from a citizen (or a button press), as every adapter reports it. */
export interface Incoming {
  channel: CitizenChannel;
  /** The conversation: a Telegram chat id, "console", ... */
  chatId: string;
  /** The person: a Telegram user id, ... */
  userId: string;
  text: string;
  /** A pressed button, already decoded by the adapter. `text` is then the button label. */
  action?: ButtonPayload;
  /** Language the platform reports for the user; a chat's explicit choice (/lang) wins over it. */
  platformLocale?: Locale;
  /** The platform's id of this message (Telegram message_id), when it has one: an edit of it can be matched later. */
  messageId?: string;
  /**
   * Set when the citizen edited a message sent earlier: its id (same as `messageId`); `text` is the new wording.
   * The engine does not handle it as a new message (its answer or case already went out): only a draft petition
   * whose content came from that message takes the new wording.
   */
  edited?: boolean;
  /** Set when the citizen replied to a bot message that was about this case. */
  replyToCaseCode?: string;
  /** Platform command without the slash, e.g. "start", "help", "case", "status", "privacy", "lang". */
  command?: string;
  /**
   * The message carried something the bot cannot read (a photo, a file, a voice message, a sticker …); `text` is then
   * its caption, or ''. `evidence`: a photo, video, file or recording — material staff may ask the parent for;
   * `album`: the group it was sent in (Telegram's media_group_id: one album arrives as one message per photo).
   */
  attachment?: { evidence: boolean; album?: string };
  /**
   * The message is a forward of someone else's (a school's notice in a 家长群 forwarded as evidence): its words are
   * not the citizen's own, so a number in it is never taken as their phone.
   */
  forwarded?: boolean;
  /**
   * A contact card the citizen shared (Telegram's 📎 → Contact); `text` then holds its number masked. `own`: the card
   * is the sender's own account (what "share my phone" sends), not someone else's from their address book (a teacher,
   * the school). `phone`: its number read as a mainland one (normalised), null when it is another country's.
   * `name`: the name on the card.
   */
  sharedContact?: { own: boolean; phone: string | null; name: string };
  /**
   * Set when the conversation is read by others (a Telegram group or supergroup, e.g. a 家长群): the bot answers
   * questions only and takes everything personal to a private chat (engine/shared-chat.ts). `privateChatUrl`
   * opens a private chat with the bot (Telegram: https://t.me/<bot>), or null when the channel has none.
   */
  sharedChat?: { privateChatUrl: string | null };
  receivedAt?: Date;
}
