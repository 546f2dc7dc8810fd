import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertMessage } from '../../src/storage/messages-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured } from '../helpers/cli.js';

/**
 * Review 18b, M1: `kb gaps` printed UTC dates ("last 2026-12-07" for a question asked 2026-12-08 00:30 in Beijing) and
 * UTC ISO times in its CSV, while `cases export` and everything else staff read is in TIMEZONE.
 */
const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbgaps-tz-'));
const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge'), TIMEZONE: 'Asia/Shanghai' };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-08T02:00:00Z') });
  mkdirSync(env.KNOWLEDGE_DIR);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'fees.md'), '---\nid: faq-fees\ntitle: 课后服务收费标准\ncategory: faq\n---\n\n每学期300元。\n');
  const db = await openStore(env.DATABASE_PATH);
  await insertMessage(db, { channel: 'telegram', chatId: '7', text: '校车几点从彩屯小区出发', intent: 'kb', answered: false, confident: false }, new Date('2026-12-07T16:30:00Z'));
  await db.close();
});
afterAll(() => {
  vi.useRealTimers();
});

describe('kb gaps in the bureau’s time zone', () => {
  it('the text list says the local day', async () => {
    const { out } = await runCliCaptured(['kb', 'gaps'], env);
    expect(out).toContain('· last 2026-12-08');
  });

  it('the CSV gives local times and names the zone in the header', async () => {
    const { out } = await runCliCaptured(['kb', 'gaps', '--format', 'csv'], env);
    const [row] = parse(out, { columns: true, bom: true }) as Record<string, string>[];
    expect(row!['first_at (Asia/Shanghai)']).toBe('2026-12-08 00:30');
    expect(row!['last_at (Asia/Shanghai)']).toBe('2026-12-08 00:30');
  });
});
