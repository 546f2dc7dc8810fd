import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import type { StaffPost } from '../../src/core/staff-post.js';
import { openDb } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { withEmptySchemas } from '../helpers/postgres.js';
import { seedCase, tempStore, testContext } from './helpers.js';

/**
 * What the daily digest covers: everything since the last digest that reached staff. Real database file (and
 * PostgreSQL in the PostgreSQL run), clock set by hand. Week of 30 Nov 2026 (no holidays): Fri 4 Dec, Sat 5,
 * Sun 6, Mon 7, Tue 8. Times are Beijing (UTC+8); the digest runs at 08:30.
 */
const at = (local: string) => new Date(`${local}:00+08:00`);
const FRI = at('2026-12-04T08:30');
const MON = at('2026-12-07T08:30');
const TUE = at('2026-12-08T08:30');

let store: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  store = await tempStore();
  // Installed long before the week (the first digest's window is not cut by the install time).
  await store.db.run('UPDATE schema_migrations SET applied_at = ?', ['2026-01-05T02:00:00.000Z']);
});
afterEach(async () => store.cleanup());

/** A poster that fails while `down` is set (Slack unreachable), like the Web API client's error. */
function flakyPoster() {
  const posts: StaffPost[] = [];
  return {
    posts,
    down: false,
    async post(post: StaffPost) {
      if (this.down) throw new Error('An API error occurred: service_unavailable');
      posts.push(post);
    },
  };
}

/** The case codes a digest's posts list in a section, by the section heading's start. */
function listed(posts: StaffPost[], heading: string): string[] {
  const lines = posts.map((p) => p.text).join('\n').split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return [];
  const codes: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const code = /^• (XH-\d{4}-\d{6})/.exec(line)?.[1];
    if (!code) break;
    codes.push(code);
  }
  return codes;
}

async function seedWeek(): Promise<void> {
  const db = store.db;
  const received = (code: string, local: string) => seedCase(db, { code, receivedAt: at(local).toISOString(), deadlineOn: '2026-12-31' });
  await received('XH-2026-000101', '2026-12-03T10:00'); // Thu, before Friday's digest
  await received('XH-2026-000102', '2026-12-04T14:00'); // Fri afternoon, after it
  await received('XH-2026-000103', '2026-12-05T10:00'); // Sat
  await received('XH-2026-000104', '2026-12-06T20:00'); // Sun evening
  await received('XH-2026-000105', '2026-12-07T08:00'); // Mon, before Monday's digest
  // Closed on Saturday and on Sunday (both past the days Friday's digest listed).
  for (const [code, local] of [['XH-2026-000106', '2026-12-05T11:00'], ['XH-2026-000107', '2026-12-06T09:00']] as const)
    await seedCase(db, { code, state: 'closed', receivedAt: at('2026-12-01T09:00').toISOString(), closedAt: at(local).toISOString() });
}

