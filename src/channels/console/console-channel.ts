import { createInterface } from 'node:readline';
import { t } from '../../core/i18n/index.js';
import type { CaseDesk, StaffNotice } from '../../core/cases/types.js';
import type { Engine } from '../../core/engine/index.js';
import type { Button, Incoming, Locale, Reply } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import { claimOutbox, dueOutboxHeads, markOutboxDead, markOutboxSent, requeueInterruptedOutbox } from '../../storage/outbox-repo.js';
import { renderReplies } from './render.js';
import { formatStaffNotice, runStaffCommand } from './staff.js';

export const CONSOLE_CHAT_ID = 'console';

export interface ConsoleOptions {
  engine: Engine;
  cases: CaseDesk;
  db: Db;
  logger: Logger;
  /** The parent's language in this chat (DEFAULT_LOCALE, or the chat's /lang choice). */
  locale: Locale;
  /** STAFF_LOCALE: staff notices and `/case …` answers (default zh, whatever the parent reads). */
  staffLocale?: Locale;
  /** The bureau's TIMEZONE: staff see times in it. */
  timeZone?: string;
  bureau: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Print staff notices and accept /case commands (false when Slack is the staff desk). */
  staffDesk: boolean;
  /** Echo each input line (for piped stdin, so the transcript reads as a conversation). */
  echo: boolean;
  /** Show the "您：" prompt while waiting for a line (on a terminal). */
  prompt?: boolean;
  now?: () => Date;
  /** Poll the outbox while waiting for input (interactive use); 0 = only after each line. */
  pollMs?: number;
}

/**
 * The citizen chat in the terminal (the default channel with no Telegram
 * token): one line = one message, numbered choices stand for buttons. Staff
 * notices print here and `/case …` acts on cases when Slack is off. Resolves
 * at end of input, after printing everything still waiting in the outbox.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { engine, output, locale } = options;
  const now = options.now ?? (() => new Date());
  const write = (text: string) => output.write(`${text}\n`);
  let buttons: Button[] = [];
  let draining: Promise<void> = Promise.resolve();
  const drain = () => (draining = draining.then(() => drainOutbox(options, now, (replies) => (buttons = show(replies)))));
  const show = (replies: Reply[]): Button[] => {
    if (replies.length === 0) return buttons;
    const rendered = renderReplies(replies, locale);
    write(rendered.text);
    return rendered.buttons;
  };

  await requeueInterruptedOutbox(options.db, 'console');
  if (options.staffDesk) await requeueInterruptedOutbox(options.db, 'staff');
  write(t(locale, 'chat.console.intro', { bureau: options.bureau }));
  const timer = options.pollMs ? setInterval(() => void drain().catch((e: unknown) => options.logger.error({ err: e }, 'console outbox')), options.pollMs) : null;
  const lines = createInterface({ input: options.input, terminal: false, crlfDelay: Infinity });
  const prompt = () => {
    if (options.prompt) output.write(t(locale, 'chat.console.you'));
  };
  prompt();
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (!line) {
        prompt();
        continue;
      }
      if (options.echo) write(`${t(locale, 'chat.console.you')}${line}`);
      if (line.startsWith('/case')) {
        write(options.staffDesk ? await runStaffCommand(options.cases, line, options.staffLocale ?? 'zh', options.timeZone) : t(options.staffLocale ?? 'zh', 'chat.console.staffUsage'));
      } else {
        const choice = /^\d{1,2}$/.test(line) ? buttons[Number(line) - 1] : undefined;
        buttons = show(await engine.handle(toIncoming(line, choice, now())));
      }
      await drain();
      prompt();
    }
  } finally {
    if (timer) clearInterval(timer);
  }
  await drain();
}

function toIncoming(line: string, choice: Button | undefined, at: Date): Incoming {
  const base = { channel: 'console' as const, chatId: CONSOLE_CHAT_ID, userId: CONSOLE_CHAT_ID, receivedAt: at };
  if (choice) return { ...base, text: choice.label, action: choice.payload };
  const command = /^\/([a-z]+)\b/i.exec(line)?.[1];
  return command ? { ...base, text: line, command: command.toLowerCase() } : { ...base, text: line };
}

/** Prints due console messages (case updates for the parent) and staff notices, oldest first. */
async function drainOutbox(options: ConsoleOptions, now: () => Date, showReplies: (r: Reply[]) => void): Promise<void> {
  const targets = options.staffDesk ? (['console', 'staff'] as const) : (['console'] as const);
  for (const target of targets) {
    for (;;) {
      const rows = await dueOutboxHeads(options.db, target, now(), { limit: 50 });
      if (rows.length === 0) break;
      for (const row of rows) {
        if (!(await claimOutbox(options.db, row.id))) continue;
        try {
          const payload: unknown = JSON.parse(row.payload);
          if (target === 'console') showReplies(Array.isArray(payload) ? (payload as Reply[]) : [payload as Reply]);
          else {
            const line = await formatStaffNotice(options.cases, payload as StaffNotice, options.staffLocale ?? 'zh');
            if (line) options.output.write(`${line}\n`);
          }
          await markOutboxSent(options.db, row.id, now());
        } catch (error) {
          options.logger.error({ err: error, outboxId: row.id }, 'console could not print an outbox message');
          await markOutboxDead(options.db, row.id, error instanceof Error ? error.message : String(error), now());
        }
      }
    }
  }
}
