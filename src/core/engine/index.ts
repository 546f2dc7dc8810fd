import { t } from '../i18n/index.js';
import '../i18n/staff.js';
import type { Incoming, Locale, Reply } from '../types.js';
import { say, type TurnContext } from './context.js';
import { answerWithoutWriting, ratingWithoutWriting } from './read-only.js';
import { route } from './router.js';
import { maskPersonalData } from '../privacy/mask.js';
import { contactInText } from './phone.js';
import { maskStoredState } from './state-privacy.js';
import { parseState, remember, type ConversationState } from './state.js';
import type { EngineDeps } from './types.js';
import { isObjection } from './objection.js';
import { isTypedWords, offeredButtons, typedPress } from './typed-press.js';
import { wellFormedIncoming } from './well-formed.js';

/** `significant()` of a turn with no flow, handoff, erase, objection, stars or language: JSON writes undefined and null as null. */
const NOTHING_SIGNIFICANT = JSON.stringify([null, null, null, null, null, null]);

/** Holds a Han character (no g/y flag: one object serves every call). */
const HAN = /\p{Script=Han}/u;

export { createEngineStore, type EngineStore } from './store.js';
export type { EngineDeps } from './types.js';

export interface TurnOptions {
  /**
   * Commits the turn's replies (e.g. to the outbox) before the conversation state is saved. A process
   * killed between the two then redoes the turn from the old state on redelivery (filing is idempotent
   * by its key, the outbox by the update's key), instead of finding the new state and never telling the
   * parent what the lost turn decided (a case number).
   */
  deliver?: (replies: Reply[]) => Promise<void>;
}

export interface Engine {
  handle(incoming: Incoming, options?: TurnOptions): Promise<Reply[]>;
  /** Writes deferred conversation state; call before closing the database. */
  flush(): Promise<void>;
  /** After the chat's turn in hand: its deferred state written, its cached state dropped (its rows are moving). */
  forgetChat(channel: string, chatId: string): Promise<void>;
  /**
   * For a message the adapter could not record (the database refuses writes): the knowledge
   * answer if it is a plain question the index answers, else null. Writes nothing.
   */
  answerWithoutWriting(incoming: Incoming): Promise<Reply[] | null>;
  /**
   * For a message the adapter could not record: the "rating not saved, rate again" reply when it is stars typed or a
   * star pressed for a closed, unrated case of the chat (`caseCode` names it), else null. Writes nothing.
   */
  ratingWithoutWriting(incoming: Incoming): Promise<Reply[] | null>;
}

/**
 * The channel-agnostic conversation engine: one citizen message (or button
 * press) in, the replies out. Per-chat state is loaded from and saved to the
 * store on every turn, so a new engine over the same database continues a
 * flow where the old one stopped.
 *
 * @example
 *   const engine = createEngine({ store: createEngineStore(db), knowledge, cases, intents, config, logger });
 *   await engine.handle({ channel: 'console', chatId: 'console', userId: 'me', text: '我要投诉彩屯小学乱收费' });
 */
export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? (() => new Date());
  // One turn at a time per chat: two updates of one chat handled concurrently
  // (telegraf runs a polling batch in parallel) would both load the same state.
  const turns = new Map<string, Promise<unknown>>();
  const serialised = (incoming: Incoming, options?: TurnOptions): Promise<Reply[]> => {
    const key = `${incoming.channel}\u0000${incoming.chatId}`;
    const previous = turns.get(key) ?? Promise.resolve();
    const turn = previous.then(() => handleTurn(incoming, options), () => handleTurn(incoming, options));
    const settled = turn.catch(() => undefined);
    turns.set(key, settled);
    void settled.then(() => {
      if (turns.get(key) === settled) turns.delete(key);
    });
    return turn;
  };
  // Every entry below starts from the parent's words made well-formed (no lone surrogate): storage, Slack and the logs
  // downstream never see half a character.
  const handleTurn = (incoming: Incoming, options?: TurnOptions) => runTurn(deps, wellFormedIncoming(incoming), incoming.receivedAt ?? now(), options);
  return {
    flush: () => deps.store.flush(),
    forgetChat: async (channel, chatId) => {
      await turns.get(`${channel}\u0000${chatId}`);
      await deps.store.forget?.(channel, chatId);
    },
    handle: serialised,
    answerWithoutWriting: (incoming) => answerWithoutWriting(deps, wellFormedIncoming(incoming), incoming.receivedAt ?? now()),
    ratingWithoutWriting: (incoming) => ratingWithoutWriting(deps, wellFormedIncoming(incoming), incoming.receivedAt ?? now()),
  };
}

/**
 * English for a message written in English (no Chinese character, at least two words of letters) when the
 * chat has not chosen a language: a parent who writes in English is answered in English.
 */
function writtenIn(text: string): Locale | undefined {
  if (text.startsWith('/') || text.includes('@') || HAN.test(text)) return undefined; // commands, e-mail addresses
  return (text.match(/[a-z]{2,}/gi)?.length ?? 0) >= 2 ? 'en' : undefined;
}

