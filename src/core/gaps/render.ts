import { formatLocalDateTime } from '../reports/local-time.js';
import type { GapClosure } from './closure.js';
import type { KnowledgeStats } from './stats.js';
import type { GapGroup } from './types.js';

/**
 * Plain-text and CSV views of the unanswered queue and the knowledge stats,
 * for admins (CLI, Slack). Texts are already masked by the grouping.
 */
const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);
/** The bureau's day of an instant (TIMEZONE): a question asked at 00:30 Beijing is that day's, not the UTC day before. */
const dayIn = (timeZone: string) => (iso: string | null) => (iso === null ? 'never' : formatLocalDateTime(iso, timeZone).slice(0, 10));
const localTime = (iso: string | null, timeZone: string) => (iso === null ? '' : formatLocalDateTime(iso, timeZone));

/** "Refused, not gaps" lines: questions for another authority and off-topic ones, counted apart. */
export function renderApartText(
  apart: { otherJurisdiction: { label: string; count: number }[]; outOfScope: { label: string; count: number }[] },
  locale: 'zh' | 'en' = 'en',
): string {
  const none = locale === 'zh' ? '无' : 'none';
  const list = (rows: { label: string; count: number }[]) => rows.map((r) => `${r.label} ×${r.count}`).join(locale === 'zh' ? '、' : ', ') || none;
  const n = (rows: { count: number }[]) => rows.reduce((a, r) => a + r.count, 0);
  const [head, other, out] =
    locale === 'zh'
      ? ['已拒答但不算知识库缺口（另行统计）：', '属其他部门职责', '超出服务范围']
      : ['Refused but not gaps (counted apart):', 'for another authority', 'out of scope'];
  return `${head}\n  ${other} (${n(apart.otherJurisdiction)}): ${list(apart.otherJurisdiction)}\n  ${out} (${n(apart.outOfScope)}): ${list(apart.outOfScope)}\n`;
}

