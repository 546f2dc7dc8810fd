import type { GapClosure } from '../../core/gaps/closure.js';
import type { KnowledgeStats } from '../../core/gaps/stats.js';
import type { GapGroup } from '../../core/gaps/types.js';
import { t } from '../../core/i18n/index.js';
import { formatLocalDateTime } from '../../core/reports/local-time.js';
import type { Locale } from '../../core/types.js';
import { citizenText, escapeMrkdwn } from './mrkdwn.js';

/**
 * mrkdwn lines of `/kb stats` and `/kb gaps` (paged by kb-pages.ts). Question
 * texts were masked by the grouping; they are escaped here so a `<!channel>`
 * typed by a citizen cannot ping anyone. Long id lists are cut at LIST_IDS.
 */
export const LIST_IDS = 40;

const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);
/** The bureau's day of a stored UTC instant: an answer given at 00:30 Beijing is that day's, not the UTC day before. */
const day = (l: Locale, iso: string | null, timeZone: string) => (iso === null ? t(l, 'slackKb.never') : formatLocalDateTime(iso, timeZone).slice(0, 10));

function idList(l: Locale, ids: readonly string[]): string {
  if (ids.length === 0) return t(l, 'slackKb.none');
  const shown = ids.slice(0, LIST_IDS).map((id) => `\`${escapeMrkdwn(id)}\``).join(', ');
  return ids.length > LIST_IDS ? `${shown} ${t(l, 'slackKb.more', { count: ids.length - LIST_IDS })}` : shown;
}

export function statsLines(stats: KnowledgeStats, l: Locale, days: number, unusedDays: number, timeZone: string): string[] {
  const lines = [t(l, 'slackKb.statsHeading', { days, ...stats.totals })];
  const served = stats.entries.filter((e) => e.served > 0);
  if (served.length === 0) lines.push(t(l, 'slackKb.statsNoneServed'));
  for (const e of served) {
    const flags = [
      e.pastReview ? t(l, 'slackKb.flagReview', { date: e.reviewBy ?? '' }) : '',
      e.unused ? t(l, 'slackKb.flagUnused', { days: unusedDays }) : '',
    ].filter(Boolean);
    lines.push(
      t(l, 'slackKb.statsEntry', {
        title: escapeMrkdwn(e.title),
        id: escapeMrkdwn(e.id),
        served: e.served,
        helpful: e.helpful,
        notHelpful: e.notHelpful,
        share: pct(e.helpfulShare),
        last: day(l, e.lastServedAt, timeZone),
        updated: e.updated ?? '–',
        flags: flags.length > 0 ? `  ⚠ ${flags.join(' · ')}` : '',
      }),
    );
    for (const s of e.sectionStats.filter((x) => x.served > 0))
      lines.push(
        t(l, 'slackKb.statsSection', {
          section: s.section === null ? t(l, 'slackKb.statsWholeEntry') : escapeMrkdwn(s.section),
          served: s.served,
          helpful: s.helpful,
          notHelpful: s.notHelpful,
        }),
      );
  }
  const idle = stats.entries.length - served.length;
  if (served.length > 0 && idle > 0) lines.push(t(l, 'slackKb.statsUnlisted', { count: idle }));
  const review = stats.entries.filter((e) => e.pastReview).map((e) => e.id);
  const unused = stats.entries.filter((e) => e.unused).map((e) => e.id);
  lines.push('', t(l, 'slackKb.statsReview', { count: review.length, ids: idList(l, review) }));
  lines.push(t(l, 'slackKb.statsUnused', { days: unusedDays, count: unused.length, ids: idList(l, unused) }));
  if (stats.orphans.length > 0) lines.push(t(l, 'slackKb.statsOrphans', { ids: idList(l, [...new Set(stats.orphans.map((o) => o.entryId))]) }));
  return lines;
}

function groupLines(g: GapGroup, n: number, l: Locale, timeZone: string): string[] {
  const match = g.bestMatch
    ? `${escapeMrkdwn(g.bestMatch.title)} \`${escapeMrkdwn(g.bestMatch.id)}\` (${g.bestMatch.score.toFixed(2)})`
    : t(l, 'slackKb.none');
  const status =
    g.status === 'resolved'
      ? t(l, 'slackKb.gapsResolved', { entry: escapeMrkdwn(g.resolvedEntryId ?? '') })
      : g.status === 'ignored'
        ? t(l, 'slackKb.gapsIgnored')
        : '';
  const lines = [
    t(l, 'slackKb.gapsGroup', {
      n,
      count: g.count,
      text: citizenText(g.representative, 300),
      status,
      key: g.key,
      refused: g.reasons.refused,
      low: g.reasons.low_confidence,
      notHelpful: g.reasons.not_helpful,
      last: day(l, g.lastAt, timeZone),
      match,
    }),
  ];
  if (g.examples.length > 0) lines.push(t(l, 'slackKb.gapsExamples', { examples: g.examples.map((e) => citizenText(e, 120)).join(' / ') }));
  const chosen = g.parentChoice;
  if (chosen && g.status === 'open') {
    const vars = { title: escapeMrkdwn(chosen.title), entry: escapeMrkdwn(chosen.entryId), count: chosen.helped };
    lines.push(t(l, chosen.helped > 0 ? 'slackKb.gapsChosen' : 'slackKb.gapsChosenNotHelpful', vars));
  }
  return lines;
}

export function gapsLines(groups: readonly GapGroup[], closures: readonly GapClosure[], l: Locale, days: number, timeZone: string): string[] {
  if (groups.length === 0 && closures.length === 0) return [t(l, 'slackKb.gapsNone')];
  const open = groups.filter((g) => g.status === 'open').length;
  const lines = [t(l, 'slackKb.gapsHeading', { days, open, marked: groups.length - open })];
  for (const [i, g] of groups.entries()) lines.push(...groupLines(g, i + 1, l, timeZone));
  if (closures.length > 0) {
    lines.push('', t(l, 'slackKb.gapsClosureHeading'));
    for (const c of closures)
      lines.push(
        t(l, 'slackKb.gapsClosure', {
          key: c.key,
          entry: escapeMrkdwn(c.entryId ?? '–'),
          date: day(l, c.resolvedAt, timeZone),
          before: pct(c.before.share),
          beforeCount: c.before.matching,
          after: pct(c.after.share),
          afterCount: c.after.matching,
        }),
      );
  }
  return lines;
}
