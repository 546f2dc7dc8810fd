import type { Context, NarrowedContext, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import '../../core/i18n/telegram.js';
import { t } from '../../core/i18n/index.js';
import type { Incoming, Locale, Reply } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import { enqueueOutbox } from '../../storage/outbox-repo.js';
import * as repo from '../../storage/telegram-repo.js';
import { isAppError } from '../../core/errors.js';
import { CASE_CODE_PATTERN, findCaseCode } from '../../core/intents/index.js';
import { classifyStorageError } from '../../storage/storage-health.js';
import type { CallbackCodec } from './callback-codec.js';
import type { UnrecordedUpdates } from './unrecorded.js';
import type { EngineLike } from '../shared/engine-like.js';
import { createChatQueue, type FloodGuard } from '../shared/inbound-guard.js';
import { isAddressedToBot } from './inbound-guard.js';
import type { UndeliveredDesk } from '../shared/undelivered.js';
import { reachableAgain } from './reachable-again.js';
import { attachmentToIncoming, callbackToIncoming, classifyMessage, contactToIncoming, messageToIncoming, parseCommand, platformLocale, wordsOf } from './to-incoming.js';

/**
 * The update pipeline: addressed to us? → seen before (update_id)? → flooding?
 * → text? → engine → replies into the outbox (the sender paces them, so
 * answers and case updates share one per-chat order and one rate limit).
 * The update is recorded (update_id plus chat and message id, because Telegram
 * restarts update ids at random after a quiet week) before the engine runs: a
 * redelivered update is never handled twice. With `instance` (the app always
 * passes it) the record is a claim held by this process until the replies are
 * queued: if the process dies mid-turn (SIGKILL, crash), Telegram's
 * redelivery — to this instance after its restart or to another one — takes
 * the claim over and handles the update, so the parent is answered. Replies
 * are queued before the turn saves the conversation state, so a turn cut in
 * between is redone from the old state (see docs/DEPLOY.md).
 */
export interface HandlerDeps {
  db: Db;
  engine: EngineLike;
  codec: CallbackCodec;
  flood: FloodGuard;
  logger: Logger;
  now: () => Date;
  /** Called after replies were queued (the sender's wake). */
  queued: () => void;
  bureauPhone: string;
  /** Updates not recorded while the database refuses writes (see unrecorded.ts). */
  unrecorded: UnrecordedUpdates;
  /** This process among the instances sharing the database (claims on updates; see telegram-repo claimInbound). */
  instance?: { owner: string; aliveSince(): Date };
  /** The case desk: a chat whose case was marked 联系不上 (bot blocked) that writes again is reachable (reachable-again.ts). */
  cases?: UndeliveredDesk;
  /** The locale of notes staff read (the bureau's default). */
  staffLocale?: Locale;
  /** How long answering a button press (answerCallbackQuery) may take before it is given up; default 5000 ms. */
  callbackAnswerTimeoutMs?: number;
  /** Sends replies at once, not through the outbox: for when the outbox cannot be written. */
  sendNow(chatId: string, replies: Reply[], locale: Locale): Promise<void>;
}

export function installHandlers(bot: Telegraf, deps: HandlerDeps): void {
  /** `key` identifies the update (see markInboundProcessed), so a redelivery cannot queue its answer twice. */
  const localeOf = async (chatId: string, from: Context['from']): Promise<Locale> =>
    (await repo.chatLocale(deps.db, chatId).catch(() => null)) ?? platformLocale(from);
  /** Sends at once, bypassing the outbox; false when the Bot API refused or could not be reached (logged). */
  const sendDirect = async (chatId: string, replies: Reply[], locale: Locale, key: string): Promise<boolean> => {
    try {
      await deps.sendNow(chatId, replies, locale);
      return true;
    } catch (error) {
      deps.logger.error({ err: error, update: key }, 'telegram: direct reply failed while the database refuses writes');
      return false;
    }
  };
  /** Queues the replies; when the outbox cannot be written they are sent at once instead of being lost. */
  const enqueue = async (chatId: string, replies: Reply[], key: string, locale?: Locale) => {
    if (replies.length === 0) return;
    try {
      await enqueueOutbox(deps.db, { target: 'telegram', address: chatId, payload: replies, dedupeKey: `tg:${key}` }, deps.now());
    } catch (error) {
      if (!isAppError(error, 'storage_failed')) throw error;
      deps.logger.error({ err: error, update: key }, 'telegram: outbox refused the replies; sending them directly');
      await sendDirect(chatId, replies, locale ?? 'zh', key);
      return;
    }
    deps.queued();
  };

  /** Turns whose claim this process holds (see claimInbound's retakeOwn). */
  const running = new Set<string>();
  const finish = async (key: string) => {
    if (deps.instance)
      await repo.finishInbound(deps.db, key, deps.instance.owner).catch((error: unknown) =>
        deps.logger.warn({ err: error, update: key }, 'telegram: could not mark the update handled (a redelivery may repeat it)'),
      );
  };
  /** Runs a claimed turn: the claim ends when the turn queued its replies, or is given back when it failed. */
  const claimed = async (key: string, turn: () => Promise<void>) => {
    running.add(key);
    try {
      await turn();
    } catch (error) {
      if (deps.instance) await repo.releaseInbound(deps.db, key, deps.instance.owner).catch(() => undefined);
      throw error;
    } finally {
      running.delete(key);
    }
    await finish(key);
  };

  /**
   * Records the update (dedupe). True: new, handle it; false: seen before. When the database refuses
   * the write, the parent is answered now — the knowledge answer if the message is a plain question,
   * else an apology — once per update, and the update is held for replay (or redelivery); returns false.
   */
  const record = async (update: Update, key: string, chatId: string, from: Context['from'], incoming: () => Promise<Incoming | null>): Promise<boolean> => {
    // Polling, with updates held during a database fault: this chat's messages keep their order, and the same
    // message sent again (the parent did not trust the notice) is not handled a second time.
    if (deps.unrecorded.waiting > 0) {
      const text = (await incoming().catch(() => null))?.text ?? null;
      if (text && deps.unrecorded.heldText(chatId, text, update.update_id)) {
        deps.logger.info({ update: key }, 'telegram: a message held during the database fault was sent again; not handled twice');
        await enqueue(chatId, [{ text: t(await localeOf(chatId, from), 'telegram.resent_while_held') }], key);
        await handleHeldFirst(chatId, update.update_id);
        return false;
      }
    }
    let claim: repo.InboundClaim;
    try {
      const instance = deps.instance;
      claim = instance
        ? await repo.claimInbound(deps.db, key, deps.now(), { owner: instance.owner, aliveSince: instance.aliveSince(), retakeOwn: !running.has(key) })
        : (await repo.markInboundProcessed(deps.db, key, deps.now())) ? 'fresh' : 'seen';
    } catch (error) {
      if (!isAppError(error, 'storage_failed')) throw error;
      deps.logger.error({ err: error, update: key, condition: classifyStorageError(error) }, 'telegram: update could not be recorded; answering without the database');
      if (!deps.unrecorded.replied(key)) {
        const locale = await localeOf(chatId, from);
        const message = await incoming().catch(() => null);
        const answer = message && deps.engine.answerWithoutWriting ? await deps.engine.answerWithoutWriting(message).catch(() => null) : null;
        // Noted only once it went out: an answer that did not reach the parent is given again by the replay (or
        // redelivery) as an ordinary turn, through the outbox and its retries.
        if (await sendDirect(chatId, answer ?? [{ text: t(locale, 'telegram.storage_down') }], locale, key)) deps.unrecorded.noteReplied(key, answer ? 'answer' : 'apology');
      }
      deps.unrecorded.hold(update, chatId, (await incoming().catch(() => null))?.text ?? null);
      return false;
    }
    const earlier = deps.unrecorded.replied(key);
    deps.unrecorded.recorded(key);
    // Writes work again, and older updates of this chat still wait for the replay: they go first (asked before
    // this update leaves the queue, where its place says which are older).
    const older = claim === 'fresh' ? deps.unrecorded.heldBefore(chatId, update.update_id) : [];
    deps.unrecorded.forget(update.update_id);
    await handleHeld(older);
    // Another live instance is in the middle of this very update: Telegram (webhook: a 500) or the
    // replay queue (polling) tries again once that turn is over.
    if (claim === 'busy') {
      deps.logger.info({ update: key }, 'telegram: update is being handled by another instance; asking for redelivery');
      deps.unrecorded.hold(update);
      return false;
    }
    if (claim === 'fresh' && earlier === 'answer') {
      await finish(key);
      return false;
    }
    return claim === 'fresh';
  };

  /** The parent wrote: cases marked 联系不上 for this chat are reachable again, and their lost messages go out. */
  const backInTouch = async (chatId: string) => {
    try {
      // A phone in the message is the engine's to take (late-contact.ts: onto the case without one, said back).
      const requeued = await reachableAgain({ db: deps.db, cases: deps.cases, now: deps.now, locale: deps.staffLocale ?? 'zh' }, chatId);
      if (requeued !== null) {
        deps.logger.info({ chatId, requeued }, 'telegram: a chat marked unreachable wrote again; case messages queued again and staff told');
        deps.queued();
      }
    } catch (error) {
      deps.logger.error({ err: error, chatId }, 'telegram: could not mark a returning chat reachable again');
    }
  };

  /** Updates handled right now ahead of their chat's queue (they were waiting before the update in hand). */
  const ahead = new Set<number>();
  const handleHeldFirst = (chatId: string, updateId: number) => handleHeld(deps.unrecorded.heldBefore(chatId, updateId));
  const handleHeld = async (updates: Update[]) => {
    for (const held of updates) {
      ahead.add(held.update_id);
      try {
        await bot.handleUpdate(held);
      } finally {
        ahead.delete(held.update_id);
      }
    }
  };
  /** In the chat's order, except an update run ahead from inside its chat's current turn (it would wait for itself). */
  const inChatOrder = (chatId: string, updateId: number, work: () => Promise<void>) => (ahead.has(updateId) ? work() : inOrder(chatId, work));

  const runEngine = async (incoming: Incoming, key: string, locale: Locale) => {
    let replies: Reply[];
    let queued = false;
    // The replies are queued before the conversation state is saved (see TurnOptions.deliver): a kill in
    // between is redone on redelivery, and the outbox keeps one copy by the update's key.
    const deliver = async (decided: Reply[]) => {
      await enqueue(incoming.chatId, decided, key, locale);
      queued = true;
    };
    try {
      replies = await deps.engine.handle(incoming, { deliver });
    } catch (error) {
      deps.logger.error({ err: error, update: key }, 'telegram: engine failed on an update');
      replies = [{ text: t(locale, 'telegram.error', { phone: deps.bureauPhone }) }];
    }
    if (!queued) await enqueue(incoming.chatId, replies, key, locale);
  };

  const inOrder = createChatQueue();

  bot.on('message', (ctx) => inChatOrder(String(ctx.message.chat.id), ctx.update.update_id, () => onMessage(ctx)));
  bot.on('callback_query', (ctx) => inChatOrder(String(ctx.callbackQuery.message?.chat.id ?? ctx.callbackQuery.from.id), ctx.update.update_id, () => onCallback(ctx)));
  bot.on('edited_message', (ctx) => inChatOrder(String(ctx.editedMessage.chat.id), ctx.update.update_id, () => onEdited(ctx)));

  /**
   * A parent edited a message the bot already handled. The engine gets it marked `edited`: a petition not yet
   * submitted whose content came from that message takes the new wording; otherwise the parent is told the edit
   * is not handled again (its answer or case already went out). Each version is one update (`edit_date`).
   * Edits in groups are chatter and stay unanswered.
   */
  async function onEdited(ctx: NarrowedContext<Context, Update.EditedMessageUpdate>): Promise<void> {
    const message = ctx.editedMessage;
    const words = wordsOf(message);
    if (message.chat.type !== 'private' || !words) return;
    const chatId = String(message.chat.id);
    const key = `edit:${chatId}:${message.message_id}:${message.edit_date ?? 0}`;
    const incoming = (): Incoming => ({
      ...messageToIncoming({ message: words, botUsername: ctx.botInfo.username, now: deps.now() }),
      edited: true,
    });
    if (!(await record(ctx.update, key, chatId, message.from, async () => null))) return;
    await claimed(key, async () => {
      if (deps.flood.hit(floodKey(chatId, message.chat.type, message.from?.id), deps.now().getTime()) !== 'ok') return;
      await runEngine(incoming(), key, await localeOf(chatId, message.from));
    });
  }

  /**
   * The "group moved" service message (a group upgraded to a supergroup gets a new chat id; Telegram posts
   * migrate_to_chat_id in the old chat and migrate_from_chat_id in the new one): the chat's stored state moves to the
   * new id once (the second message finds nothing left under the old id), queued answers included; nothing is answered.
   */
  async function followMove(from: string, to: string): Promise<void> {
    try {
      // What the engine holds of either id in memory goes first: a cached or deferred state would undo the move.
      await deps.engine.forgetChat?.('telegram', from);
      await deps.engine.forgetChat?.('telegram', to);
      const moved = await repo.moveTelegramChat(deps.db, from, to, deps.now());
      deps.flood.move?.(from, to);
      if (moved.outbox > 0) deps.queued();
      deps.logger.info({ from, to, ...moved }, 'telegram: group upgraded to a supergroup; its state follows the new chat id');
    } catch (error) {
      // The sender still readdresses answers on the 400 that names the new id; the language and cases stay behind.
      deps.logger.error({ err: error, from, to }, 'telegram: could not move a migrated group\'s state to its new chat id');
    }
  }

  async function onMessage(ctx: NarrowedContext<Context, Update.MessageUpdate>): Promise<void> {
    const message = ctx.message;
    const move = chatMoveOf(message);
    if (move) return followMove(move.from, move.to);
    const kind = classifyMessage(message);
    if (kind === 'ignore') return;
    const words = wordsOf(message);
    const text = words?.text ?? '';
    const isCommand = words !== null && parseCommand(words).command !== undefined;
    const replyTo = 'reply_to_message' in message ? message.reply_to_message : undefined;
    const repliesToBot = replyTo?.from?.id === ctx.botInfo.id;
    const chatType = message.chat.type;
    if (!isAddressedToBot({ chatType, text, botUsername: ctx.botInfo.username, isCommand, repliesToBot })) return;
    const chatId = String(message.chat.id);
    const key = `${ctx.update.update_id}:${chatId}:${message.message_id}`;
    const toIncoming = async () => (!words ? null : messageToIncoming({ message: words, botUsername: ctx.botInfo.username, replyToCaseCode: null, now: deps.now() }));
    if (!(await record(ctx.update, key, chatId, message.from, toIncoming))) return;
    if (chatType === 'private') await backInTouch(chatId);
    await claimed(key, () => handleMessage(ctx, kind, chatId, key));
  }

  async function handleMessage(ctx: NarrowedContext<Context, Update.MessageUpdate>, kind: ReturnType<typeof classifyMessage>, chatId: string, key: string): Promise<void> {
    const message = ctx.message;
    const replyTo = 'reply_to_message' in message ? message.reply_to_message : undefined;
    const repliesToBot = replyTo?.from?.id === ctx.botInfo.id;
    const chatType = message.chat.type;
    const verdict = deps.flood.hit(floodKey(chatId, chatType, message.from?.id), deps.now().getTime());
    if (verdict === 'ignore') return;
    const locale = await localeOf(chatId, message.from);
    if (verdict === 'notice') return enqueue(chatId, [{ text: t(locale, 'telegram.flood') }], key);
    const words = wordsOf(message);
    // A contact card: the phone asked for in a private chat; in a group, the engine warns that it was posted there.
    if (!words && 'contact' in message) return runEngine(contactToIncoming(message, deps.now(), ctx.botInfo.username), key, locale);
    // Without words: in a private chat the engine answers (one album once; during a filing the photo is noted for
    // staff and the step asked again); in a group, the text-only notice.
    if (!words && chatType === 'private') return runEngine(attachmentToIncoming(message, deps.now()), key, locale);
    if (!words) return enqueue(chatId, [{ text: t(locale, 'telegram.non_text') }], key);
    // A photo or file with a caption: say the attachment stays unread, then answer the caption.
    if (kind === 'non-text') await enqueue(chatId, [{ text: t(locale, 'telegram.caption_only') }], `${key}:attachment`);
    const replyToCaseCode = repliesToBot && replyTo ? ((await repo.caseCodeForMessage(deps.db, chatId, replyTo.message_id)) ?? codeNamedIn(replyTo)) : null;
    const incoming = messageToIncoming({ message: words, botUsername: ctx.botInfo.username, replyToCaseCode, now: deps.now() });
    // Nothing readable left: a text of invisible characters only (zero-width, bidi marks) is told no words arrived, as
    // the web chat says; a message with a photo or file, that only text can be read.
    if (incoming.text === '' && !incoming.command && chatType === 'private')
      return enqueue(chatId, [{ text: t(locale, incoming.attachment ? 'telegram.non_text' : 'telegram.empty') }], key);
    await runEngine(incoming, key, locale);
  }

  async function onCallback(ctx: NarrowedContext<Context, Update.CallbackQueryUpdate>): Promise<void> {
    const query = ctx.callbackQuery;
    // Answering only stops the button's spinner (and shows a short notice): it runs beside the turn, never before it,
    // so a Bot API connection that hangs cannot hold the press itself (确认提交 filing the case). It is bounded like
    // every other Bot API call, and the update is done once it is answered or given up.
    const answering: Promise<void>[] = [];
    const answer = async (text?: string): Promise<void> => {
      const signal = AbortSignal.timeout(deps.callbackAnswerTimeoutMs ?? 5_000) as unknown as NonNullable<Parameters<typeof ctx.telegram.callApi>[2]>['signal'];
      answering.push(
        ctx.telegram
          .callApi('answerCallbackQuery', { callback_query_id: query.id, ...(text ? { text } : {}) }, { signal })
          .then(
            () => undefined,
            (error: unknown) => deps.logger.debug({ err: error }, 'telegram: answerCallbackQuery failed (query too old, or the Bot API did not answer in time)'),
          ),
      );
    };
    try {
      const key = `${ctx.update.update_id}:cb:${query.id}`;
      const chatId = String(query.message?.chat.id ?? query.from.id);
      if (!(await record(ctx.update, key, chatId, query.from, async () => null))) return answer();
      if ((query.message?.chat.type ?? 'private') === 'private') await backInTouch(chatId);
      await claimed(key, () => handleCallback(ctx, chatId, key, answer));
    } finally {
      await Promise.all(answering);
    }
  }

  async function handleCallback(
    ctx: NarrowedContext<Context, Update.CallbackQueryUpdate>,
    chatId: string,
    key: string,
    answer: (text?: string) => Promise<void>,
  ): Promise<void> {
    const query = ctx.callbackQuery;
    const locale = await localeOf(chatId, query.from);
    const data = 'data' in query ? query.data : undefined;
    const action = data ? await deps.codec.decode(data) : null;
    if (!action) {
      deps.logger.info({ chatId, update: key }, 'telegram: stale or forged button payload ignored');
      return answer(t(locale, 'telegram.stale_button'));
    }
    const verdict = deps.flood.hit(floodKey(chatId, query.message?.chat.type ?? 'private', query.from.id), deps.now().getTime());
    if (verdict !== 'ok') return answer(verdict === 'notice' ? t(locale, 'telegram.flood') : undefined);
    await answer();
    await runEngine(callbackToIncoming({ query, action, now: deps.now(), botUsername: ctx.botInfo.username }), key, locale);
  }
}

/**
 * Whose pace the flood guard judges: in a private chat the chat (one parent); in a group (a 家长群) each member, so
 * one parent sending fast does not silence the bot for everyone else (group output is paced by the sender).
 */
function floodKey(chatId: string, chatType: string, userId: number | undefined): string {
  return chatType === 'private' || userId === undefined ? chatId : `${chatId}:${userId}`;
}

/** The old and new id a "group moved" service message names, or null for any other message. */
function chatMoveOf(message: object): { from: string; to: string } | null {
  const chatId = (message as { chat?: { id?: unknown } }).chat?.id;
  const to = (message as { migrate_to_chat_id?: unknown }).migrate_to_chat_id;
  const from = (message as { migrate_from_chat_id?: unknown }).migrate_from_chat_id;
  if (typeof chatId !== 'number') return null;
  if (typeof to === 'number' && Number.isSafeInteger(to) && to !== chatId) return { from: String(chatId), to: String(to) };
  if (typeof from === 'number' && Number.isSafeInteger(from) && from !== chatId) return { from: String(from), to: String(chatId) };
  return null;
}

/** Every case code in a text (the intent detector's pattern, all matches). */
const CASE_CODES = new RegExp(CASE_CODE_PATTERN.source, 'g');

/**
 * The one case a bot message names in its text, for a parent's reply to it whose message → case link is not stored
 * (yet: the link is written after Telegram confirms the send, and a quick reply can arrive first; or no longer: purged).
 * A message naming several cases (a status list) names none. The router still checks the case is the chat's own.
 */
function codeNamedIn(message: object): string | null {
  const text = 'text' in message && typeof message.text === 'string' ? message.text : '';
  const codes = new Set([...text.normalize('NFKC').matchAll(CASE_CODES)].map((m) => findCaseCode(m[0])));
  return codes.size === 1 ? ([...codes][0] ?? null) : null;
}
