import { parseConfig } from '../config.js';
import { loadWorkCalendar } from '../core/calendar/index.js';
import { createCaseDesk } from '../core/cases/index.js';
import { loadDeadlineRules } from '../core/deadlines/index.js';
import { AppError, isAppError } from '../core/errors.js';
import { errorText } from '../core/i18n/errors-text.js';
import { openStore } from '../storage/open-store.js';
import type { Locale } from '../core/types.js';
import type { CliIo } from './types.js';

/**
 * Runs `work` with a case desk over the configured store, closed afterwards. A desk's coded refusal is rethrown with
 * the staff text first (STAFF_LOCALE), then the English (the AppError message) for the log.
 */
export async function withCaseDesk<T>(io: CliIo, work: (desk: ReturnType<typeof createCaseDesk>) => Promise<T>): Promise<T> {
  const config = parseConfig(io.env);
  const db = await openStore(config.DATABASE_PATH);
  try {
    return await work(createCaseDesk({ db, config, rules: loadDeadlineRules(), calendar: loadWorkCalendar() })).catch((error: unknown) => {
      throw isAppError(error) ? new AppError(error.code, `${errorText(config.STAFF_LOCALE, error)}\n${error.message}`, { cause: error }) : error;
    });
  } finally {
    await db.close();
  }
}

/** STAFF_LOCALE: the language of the lines a `cases …` command prints for staff. */
export function staffLocale(io: CliIo): Locale {
  return parseConfig(io.env).STAFF_LOCALE;
}
