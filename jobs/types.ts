import type { Logger } from '../src/logger.js';
import type { RetentionPolicy } from '../src/core/privacy/retention.js';
import type { StaffPoster } from '../src/core/staff-post.js';
import type { Locale } from '../src/core/types.js';
import type { Db } from '../src/storage/db.js';
import type { DeadlineRules } from '../src/core/deadlines/index.js';

/** The working-day calendar (src/core/calendar): dates are YYYY-MM-DD in TIMEZONE. */
export interface WorkingCalendar {
  isWorkingDay(date: string): boolean;
  /** Whether the official schedule of the date's year is known (not estimated). */
  isKnown?(date: string): boolean;
  addWorkingDays(from: string, n: number): string;
  /** Working days after `a` up to and including `b` (0 when b <= a). */
  workingDaysBetween(a: string, b: string): number;
}

/** Everything a job may use; built once by the composition root (or the CLI, or a test). */
export interface JobContext {
  db: Db;
  poster: StaffPoster;
  calendar: WorkingCalendar;
  timezone: string;
  locale: Locale;
  leadUserIds: string[];
  /** How long each class of personal data is kept (RETENTION_* settings). */
  retention: RetentionPolicy;
  /** URL of the case's Slack message, or null when unknown. */
  caseLink(code: string): string | null;
  /** The day's knowledge gaps: unanswered questions grouped, most frequent first. */
  /** `chosen`: title of the entry the parents picked from "您是不是想问" (not marked 👎), if any. */
  topGaps(since: Date, limit: number): Promise<{ text: string; count: number; chosen?: string | null }[]>;
  /** Knowledge entries with category service-guide (办事指南). */
  countServiceGuides(): number | Promise<number>;
  logger: Logger;
  /** One line for admins when next year's holiday schedule is missing on `today` (CALENDAR_WARN_FROM on), else null. */
  calendarNotice?(today: string): string | null;
  /** Deadline rules (default rules/deadline-rules.yaml): which types owe a 信访 受理告知. */
  rules?: DeadlineRules;
  /** Print what would be posted, record nothing. */
  dryRun: boolean;
  /** Run by hand (`jobs run`): the working-day check is skipped. */
  manual: boolean;
}

export interface JobOutcome {
  /** 'skipped': nothing to do by design (not a working day); 'ok': ran (posted or not). */
  status: 'ok' | 'skipped';
  posts: number;
}

/** A scheduled job: data the scheduler reads plus one `run`. */
export interface Job {
  name: string;
  /** Default cron expression (5 or 6 fields) in TIMEZONE. */
  schedule: string;
  /** The config variable that overrides `schedule`. */
  configKey: 'DIGEST_CRON' | 'REMINDERS_CRON' | 'MONTHLY_CRON' | 'PURGE_CRON';
  description: string;
  run(ctx: JobContext, now: Date): Promise<JobOutcome>;
}
