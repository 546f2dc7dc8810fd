import { detectIntent } from '../intents/index.js';
import type { Incoming, Locale, Reply } from '../types.js';
import { answerReplies } from './answer.js';
import type { TurnContext } from './context.js';
import { keepToQuestions } from './shared-chat.js';
import { parseState } from './state.js';
import { isObjection } from './objection.js';
import { unrecordedRating, unrecordedStarPress } from './status.js';
import type { EngineDeps } from './types.js';

/** Intents the router does not send to the knowledge base (they need the database or a flow). */
const OTHER_INTENTS = new Set(['greeting', 'thanks', 'help', 'petition', 'human', 'status', 'rate', 'privacy', 'language', 'cancel']);

/**
 * The reply to a message that could not be recorded (the database refuses
 * writes): stars typed for a closed case are said to be not saved, with the
 * stars again; the knowledge answer when the message is a question the index
 * answers and the chat is in no flow, without the buttons that point at a
 * message row; null otherwise (the adapter then apologises). Reads only:
 * nothing here writes, so it works on a read-only or full database.
 */
export async function answerWithoutWriting(deps: EngineDeps, incoming: Incoming, at: Date): Promise<Reply[] | null> {
  if (incoming.action || incoming.command) return null;
  const ctx = await readOnlyTurn(deps, incoming, at);
  if (!ctx) return null;
  const { state } = ctx;
  // Stars typed now are lost with the message: said so, with the stars again (as a failed rating write is answered).
  // (Not while an objection's reason is awaited: the message is that reason.)
  if (!incoming.sharedChat && !state.objection) {
    const rating = await unrecordedRating(ctx, incoming.text, isObjection).catch(() => null);
    if (rating) return rating;
  }
  const detected = detectIntent(deps.intents, incoming.text);
  if (OTHER_INTENTS.has(detected.intent)) return null;
  const decision = deps.knowledge.current().decide(incoming.text);
  if (decision.kind !== 'answer') return null;
  ctx.state = { ...state, alternatives: decision.alternatives.slice(0, 3) };
  const replies = answerReplies(ctx, decision.best, null, decision.confident);
  // In a group, no button that files or hands off (shared-chat.ts): the private chat is named instead.
  return incoming.sharedChat ? keepToQuestions(ctx, replies) : replies;
}

/** The turn's context from reads alone; null when the chat cannot be read or is in a flow (filing, handoff, erase). */
async function readOnlyTurn(deps: EngineDeps, incoming: Incoming, at: Date): Promise<TurnContext | null> {
  let conversation: Awaited<ReturnType<EngineDeps['store']['loadConversation']>> = null;
  try {
    conversation = await deps.store.loadConversation(incoming.channel, incoming.chatId);
  } catch {
    return null; // cannot even read: no way to know whether a flow is open
  }
  const state = parseState(conversation?.state);
  if (state.filing || state.handoff || state.erase) return null;
  const stored = conversation?.locale === 'zh' || conversation?.locale === 'en' ? (conversation.locale as Locale) : null;
  return { incoming, deps, state, locale: stored ?? incoming.platformLocale ?? deps.config.DEFAULT_LOCALE, chosenLocale: stored, at, skipSave: true };
}

/**
 * For a message the adapter could not record: when it is a rating (stars typed, or a star button pressed) of a closed,
 * unrated case of the chat, the "not saved, rate again" reply (its `caseCode` names the case); null otherwise. A
 * channel that cannot show the reply's buttons says the same in its own words. Reads only.
 */
export async function ratingWithoutWriting(deps: EngineDeps, incoming: Incoming, at: Date): Promise<Reply[] | null> {
  if (incoming.command || incoming.sharedChat) return null;
  const ctx = await readOnlyTurn(deps, incoming, at);
  if (!ctx) return null;
  const action = incoming.action;
  if (action) return action.kind === 'rate' ? unrecordedStarPress(ctx, action.caseCode).catch(() => null) : null;
  if (ctx.state.objection) return null; // the message is the objection's reason
  return unrecordedRating(ctx, incoming.text, isObjection).catch(() => null);
}
