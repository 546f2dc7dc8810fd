import { z } from 'zod';
import { isAppError } from '../../core/errors.js';
import { listGaps, markGap } from '../../core/gaps/queue.js';
import { knowledgeStats } from '../../core/gaps/stats.js';
import { t } from '../../core/i18n/index.js';
import { recordAudit } from '../../storage/audit-repo.js';
import { firstMessageAt, lastServedByEntry, usageByEntrySection } from '../../storage/gaps-repo.js';
import type { CommandArgs, CommandHandler } from './commands.js';
import { actorOf } from './guard.js';
import { renderApartText } from '../../core/gaps/render.js';
import { gapsLines, statsLines } from './kb-render.js';
import { PAGE_LIMITS, respondPages } from './kb-pages.js';
import { respondTeachPicker, teachPickerBlocks } from './kb-teach.js';
import { citizenText, escapeMrkdwn, localDate } from './mrkdwn.js';
import { reloadMs, type ReloadReport, type SlackKnowledge } from './types.js';

/**
 * The admin subcommands of `/kb` (access 'admin': SLACK_ADMIN_USER_IDS; the
 * command router refuses everyone else before anything runs):
 *   /kb stats [days]                          answers and 👍/👎 per entry and section
 *   /kb gaps [days]                           the unanswered queue, largest group first
 *   /kb gaps mark KEY ignored [days] | mark KEY resolved ENTRY [days]   an admin's decision on a group
 *   /kb reload                                reload now; problems go to the admins
 */
export const KB_DEFAULTS = { days: 30, unusedDays: 90 } as const;

const daysSchema = z.coerce.number().int().min(1).max(3650);
const markSchema = z.tuple([z.literal('mark'), z.string().regex(/^[\w-]{1,64}$/), z.enum(['ignored', 'resolved'])]).rest(z.string());

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** Days from the first argument (or the default); null after telling the user why not. */
async function daysArg(a: CommandArgs, value: string | undefined): Promise<number | null> {
  if (value === undefined) return KB_DEFAULTS.days;
  const parsed = daysSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  await a.say(t(a.ctx.locale, 'slackKb.badDays', { value: escapeMrkdwn(value) }));
  return null;
}

async function markGroup(a: CommandArgs, knowledge: SlackKnowledge): Promise<void> {
  const { ctx } = a;
  const l = ctx.locale;
  const parsed = markSchema.safeParse(a.args);
  if (!parsed.success) return a.say(t(l, 'slackKb.usageGaps'));
  const [, key, status, ...rest] = parsed.data;
  const entryId = status === 'resolved' ? rest[0] : undefined;
  if (rest.length > (status === 'resolved' ? 2 : 1)) return a.say(t(l, 'slackKb.usageGaps'));
  if (status === 'resolved' && !entryId) return a.say(t(l, 'slackKb.needEntry', { key }));
  if (entryId && !knowledge.entries().some((e) => e.id === entryId)) return a.say(t(l, 'slackKb.unknownEntry', { entry: escapeMrkdwn(entryId) }));
  const days = await daysArg(a, status === 'resolved' ? rest[1] : rest[0]);
  if (days === null) return;
  const now = ctx.now();
  const actor = actorOf(a.command.user_id);
  try {
    const group = await markGap(ctx.db, { key, status, entryId: entryId ?? null, actor, since: daysAgo(now, days), now, normalize: knowledge.normalize });
    await recordAudit(ctx.db, { actor, action: `kb.gaps.${status}`, subject: key, detail: group.resolvedEntryId ?? undefined, at: now });
    const label = status === 'resolved' ? t(l, 'slackKb.statusResolved', { entry: escapeMrkdwn(entryId ?? '') }) : t(l, 'slackKb.statusIgnored');
    await a.say(t(l, 'slackKb.gapMarked', { key, text: citizenText(group.representative, 100), count: group.count, status: label }));
  } catch (error) {
    if (!isAppError(error, 'cli_usage')) throw error;
    await a.say(t(l, 'slackKb.gapNotFound', { key, days }));
  }
}

export function createKbAdminCommands(deps: {
  knowledge: SlackKnowledge;
  /** Posts the reload's problems to the admins (notifyReloadProblems); true when it posted. */
  notify(report: ReloadReport): Promise<boolean>;
  unusedDays?: number;
}): Record<string, CommandHandler> {
  const { knowledge } = deps;
  const unusedDays = deps.unusedDays ?? KB_DEFAULTS.unusedDays;
  return {
    stats: {
      access: 'admin',
      async run(a) {
        if (a.args.length > 1) return a.say(t(a.ctx.locale, 'slackKb.usageStats'));
        const days = await daysArg(a, a.args[0]);
        if (days === null) return;
        const now = a.ctx.now();
        const usage = await usageByEntrySection(a.ctx.db, daysAgo(now, days).toISOString());
        const lastServed = await lastServedByEntry(a.ctx.db);
        const loggingSince = await firstMessageAt(a.ctx.db);
        const stats = knowledgeStats(knowledge.entries(), usage, lastServed, { today: localDate(now, a.ctx.timeZone), now, unusedDays, loggingSince });
        const lines = statsLines(stats, a.ctx.locale, days, unusedDays, a.ctx.timeZone);
        await respondPages(a.respond, a.ctx.locale, lines, lines[0] ?? '', 'stats');
      },
    },
    gaps: {
      access: 'admin',
      async run(a) {
        if (a.args[0]?.toLowerCase() === 'mark') return markGroup(a, knowledge);
        if (a.args.length > 1) return a.say(t(a.ctx.locale, 'slackKb.usageGaps'));
        const days = await daysArg(a, a.args[0]);
        if (days === null) return;
        const now = a.ctx.now();
        const titles = new Map(knowledge.entries().map((e) => [e.id, e.title]));
        const report = await listGaps(a.ctx.db, {
          since: daysAgo(now, days),
          now,
          bestMatch: knowledge.bestMatch,
          normalize: knowledge.normalize,
          entryTitle: (id) => titles.get(id) ?? null,
        });
        const lines = [...gapsLines(report.groups, report.closures, a.ctx.locale, days, a.ctx.timeZone), ...renderApartText(report.apart, a.ctx.locale).trimEnd().split('\n')];
        const pages = await respondPages(a.respond, a.ctx.locale, lines, lines[0] ?? '', 'gaps');
        // "归入…" needs one more response_url use (Slack allows 5) and the entries' files.
        if (pages < PAGE_LIMITS.pages && knowledge.entryFiles)
          await respondTeachPicker(a.respond, teachPickerBlocks(report.groups, knowledge.entryFiles(), a.ctx.locale, days), a.ctx.locale);
      },
    },
    reload: {
      access: 'admin',
      async run(a) {
        const report = await knowledge.reload();
        a.ctx.logger.info({ entries: report.entries, problems: report.problems.length, ms: reloadMs(report) }, 'slack: knowledge reloaded by /kb reload');
        const notified = await deps.notify(report);
        const text = t(a.ctx.locale, 'slackKb.reloaded', { entries: report.entries, ms: reloadMs(report), problems: report.problems.length });
        await a.say(notified ? `${text}${t(a.ctx.locale, 'slackKb.reloadedProblems')}` : text);
      },
    },
  };
}
