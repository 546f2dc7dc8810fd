import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monthlyReport } from '../../jobs/monthly-report.js';
import { createScheduler } from '../../jobs/scheduler.js';
import type { StaffPost } from '../../src/core/staff-post.js';
import { failedJobRuns, listJobRuns } from '../../src/storage/jobs-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { tempStore, testContext } from './helpers.js';

/**
 * Review 16, finding 7: a monthly report whose run failed (Slack down or 429 at 09:00 on the 1st) was never posted:
 * the failed run could not run again, a restart's catch-up found it "taken", and the next run was a month later.
 * Now a failed run is retried (every 10 minutes within the catch-up window, and at start whatever its age), and the monthly job
 * posts every month after the last one that reached staff, so each month is posted, once.
 */
const TZ = 'Asia/Shanghai';
const DEC_FIRE = new Date('2026-12-01T01:00:00Z'); // 09:00 on the 1st in Beijing
const JAN_FIRE = new Date('2027-01-01T01:00:00Z');
const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/** Staff's channel: refuses while `down`, as Slack's 503 does; what it took is what staff see. */
function slack() {
  const seen: StaffPost[] = [];
  const channel = {
    down: true,
    seen,
    poster: {
      async post(post: StaffPost) {
        if (channel.down) throw new Error('An HTTP protocol error occurred: statusCode = 503');
        seen.push(post);
      },
    },
    /** The months of the monthly reports staff saw, in order (from each report's first post's title). */
    months: () => seen.filter((p) => p.file).map((p) => /月度报告 (\d{4}-\d{2})/.exec(p.text)?.[1]),
  };
  return channel;
}

// Each run renders a month's report and its PNG chart (a few seconds on PostgreSQL on a busy 2-core runner).
describe('a failed monthly report', { timeout: 60_000 }, () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  function scheduler(db: typeof store.db, poster: ReturnType<typeof slack>['poster'], clock: () => Date) {
    const ctx = testContext(db, { poster });
    return createScheduler({
      jobs: [monthlyReport],
      schedules: { 'monthly-report': monthlyReport.schedule },
      timezone: TZ,
      catchupMinutes: 120,
      context: ctx,
      logger: ctx.logger,
      clock,
    });
  }

  it('is retried every 10 minutes and posted once Slack is back, exactly once', async () => {
    const staff = slack();
    let now = DEC_FIRE;
    const s = scheduler(store.db, staff.poster, () => now);
    expect(await s.runOnce(monthlyReport, DEC_FIRE)).toBe('failed');
    // What /healthz names (degraded) until a retry works.
    expect(await failedJobRuns(store.db)).toEqual({
      'monthly-report': 'run for 2026-12-01T01:00:00.000Z failed: An HTTP protocol error occurred: statusCode = 503; tried again every 10 minutes within JOB_CATCHUP_MINUTES and at the next start',
    });
    now = minutesAfter(DEC_FIRE, 5);
    expect(await s.retryFailed(now)).toEqual([]); // not yet 10 minutes
    staff.down = false;
    now = minutesAfter(DEC_FIRE, 16);
    expect(await s.retryFailed(now)).toEqual(['monthly-report']);
    expect(staff.months()).toEqual(['2026-11']);
    expect(await failedJobRuns(store.db)).toEqual({});
    // Nothing posts it a second time: another retry, the same fire, a restart's catch-up.
    expect(await s.retryFailed(minutesAfter(DEC_FIRE, 60))).toEqual([]);
    expect(await s.runOnce(monthlyReport, DEC_FIRE)).toBe('taken');
    expect(await s.catchUp(minutesAfter(DEC_FIRE, 60))).toEqual([]);
    expect(staff.months()).toEqual(['2026-11']);
    expect((await listJobRuns(store.db, 'monthly-report')).map((r) => r.status)).toEqual(['ok']);
  });

  it('is posted by the next start after the failure (a restart the next day), once', async () => {
    const staff = slack();
    let now = DEC_FIRE;
    expect(await scheduler(store.db, staff.poster, () => now).runOnce(monthlyReport, DEC_FIRE)).toBe('failed');
    staff.down = false;
    await store.db.close();
    store.db = await openStore(store.path);
    now = new Date('2026-12-02T00:30:00Z'); // far outside the 120-minute catch-up window
    const restarted = scheduler(store.db, staff.poster, () => now);
    try {
      expect(await restarted.start()).toEqual(['monthly-report']);
    } finally {
      await restarted.stop();
    }
    expect(staff.months()).toEqual(['2026-11']);
    const again = scheduler(store.db, staff.poster, () => now);
    try {
      expect(await again.start()).toEqual([]);
    } finally {
      await again.stop();
    }
    expect(staff.months()).toEqual(['2026-11']);
  });

  it('left unposted all month, is posted by next month\'s run before that month, each once', async () => {
    const staff = slack();
    let now = DEC_FIRE;
    const s = scheduler(store.db, staff.poster, () => now);
    // October's report went out on 1 November: the record the catch-up starts from.
    await store.db.run("INSERT INTO monthly_report_posts (month, posted_at) VALUES ('2026-10', '2026-11-01T01:00:05.000Z')");
    expect(await s.runOnce(monthlyReport, DEC_FIRE)).toBe('failed'); // and every retry in December (Slack down all month)
    staff.down = false;
    now = JAN_FIRE;
    expect(await s.runOnce(monthlyReport, JAN_FIRE)).toBe('ran');
    expect(staff.months()).toEqual(['2026-11', '2026-12']);
    // The December run is no longer the latest: it is not retried.
    expect(await s.retryFailed(minutesAfter(JAN_FIRE, 30))).toEqual([]);
    expect(staff.months()).toEqual(['2026-11', '2026-12']);
  });
});
