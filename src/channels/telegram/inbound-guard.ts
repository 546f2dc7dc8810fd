/**
 * What the Telegram adapter checks before the engine sees an update: is it for us (in groups only
 * commands, mentions and replies to the bot). Flooding, sanitising and per-chat order are
 * channel-neutral (../shared/inbound-guard.ts). Dedupe by update_id lives in telegram-repo
 * (processed_inbound), called by the bot.
 */

export interface GroupMessageFacts {
  chatType: string;
  text: string;
  botUsername: string;
  /** The message starts with a bot_command entity. */
  isCommand: boolean;
  /** The message replies to one of the bot's messages. */
  repliesToBot: boolean;
}

/**
 * Whether the bot should answer. In private chats always; in groups only
 * when commanded (`/help` or `/help@ThisBot`, not `/help@OtherBot`),
 * mentioned (@ThisBot) or replied to.
 */
export function isAddressedToBot(facts: GroupMessageFacts): boolean {
  if (facts.chatType === 'private') return true;
  if (facts.chatType !== 'group' && facts.chatType !== 'supergroup') return false;
  const bot = facts.botUsername.toLowerCase();
  if (facts.isCommand) {
    const target = /^\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)/.exec(facts.text)?.[1];
    return target === undefined || target.toLowerCase() === bot;
  }
  return facts.repliesToBot || facts.text.toLowerCase().includes(`@${bot}`);
}
