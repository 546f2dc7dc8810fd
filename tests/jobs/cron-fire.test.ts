import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordingPoster } from '../../jobs/console-poster.js';
import { createJobScheduler } from '../../jobs/start.js';
import { parseConfig } from '../../src/config.js';
import { createWorkCalendar } from '../../src/core/calendar/index.js';
import { silentLogger } from '../../src/logger.js';
import { listJobRuns } from '../../src/storage/jobs-repo.js';
import { tempStore } from './helpers.js';

describe('scheduler on node-cron (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires the digest at 08:30 Asia/Shanghai on a working day and records the run under that minute', async () => {
    const store = await tempStore();
    vi.useFakeTimers({ now: new Date('2026-12-01T00:29:50Z'), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const poster = createRecordingPoster();
    const scheduler = createJobScheduler({
      config: parseConfig({ JOB_CATCHUP_MINUTES: '0', KNOWLEDGE_DIR: 'knowledge' }),
      db: store.db,
      poster,
      logger: silentLogger(),
      topGaps: async () => [],
      // 2027 marked known (an empty test year) so the digest carries no "import next year" line.
      calendar: createWorkCalendar({ overrides: { years: { '2027': { source: 'test', holidays: [], workdays: [] } } } }),
    });
    try {
      expect(await scheduler.start()).toEqual([]);
      await vi.advanceTimersByTimeAsync(15_000);
      await vi.waitFor(async () => expect((await listJobRuns(store.db)).map((r) => r.status)).toEqual(['ok']), { timeout: 5000, interval: 50 });
      const runs = await listJobRuns(store.db);
      expect(runs.map((r) => [r.job, r.scheduledFor])).toEqual([['daily-digest', '2026-12-01T00:30:00.000Z']]);
      expect(poster.posts.map((p) => p.text)).toEqual(['📋 2026-12-01 每日摘要：无新案件，无临近期限或逾期案件，昨日无办结（在办 0 件）。']);
    } finally {
      await scheduler.stop();
      vi.useRealTimers();
      await store.cleanup();
    }
  });
});
