import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import { AppError } from '../src/core/errors.js';
import type { Logger } from '../src/logger.js';
import { acquireJobRun, finishJobRun, jobRunState, latestJobRun } from '../src/storage/jobs-repo.js';
import type { Job, JobContext } from './types.js';

/**
 * The only node-cron import. Fires each job on its cron in TIMEZONE; every
 * fire is one run keyed (job, scheduled minute) in job_runs, whose row is the
 * lease: whichever instance inserts it first runs the job, so two instances on
 * one database post once. A job's error is logged and recorded, never thrown
 * into node-cron. At start, the latest fire missed within JOB_CATCHUP_MINUTES
 * is made up once (its job_runs row makes a second start skip it). A run that
 * failed (Slack down, the database busy past its timeout) or could not even be
 * recorded is tried again every RETRY_EVERY_MINUTES while its fire lies within
 * JOB_CATCHUP_MINUTES (the default 120 gives a morning digest up to 12 tries, then
 * the next day's digest covers the window, as before). Past the window, a job's
 * latest run that failed is tried again at the next start (a restart the day after
 * posts the month's report that failed on the 1st); the monthly job's next run also
 * posts every month not yet posted.
 */
export const RETRY_EVERY_MINUTES = 10;

export interface SchedulerOptions {
  jobs: readonly Job[];
  /** Cron expression per job name (config overrides already applied). */
  schedules: Record<string, string>;
  timezone: string;
  catchupMinutes: number;
  context: JobContext;
  logger: Logger;
  /** Identifies this process in job_runs.lease_owner. */
  owner?: string;
  /** A crashed owner's 'running' row may be taken over after this long. */
  leaseMs?: number;
  /** A failed run is tried again once it finished this long ago (default RETRY_EVERY_MINUTES). */
  retryAfterMs?: number;
  clock?: () => Date;
}

export type RunResult = 'ran' | 'skipped' | 'taken' | 'failed' | 'busy';

export interface Scheduler {
  /** Schedules every job, then catches up missed runs. Returns the names caught up. */
  start(): Promise<string[]>;
  /** Stops the timers and waits for running jobs to finish. */
  stop(): Promise<void>;
  /** One run of `job` for the fire at `scheduledFor` (what a cron tick does). */
  runOnce(job: Job, scheduledFor: Date): Promise<RunResult>;
  /** Make up, once, the latest fire of each job missed within the window before `now`. */
  catchUp(now: Date): Promise<string[]>;
  /**
   * Runs again the latest fire (within the catch-up window) of each job whose run failed at least `retryAfterMs`
   * ago, or was never recorded (the database refused the run's row). Returns the names that ran. Started with the
   * scheduler every RETRY_EVERY_MINUTES. `pastWindow` (at start): also the job's latest run, when it failed, whatever
   * its age.
   */
  retryFailed(now: Date, options?: { pastWindow?: boolean }): Promise<string[]>;
}

export function validateSchedule(expression: string): boolean {
  return cron.validate(expression);
}

/** The latest minute in (now − windowMinutes, now] at which `expression` fires in `timezone`, or null. */
export function lastFireWithin(expression: string, timezone: string, now: Date, windowMinutes: number): Date | null {
  const task: ScheduledTask = cron.createTask(expression, () => undefined, { timezone });
  try {
    const minute = Math.floor(now.getTime() / 60000) * 60000;
    for (let i = 0; i <= windowMinutes; i++) {
      const at = new Date(minute - i * 60000);
      if (at.getTime() <= now.getTime() - windowMinutes * 60000) break;
      if (task.match(at)) return at;
    }
    return null;
  } finally {
    void task.destroy();
  }
}

/**
 * The run's identity: the fire time floored to the minute (to the second for a 6-field expression), so two
 * instances whose timers fire a few milliseconds apart, and a catch-up at start, all name the same run.
 */
