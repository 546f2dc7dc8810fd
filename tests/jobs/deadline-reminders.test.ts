import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deadlineReminders } from '../../jobs/deadline-reminders.js';
import { createScheduler } from '../../jobs/scheduler.js';
import { listJobRuns } from '../../src/storage/jobs-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { seedCase, tempStore, testContext } from './helpers.js';

const local = (iso: string) => new Date(`${iso}+08:00`);

async function seed(db: Awaited<ReturnType<typeof tempStore>>['db']) {
  await seedCase(db, { code: 'XH-2026-000002', state: 'claimed', assignee: 'slack:U111', receivedAt: '2026-11-20T02:00:00.000Z', deadlineOn: '2026-12-02' });
  await seedCase(db, { code: 'XH-2026-000003', state: 'claimed', assignee: 'slack:U222', receivedAt: '2026-11-01T02:00:00.000Z', deadlineOn: '2026-11-25' });
  await seedCase(db, { code: 'XH-2026-000010', receivedAt: '2026-11-27T01:00:00.000Z', deadlineOn: '2026-12-20' }); // Fri 09:00
  await seedCase(db, { code: 'XH-2026-000011', receivedAt: '2026-11-30T03:00:00.000Z', deadlineOn: '2026-12-21' }); // Mon 11:00
  // Answered already: its deadline is met, so it is neither due nor overdue.
  await seedCase(db, { code: 'XH-2026-000012', state: 'replied', assignee: 'slack:U111', receivedAt: '2026-11-01T02:00:00.000Z', deadlineOn: '2026-11-25' });
}

describe('deadline-reminders', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  function run(ctx: ReturnType<typeof testContext>, now: Date) {
    const s = createScheduler({
      jobs: [deadlineReminders],
      schedules: { 'deadline-reminders': deadlineReminders.schedule },
      timezone: 'Asia/Shanghai',
      catchupMinutes: 0,
      context: ctx,
      logger: ctx.logger,
      clock: () => now,
    });
    return s.runOnce(deadlineReminders, now);
  }

  it('pings, escalates and flags each case once across runs and a restart', async () => {
    await seed(store.db);
    const ctx = testContext(store.db);
    expect(await run(ctx, local('2026-12-01T09:00:00'))).toBe('ran');
    expect(ctx.poster.posts.map((p) => [p.text, p.mentions])).toEqual([
      ['@U111 ⏰ XH-2026-000002 将于 2026-12-02 到期（1 个工作日内），请尽快处理。 https://slack.example/archives/C1/p2026000002', ['U111']],
      ['@ULEAD1 🚨 XH-2026-000003 已逾期 4 个工作日（期限 2026-11-25），承办人：@U222。 https://slack.example/archives/C1/p2026000003', ['ULEAD1']],
      ['⚠️ XH-2026-000010 受理已超过 1 个工作日仍无人认领（受理于 2026-11-27）。 https://slack.example/archives/C1/p2026000010', []],
    ]);

    expect(await run(ctx, local('2026-12-01T10:00:00'))).toBe('ran');
    expect(ctx.poster.posts).toHaveLength(3);

    // Restart: new connection, new scheduler and poster.
    await store.db.close();
    store.db = await openStore(store.path);
    const after = testContext(store.db);
    await run(after, local('2026-12-01T11:00:00'));
    expect(after.poster.posts).toHaveLength(0);

    // Noon: the Monday 11:00 case is now older than one working day.
    await run(after, local('2026-12-01T12:00:00'));
    expect(after.poster.posts.map((p) => p.text.split('（')[0])).toEqual(['⚠️ XH-2026-000011 受理已超过 1 个工作日仍无人认领']);

    // Next working day: the overdue case escalates again, nothing else repeats.
    await run(after, local('2026-12-02T09:00:00'));
    expect(after.poster.posts.slice(1).map((p) => p.text.split('。')[0])).toEqual([
      '@ULEAD1 🚨 XH-2026-000003 已逾期 5 个工作日（期限 2026-11-25），承办人：@U222',
    ]);
  });

  it('sends nothing on a rest day', async () => {
    await seed(store.db);
    const ctx = testContext(store.db);
    expect(await run(ctx, local('2026-12-05T10:00:00'))).toBe('skipped');
    expect(ctx.poster.posts).toHaveLength(0);
  });

  it('retries a reminder whose post failed', async () => {
    await seed(store.db);
    let fail = true;
    const ctx = testContext(store.db);
    const flaky = testContext(store.db, {
      poster: {
        async post(p) {
          if (fail) throw new Error('Slack 500');
          await ctx.poster.post(p);
        },
      },
    });
    expect(await run(flaky, local('2026-12-01T09:00:00'))).toBe('failed');
    const runs = await listJobRuns(store.db);
    expect(runs[0]!.error).toBe(
      '3 reminder(s) could not be posted and will be retried next run: due reminder for case 1: Slack 500; overdue reminder for case 2: Slack 500; unclaimed reminder for case 3: Slack 500',
    );
    fail = false;
    await run(flaky, local('2026-12-01T10:00:00'));
    expect(ctx.poster.posts).toHaveLength(3);
  });

  it('a dry run prints the reminders and records none', async () => {
    await seed(store.db);
    const dry = testContext(store.db, { dryRun: true, manual: true });
    await deadlineReminders.run(dry, local('2026-12-01T09:00:00'));
    expect(dry.poster.posts).toHaveLength(3);
    const ctx = testContext(store.db);
    await run(ctx, local('2026-12-01T09:30:00'));
    expect(ctx.poster.posts).toHaveLength(3);
  });
});
