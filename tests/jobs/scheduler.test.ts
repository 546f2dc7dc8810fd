import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { createScheduler, lastFireWithin } from '../../jobs/scheduler.js';
import type { Job } from '../../jobs/types.js';
import { listJobRuns } from '../../src/storage/jobs-repo.js';
import { openDb } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open-store.js';
import { onPostgres } from '../helpers/postgres.js';
import { seedCase, tempStore, testContext } from './helpers.js';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

function scheduler(ctx: ReturnType<typeof testContext>, now: Date, jobs: readonly Job[] = [dailyDigest], owner = 'a') {
  return createScheduler({
    jobs,
    schedules: Object.fromEntries(jobs.map((j) => [j.name, j.schedule])),
    timezone: TZ,
    catchupMinutes: 120,
    context: ctx,
    logger: ctx.logger,
    owner,
    clock: () => now,
  });
}

describe('scheduler', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('finds the last fire in the catch-up window, in TIMEZONE', () => {
    expect(lastFireWithin('30 8 * * *', TZ, at('2026-12-01T01:10:00Z'), 120)).toEqual(at('2026-12-01T00:30:00Z'));
    expect(lastFireWithin('30 8 * * *', TZ, at('2026-12-01T15:00:00Z'), 120)).toBeNull();
  });

  it('makes up a missed 08:30 digest once at 09:10, not again after a restart', async () => {
    const ctx = testContext(store.db);
    expect(await scheduler(ctx, at('2026-12-01T01:10:00Z')).catchUp(at('2026-12-01T01:10:00Z'))).toEqual(['daily-digest']);
    expect(ctx.poster.posts).toHaveLength(1);
    const runs = await listJobRuns(store.db, 'daily-digest');
    expect(runs.map((r) => [r.scheduledFor, r.status])).toEqual([['2026-12-01T00:30:00.000Z', 'ok']]);

    // Restart: a new connection, a new scheduler.
    await store.db.close();
    const db2 = await openStore(store.path);
    store.db = db2;
    const ctx2 = testContext(db2);
    expect(await scheduler(ctx2, at('2026-12-01T01:20:00Z')).catchUp(at('2026-12-01T01:20:00Z'))).toEqual([]);
    expect(ctx2.poster.posts).toHaveLength(0);
  });

  it('does not make up the 08:30 digest at 23:00', async () => {
    const ctx = testContext(store.db);
    expect(await scheduler(ctx, at('2026-12-01T15:00:00Z')).catchUp(at('2026-12-01T15:00:00Z'))).toEqual([]);
    expect(ctx.poster.posts).toHaveLength(0);
    expect(await listJobRuns(store.db)).toEqual([]);
  });

  it('two schedulers on one database post a run once', async () => {
    const other = await openStore(store.path);
    try {
      const a = testContext(store.db);
      const b = testContext(other);
      const fire = at('2026-12-01T00:30:00Z');
      const results = await Promise.all([
        scheduler(a, fire, [dailyDigest], 'a').runOnce(dailyDigest, fire),
        scheduler(b, fire, [dailyDigest], 'b').runOnce(dailyDigest, fire),
      ]);
      expect(results.sort()).toEqual(['ran', 'taken']);
      expect(a.poster.posts.length + b.poster.posts.length).toBe(1);
      expect((await listJobRuns(store.db)).map((r) => r.status)).toEqual(['ok']);
    } finally {
      await other.close();
    }
  });

  it('lists only cases new since the last digest', async () => {
    const ctx = testContext(store.db);
    await seedCase(store.db, { code: 'XH-2026-000001', receivedAt: '2026-11-30T10:00:00.000Z' });
    await scheduler(ctx, at('2026-12-01T00:30:00Z')).runOnce(dailyDigest, at('2026-12-01T00:30:00Z'));
    await seedCase(store.db, { code: 'XH-2026-000002', receivedAt: '2026-12-01T06:00:00.000Z', text: '新生报名时间' });
    await scheduler(ctx, at('2026-12-02T00:30:00Z')).runOnce(dailyDigest, at('2026-12-02T00:30:00Z'));
    const second = ctx.poster.posts[1]!.text;
    expect(second).toContain('🆕 新案件（自上次摘要以来）：1 件');
    expect(second).toContain('• XH-2026-000002 ');
    expect(second.split('🆕')[1]!.split('📂')[0]).not.toContain('XH-2026-000001');
  });

  it('logs and records a failing job without throwing, and refuses an overlapping run', async () => {
    let release: () => void = () => undefined;
    const failing: Job = { ...dailyDigest, name: 'failing', run: async () => Promise.reject(new Error('Slack is down')) };
    const slow: Job = { ...dailyDigest, name: 'slow', run: () => new Promise((r) => (release = () => r({ status: 'ok', posts: 0 }))) };
    const s = scheduler(testContext(store.db), at('2026-12-01T00:30:00Z'), [failing, slow]);
    expect(await s.runOnce(failing, at('2026-12-01T00:30:00Z'))).toBe('failed');
    const first = s.runOnce(slow, at('2026-12-01T00:30:00Z'));
    await new Promise((r) => setImmediate(r));
    expect(await s.runOnce(slow, at('2026-12-01T00:31:00Z'))).toBe('busy');
    while (!(await listJobRuns(store.db, 'slow')).length) await new Promise((r) => setImmediate(r));
    release();
    expect(await first).toBe('ran');
    const runs = await listJobRuns(store.db);
    expect(runs.map((r) => [r.job, r.status, r.error])).toEqual([
      ['failing', 'failed', 'Slack is down'],
      ['slow', 'ok', null],
    ]);
  });

  // SQLite's lock: another process holding the write lock past the busy timeout.
  it.skipIf(onPostgres)('a digest the busy database refused at 08:30 is posted by the retry ten minutes later, once', async () => {
    await seedCase(store.db, { code: 'XH-2026-000001', receivedAt: '2026-12-01T00:10:00.000Z' });
    // The bot's connection waits 50 ms for a lock (5 s in production); another process holds the write lock.
    const db = await openStore(store.path, { busyTimeoutMs: 50 });
    const other = await openDb(store.path, { busyTimeoutMs: 50, sqliteFile: true });
    let release: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => {
      void other.transaction(async (tx) => {
        await tx.run("UPDATE cases SET updated_at = updated_at WHERE code = 'XH-2026-000001'");
        resolve();
        await new Promise<void>((r) => (release = r));
      });
    });
    await locked;
    let now = at('2026-12-01T00:30:00Z');
    const ctx = testContext(db);
    const s = createScheduler({ jobs: [dailyDigest], schedules: { 'daily-digest': dailyDigest.schedule }, timezone: TZ, catchupMinutes: 120, context: ctx, logger: ctx.logger, owner: 'a', clock: () => now });
    expect(await s.runOnce(dailyDigest, now)).toBe('failed'); // its job_runs row could not be written: SQLITE_BUSY
    expect(ctx.poster.posts).toHaveLength(0);
    release();
    await other.close();
    now = at('2026-12-01T00:35:00Z');
    expect(await s.retryFailed(now)).toEqual([]); // not before RETRY_EVERY_MINUTES
    now = at('2026-12-01T00:40:00Z');
    expect(await s.retryFailed(now)).toEqual(['daily-digest']);
    expect(ctx.poster.posts).toHaveLength(1);
    expect(JSON.stringify(ctx.poster.posts[0])).toContain('XH-2026-000001');
    now = at('2026-12-01T00:50:00Z');
    expect(await s.retryFailed(now)).toEqual([]);
    expect(ctx.poster.posts).toHaveLength(1);
    expect((await listJobRuns(db, 'daily-digest')).map((r) => [r.scheduledFor, r.status])).toEqual([['2026-12-01T00:30:00.000Z', 'ok']]);
    await db.close();
  });

  it('a digest that failed to post is tried again every ten minutes within the catch-up window, then left to the next day', async () => {
    let slackDown = true;
    const ctx = testContext(store.db);
    const recorded = ctx.poster;
    ctx.poster = { ...recorded, post: async (post) => (slackDown ? Promise.reject(new Error('Slack is down')) : recorded.post(post)) } as typeof recorded;
    let now = at('2026-12-01T00:30:00Z');
    const s = createScheduler({ jobs: [dailyDigest], schedules: { 'daily-digest': dailyDigest.schedule }, timezone: TZ, catchupMinutes: 120, context: ctx, logger: ctx.logger, owner: 'a', clock: () => now });
    expect(await s.runOnce(dailyDigest, now)).toBe('failed');
    now = at('2026-12-01T00:40:00Z');
    expect(await s.retryFailed(now)).toEqual([]); // tried, failed again
    expect((await listJobRuns(store.db, 'daily-digest')).map((r) => [r.status, r.finishedAt])).toEqual([['failed', '2026-12-01T00:40:00.000Z']]);
    slackDown = false;
    now = at('2026-12-01T00:50:00Z');
    expect(await s.retryFailed(now)).toEqual(['daily-digest']);
    expect(recorded.posts).toHaveLength(1);
    // Past the window (08:30 + 120 min) a failed run is not tried again: the next digest covers its window.
    const late = await tempStore();
    try {
      const lateCtx = testContext(late.db, { poster: { post: () => Promise.reject(new Error('Slack is down')) } as never });
      let t = at('2026-12-01T00:30:00Z');
      const s2 = createScheduler({ jobs: [dailyDigest], schedules: { 'daily-digest': dailyDigest.schedule }, timezone: TZ, catchupMinutes: 120, context: lateCtx, logger: lateCtx.logger, owner: 'b', clock: () => t });
      expect(await s2.runOnce(dailyDigest, t)).toBe('failed');
      t = at('2026-12-01T02:31:00Z');
      expect(await s2.retryFailed(t)).toEqual([]);
      expect((await listJobRuns(late.db, 'daily-digest')).map((r) => r.finishedAt)).toEqual(['2026-12-01T00:30:00.000Z']);
    } finally {
      await late.cleanup();
    }
  });

  it('starts with node-cron and stops cleanly', async () => {
    const s = scheduler(testContext(store.db), at('2026-12-01T15:00:00Z'));
    expect(await s.start()).toEqual([]);
    await s.stop();
  });

  it('rejects an invalid cron expression with an actionable message', () => {
    const ctx = testContext(store.db);
    expect(() =>
      createScheduler({ jobs: [dailyDigest], schedules: { 'daily-digest': '61 8 * * *' }, timezone: TZ, catchupMinutes: 0, context: ctx, logger: ctx.logger }),
    ).toThrow('Job daily-digest: "61 8 * * *" is not a valid cron expression (e.g. "30 8 * * *")');
  });
});
