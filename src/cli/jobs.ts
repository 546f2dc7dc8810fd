import { parseArgs } from 'node:util';
import { createConsolePoster } from '../../jobs/console-poster.js';
import { createJobContext } from '../../jobs/context.js';
import { findJob, jobs, scheduleOf } from '../../jobs/index.js';
import { parseConfig, type Config } from '../config.js';
import type { StaffPoster } from '../core/staff-post.js';
import { AppError } from '../core/errors.js';
import { silentLogger } from '../logger.js';
import { acquireJobRun, finishJobRun } from '../storage/jobs-repo.js';
import { instantInZone } from '../core/calendar/dates.js';
import { openStore } from '../storage/open-store.js';
import { defaultOutDir } from './out-dir.js';
import type { CliGroup } from './types.js';

const usage = `Usage: npm run cli -- jobs list
       npm run cli -- jobs run NAME [--dry-run] [--at ISO-DATETIME] [--out DIR]
  list   the scheduled jobs with their cron (TIMEZONE) and description
  run    runs one job now (or as if at --at: 2026-12-01T08:30 is read in TIMEZONE, or give an offset, e.g.
         2026-12-01T08:30:00+08:00) and prints what it posts;
         --dry-run prints exactly what would be posted and posts and records nothing.
         Posts go to the staff channel when SLACK_BOT_TOKEN and SLACK_STAFF_CHANNEL are set (and are printed).
         A file a job attaches (monthly-report's PNG chart) is written to --out DIR (default reports/out/)
         and its path printed; --dry-run writes no file.`;

/** --at: an ISO date-time; without an offset it is read in TIMEZONE (as cases add --received), not the server's zone. */
function parseAt(value: string | undefined, timeZone: string): Date {
  if (value === undefined) return new Date();
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/.test(value);
  const at = local ? instantInZone(value, timeZone) : new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime()))
    throw new AppError('cli_usage', `--at must be an ISO date-time such as 2026-12-01T08:30 (in TIMEZONE) or 2026-12-01T08:30:00+08:00 (got "${value}")`);
  return at;
}

/** Prints every post and, when Slack is configured, posts it to the staff channel too. */
async function livePoster(config: Config, out: NodeJS.WritableStream, fileDir: string): Promise<StaffPoster> {
  const printer = createConsolePoster(out, fileDir, config.STAFF_LOCALE);
  if (!config.SLACK_BOT_TOKEN || !config.SLACK_STAFF_CHANNEL) return printer;
  const { createSlackPoster } = await import('../channels/slack/slack-poster.js');
  const { atMostOnceClient } = await import('../channels/slack/web-client.js');
  // No retries inside the client: the poster retries itself and looks for a post whose answer was lost first.
  const slack = createSlackPoster(atMostOnceClient(config.SLACK_BOT_TOKEN, { apiUrl: config.SLACK_API_URL }), config.SLACK_STAFF_CHANNEL);
  return {
    async post(post) {
      await printer.post(post);
      await slack.post(post);
    },
  };
}

const group: CliGroup = {
  summary: 'jobs list | jobs run NAME [--dry-run] [--at ISO] [--out DIR]: scheduled jobs (digest, reminders, monthly report)',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    let parsed: { values: { 'dry-run'?: boolean; at?: string; out?: string }; positionals: string[] };
    try {
      const options = { 'dry-run': { type: 'boolean' }, at: { type: 'string' }, out: { type: 'string' } } as const;
      parsed = parseArgs({ args: rest, options, allowPositionals: true });
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    const config = parseConfig(io.env);
    if (sub === 'list') {
      for (const job of jobs)
        io.stdout.write(`${job.name.padEnd(20)} ${scheduleOf(job, config).padEnd(16)} ${job.description}\n`);
      io.stdout.write(`Time zone: ${config.TIMEZONE}\n`);
      return 0;
    }
    if (sub !== 'run') throw new AppError('cli_usage', sub ? `Unknown jobs command "${sub}".\n${usage}` : usage);
    const [name] = parsed.positionals;
    const job = name ? findJob(name) : undefined;
    if (!job) throw new AppError('cli_usage', `Unknown job "${name ?? ''}". Jobs: ${jobs.map((j) => j.name).join(', ')}.`);
    const now = parseAt(parsed.values.at, config.TIMEZONE);
    const dryRun = parsed.values['dry-run'] ?? false;
    const db = await openStore(config.DATABASE_PATH);
    try {
      const poster = dryRun ? createConsolePoster(io.stdout, undefined, config.STAFF_LOCALE) : await livePoster(config, io.stdout, parsed.values.out ?? defaultOutDir());
      const ctx = createJobContext({ config, db, poster, logger: silentLogger(), dryRun, manual: true });
      if (dryRun) {
        await job.run(ctx, now);
        return 0;
      }
      // A run by hand is recorded like a scheduled one, keyed by its time.
      const runId = await acquireJobRun(db, { job: job.name, scheduledFor: now.toISOString(), owner: 'cli', now, leaseMs: 30 * 60_000 });
      if (runId === null) throw new AppError('cli_usage', `${job.name} already ran for ${now.toISOString()}.`);
      try {
        const outcome = await job.run(ctx, now);
        await finishJobRun(db, runId, { status: outcome.status, now: new Date() });
      } catch (error) {
        await finishJobRun(db, runId, { status: 'failed', now: new Date(), error: (error as Error).message });
        throw error;
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};

export default group;