export function fireKey(date: Date, expression: string): Date {
  const unit = expression.trim().split(/\s+/).length === 6 ? 1000 : 60_000;
  return new Date(Math.floor(date.getTime() / unit) * unit);
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const owner = options.owner ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30 * 60_000;
  const clock = options.clock ?? (() => new Date());
  const log = options.logger;
  const running = new Map<string, Promise<RunResult>>();
  let tasks: ScheduledTask[] = [];

  for (const job of options.jobs) {
    const expr = options.schedules[job.name];
    if (!expr || !cron.validate(expr))
      throw new AppError('config_invalid', `Job ${job.name}: "${expr ?? ''}" is not a valid cron expression (e.g. "30 8 * * *")`);
  }

  async function execute(job: Job, scheduledFor: Date, retryFailedBefore?: Date): Promise<RunResult> {
    const db = options.context.db;
    const now = clock();
    const id = await acquireJobRun(db, { job: job.name, scheduledFor: scheduledFor.toISOString(), owner, now, leaseMs, ...(retryFailedBefore ? { retryFailedBefore } : {}) });
    if (id === null) {
      log.debug({ job: job.name, scheduledFor }, 'job run taken by another instance or already done');
      return 'taken';
    }
    try {
      const outcome = await job.run({ ...options.context, dryRun: false, manual: false }, now);
      await finishJobRun(db, id, { status: outcome.status, now: clock() });
      log.info({ job: job.name, scheduledFor, status: outcome.status, posts: outcome.posts }, 'job finished');
      return outcome.status === 'ok' ? 'ran' : 'skipped';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error({ job: job.name, scheduledFor, err: error }, 'job failed');
      await finishJobRun(db, id, { status: 'failed', now: clock(), error: message }).catch((e: unknown) =>
        log.error({ job: job.name, err: e }, 'could not record the failed job run'),
      );
      return 'failed';
    }
  }

  const runOnce = (job: Job, scheduledFor: Date, retryFailedBefore?: Date): Promise<RunResult> => {
    if (running.has(job.name)) {
      log.warn({ job: job.name, scheduledFor }, 'previous run still going: this fire is skipped');
      return Promise.resolve('busy');
    }
    const p = execute(job, scheduledFor, retryFailedBefore).catch((error: unknown) => {
      log.error({ job: job.name, err: error }, 'job run could not start');
      return 'failed' as const;
    });
    running.set(job.name, p);
    return p.finally(() => running.delete(job.name));
  };

  async function catchUp(now: Date): Promise<string[]> {
    const caught: string[] = [];
    for (const job of options.jobs) {
      const at = lastFireWithin(options.schedules[job.name]!, options.timezone, now, options.catchupMinutes);
      if (!at) continue;
      const result = await runOnce(job, at);
      if (result === 'ran' || result === 'skipped') caught.push(job.name);
    }
    return caught;
  }

  const retryAfterMs = options.retryAfterMs ?? RETRY_EVERY_MINUTES * 60_000;

  async function retryFailed(now: Date, retryOptions: { pastWindow?: boolean } = {}): Promise<string[]> {
    const ran: string[] = [];
    for (const job of options.jobs) {
      const retryBefore = new Date(now.getTime() - retryAfterMs);
      // At start, also past the catch-up window: the job's latest run, when it failed (each job works from the time
      // it runs and what was posted, so a newer run that worked covers the same ground and ends it).
      const latest = retryOptions.pastWindow ? await latestJobRun(options.context.db, job.name).catch(() => null) : null;
      const beyond = latest?.status === 'failed' && latest.finishedAt && latest.finishedAt <= retryBefore.toISOString() ? new Date(latest.scheduledFor) : null;
      const at = lastFireWithin(options.schedules[job.name]!, options.timezone, now, options.catchupMinutes) ?? beyond;
      if (!at) continue;
      try {
        // Only a fire at least retryAfterMs old: at the fire itself the cron tick is running it.
        if (at > retryBefore) continue;
        const run = await jobRunState(options.context.db, job.name, at.toISOString());
        if (run && (run.status !== 'failed' || !run.finishedAt || run.finishedAt > retryBefore.toISOString())) continue;
        log.info({ job: job.name, scheduledFor: at }, run ? 'job run failed earlier: trying again' : 'job run was never recorded: running it');
        const result = await runOnce(job, at, retryBefore);
        if (result === 'ran' || result === 'skipped') ran.push(job.name);
      } catch (error) {
        log.error({ job: job.name, err: error }, 'could not check the job run for a retry');
      }
    }
    return ran;
  }

  return {
    runOnce,
    catchUp,
    retryFailed,
    async start() {
      tasks = options.jobs.map((job) =>
        cron.schedule(
          options.schedules[job.name]!,
          async (c) => {
            await runOnce(job, fireKey(c.date, options.schedules[job.name]!));
          },
          { timezone: options.timezone, name: job.name, noOverlap: true },
        ),
      );
      tasks.push(
        cron.schedule(`*/${RETRY_EVERY_MINUTES} * * * *`, async () => void (await retryFailed(clock())), {
          timezone: options.timezone,
          name: 'retry-failed-jobs',
          noOverlap: true,
        }),
      );
      const caught = await catchUp(clock());
      // A run that failed before the restart, past the catch-up window, is tried again now (not in 10 minutes).
      const retried = await retryFailed(clock(), { pastWindow: true });
      return [...caught, ...retried.filter((name) => !caught.includes(name))];
    },
    async stop() {
      await Promise.all(tasks.map((t) => t.destroy()));
      tasks = [];
      await Promise.all(running.values());
    },
  };
}
