import type { Incoming, Reply } from '../../core/types.js';

/**
 * What a citizen-facing adapter (Telegram, web) needs of the engine: the turn, and the knowledge
 * answer when the message cannot be recorded. Channel-neutral, so the web adapter does not
 * reach into the Telegram one for it.
 */
export interface EngineLike {
  /** `deliver` (see TurnOptions in src/core/engine): queue the replies before the turn's state is saved. */
  handle(incoming: Incoming, options?: { deliver?: (replies: Reply[]) => Promise<void> }): Promise<Reply[]>;
  /** The knowledge answer for a message that could not be recorded (see Engine.answerWithoutWriting). */
  answerWithoutWriting?(incoming: Incoming): Promise<Reply[] | null>;
  /** The "rating not saved" reply for stars that could not be recorded (see Engine.ratingWithoutWriting). */
  ratingWithoutWriting?(incoming: Incoming): Promise<Reply[] | null>;
  /** Drops what the engine keeps of a chat in memory before its rows move to another id (see Engine.forgetChat). */
  forgetChat?(channel: string, chatId: string): Promise<void>;
}
