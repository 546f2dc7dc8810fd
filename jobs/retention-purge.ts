import { purgeExpired } from '../src/core/privacy/retention.js';
import type { Job } from './types.js';

/**
 * Nightly: deletes or anonymises personal data past its retention time
 * (docs/PRIVACY.md). Posts nothing to staff; logs the counts (never texts).
 */
export const retentionPurge: Job = {
  name: 'retention-purge',
  schedule: '15 2 * * *',
  configKey: 'PURGE_CRON',
  description: 'Delete or anonymise personal data past its retention time (RETENTION_* settings)',
  async run(ctx, now) {
    if (ctx.dryRun) {
      ctx.logger.info({ job: 'retention-purge', retention: ctx.retention }, 'dry run: nothing deleted');
      return { status: 'ok', posts: 0 };
    }
    const { diskProblem, ...counts } = await purgeExpired(ctx.db, ctx.retention, now);
    ctx.logger.info({ job: 'retention-purge', ...counts }, 'retention purge done');
    if (diskProblem) ctx.logger.warn({ job: 'retention-purge', problem: diskProblem }, 'purged data is not yet gone from disk');
    return { status: 'ok', posts: 0 };
  },
};
