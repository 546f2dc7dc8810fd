import type { Incoming } from '../types.js';

/**
 * A high surrogate not followed by a low one, or a low one not preceded by a high one: half of a character. JSON
 * (`"\uD800"`) and a Telegram update can carry one; SQLite, PostgreSQL (which refuses it), Slack and the logs each
 * treat it differently, so it is replaced once, where parent text enters the engine.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with every lone surrogate replaced by U+FFFD (the replacement character); a valid pair (an emoji) is kept. */
export function replaceLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** The parent's words of `incoming` (its text, a shared contact's name) with no lone surrogate; the same object when there is none. */
export function wellFormedIncoming(incoming: Incoming): Incoming {
  const text = replaceLoneSurrogates(incoming.text);
  const name = incoming.sharedContact ? replaceLoneSurrogates(incoming.sharedContact.name) : undefined;
  if (text === incoming.text && name === incoming.sharedContact?.name) return incoming;
  return { ...incoming, text, ...(incoming.sharedContact && name !== undefined ? { sharedContact: { ...incoming.sharedContact, name } } : {}) };
}
