import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { renderStatsText } from '../core/gaps/render.js';
import { knowledgeStats, type EntryInfo } from '../core/gaps/stats.js';
import { firstMessageAt, lastServedByEntry, usageByEntrySection } from '../storage/gaps-repo.js';
import { openStore } from '../storage/open-store.js';
import { toCsv } from './csv-out.js';
import { parseKbArgs } from './kb-args.js';
import { dateIn, daysAgo, openKnowledge, parseDays, parseFormat } from './kb-gaps-support.js';
import type { KbSubcommand } from './kb.js';

/**
 * `kb stats [--days N] [--format text|csv]`: answers served and 👍/👎 per entry
 * and section, last updated, entries past review_by or not served in 90 days.
 */
const UNUSED_DAYS = 90;

const stats: KbSubcommand = {
  summary: 'answers served and helpful / not helpful per entry and section',
  async run(args, io) {
    const parsed = parseKbArgs(args, io.env, ['--days', '--format']);
    if (parsed.positional.length > 0)
      throw new AppError('cli_usage', 'Usage: npm run cli -- kb stats [--days N] [--format text|csv] [--knowledge DIR]');
    const config = parseConfig(io.env);
    const days = parseDays(parsed.values.days, 30);
    const format = parseFormat(parsed.values.format);
    const now = new Date();
    const today = dateIn(now, config.TIMEZONE);
    const knowledge = await openKnowledge(parsed.knowledge, io, today);
    const entries: EntryInfo[] = knowledge.entries.map((e) => ({
      id: e.id,
      title: e.title,
      updated: e.updated,
      reviewBy: e.reviewBy,
      sections: e.sections.map((s) => s.heading),
    }));
    const db = await openStore(config.DATABASE_PATH);
    let result;
    try {
      const usage = await usageByEntrySection(db, daysAgo(now, days).toISOString());
      const loggingSince = await firstMessageAt(db);
      result = knowledgeStats(entries, usage, await lastServedByEntry(db), { today, now, unusedDays: UNUSED_DAYS, loggingSince });
    } finally {
      await db.close();
    }
    if (format === 'text') {
      io.stdout.write(renderStatsText(result, days, UNUSED_DAYS, config.TIMEZONE));
      return 0;
    }
    const rows = result.entries.flatMap((e) => [
      [e.id, '', e.title, e.served, e.helpful, e.notHelpful, e.lastServedAt ?? '', e.updated ?? '', e.reviewBy ?? '', e.pastReview ? 'yes' : '', e.unused ? 'yes' : ''],
      ...e.sectionStats.map((s) => [e.id, s.section ?? '', '', s.served, s.helpful, s.notHelpful, '', '', '', '', '']),
    ]);
    const header = ['entry_id', 'section', 'title', 'served', 'helpful', 'not_helpful', 'last_served_at', 'updated', 'review_by', 'past_review', 'unused_90d'];
    io.stdout.write(toCsv([header, ...rows]));
    return 0;
  },
};

export default stats;
