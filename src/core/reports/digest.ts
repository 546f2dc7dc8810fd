import '../i18n/jobs.js';
import '../i18n/staff.js';
import { t } from '../i18n/index.js';
import { channelLabel, stateLabel, typeLabel } from '../i18n/labels.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { StaffPost } from '../staff-post.js';
import { undeliveredHow } from '../cases/undelivered.js';
import type { Locale } from '../types.js';
import { escapeMrkdwn, paginate, plainLine, type Line, type Section } from './blocks.js';

/** One case as the digest lists it; `text` is the citizen's text, masked here before display. */
export interface DigestCase {
  code: string;
  type: string;
  channel: string;
  state: string;
  text: string;
  assignee: string | null;
  deadlineOn: string | null;
  daysOverdue?: number;
  ratingLabel?: string | null;
  /** The third party's reply date (第三十二条), for consultationsOverdue. */
  consultationDue?: string;
  /** For correctionsAwaited: the day the 补正告知 went out (第三十条) and the working days since. */
  correctionAskedOn?: string;
  waitingDays?: number;
  /** The 信访 受理告知 due date (第二十二条), for acceptanceNoticesDue. */
  noticeDue?: string;
  /** For reviewsOverturned: the level (review / recheck), outcome, deciding body and decision date. */
  review?: { level: string; outcome: string; body: string; decidedOn: string | null; requestedOn?: string };
  /** For reviewsPending: the last day of the reviewing body's 30 日 (第三十四条、第三十五条). */
  reviewDue?: string;
  /** For awaitingClose: the local day of the answer, and whether it came after the deadline (case-outcome.ts 'late'). */
  repliedOn?: string | null;
  outcome?: string;
  /** For `undelivered`: a phone number is on the case (another way to reach the citizen). */
  hasPhone?: boolean;
}

export interface Listed {
  rows: DigestCase[];
  total: number;
}

export interface DigestData {
  date: string; // local YYYY-MM-DD
  /** Start of what the digest covers (local "YYYY-MM-DD HH:mm"): the last posted digest, or the first run's window. */
  since?: string;
  /** The whole local days whose closed cases `closedYesterday` lists (more than yesterday after a weekend or downtime). */
  closedDays?: { from: string; to: string };
  newCases: Listed;
  open: { state: string; assignee: string | null; n: number }[];
  dueSoon: Listed;
  /** No answer and past the deadline (case-outcome.ts openOverdue): what the monthly report counts as 逾期未答复. */
  overdue: Listed;
  /** Answered, not yet closed (待办结): on time (not overdue) or answered late; staff still have to close them. */
  awaitingClose?: Listed;
  closedYesterday: Listed;
  /** Disclosure requests whose consulted third party is past its 15 working days (第三十二条). */
  consultationsOverdue?: Listed;
  /** Disclosure requests waiting for the applicant's 补正 (第三十条): the clock is stopped until it arrives. */
  correctionsAwaited?: Listed;
  /** 信访 cases whose 受理告知 (15 日, 第二十二条) is due within 3 days or late, and not recorded. */
  acceptanceNoticesDue?: Listed;
  /** 信访 复查 / 复核 decisions recorded since the last digest that revoked (撤销: reopened) or changed (变更) a 处理意见. */
  reviewsOverturned?: Listed;
  /** 信访 复查 / 复核 requests recorded without their decision, due within 3 days or late (30 日 from the request). */
  reviewsPending?: Listed;
  /** Cases whose message to the citizen did not arrive since the last digest (closed: the answer may be unread). */
  undelivered?: Listed;
  /** `chosen`: title of the entry parents picked from "您是不是想问" for the group (not marked 👎), if any. */
  gaps: { text: string; count: number; chosen?: string | null }[];
  /** One-line operating notices for admins (e.g. next year's holiday schedule missing). */
  notices?: string[];
}

const EXCERPT = 40;