describe('daily digest window', () => {
  it("after a Friday digest and a weekend with the bot down, Monday's digest lists Saturday's and Sunday's cases once", async () => {
    await seedWeek();
    const gapsSince: string[] = [];
    const poster = flakyPoster();
    const ctx = testContext(store.db, {
      poster,
      topGaps: async (since) => {
        gapsSince.push(since.toISOString());
        return [];
      },
    });

    await dailyDigest.run(ctx, FRI);
    // Friday's digest (the first one) covers from the previous working day's digest time, Thu 08:30.
    expect(listed(poster.posts, '🆕 新案件')).toEqual(['XH-2026-000101']);
    expect(gapsSince).toEqual([at('2026-12-03T08:30').toISOString()]);

    // The bot is down Saturday and Sunday: no run. Monday 08:30:
    poster.posts.length = 0;
    await dailyDigest.run(ctx, MON);
    expect(listed(poster.posts, '🆕 新案件')).toEqual(['XH-2026-000102', 'XH-2026-000103', 'XH-2026-000104', 'XH-2026-000105']);
    expect(listed(poster.posts, '✅ 2026-12-04 至 2026-12-06 办结：2 件')).toEqual(['XH-2026-000106', 'XH-2026-000107']);
    expect(gapsSince[1]).toBe(FRI.toISOString()); // knowledge gaps of the weekend too, not only the last 24 hours

    // Tuesday lists none of them again.
    poster.posts.length = 0;
    await dailyDigest.run(ctx, TUE);
    expect(listed(poster.posts, '🆕 新案件')).toEqual([]);
    expect(poster.posts.map((p) => p.text).join('\n')).not.toMatch(/XH-2026-00010[2-7]/);
    expect(gapsSince[2]).toBe(MON.toISOString());
  });

  it('a digest that failed to post does not move the window: the next one lists what it would have', async () => {
    await seedWeek();
    const poster = flakyPoster();
    const ctx = testContext(store.db, { poster });
    await dailyDigest.run(ctx, FRI);

    poster.down = true;
    await expect(dailyDigest.run(ctx, MON)).rejects.toThrow(/service_unavailable/);
    expect(poster.posts).toHaveLength(1); // Friday's only

    poster.down = false;
    await seedCase(store.db, { code: 'XH-2026-000108', receivedAt: at('2026-12-07T15:00').toISOString(), deadlineOn: '2026-12-31' });
    await dailyDigest.run(ctx, TUE);
    const tuesday = poster.posts.slice(1);
    expect(listed(tuesday, '🆕 新案件')).toEqual(['XH-2026-000102', 'XH-2026-000103', 'XH-2026-000104', 'XH-2026-000105', 'XH-2026-000108']);
    expect(listed(tuesday, '✅ 2026-12-04 至 2026-12-07 办结：2 件')).toEqual(['XH-2026-000106', 'XH-2026-000107']);
  });

  it('the first digest on a Monday covers the weekend from Friday; on a bureau installed since, from the install', async () => {
    await seedWeek();
    const ctx = testContext(store.db, { locale: 'en' });
    await dailyDigest.run(ctx, MON);
    expect(listed(ctx.poster.posts, '🆕 New cases')).toEqual(['XH-2026-000102', 'XH-2026-000103', 'XH-2026-000104', 'XH-2026-000105']);
    expect(listed(ctx.poster.posts, '✅ Closed 2026-12-04 to 2026-12-06: 2')).toEqual(['XH-2026-000106', 'XH-2026-000107']);

    const fresh = await tempStore();
    try {
      await fresh.db.run('UPDATE schema_migrations SET applied_at = ?', [at('2026-12-05T16:00').toISOString()]); // installed Sat afternoon
      const received = (code: string, local: string) => seedCase(fresh.db, { code, receivedAt: at(local).toISOString(), deadlineOn: '2026-12-31' });
      await received('XH-2026-000201', '2026-12-05T10:00'); // imported with a receipt before the install
      await received('XH-2026-000202', '2026-12-06T10:00');
      const first = testContext(fresh.db);
      await dailyDigest.run(first, MON);
      expect(listed(first.poster.posts, '🆕 新案件')).toEqual(['XH-2026-000202']);
    } finally {
      await fresh.cleanup();
    }
  });

  it('a dry run posts to the console and leaves the window where it was', async () => {
    await seedWeek();
    const ctx = testContext(store.db);
    await dailyDigest.run(ctx, FRI);
    await dailyDigest.run({ ...ctx, dryRun: true, manual: true }, at('2026-12-05T10:00'));
    ctx.poster.posts.length = 0;
    await dailyDigest.run(ctx, MON);
    expect(listed(ctx.poster.posts, '🆕 新案件')).toEqual(['XH-2026-000102', 'XH-2026-000103', 'XH-2026-000104', 'XH-2026-000105']);
  });

  it('an upgraded database continues from the last digest the previous version posted (job_runs)', async () => {
    const dir = store.dir;
    // Empty on PostgreSQL too, so that only the previous version's migrations are applied first.
    const db = await withEmptySchemas(() => openDb(`${dir}/upgrade.db`));
    try {
      await migrate(db, migrations.filter((m) => m.id < 30));
      await db.run(
        `INSERT INTO job_runs (job, scheduled_for, started_at, finished_at, status) VALUES
           ('daily-digest', ?, ?, ?, 'ok'), ('daily-digest', ?, ?, ?, 'failed'), ('monthly-report', ?, ?, ?, 'ok')`,
        [FRI, FRI, FRI, MON, MON, MON, TUE, TUE, TUE].map((d) => d.toISOString()),
      );
      await migrate(db);
      await seedCase(db, { code: 'XH-2026-000301', receivedAt: at('2026-12-03T10:00').toISOString() }); // before Friday's
      await seedCase(db, { code: 'XH-2026-000302', receivedAt: at('2026-12-05T10:00').toISOString() });
      const ctx = testContext(db);
      await dailyDigest.run(ctx, TUE);
      expect(listed(ctx.poster.posts, '🆕 新案件')).toEqual(['XH-2026-000302']);
    } finally {
      await db.close();
    }
  });
});
