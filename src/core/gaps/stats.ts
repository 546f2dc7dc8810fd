/**
 * Feedback per knowledge entry and section, for `kb stats` and `/kb stats`:
 * answers served, 👍/👎, last served, and the entries that need an admin's
 * attention (past `review_by`, or not served for `unusedDays`).
 */
export interface UsageRow {
  entryId: string;
  section: string | null;
  served: number;
  helpful: number;
  notHelpful: number;
  /** ISO-8601 UTC of the latest answer in the window. */
  lastServedAt: string | null;
}

export interface EntryInfo {
  id: string;
  title: string;
  updated: string | null;
  reviewBy: string | null;
  sections: (string | null)[];
}

export interface SectionStats {
  section: string | null;
  served: number;
  helpful: number;
  notHelpful: number;
}

export interface EntryStats extends EntryInfo {
  served: number;
  helpful: number;
  notHelpful: number;
  /** helpful / (helpful + notHelpful), null without feedback. */
  helpfulShare: number | null;
  /** Latest answer ever served (ISO), null if never. */
  lastServedAt: string | null;
  pastReview: boolean;
  unused: boolean;
  sectionStats: SectionStats[];
}

export interface KnowledgeStats {
  entries: EntryStats[];
  /** Usage recorded for ids that are no longer in the knowledge base. */
  orphans: UsageRow[];
  totals: { served: number; helpful: number; notHelpful: number };
}

/**
 * @param usage  counts within the reporting window, one row per entry and section
 * @param lastServed  latest answer per entry over all time
 * @param today  YYYY-MM-DD in the bureau's time zone (for review_by)
 * @param options.loggingSince  the earliest message the bot logged (ISO), null when none; an entry is judged
 *   "unused" only when both the log and the entry (its `updated` date) are older than the window, so a new
 *   database or a new entry is not flagged for lack of history. Undefined: the log is assumed to cover it.
 */
export function knowledgeStats(
  entries: readonly EntryInfo[],
  usage: readonly UsageRow[],
  lastServed: ReadonlyMap<string, string>,
  options: { today: string; now: Date; unusedDays?: number; loggingSince?: string | null },
): KnowledgeStats {
  const unusedSince = new Date(options.now.getTime() - (options.unusedDays ?? 90) * 86_400_000).toISOString();
  const logCoversWindow = options.loggingSince === undefined || (options.loggingSince !== null && options.loggingSince <= unusedSince);
  const olderThanWindow = (entry: EntryInfo) => entry.updated === null || entry.updated <= unusedSince.slice(0, 10);
  const known = new Set(entries.map((e) => e.id));
  const byEntry = new Map<string, UsageRow[]>();
  for (const row of usage) byEntry.set(row.entryId, [...(byEntry.get(row.entryId) ?? []), row]);
  const stats = entries.map((entry): EntryStats => {
    const rows = byEntry.get(entry.id) ?? [];
    const sum = (k: 'served' | 'helpful' | 'notHelpful') => rows.reduce((n, r) => n + r[k], 0);
    const [helpful, notHelpful] = [sum('helpful'), sum('notHelpful')];
    const last = lastServed.get(entry.id) ?? null;
    return {
      ...entry,
      served: sum('served'),
      helpful,
      notHelpful,
      helpfulShare: helpful + notHelpful === 0 ? null : helpful / (helpful + notHelpful),
      lastServedAt: last,
      pastReview: entry.reviewBy !== null && entry.reviewBy < options.today,
      unused: logCoversWindow && olderThanWindow(entry) && (last === null || last < unusedSince),
      sectionStats: rows
        .map(({ section, served, helpful: h, notHelpful: n }) => ({ section, served, helpful: h, notHelpful: n }))
        .sort((a, b) => b.served - a.served || String(a.section).localeCompare(String(b.section))),
    };
  });
  stats.sort((a, b) => b.served - a.served || a.id.localeCompare(b.id));
  const totals = { served: 0, helpful: 0, notHelpful: 0 };
  for (const row of usage) {
    totals.served += row.served;
    totals.helpful += row.helpful;
    totals.notHelpful += row.notHelpful;
  }
  return { entries: stats, orphans: usage.filter((r) => !known.has(r.entryId)), totals };
}