function excerpt(text: string): string {
  const flat = maskPersonalData(text).replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

/** 'slack:U123' → a Slack mention in mrkdwn, the bare id in plain text. */
function who(assignee: string | null, locale: Locale): Line {
  if (!assignee) return plainLine(t(locale, 'jobs.digest.unassigned'));
  const slack = /^slack:(\w+)$/.exec(assignee);
  return slack ? { text: `@${slack[1]}`, mrkdwn: `<@${slack[1]}>` } : plainLine(assignee);
}

function caseLine(c: DigestCase, locale: Locale, link: string | null, extra: string[]): Line {
  const label = `[${typeLabel(locale, c.type)}·${channelLabel(locale, c.channel)}]`;
  const assignee = who(c.assignee, locale);
  const tail = [...extra];
  const body = excerpt(c.text);
  const joined = tail.join(t(locale, 'jobs.digest.tailSeparator'));
  const text = `• ${c.code}${link ? ` (${link})` : ''} ${label} ${assignee.text} ${body}${tail.length ? ` — ${joined}` : ''}`;
  const code = link ? `<${link}|${c.code}>` : c.code;
  const mrkdwn = `• ${code} ${escapeMrkdwn(label)} ${assignee.mrkdwn} ${escapeMrkdwn(body)}${
    tail.length ? ` — ${escapeMrkdwn(joined)}` : ''
  }`;
  return { text, mrkdwn };
}

function listLines(list: Listed, locale: Locale, link: (code: string) => string | null, extra: (c: DigestCase) => string[]): Line[] {
  const lines = list.rows.map((c) => caseLine(c, locale, link(c.code), extra(c)));
  if (list.total > list.rows.length) lines.push(plainLine(t(locale, 'jobs.digest.more', { n: list.total - list.rows.length })));
  return lines;
}

export function isQuietDay(d: DigestData): boolean {
  const consultations = d.consultationsOverdue?.total ?? 0;
  const corrections = d.correctionsAwaited?.total ?? 0;
  const notices = d.acceptanceNoticesDue?.total ?? 0;
  const undelivered = d.undelivered?.total ?? 0;
  const toClose = d.awaitingClose?.total ?? 0;
  const reviews = (d.reviewsOverturned?.total ?? 0) + (d.reviewsPending?.total ?? 0);
  return (
    d.newCases.total === 0 && d.dueSoon.total === 0 && d.overdue.total === 0 && d.closedYesterday.total === 0 &&
    consultations === 0 && corrections === 0 && toClose === 0 && notices === 0 && undelivered === 0 && reviews === 0 && d.gaps.length === 0
  );
}

/**
 * The daily digest as one or more staff posts (pages within Block Kit limits).
 * A quiet day is a single line.
 *
 * @example
 *   const posts = renderDigest(data, 'zh', (code) => links.get(code) ?? null);
 */
export function renderDigest(d: DigestData, locale: Locale, caseLink: (code: string) => string | null): StaffPost[] {
  const openTotal = d.open.reduce((sum, r) => sum + r.n, 0);
  const notices = (d.notices ?? []).map((n) => `⚠️ ${n}`);
  // After a weekend, downtime or a failed post the digest spans several days: its headings say which.
  const days = d.closedDays && d.closedDays.from < d.closedDays.to ? d.closedDays : null;
  if (isQuietDay(d))
    return [
      {
        text: [
          days
            ? t(locale, 'jobs.digest.quietDays', { date: d.date, since: d.since ?? days.from, from: days.from, to: days.to, open: openTotal })
            : t(locale, 'jobs.digest.quiet', { date: d.date, open: openTotal }),
          ...notices,
        ].join('\n'),
      },
    ];
  const deadline = (c: DigestCase) => (c.deadlineOn ? [t(locale, 'jobs.digest.deadline', { date: c.deadlineOn })] : []);
  const sections: Section[] = [];
  if (d.newCases.total > 0)
    sections.push({ heading: t(locale, 'jobs.digest.newCases', { n: d.newCases.total }), lines: listLines(d.newCases, locale, caseLink, deadline) });
  if (openTotal > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.open', { n: openTotal }),
      lines: d.open.map((r) => {
        const a = who(r.assignee, locale);
        const state = stateLabel(locale, r.state);
        return {
          text: t(locale, 'jobs.digest.openLine', { state, assignee: a.text, n: r.n }),
          mrkdwn: t(locale, 'jobs.digest.openLine', { state: escapeMrkdwn(state), assignee: a.mrkdwn, n: r.n }),
        };
      }),
    });
  if (d.dueSoon.total > 0)
    sections.push({ heading: t(locale, 'jobs.digest.dueSoon', { n: d.dueSoon.total }), lines: listLines(d.dueSoon, locale, caseLink, deadline) });
  if (d.overdue.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.overdue', { n: d.overdue.total }),
      lines: listLines(d.overdue, locale, caseLink, (c) => [...deadline(c), t(locale, 'jobs.digest.daysOverdue', { n: c.daysOverdue ?? 0 })]),
    });
  const toClose = d.awaitingClose;
  if (toClose && toClose.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.awaitingClose', { n: toClose.total }),
      lines: listLines(toClose, locale, caseLink, (c) => [
        c.outcome === 'late'
          ? t(locale, 'jobs.digest.repliedLate', { date: c.repliedOn ?? '-', deadline: c.deadlineOn ?? '-' })
          : t(locale, 'jobs.digest.repliedOnTime', { date: c.repliedOn ?? '-' }),
      ]),
    });
  const consultations = d.consultationsOverdue;
  if (consultations && consultations.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.consultationsOverdue', { n: consultations.total }),
      lines: listLines(consultations, locale, caseLink, (c) => [
        t(locale, 'jobs.digest.consultationLate', { date: c.consultationDue ?? '-', n: c.daysOverdue ?? 0 }),
      ]),
    });
  const corrections = d.correctionsAwaited;
  if (corrections && corrections.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.correctionsAwaited', { n: corrections.total }),
      lines: listLines(corrections, locale, caseLink, (c) => [
        t(locale, 'jobs.digest.correctionAsked', { date: c.correctionAskedOn ?? '-', n: c.waitingDays ?? 0 }),
      ]),
    });
  const acceptance = d.acceptanceNoticesDue;
  if (acceptance && acceptance.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.acceptanceNotices', { n: acceptance.total }),
      lines: listLines(acceptance, locale, caseLink, (c) => [
        c.daysOverdue
          ? t(locale, 'jobs.digest.acceptanceNoticeLate', { date: c.noticeDue ?? '-', n: c.daysOverdue })
          : t(locale, 'jobs.digest.acceptanceNoticeDue', { date: c.noticeDue ?? '-' }),
      ]),
    });
  const overturned = d.reviewsOverturned;
  if (overturned && overturned.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.reviewsOverturned', { n: overturned.total }),
      lines: listLines(overturned, locale, caseLink, (c) => {
        const r = c.review!;
        const what = t(locale, 'jobs.digest.reviewDecision', {
          level: t(locale, `staff.review.level.${r.level}`), outcome: r.outcome, body: r.body, date: r.decidedOn ?? '-',
        });
        // 撤销: the case was reopened with a new deadline; 变更: the bureau carries out the changed 处理意见.
        const todo = r.outcome === '撤销'
          ? t(locale, 'jobs.digest.reviewReopened', { date: c.deadlineOn ?? '-' })
          : t(locale, 'jobs.digest.reviewChanged');
        return [what, todo];
      }),
    });
  const pending = d.reviewsPending;
  if (pending && pending.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.reviewsPending', { n: pending.total }),
      lines: listLines(pending, locale, caseLink, (c) => {
        const r = c.review!;
        const level = t(locale, `staff.review.level.${r.level}`);
        const what = t(locale, 'jobs.digest.reviewRequest', { level, body: r.body, date: r.requestedOn ?? '-' });
        return [
          what,
          c.daysOverdue
            ? t(locale, 'jobs.digest.reviewDecisionLate', { level, date: c.reviewDue ?? '-', n: c.daysOverdue })
            : t(locale, 'jobs.digest.reviewDecisionDue', { level, date: c.reviewDue ?? '-' }),
        ];
      }),
    });
  const undelivered = d.undelivered;
  if (undelivered && undelivered.total > 0)
    sections.push({
      heading: t(locale, 'jobs.digest.undelivered', { n: undelivered.total }),
      lines: listLines(undelivered, locale, caseLink, (c) => [undeliveredHow(c.code, c.hasPhone ?? false, locale)]),
    });
  if (d.closedYesterday.total > 0)
    sections.push({
      heading: days
        ? t(locale, 'jobs.digest.closedDays', { from: days.from, to: days.to, n: d.closedYesterday.total })
        : t(locale, 'jobs.digest.closed', { n: d.closedYesterday.total }),
      lines: listLines(d.closedYesterday, locale, caseLink, (c) => [
        c.ratingLabel ? t(locale, 'jobs.digest.rating', { label: c.ratingLabel }) : t(locale, 'jobs.digest.noRating'),
      ]),
    });
  if (d.gaps.length > 0)
    sections.push({
      heading: days && d.since ? t(locale, 'jobs.digest.gapsSince', { since: d.since }) : t(locale, 'jobs.digest.gaps'),
      lines: [
        ...d.gaps.map((g) =>
          plainLine(
            g.chosen
              ? t(locale, 'jobs.digest.gapChosen', { text: excerpt(g.text), count: g.count, title: g.chosen })
              : t(locale, 'jobs.digest.gapLine', { text: excerpt(g.text), count: g.count }),
          ),
        ),
        plainLine(t(locale, 'jobs.digest.gapsTeach')),
      ],
    });
  for (const notice of notices) sections.push({ heading: notice, lines: [] });
  return paginate(t(locale, 'jobs.digest.title', { date: d.date }), sections, (page, pages) => t(locale, 'jobs.digest.page', { page, pages }));
}
