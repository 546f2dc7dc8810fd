import type { Config } from '../src/config.js';
import type { StaffPoster } from '../src/core/staff-post.js';
import type { Logger } from '../src/logger.js';
import type { Db } from '../src/storage/db.js';
import { createJobContext } from './context.js';
import { jobs, scheduleOf } from './index.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import type { JobContext } from './types.js';

/**
 * For the composition root: every job on its configured cron, in TIMEZONE,
 * posting through `poster`. Call `start()` after the channels are up (it also
 * makes up missed runs) and `stop()` on shutdown.
 *
 * @example
 *   const scheduler = createJobScheduler({ config, db, poster, logger, caseLink });
 *   if (config.JOBS_ENABLED) await scheduler.start();
 */
export function createJobScheduler(
  deps: { config: Config; db: Db; poster: StaffPoster; logger: Logger; owner?: string } & Partial<
    Pick<JobContext, 'caseLink' | 'topGaps' | 'countServiceGuides' | 'calendar'>
  >,
): Scheduler {
  return createScheduler({
    jobs,
    schedules: Object.fromEntries(jobs.map((j) => [j.name, scheduleOf(j, deps.config)])),
    timezone: deps.config.TIMEZONE,
    catchupMinutes: deps.config.JOB_CATCHUP_MINUTES,
    context: createJobContext(deps),
    logger: deps.logger,
    // The instance name in job_runs.lease_owner: with several instances, who ran each job.
    ...(deps.owner ? { owner: deps.owner } : {}),
  });
}
