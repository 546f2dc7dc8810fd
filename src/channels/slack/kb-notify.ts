import type { types } from '@slack/bolt';
import { t } from '../../core/i18n/index.js';
import type { StaffPoster } from '../../core/staff-post.js';
import type { Locale } from '../../core/types.js';
import { registerKbCatalog } from './kb-catalog.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import type { ReloadReport } from './types.js';

/** Problem lines per message, and their characters (one message stays far below Slack's ~13k limit); the rest is counted. */
export const MAX_PROBLEM_LINES = 100;
const MAX_PROBLEM_CHARS = 9_000;
const CHUNK_CHARS = 2_800;

export const problemText = (p: ReloadReport['problems'][number]): string =>
  typeof p === 'string' ? p : `${p.path}:${p.line}: ${p.message}`;

/**
 * Tells the admins about a reload's problems in ONE message to the staff
 * channel, mentioning SLACK_ADMIN_USER_IDS (a channel post, not DMs: it needs
 * no im:write scope and the whole desk sees why an entry is stale). Each
 * problem is a `path:line: message` line in a code block. Posts nothing when
 * the reload was clean; returns whether it posted.
 *
 * @example
 *   const report = await knowledge.reload();
 *   await notifyReloadProblems({ poster, adminUserIds: ['U123'], locale: 'zh' }, report);
 */
export async function notifyReloadProblems(
  deps: { poster: StaffPoster; adminUserIds: readonly string[]; locale?: Locale },
  report: ReloadReport,
): Promise<boolean> {
  if (report.problems.length === 0) return false;
  registerKbCatalog();
  const l = deps.locale ?? 'zh';
  const lines: string[] = [];
  let size = 0;
  for (const p of report.problems.slice(0, MAX_PROBLEM_LINES)) {
    const line = escapeMrkdwn(truncate(problemText(p), 500));
    if (size + line.length > MAX_PROBLEM_CHARS) break;
    lines.push(line);
    size += line.length + 1;
  }
  const chunks: string[] = [];
  for (const line of lines) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + line.length + 1 <= CHUNK_CHARS) chunks[chunks.length - 1] = `${last}\n${line}`;
    else chunks.push(line);
  }
  const heading = t(l, 'slackKb.reloadProblems', { count: report.problems.length });
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    ...chunks.map((c): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${c}\`\`\`` } })),
  ];
  const kept = report.keptPrevious ?? [];
  if (kept.length > 0)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(t(l, 'slackKb.keptPrevious', { ids: kept.map((id) => `\`${escapeMrkdwn(id)}\``).join(', ') }), 2900) } });
  const rest = report.problems.length - lines.length;
  if (rest > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t(l, 'slackKb.reloadProblemsMore', { count: rest }) }] });
  await deps.poster.post({ text: `${heading}\n${lines.slice(0, 20).join('\n')}`, blocks, mentions: [...deps.adminUserIds] });
  return true;
}
