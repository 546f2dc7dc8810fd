import type { CaseDesk } from '../../core/cases/types.js';
import type { Locale } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';

/** One /kb search hit, as the knowledge module reports it. */
export interface KbHit {
  entryId: string;
  title: string;
  section: string | null;
  score: number;
}

/**
 * Everything the Slack desk needs, passed in by the composition root.
 * `now` and `workingDaysBetween` are injectable for tests.
 */
export interface SlackDeskDeps {
  db: Db;
  desk: CaseDesk;
  logger: Logger;
  staffChannel: string;
  staffUserIds: readonly string[];
  adminUserIds: readonly string[];
  locale?: Locale;
  timeZone?: string;
  now?: () => Date;
  /** Working days in (from, to], YYYY-MM-DD; 0 when to ≤ from (WorkCalendar.workingDaysBetween). */
  workingDaysBetween?: (from: string, to: string) => number;
  kbSearch?: (text: string, limit: number) => Promise<KbHit[]> | KbHit[];
}

/** Resolved options with defaults applied. */
export interface SlackDeskContext extends Required<Omit<SlackDeskDeps, 'workingDaysBetween' | 'kbSearch'>> {
  workingDaysBetween?: SlackDeskDeps['workingDaysBetween'];
  kbSearch?: SlackDeskDeps['kbSearch'];
}

export function resolveContext(deps: SlackDeskDeps): SlackDeskContext {
  // The real case desk carries its working-day calendar; use it unless told otherwise.
  const calendar = (deps.desk as Partial<{ calendar: { workingDaysBetween(a: string, b: string): number } }>).calendar;
  return {
    ...deps,
    workingDaysBetween: deps.workingDaysBetween ?? (calendar ? (a, b) => calendar.workingDaysBetween(a, b) : undefined),
    locale: deps.locale ?? 'zh',
    timeZone: deps.timeZone ?? 'Asia/Shanghai',
    now: deps.now ?? (() => new Date()),
  };
}

/** Action ids of the case message buttons; the button value is the case code. */
export const CASE_ACTIONS = {
  claim: 'case_claim',
  reply: 'case_reply',
  extend: 'case_extend',
  close: 'case_close',
  unreachable: 'case_unreachable',
} as const;

/** Callback ids of the modals. */
export const VIEWS = {
  reply: 'case_reply_view',
  extend: 'case_extend_view',
  close: 'case_close_view',
  newCase: 'case_new_view',
  disclose: 'disclose_view',
} as const;
