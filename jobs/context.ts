import { loadWorkCalendar } from '../src/core/calendar/index.js';
import { calendarStatus } from '../src/core/calendar/status.js';
import type { Config } from '../src/config.js';
import { topGaps } from '../src/core/gaps/queue.js';
import type { StaffPoster } from '../src/core/staff-post.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { countServiceGuides } from '../src/core/reports/annual/service-guides.js';
import type { Logger } from '../src/logger.js';
import type { Db } from '../src/storage/db.js';
import { unansweredGroups } from '../src/storage/digest-repo.js';
import type { JobContext } from './types.js';

/** The knowledge gaps of src/core/gaps (similar questions grouped, marks applied, open groups only). */
export function coreTopGaps(db: Db, titles: () => Promise<ReadonlyMap<string, string>> = async () => new Map()): JobContext['topGaps'] {
  return async (since, limit) => {
    const byId = await titles();
    const groups = await topGaps(db, { since, limit, entryTitle: (id) => byId.get(id) ?? null });
    return groups.map((g) => ({
      text: g.representative,
      count: g.count,
      chosen: g.parentChoice && g.parentChoice.helped > 0 ? g.parentChoice.title : null,
    }));
  };
}

/** Entry titles by id, read from KNOWLEDGE_DIR (for the parents' choice in the digest's gaps). */
export function entryTitlesIn(dir: string): () => Promise<ReadonlyMap<string, string>> {
  return async () => new Map((await loadKnowledge(dir)).entries.map((e) => [e.id, e.title]));
}

/** A simpler stand-in: unanswered questions grouped by exact normalised text. */
export function fallbackTopGaps(db: Db): JobContext['topGaps'] {
  return (since, limit) => unansweredGroups(db, since.toISOString(), limit);
}

/** 办事指南 in KNOWLEDGE_DIR, counted as the annual report counts them (Chinese entries only). */
export function countServiceGuidesIn(dir: string): () => Promise<number> {
  return () => countServiceGuides(dir);
}

/**
 * A job context from config with defaults for every swappable part; the
 * composition root passes the live ones (Slack permalinks, the gap finder,
 * the knowledge service's count, the calendar with local overrides).
 */
export function createJobContext(
  deps: { config: Config; db: Db; poster: StaffPoster; logger: Logger } & Partial<
    Pick<JobContext, 'caseLink' | 'topGaps' | 'countServiceGuides' | 'calendar' | 'dryRun' | 'manual'>
  >,
): JobContext {
  const calendar = deps.calendar ?? loadWorkCalendar(); // chinese-days + rules/calendar-overrides.yaml
  const isKnown = calendar.isKnown?.bind(calendar);
  return {
    calendarNotice: isKnown ? (today) => calendarStatus({ isKnown }, today, deps.config.CALENDAR_WARN_FROM, deps.config.STAFF_LOCALE).notice : undefined,
    db: deps.db,
    poster: deps.poster,
    logger: deps.logger,
    calendar,
    timezone: deps.config.TIMEZONE,
    locale: deps.config.STAFF_LOCALE,
    leadUserIds: deps.config.SLACK_LEAD_USER_IDS,
    retention: {
      messageDays: deps.config.RETENTION_MESSAGE_DAYS,
      caseDays: deps.config.RETENTION_CASE_DAYS,
      conversationDays: deps.config.RETENTION_CONVERSATION_DAYS,
    },
    caseLink: deps.caseLink ?? (() => null),
    topGaps: deps.topGaps ?? coreTopGaps(deps.db, entryTitlesIn(deps.config.KNOWLEDGE_DIR)),
    countServiceGuides: deps.countServiceGuides ?? countServiceGuidesIn(deps.config.KNOWLEDGE_DIR),
    dryRun: deps.dryRun ?? false,
    manual: deps.manual ?? false,
  };
}
