import { dailyDigest } from './daily-digest.js';
import { deadlineReminders } from './deadline-reminders.js';
import { monthlyReport } from './monthly-report.js';
import { retentionPurge } from './retention-purge.js';
import type { Job } from './types.js';

export type { Job, JobContext, JobOutcome, WorkingCalendar } from './types.js';

/** Every scheduled job. Names are unique (tests/jobs/table.test.ts checks it). */
export const jobs: readonly Job[] = [dailyDigest, deadlineReminders, monthlyReport, retentionPurge];

/** The job's cron expression: the config override (DIGEST_CRON, …) or its default. */
export function scheduleOf(job: Job, config: Partial<Record<Job['configKey'], string>>): string {
  return config[job.configKey] ?? job.schedule;
}

export function findJob(name: string): Job | undefined {
  return jobs.find((j) => j.name === name);
}
