import type { CliIo } from './types.js';

/**
 * The intent detector `kb search` and `kb eval` share, so both decide "answered" as the bot does: a message
 * is answered from the knowledge base only when its intent is `kb`. When the intents cannot be loaded every
 * message counts as `kb` (said once on stderr).
 */
export type Detect = (text: string) => string;

export async function intentDetector(io: CliIo, command: string): Promise<Detect> {
  try {
    const intents = await import('../core/intents/index.js');
    const set = await intents.loadIntents(io.env.INTENTS_DIR || undefined);
    return (text) => intents.detectIntent(set, text).intent;
  } catch (error) {
    io.stderr.write(`${command}: intents unavailable (${(error as Error).message}); every message counts as "kb"\n`);
    return () => 'kb';
  }
}
