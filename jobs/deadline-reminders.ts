import { AppError } from '../src/core/errors.js';
import { addDays, localParts, startOfLocalDay } from '../src/core/reports/local-time.js';
import { outcomeDayAt } from '../src/storage/case-outcome.js';
import { dueReminder, overdueReminder, unclaimedReminder, type Reminder } from '../src/core/reports/reminders.js';
import * as repo from '../src/storage/digest-repo.js';
import { claimReminder, isReminderSent, releaseReminder } from '../src/storage/jobs-repo.js';
import type { Job, JobContext } from './types.js';

/** Upper bound of cases looked at per kind and run; the rest follow in the next hourly run. */
export const REMINDER_BATCH = 200;

/** The reminders due now, whether already sent or not. */
export async function planReminders(ctx: JobContext, now: Date): Promise<Reminder[]> {
  const { date: today } = localParts(now, ctx.timezone);
  const link = (code: string) => ctx.caseLink(code);
  const dueBy = ctx.calendar.addWorkingDays(today, 1);
  let previous = addDays(today, -1);
  for (let i = 0; i < 60 && !ctx.calendar.isWorkingDay(previous); i++) previous = addDays(previous, -1);
  // "older than one working day": received before this time of day on the previous working day.
  const sinceMidnight = now.getTime() - startOfLocalDay(today, ctx.timezone).getTime();
  const cutoff = new Date(startOfLocalDay(previous, ctx.timezone).getTime() + sinceMidnight).toISOString();
  const [due, overdue, unclaimed] = await Promise.all([
    repo.openDueBetween(ctx.db, today, dueBy, REMINDER_BATCH),
    repo.openOverdue(ctx.db, outcomeDayAt(now, ctx.timezone), REMINDER_BATCH),
    repo.unclaimedBefore(ctx.db, cutoff, REMINDER_BATCH),
  ]);
  return [
    ...due.rows.map((c) => dueReminder(c, ctx.locale, link(c.code))),
    ...overdue.rows.map((c) =>
      overdueReminder(c, ctx.locale, link(c.code), today, ctx.calendar.workingDaysBetween(c.deadlineOn ?? today, today), ctx.leadUserIds),
    ),
    ...unclaimed.map((c) => unclaimedReminder(c, ctx.locale, link(c.code), localParts(new Date(c.receivedAt), ctx.timezone).date)),
  ];
}

/**
 * Each reminder is claimed in `reminders_sent` before it is posted (so a second
 * instance or a restart skips it) and released again if the post fails.
 */
export const deadlineReminders: Job = {
  name: 'deadline-reminders',
  schedule: '0 9-17 * * *',
  configKey: 'REMINDERS_CRON',
  description: 'Hourly in office hours: ping assignees before deadlines, escalate overdue cases to leads, flag unclaimed cases',
  async run(ctx, now) {
    if (!ctx.manual && !ctx.calendar.isWorkingDay(localParts(now, ctx.timezone).date)) return { status: 'skipped', posts: 0 };
    let posts = 0;
    const failures: string[] = [];
    for (const r of await planReminders(ctx, now)) {
      if (ctx.dryRun) {
        if (await isReminderSent(ctx.db, r.kind, r.caseId, r.key)) continue;
        await ctx.poster.post(r.post);
        posts += 1;
        continue;
      }
      if (!(await claimReminder(ctx.db, r.kind, r.caseId, r.key, now))) continue;
      try {
        await ctx.poster.post(r.post);
        posts += 1;
      } catch (error) {
        // Give the claim back so the next run retries it, and carry on with the other reminders.
        await releaseReminder(ctx.db, r.kind, r.caseId, r.key);
        failures.push(`${r.kind} reminder for case ${r.caseId}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0)
      throw new AppError('channel_failed', `${failures.length} reminder(s) could not be posted and will be retried next run: ${failures.join('; ')}`);
    return { status: 'ok', posts };
  },
};