export function renderGapsText(groups: readonly GapGroup[], closures: readonly GapClosure[], days: number, timeZone = 'Asia/Shanghai'): string {
  const day = dayIn(timeZone);
  const open = groups.filter((g) => g.status === 'open');
  const lines = [`Unanswered questions, last ${days} days: ${open.length} open groups (${groups.length - open.length} marked).`];
  for (const [i, g] of groups.entries()) {
    const match = g.bestMatch ? `${g.bestMatch.title} (${g.bestMatch.id}, ${g.bestMatch.score.toFixed(2)})` : 'none';
    const status = g.status === 'open' ? '' : g.status === 'resolved' ? ` [resolved by ${g.resolvedEntryId}]` : ' [ignored]';
    lines.push(
      `${i + 1}. ×${g.count}  ${g.representative}${status}`,
      `   key ${g.key} · refused ${g.reasons.refused} · low confidence ${g.reasons.low_confidence} · not helpful ${g.reasons.not_helpful} · last ${day(g.lastAt)}`,
      `   best match: ${match}`,
    );
    if (g.examples.length > 0) lines.push(`   also: ${g.examples.join(' / ')}`);
    const chosen = g.parentChoice;
    if (chosen && g.status === 'open')
      lines.push(
        chosen.helped > 0
          ? `   家长自己选了 / the parent chose: ${chosen.title} (${chosen.entryId}, ${chosen.helped}×) → npm run cli -- kb teach --key ${g.key} ${chosen.entryId}`
          : `   家长选过 / the parent chose: ${chosen.title} (${chosen.entryId}) but marked it 👎 (did not help): no suggestion`,
      );
  }
  if (open.length > 0) lines.push('', 'File a group under the entry that answers it (归入…): npm run cli -- kb teach --key KEY ENTRY_ID');
  if (closures.length > 0) {
    lines.push('', 'Did the gap close? (share answered confidently, before → after the fix)');
    for (const c of closures)
      lines.push(
        `- ${c.key} → ${c.entryId} on ${day(c.resolvedAt)}: ${pct(c.before.share)} of ${c.before.matching} → ${pct(c.after.share)} of ${c.after.matching}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** The CSV header; the times are local to `timeZone` (named in their columns, as in `cases export`). */
export function gapsCsvHeader(timeZone: string): string[] {
  return [
    'key', 'status', 'count', 'representative', 'examples', 'refused', 'low_confidence', 'not_helpful',
    `first_at (${timeZone})`, `last_at (${timeZone})`, 'best_match_id', 'best_match_title', 'best_match_score', 'resolved_entry_id', `resolved_at (${timeZone})`,
    'confident_before', 'confident_after', 'parent_chose_id', 'parent_chose_helped', 'parent_chose_not_helpful',
  ];
}

export function gapsCsvRows(groups: readonly GapGroup[], closures: readonly GapClosure[], timeZone: string): string[][] {
  const byKey = new Map(closures.map((c) => [c.key, c]));
  return groups.map((g) => {
    const c = byKey.get(g.key);
    return [
      g.key, g.status, String(g.count), g.representative, g.examples.join(' / '),
      String(g.reasons.refused), String(g.reasons.low_confidence), String(g.reasons.not_helpful),
      localTime(g.firstAt, timeZone), localTime(g.lastAt, timeZone), g.bestMatch?.id ?? '', g.bestMatch?.title ?? '', g.bestMatch ? g.bestMatch.score.toFixed(3) : '',
      g.resolvedEntryId ?? '', localTime(g.resolvedAt ?? null, timeZone), c ? pct(c.before.share) : '', c ? pct(c.after.share) : '',
      g.parentChoice?.entryId ?? '', g.parentChoice ? String(g.parentChoice.helped) : '', g.parentChoice ? String(g.parentChoice.notHelpful) : '',
    ];
  });
}

export function renderStatsText(stats: KnowledgeStats, days: number, unusedDays = 90, timeZone = 'Asia/Shanghai'): string {
  const day = dayIn(timeZone);
  const { totals } = stats;
  const lines = [
    `Knowledge answers, last ${days} days: ${totals.served} served, ${totals.helpful} helpful, ${totals.notHelpful} not helpful.`,
    '',
    'served  👍  👎  helpful  last served  updated     entry',
  ];
  for (const e of stats.entries) {
    const flags = [e.pastReview ? `past review_by ${e.reviewBy}` : '', e.unused ? `unused ${unusedDays}d` : ''].filter(Boolean);
    lines.push(
      `${String(e.served).padStart(6)} ${String(e.helpful).padStart(3)} ${String(e.notHelpful).padStart(3)}  ${pct(e.helpfulShare).padStart(7)}  ` +
        `${day(e.lastServedAt).padEnd(11)}  ${(e.updated ?? '–').padEnd(10)}  ${e.id} ${e.title}${flags.length ? `  ⚠ ${flags.join(', ')}` : ''}`,
    );
    for (const s of e.sectionStats.filter((x) => x.served > 0))
      lines.push(`${String(s.served).padStart(6)} ${String(s.helpful).padStart(3)} ${String(s.notHelpful).padStart(3)}      ↳ ${s.section ?? '(whole entry)'}`);
  }
  const review = stats.entries.filter((e) => e.pastReview).map((e) => e.id);
  const unused = stats.entries.filter((e) => e.unused).map((e) => e.id);
  lines.push('', `Past review_by (${review.length}): ${review.join(', ') || 'none'}`);
  lines.push(`Not served in ${unusedDays} days (${unused.length}): ${unused.join(', ') || 'none'}`);
  if (stats.orphans.length > 0)
    lines.push(`Answers recorded for entries no longer in the knowledge base: ${[...new Set(stats.orphans.map((o) => o.entryId))].join(', ')}`);
  return `${lines.join('\n')}\n`;
}