/** Load the chat's state, route, remember the lines, save (deferred when only the recent lines changed). */
async function runTurn(deps: EngineDeps, incoming: Incoming, at: Date, options: TurnOptions = {}): Promise<Reply[]> {
  const turn = () => runTurnAlone(deps, incoming, at, options);
  return deps.store.exclusive ? deps.store.exclusive(incoming.channel, incoming.chatId, turn) : turn();
}

/** One turn, with no other turn of the chat running anywhere (EngineStore.exclusive). */
async function runTurnAlone(deps: EngineDeps, incoming: Incoming, at: Date, options: TurnOptions): Promise<Reply[]> {
  const conversation = await deps.store.loadConversation(incoming.channel, incoming.chatId);
  // A state this process saved is the engine's own typed state: validated when it was first read.
  const state = conversation?.saved ? (conversation.state as unknown as ConversationState) : parseState(conversation?.state);
  // The label of a button the last turn offered, typed: the press, decided before anything reads the turn (its
  // language included), so it is handled exactly as the press would be (typed-press.ts).
  const offered = state.offered;
  delete state.offered;
  const typed = isTypedWords(incoming) ? typedPress(incoming.text, offered) : null;
  // Except a star whose label is also an objection ("★★ 不满意" typed as 不满意): typed, it starts the objection, as it
  // does without the offer — a dissatisfied parent wants the case looked at again, and stars could not be corrected.
  const pressed = typed && !(typed.payload.kind === 'rate' && isObjection(incoming.text)) ? typed : null;
  if (pressed) incoming = { ...incoming, text: pressed.label, action: pressed.payload };
  // A group's members are each answered in their own language: a locale stored for a group (one member's /lang, before
  // groups stopped storing it) is not applied to everyone.
  const stored = !incoming.sharedChat && (conversation?.locale === 'zh' || conversation?.locale === 'en') ? (conversation.locale as Locale) : null;
  const ctx: TurnContext = {
    incoming,
    deps,
    state,
    // A command's words (`/start file_complaint` from a group's deep link) are no language the parent wrote in.
    locale: stored ?? (incoming.command ? undefined : writtenIn(incoming.text)) ?? incoming.platformLocale ?? deps.config.DEFAULT_LOCALE,
    chosenLocale: stored,
    at,
    skipSave: false,
  };
  // What makes the save urgent (never deferred) when it changes: the flow, handoff, erase, objection, stars offered, an
  // addition to a closed case held, language.
  const significant = () => {
    const { filing, handoff, erase, objection, rating, withdraw, closedAddition } = ctx.state;
    // Most turns have none of them: the text JSON would give for eight empty values, without serialising them.
    if (filing == null && handoff == null && erase == null && objection == null && rating == null && withdraw == null && closedAddition == null && ctx.chosenLocale == null)
      return NOTHING_SIGNIFICANT;
    return JSON.stringify([filing, handoff, erase, objection, rating, withdraw, closedAddition, ctx.chosenLocale]);
  };
  const before = conversation ? significant() : null;
  const limit = deps.config.HANDOFF_CONTEXT_MESSAGES;
  // The recent lines go to staff with a handoff: an ID or credit-code number typed at the 身份证明 step is kept masked.
  // A group chat's lines are not kept: they are other parents' words, and a group never hands off (shared-chat.ts).
  const keepLines = incoming.sharedChat === undefined;
  if (keepLines) {
    remember(ctx.state, `${t(deps.config.STAFF_LOCALE, 'staff.context.parent')}: ${maskPersonalData(incoming.text)}`, limit);
    // The lines are stored masked: the parent's own number (not a forwarded notice's) is kept for a handoff's contact.
    const phone = incoming.forwarded ? null : contactInText(incoming.text);
    if (phone) ctx.state.recentPhone = phone;
  }
  let replies: Reply[];
  try {
    replies = await route(ctx);
  } catch (error) {
    deps.logger.error({ err: error, channel: incoming.channel, chatId: incoming.chatId }, 'engine failed on a message');
    replies = [say(ctx, 'error.generic')];
  }
  // What this turn offers is what the next typed message is read against; an edit answers nothing new, so the offer
  // it found still stands.
  const offers = incoming.sharedChat ? [] : offeredButtons(replies);
  if (offers.length > 0) ctx.state.offered = offers;
  else if (incoming.edited && offered) ctx.state.offered = offered;
  if (keepLines) for (const reply of replies) remember(ctx.state, `${t(deps.config.STAFF_LOCALE, 'staff.context.bot')}: ${reply.heading ?? reply.text}`, limit);
  if (options.deliver) await options.deliver(replies);
  if (!ctx.skipSave) {
    // A failed save (database locked, disk full) must not cost the parent the reply already decided.
    await deps.store
      .saveConversation(
        { channel: incoming.channel, chatId: incoming.chatId, userId: incoming.userId },
        { locale: ctx.chosenLocale, state: maskStoredState(ctx.state) },
        ctx.at,
        { defer: before === significant() },
      )
      .catch((error: unknown) =>
        deps.logger.error({ err: error, channel: incoming.channel, chatId: incoming.chatId }, 'could not save the conversation state'),
      );
  }
  return replies;
}
