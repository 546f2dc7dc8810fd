import { createInterface } from 'node:readline';
import type { CaseDesk, StaffNotice } from '../../core/cases/types.js';
import type { Locale } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import { claimOutbox, dueOutboxHeads, markOutboxDead, markOutboxSent, requeueInterruptedOutbox } from '../../storage/outbox-repo.js';
import { formatStaffNotice, runStaffCommand } from './staff.js';

export interface StaffConsoleOptions {
  cases: CaseDesk;
  db: Db;
  logger: Logger;
  locale: Locale;
  /** The bureau's TIMEZONE: staff see times in it. */
  timeZone?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  pollMs?: number;
  now?: () => Date;
}

/**
 * The staff desk in the terminal while parents are on Telegram and Slack is
 * off: prints staff notices as they are committed and runs `/case …` lines.
 */
export function startStaffConsole(options: StaffConsoleOptions): { stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const write = (text: string) => options.output.write(`${text}\n`);
  let running: Promise<void> = requeueInterruptedOutbox(options.db, 'staff').then(() => undefined);
  const drain = () =>
    (running = running
      .then(async () => {
        for (;;) {
          const rows = await dueOutboxHeads(options.db, 'staff', now(), { limit: 50 });
          if (rows.length === 0) return;
          for (const row of rows) {
            if (!(await claimOutbox(options.db, row.id))) continue;
            try {
              const line = await formatStaffNotice(options.cases, JSON.parse(row.payload) as StaffNotice, options.locale);
              if (line) write(line);
              await markOutboxSent(options.db, row.id, now());
            } catch (error) {
              options.logger.error({ err: error, outboxId: row.id }, 'staff console could not print a notice');
              await markOutboxDead(options.db, row.id, error instanceof Error ? error.message : String(error), now());
            }
          }
        }
      })
      .catch((error: unknown) => options.logger.error({ err: error }, 'staff console drain failed')));
  const timer = setInterval(() => void drain(), options.pollMs ?? 1000);
  const lines = createInterface({ input: options.input, terminal: false, crlfDelay: Infinity });
  lines.on('line', (raw) => {
    const line = raw.trim();
    if (!line.startsWith('/case')) return;
    void runStaffCommand(options.cases, line, options.locale, options.timeZone)
      .then(write, (error: unknown) => write(error instanceof Error ? error.message : String(error)))
      .then(drain);
  });
  return {
    async stop() {
      clearInterval(timer);
      lines.close();
      await running;
    },
  };
}
