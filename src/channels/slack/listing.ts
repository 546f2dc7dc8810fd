import type { types } from '@slack/bolt';
import type { CaseFilter, CaseRecord } from '../../core/cases/types.js';
import type { Locale } from '../../core/types.js';
import { t } from '../../core/i18n/index.js';
import { stateLabel, typeLabel } from '../../core/i18n/labels.js';
import { OPEN_STATES } from '../../core/cases/transitions.js';
import { recordAudit } from '../../storage/audit-repo.js';
import { addDays } from '../../core/calendar/dates.js';
import { caseOutcomes, outcomeDayAt, type OutcomeDay } from '../../storage/case-outcome.js';
import { assigneeText, caseMessage, deadlineText, historyLine, pageLines } from './blocks.js';
import { actorOf } from './guard.js';
import { caseViewOf } from './staff-desk.js';
import { citizenText, escapeMrkdwn } from './mrkdwn.js';
import type { SlackDeskContext } from './types.js';

const OPEN: CaseFilter['states'] = [...OPEN_STATES];
export type ListFilter = 'open' | 'mine' | 'overdue' | 'to-close' | 'due-soon';
const DUE_SOON_WORKING_DAYS = 3;
/** Cases per /cases page (`/cases overdue 2` shows the second page). */
export const LIST_PAGE_SIZE = 20;

const FILTERS = ['mine', 'overdue', 'to-close', 'due-soon'] as const;

/**
 * `/cases [mine|overdue|to-close|due-soon] [page]`; null for anything else (a typo such as `overdu`), which gets the usage
 * rather than the full open list passed off as the list asked for.
 */
export function parseListArgs(args: string[]): { filter: ListFilter; page: number } | null {
  const words = args.map((a) => a.toLowerCase());
  const filters = words.filter((w): w is (typeof FILTERS)[number] => (FILTERS as readonly string[]).includes(w));
  const pages = words.filter((w) => /^\d{1,6}$/.test(w));
  if (filters.length > 1 || pages.length > 1 || filters.length + pages.length !== words.length) return null;
  return { filter: filters[0] ?? 'open', page: Math.max(1, Number(pages[0] ?? '1')) };
}

async function select(ctx: SlackDeskContext, userId: string, filter: ListFilter, day: OutcomeDay): Promise<CaseRecord[]> {
  const today = day.today;
  const base: CaseFilter = { states: OPEN, limit: 1000 };
  if (filter === 'mine') return ctx.desk.list({ ...base, assignee: actorOf(userId) });
  // Overdue = no answer and past the deadline; answered and not closed is 待办结 (to-close), never overdue.
  if (filter === 'overdue') return ctx.desk.list({ ...base, outcome: { day, in: ['openOverdue'] } });
  if (filter === 'to-close') return ctx.desk.list({ ...base, awaitingClose: true });
  if (filter === 'open') return ctx.desk.list(base);
  // due-soon: awaiting an answer, deadline today or within N working days (a calendar week bounds the query).
  const rows = await ctx.desk.list({ ...base, outcome: { day, in: ['open'] }, dueBy: addDays(today, DUE_SOON_WORKING_DAYS * 3) });
  const wdb = ctx.workingDaysBetween ?? ((a: string, b: string) => Math.max(0, (Date.parse(b) - Date.parse(a)) / 86_400_000));
  return rows.filter((r) => r.deadlineOn && r.deadlineOn >= today && wdb(today, r.deadlineOn) <= DUE_SOON_WORKING_DAYS);
}

/** One page of /cases (most urgent deadline first) as ephemeral blocks (≤ 50 blocks, ≤ 3000 characters per section). */
export async function caseList(
  ctx: SlackDeskContext,
  userId: string,
  args: { filter: ListFilter; page: number },
): Promise<{ text: string; blocks: types.KnownBlock[] }> {
  const l = ctx.locale;
  const day = outcomeDayAt(ctx.now(), ctx.timeZone);
  const rows = (await select(ctx, userId, args.filter, day)).sort(
    (a, b) => (a.deadlineOn ?? '9999').localeCompare(b.deadlineOn ?? '9999') || a.code.localeCompare(b.code),
  );
  const outcomes = await caseOutcomes(ctx.db, rows.map((r) => r.id), day);
  const base = { locale: l, timeZone: ctx.timeZone, now: ctx.now(), workingDaysBetween: ctx.workingDaysBetween };
  const lines = rows.map((r) => {
    const view = { ...base, outcome: outcomes.get(r.id) };
    return t(l, 'slack.list.line', {
      code: r.code,
      type: typeLabel(l, r.type),
      state: stateLabel(l, r.state),
      deadline: deadlineText(r, view),
      assignee: assigneeText(r.assignee, l),
      text: citizenText(r.text.replace(/\s+/g, ' '), 80),
    });
  });
  const filterName = t(l, `slack.list.filter.${args.filter}`);
  const pages = Math.max(1, Math.ceil(lines.length / LIST_PAGE_SIZE));
  const index = Math.min(args.page, pages) - 1;
  const pageNote = pages > 1 ? t(l, 'slack.list.page', { page: index + 1, pages }) : '';
  const heading = t(l, 'slack.list.heading', { filter: filterName, count: rows.length, page: pageNote });
  const slice = lines.slice(index * LIST_PAGE_SIZE, (index + 1) * LIST_PAGE_SIZE);
  const [blocks = []] = pageLines(slice.length > 0 ? slice : [t(l, 'slack.list.empty')], heading);
  return { text: heading, blocks };
}

/**
 * The full contact. A call-back number the parent wrote in a follow-up became the contact when the case had none
 * (desk addFollowUp); the follow-up itself is stored masked, so the contact is the one number staff call.
 */
function contactText(record: CaseRecord, l: Locale): string {
  return record.contact ? escapeMrkdwn(record.contact) : t(l, 'slack.field.none');
}

/**
 * /case CODE: the case message, the full contact (the only place it is shown)
 * and the whole history, paged. Writes an audit row for the full-detail access.
 */
export async function caseDetail(
  ctx: SlackDeskContext,
  code: string,
  userId: string,
): Promise<{ text: string; blocks: types.KnownBlock[] }[] | null> {
  const record = await ctx.desk.get(code);
  if (!record) return null;
  const l = ctx.locale;
  await recordAudit(ctx.db, { actor: actorOf(userId), action: 'case.view_full', subject: record.code, at: ctx.now() });
  const view = await caseViewOf(ctx, record, { full: true });
  const message = caseMessage(record, view);
  const head = message.blocks.filter((b) => b.type !== 'actions');
  const events = await ctx.desk.history(record.code);
  const name = record.citizenName ? escapeMrkdwn(record.citizenName) : t(l, 'slack.field.none');
  head.push({ type: 'section', text: { type: 'mrkdwn', text: t(l, 'slack.detail.contact', { name, contact: contactText(record, l) }) } });
  const history = events.map((e) => historyLine(e, view, record, 'full'));
  const pages = pageLines(history, t(l, 'slack.detail.history'), 50 - head.length);
  return pages.map((page, i) => ({ text: message.text, blocks: i === 0 ? [...head, ...page] : page }));
}
