import type { BotCommand } from 'telegraf/types';
import '../../core/i18n/telegram.js';
import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';
import type { Logger } from '../../logger.js';

/** The command menu, as data. Descriptions come from the 'telegram' catalogue. */
export const BOT_COMMANDS = ['start', 'help', 'case', 'status', 'privacy', 'lang'] as const;

/**
 * The menu in groups, where the bot answers questions only (engine/shared-chat.ts): no /case, /status or /privacy, and
 * no /lang — each member is answered in their own language, one member's choice is not the group's.
 */
export const GROUP_COMMANDS = ['help'] as const;

export function botCommands(locale: Locale, commands: readonly string[] = BOT_COMMANDS): BotCommand[] {
  return commands.map((command) => ({ command, description: t(locale, `telegram.cmd_${command}`) }));
}

export interface CommandsApi {
  setMyCommands(commands: readonly BotCommand[], extra?: { language_code?: string; scope?: { type: 'all_group_chats' } }): Promise<unknown>;
}

/**
 * Chinese is the default menu (no language_code) and also set for `zh`;
 * English for `en` users. Group chats get the short menu of GROUP_COMMANDS. A failure is logged and start-up goes on: the menu
 * is a convenience, every command also works when typed.
 */
export async function registerCommands(api: CommandsApi, logger: Logger): Promise<boolean> {
  try {
    await api.setMyCommands(botCommands('zh'));
    await api.setMyCommands(botCommands('zh'), { language_code: 'zh' });
    await api.setMyCommands(botCommands('en'), { language_code: 'en' });
    const groups = { type: 'all_group_chats' } as const;
    await api.setMyCommands(botCommands('zh', GROUP_COMMANDS), { scope: groups });
    await api.setMyCommands(botCommands('zh', GROUP_COMMANDS), { scope: groups, language_code: 'zh' });
    await api.setMyCommands(botCommands('en', GROUP_COMMANDS), { scope: groups, language_code: 'en' });
    return true;
  } catch (error) {
    logger.warn({ err: error }, 'telegram: setMyCommands failed; the command menu may be missing or stale (commands still work)');
    return false;
  }
}
