import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findJob } from '../../jobs/index.js';
import type { Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open-store.js';
import { testContext } from './helpers.js';

let db: Db;
beforeEach(async () => {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-purge-')), 'p.db'));
});
afterEach(() => db.close());

describe('retention-purge job', () => {
  it('clears message texts past RETENTION_MESSAGE_DAYS and keeps the rows the reports count', async () => {
    await db.run(
      "INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', '1', '高考志愿怎么填', 'kb', 0, '2026-07-01T00:00:00.000Z')",
    );
    await db.run(
      "INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', '1', '驾照怎么考', 'kb', 0, '2026-11-20T00:00:00.000Z')",
    );
    const job = findJob('retention-purge')!;
    const outcome = await job.run(testContext(db, { retention: { messageDays: 90, caseDays: 1095, conversationDays: 30 } }), new Date('2026-11-28T02:15:00Z'));
    expect(outcome).toEqual({ status: 'ok', posts: 0 });
    const rows = await db.all<{ text: string | null }>('SELECT text FROM messages ORDER BY id');
    expect(rows).toEqual([{ text: null }, { text: '驾照怎么考' }]);
  });

  it('a dry run deletes nothing', async () => {
    await db.run(
      "INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', '1', '高考志愿怎么填', 'kb', 0, '2020-01-01T00:00:00.000Z')",
    );
    await findJob('retention-purge')!.run(testContext(db, { dryRun: true }), new Date('2026-11-28T02:15:00Z'));
    expect((await db.get<{ text: string }>('SELECT text FROM messages'))?.text).toBe('高考志愿怎么填');
  });
});
