import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { listGaps, markGap } from '../core/gaps/queue.js';
import { gapsCsvHeader, gapsCsvRows, renderApartText, renderGapsText } from '../core/gaps/render.js';
import { recordAudit } from '../storage/audit-repo.js';
import { deleteGapMark } from '../storage/gaps-repo.js';
import { openStore } from '../storage/open-store.js';
import { parseKbArgs } from './kb-args.js';
import { dateIn, daysAgo, openKnowledge, parseDays, parseFormat } from './kb-gaps-support.js';
import { toCsv } from './csv-out.js';
import type { KbSubcommand } from './kb.js';

/**
 * `kb gaps [--days N] [--format text|csv]`: the unanswered queue, grouped,
 * largest first, with the best current match and "did the gap close".
 * `kb gaps mark KEY ignored|resolved|open [--entry ID] [--days N]`: an admin's decision.
 */
const usage = `Usage: npm run cli -- kb gaps [--days N] [--format text|csv] [--knowledge DIR]
       npm run cli -- kb gaps mark KEY ignored|resolved|open [--entry ENTRY_ID] [--days N]`;

const gaps: KbSubcommand = {
  summary: 'unanswered questions grouped, largest first; mark a group ignored or resolved',
  async run(args, io) {
    const parsed = parseKbArgs(args, io.env, ['--days', '--format', '--entry']);
    const config = parseConfig(io.env);
    const days = parseDays(parsed.values.days, 30);
    const now = new Date();
    const [sub, key, status, ...extra] = parsed.positional;
    if (sub !== undefined && sub !== 'mark') throw new AppError('cli_usage', `Unknown kb gaps command "${sub}".\n${usage}`);
    if (sub === 'mark' && (!key || !status || extra.length > 0 || !['ignored', 'resolved', 'open'].includes(status)))
      throw new AppError('cli_usage', `kb gaps mark needs a KEY and one of ignored, resolved, open.\n${usage}`);
    const knowledge = await openKnowledge(parsed.knowledge, io, dateIn(now, config.TIMEZONE));
    if (sub === 'mark' && status === 'resolved' && parsed.values.entry && !knowledge.entries.some((e) => e.id === parsed.values.entry))
      throw new AppError('cli_usage', `No entry with id "${parsed.values.entry}" in ${parsed.knowledge}; give the id of the entry that answers the group.`);
    const db = await openStore(config.DATABASE_PATH);
    try {
      if (sub === 'mark') {
        if (status === 'open') {
          const removed = await deleteGapMark(db, key!);
          if (!removed) throw new AppError('cli_usage', `Gap group ${key} has no mark to remove.`);
          await recordAudit(db, { actor: 'cli', action: 'kb.gaps.open', subject: key!, at: new Date() });
          io.stdout.write(`Gap group ${key} is open again.\n`);
          return 0;
        }
        const group = await markGap(db, {
          key: key!,
          status: status as 'ignored' | 'resolved',
          entryId: parsed.values.entry ?? null,
          actor: 'cli',
          since: daysAgo(now, days),
          now,
          normalize: knowledge.normalize,
        });
        await recordAudit(db, { actor: 'cli', action: `kb.gaps.${status}`, subject: key!, detail: group.resolvedEntryId ?? undefined, at: new Date() });
        io.stdout.write(`Gap group ${group.key} (${group.representative} ×${group.count}) marked ${status}${group.resolvedEntryId ? ` by ${group.resolvedEntryId}` : ''}.\n`);
        return 0;
      }
      const titles = new Map(knowledge.entries.map((e) => [e.id, e.title]));
      const report = await listGaps(db, {
        since: daysAgo(now, days),
        now,
        bestMatch: knowledge.bestMatch,
        normalize: knowledge.normalize,
        entryTitle: (id) => titles.get(id) ?? null,
      });
      if (parseFormat(parsed.values.format) === 'csv') io.stdout.write(toCsv([gapsCsvHeader(config.TIMEZONE), ...gapsCsvRows(report.groups, report.closures, config.TIMEZONE)]));
      else io.stdout.write(`${renderGapsText(report.groups, report.closures, days, config.TIMEZONE)}\n${renderApartText(report.apart)}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

export default gaps;
