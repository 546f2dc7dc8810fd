import '../i18n/jobs.js';
import { t } from '../i18n/index.js';
import type { StaffPost } from '../staff-post.js';
import type { Locale } from '../types.js';
import { escapeMrkdwn } from './blocks.js';

/**
 * Deadline reminders as staff posts. Each reminder is identified by
 * (kind, caseId, key) so the job can record it and never send it twice:
 * 'due' (key = deadline: one ping per deadline, a new one after an extension),
 * 'overdue' (key = today's date: one escalation per working day),
 * 'unclaimed' (key = '': flagged once).
 */
export type ReminderKind = 'due' | 'overdue' | 'unclaimed';

export interface ReminderCase {
  id: number;
  code: string;
  assignee: string | null;
  deadlineOn: string | null;
  receivedAt: string;
}

export interface Reminder {
  kind: ReminderKind;
  caseId: number;
  key: string;
  post: StaffPost;
}

function slackId(assignee: string | null): string | null {
  const m = assignee ? /^slack:(\w+)$/.exec(assignee) : null;
  return m?.[1] ?? null;
}

function post(text: string, link: string | null, mentions: string[]): StaffPost {
  const mention = mentions.map((id) => `<@${id}>`).join(' ');
  const plainMentions = mentions.map((id) => `@${id}`).join(' ');
  const md = `${mention ? `${mention} ` : ''}${escapeMrkdwn(text)}${link ? ` <${link}|↗>` : ''}`;
  return {
    text: `${plainMentions ? `${plainMentions} ` : ''}${text}${link ? ` ${link}` : ''}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: md } }],
    mentions,
  };
}

export function dueReminder(c: ReminderCase, locale: Locale, link: string | null): Reminder {
  const id = slackId(c.assignee);
  return {
    kind: 'due',
    caseId: c.id,
    key: c.deadlineOn ?? '',
    post: post(t(locale, 'jobs.remind.due', { code: c.code, date: c.deadlineOn ?? '' }), link, id ? [id] : []),
  };
}

export function overdueReminder(
  c: ReminderCase,
  locale: Locale,
  link: string | null,
  today: string,
  days: number,
  leads: string[],
): Reminder {
  const id = slackId(c.assignee);
  const assignee = id ? `@${id}` : (c.assignee ?? t(locale, 'jobs.digest.unassigned'));
  return {
    kind: 'overdue',
    caseId: c.id,
    key: today,
    post: post(t(locale, 'jobs.remind.overdue', { code: c.code, days, date: c.deadlineOn ?? '', assignee }), link, leads),
  };
}

export function unclaimedReminder(c: ReminderCase, locale: Locale, link: string | null, receivedLocal: string): Reminder {
  return {
    kind: 'unclaimed',
    caseId: c.id,
    key: '',
    post: post(t(locale, 'jobs.remind.unclaimed', { code: c.code, received: receivedLocal }), link, []),
  };
}
