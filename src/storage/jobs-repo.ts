import type { Db } from './db.js';

/**
 * Job runs and reminder bookkeeping. A run is identified by (job, scheduled_for);
 * the UNIQUE constraint on that pair is the lease: the first instance to insert
 * the row owns the run, every other instance sees `false` and posts nothing.
 */
export type JobRunStatus = 'running' | 'ok' | 'skipped' | 'failed';

export interface JobRunRow {
  id: number;
  job: string;
  scheduledFor: string;
  startedAt: string;
  finishedAt: string | null;
  status: JobRunStatus;
  leaseOwner: string | null;
  error: string | null;
}

/**
 * Take the lease for one run. Returns the run id, or null when another instance
 * holds it (or already finished it). A 'running' row whose lease expired (the
 * owner crashed) is taken over atomically, and so is a 'failed' one that finished
 * before `retryFailedBefore` when given (the scheduler's retry).
 */
export async function acquireJobRun(
  db: Db,
  input: { job: string; scheduledFor: string; owner: string; now: Date; leaseMs: number; retryFailedBefore?: Date },
): Promise<number | null> {
  const now = input.now.toISOString();
  const until = new Date(input.now.getTime() + input.leaseMs).toISOString();
  const inserted = await db.run(
    `INSERT INTO job_runs (job, scheduled_for, started_at, status, lease_owner, lease_until)
     VALUES (?, ?, ?, 'running', ?, ?) ON CONFLICT (job, scheduled_for) DO NOTHING`,
    [input.job, input.scheduledFor, now, input.owner, until],
  );
  if (inserted.changes > 0) return inserted.lastID;
  const taken = await db.run(
    `UPDATE job_runs SET lease_owner = ?, lease_until = ?, started_at = ?
     WHERE job = ? AND scheduled_for = ? AND status = 'running' AND lease_until < ?`,
    [input.owner, until, now, input.job, input.scheduledFor, now],
  );
  // A run that failed (and finished before `retryFailedBefore`) is taken again: a retry of the same fire.
  const retried =
    taken.changes === 0 && input.retryFailedBefore
      ? await db.run(
          `UPDATE job_runs SET status = 'running', lease_owner = ?, lease_until = ?, started_at = ?, finished_at = NULL
           WHERE job = ? AND scheduled_for = ? AND status = 'failed' AND finished_at <= ?`,
          [input.owner, until, now, input.job, input.scheduledFor, input.retryFailedBefore.toISOString()],
        )
      : { changes: 0 };
  if (taken.changes === 0 && retried.changes === 0) return null;
  const row = await db.get<{ id: number }>('SELECT id FROM job_runs WHERE job = ? AND scheduled_for = ?', [
    input.job,
    input.scheduledFor,
  ]);
  return row?.id ?? null;
}

export async function finishJobRun(
  db: Db,
  id: number,
  result: { status: Exclude<JobRunStatus, 'running'>; now: Date; error?: string | null },
): Promise<void> {
  await db.run('UPDATE job_runs SET status = ?, finished_at = ?, error = ?, lease_until = NULL WHERE id = ?', [
    result.status,
    result.now.toISOString(),
    result.error ?? null,
    id,
  ]);
}

/** The state of one run (job, scheduled_for), or null when none was taken. */
export async function jobRunState(db: Db, job: string, scheduledFor: string): Promise<{ status: JobRunStatus; finishedAt: string | null } | null> {
  const row = await db.get<{ status: JobRunStatus; finishedAt: string | null }>(
    'SELECT status, finished_at AS finishedAt FROM job_runs WHERE job = ? AND scheduled_for = ?',
    [job, scheduledFor],
  );
  return row ?? null;
}

export async function hasJobRun(db: Db, job: string, scheduledFor: string): Promise<boolean> {
  const row = await db.get('SELECT 1 AS x FROM job_runs WHERE job = ? AND scheduled_for = ?', [job, scheduledFor]);
  return row !== undefined;
}

