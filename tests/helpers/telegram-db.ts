import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import type { Clock } from '../../src/channels/telegram/pacer.js';

/** A migrated SQLite database in a fresh temp folder (real file, WAL). */
export async function telegramTestDb(): Promise<Db> {
  const db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-tg-')), 'test.db'));
  await migrate(db);
  return db;
}

/**
 * A fake clock: `sleep` advances time at once, so paced code runs instantly
 * while the times it observes keep every gap it waited for (the pacer reads
 * `now` and sleeps in the same synchronous step). `advance` moves time by hand.
 */
/**
 * A wall clock tests move by hand, with a monotonic clock beside it: `advance(ms)` moves both (time passing),
 * while a negative `advance` is a step of the wall clock alone (an NTP correction): the monotonic clock never goes back.
 */
export function fakeClock(startMs = Date.UTC(2026, 10, 28, 1, 0, 0)): Clock & { advance(ms: number): void } {
  let t = startMs;
  let mono = 0;
  return {
    now: () => t,
    monotonic: () => mono,
    sleep: async (ms) => {
      t += Math.max(0, ms);
      mono += Math.max(0, ms);
    },
    advance: (ms) => {
      t += ms;
      mono += Math.max(0, ms);
    },
  };
}
