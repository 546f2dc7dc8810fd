import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import { AppError } from '../src/core/errors.js';
import type { Logger } from '../src/logger.js';
import { acquireJobRun, finishJobRun, latestJobRun } from '../src/storage/jobs-repo.js';
import type { Job, JobContext } from './types.js';

/**
 * The only node-cron import. Fires each job on its cron in TIMEZONE; every
 * fire is one run keyed (job, scheduled minute) in job_runs, whose row is the
 * lease: whichever instance inserts it first runs the job, so two instances on
 * one database post once. A job's error is logged and recorded, never thrown
 * into node-cron. At start, the latest fire missed within JOB_CATCHUP_MINUTES
 * is made up once (its job_runs row makes a second start skip it). A run that
 * failed (Slack down, a 429, the database busy) is run again: at start, and then
 * every `retryMinutes` while it is the job's latest run, so the post is made
 * once the cause is gone, not a day or a month later.
 */
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
  /** A failed run is tried again this often until it succeeds or a newer fire runs (default 15). */
  retryMinutes?: number;
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
  /** Run again each job whose latest run failed at least `minAgeMs` ago. Returns the names that ran now. */
  retryFailed(now: Date, minAgeMs?: number): Promise<string[]>;
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
  const retryMs = (options.retryMinutes ?? 15) * 60_000;
  let retryTimer: NodeJS.Timeout | undefined;
  const clock = options.clock ?? (() => new Date());
  const log = options.logger;
  const running = new Map<string, Promise<RunResult>>();
  let tasks: ScheduledTask[] = [];

  for (const job of options.jobs) {
    const expr = options.schedules[job.name];
    if (!expr || !cron.validate(expr))
      throw new AppError('config_invalid', `Job ${job.name}: "${expr ?? ''}" is not a valid cron expression (e.g. "30 8 * * *")`);
  }

  async function execute(job: Job, scheduledFor: Date): Promise<RunResult> {
    const db = options.context.db;
    const now = clock();
    const id = await acquireJobRun(db, { job: job.name, scheduledFor: scheduledFor.toISOString(), owner, now, leaseMs });
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

  const runOnce = (job: Job, scheduledFor: Date): Promise<RunResult> => {
    if (running.has(job.name)) {
      log.warn({ job: job.name, scheduledFor }, 'previous run still going: this fire is skipped');
      return Promise.resolve('busy');
    }
    const p = execute(job, scheduledFor).catch((error: unknown) => {
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

  async function retryFailed(now: Date, minAgeMs = retryMs): Promise<string[]> {
    const retried: string[] = [];
    for (const job of options.jobs) {
      const latest = await latestJobRun(options.context.db, job.name);
      if (latest?.status !== 'failed') continue;
      if (latest.finishedAt && Date.parse(latest.finishedAt) > now.getTime() - minAgeMs) continue;
      // Only the latest run: once a newer fire ran, it covered the same ground (each job works from the time it
      // runs and what was posted: the digest's window, the months not yet posted, the purge's cutoffs).
      const fire = new Date(latest.scheduledFor);
      log.info({ job: job.name, scheduledFor: fire }, 'retrying a failed job run');
      const result = await runOnce(job, fire);
      if (result === 'ran' || result === 'skipped') retried.push(job.name);
    }
    return retried;
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
      const caught = await catchUp(clock());
      // A run that failed before the restart is tried again at once; then every retryMinutes.
      const retried = await retryFailed(clock(), 0).catch((error: unknown) => (log.error({ err: error }, 'job retry failed'), []));
      retryTimer = setInterval(() => void retryFailed(clock()).catch((error: unknown) => log.error({ err: error }, 'job retry failed')), retryMs);
      retryTimer.unref();
      return [...caught, ...retried.filter((name) => !caught.includes(name))];
    },
    async stop() {
      clearInterval(retryTimer);
      retryTimer = undefined;
      await Promise.all(tasks.map((t) => t.destroy()));
      tasks = [];
      await Promise.all(running.values());
    },
  };
}