/** When the job last completed with a post ('ok'), or null. */
export async function lastSuccessfulRun(db: Db, job: string, before: Date): Promise<string | null> {
  const row = await db.get<{ at: string }>(
    `SELECT scheduled_for AS at FROM job_runs WHERE job = ? AND status = 'ok' AND scheduled_for < ?
     ORDER BY scheduled_for DESC LIMIT 1`,
    [job, before.toISOString()],
  );
  return row?.at ?? null;
}

/** The job's latest run (by the fire it was for), or null. */
export async function latestJobRun(db: Db, job: string): Promise<{ scheduledFor: string; status: JobRunStatus; finishedAt: string | null } | null> {
  const row = await db.get<{ scheduledFor: string; status: JobRunStatus; finishedAt: string | null }>(
    `SELECT scheduled_for AS scheduledFor, status, finished_at AS finishedAt FROM job_runs WHERE job = ?
     ORDER BY scheduled_for DESC LIMIT 1`,
    [job],
  );
  return row ?? null;
}

/** Jobs whose latest run failed (retried: jobs/scheduler.ts), with that run's fire and error: what /healthz names. */
export async function failedJobRuns(db: Db): Promise<Record<string, string>> {
  const rows = await db.all<{ job: string; scheduledFor: string; error: string | null }>(
    `SELECT r.job, r.scheduled_for AS scheduledFor, r.error FROM job_runs r
     WHERE r.status = 'failed' AND r.scheduled_for = (SELECT MAX(x.scheduled_for) FROM job_runs x WHERE x.job = r.job)`,
  );
  return Object.fromEntries(rows.map((r) => [r.job, `run for ${r.scheduledFor} failed: ${(r.error ?? '-').slice(0, 200)}; tried again every 10 minutes within JOB_CATCHUP_MINUTES and at the next start`]));
}

/** The latest month (YYYY-MM) whose monthly report reached staff, or null. */
export async function lastPostedMonth(db: Db): Promise<string | null> {
  const row = await db.get<{ month: string | null }>('SELECT MAX(month) AS month FROM monthly_report_posts');
  return row?.month ?? null;
}

/** Records that the report of `month` reached staff (a manual repost keeps the first record). */
export async function recordMonthPosted(db: Db, month: string, at: Date): Promise<void> {
  await db.run('INSERT INTO monthly_report_posts (month, posted_at) VALUES (?, ?) ON CONFLICT (month) DO NOTHING', [month, at.toISOString()]);
}

export async function listJobRuns(db: Db, job?: string): Promise<JobRunRow[]> {
  const rows = await db.all<Record<string, string | number | null>>(
    `SELECT id, job, scheduled_for, started_at, finished_at, status, lease_owner, error FROM job_runs
     ${job ? 'WHERE job = ?' : ''} ORDER BY scheduled_for, id`,
    job ? [job] : [],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    job: String(r.job),
    scheduledFor: String(r.scheduled_for),
    startedAt: String(r.started_at),
    finishedAt: r.finished_at === null ? null : String(r.finished_at),
    status: r.status as JobRunStatus,
    leaseOwner: r.lease_owner === null ? null : String(r.lease_owner),
    error: r.error === null ? null : String(r.error),
  }));
}

export type ReminderKind = 'due' | 'overdue' | 'unclaimed';

/** Claim a reminder before posting it; false when it was already sent. */
export async function claimReminder(db: Db, kind: ReminderKind, caseId: number, key: string, now: Date): Promise<boolean> {
  const result = await db.run(
    'INSERT INTO reminders_sent (kind, case_id, key, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    [kind, caseId, key, now.toISOString()],
  );
  return result.changes > 0;
}

/** Give a claim back when the post failed, so the next run tries again. */
export async function releaseReminder(db: Db, kind: ReminderKind, caseId: number, key: string): Promise<void> {
  await db.run('DELETE FROM reminders_sent WHERE kind = ? AND case_id = ? AND key = ?', [kind, caseId, key]);
}

export async function isReminderSent(db: Db, kind: ReminderKind, caseId: number, key: string): Promise<boolean> {
  const row = await db.get('SELECT 1 AS x FROM reminders_sent WHERE kind = ? AND case_id = ? AND key = ?', [kind, caseId, key]);
  return row !== undefined;
}
