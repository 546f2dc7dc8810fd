import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { opsRoutes } from '../../src/ops/http-routes.js';
import { startHttpServer } from '../../src/ops/http-server.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { purgeExpired } from '../../src/core/privacy/retention.js';
import { PERSONAL_TABLES } from '../../src/storage/erased-bytes.js';
import { pendingRewrites } from '../../src/storage/erasure-rewrites-repo.js';
import { insertMessage } from '../../src/storage/messages-repo.js';
import { migrate } from '../../src/storage/migrate.js';
import { eraseChat } from '../../src/storage/retention-repo.js';
import { freshPostgresDatabase, onPostgres, tableFileNodes } from '../helpers/postgres.js';

/**
 * PostgreSQL only: what the bot's role may run decides whether an erase leaves the table files
 * (VACUUM FULL needs the table's owner). A role that may only read and write the rows erases them,
 * says so in the log and /healthz, and does not crash; the failed rewrite is marked in the database, so
 * another instance's /healthz names it and the next nightly purge retries it; and the planner's statistics keep no sample
 * of a personal column (migration 0029). The bytes themselves: tests/faults/erasure-on-disk.test.ts.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function migratedDatabase(): Promise<{ url: string; db: Db }> {
  const fresh = await freshPostgresDatabase('erased_bytes');
  cleanups.push(fresh.drop);
  const db = await openDb(fresh.url);
  cleanups.push(() => db.close());
  await migrate(db);
  return { url: fresh.url, db };
}

const message = (chatId: string, text: string) => ({
  channel: 'telegram' as const,
  chatId,
  text,
  intent: 'kb-miss',
  answered: false,
  confident: false,
  entryId: null,
  section: null,
  score: null,
});

describe.skipIf(!onPostgres)('erased bytes on PostgreSQL', () => {
  it('a role that may not VACUUM FULL still erases, marks the table in the database, and the next purge rewrites it', async () => {
    const { url, db: owner } = await migratedDatabase();
    // A role with row rights only, as a DBA might create it (docs/DEPLOY.md says what the bot needs).
    const role = `civic_rows_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await admin.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await admin.end();
    cleanups.unshift(async () => {
      // After the database is dropped (cleanups run last first): its grants went with it.
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP ROLE IF EXISTS ${role}`);
      await c.end();
    });
    const limitedUrl = new URL(url);
    limitedUrl.username = role;
    const bot = await openDb(limitedUrl.toString());
    cleanups.push(() => bot.close());

    await insertMessage(bot, message('5150', '孩子的学籍问题，电话13912345678'), new Date('2026-03-02T01:00:00Z'));
    const nodesBefore = await tableFileNodes(owner, PERSONAL_TABLES);
    const result = await eraseChat(bot, 'telegram', '5150', '2026-03-02T02:00:00.000Z');
    expect(result.messages).toBe(1);
    expect(await bot.get("SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL")).toEqual({ n: 0 });
    expect(result.diskProblem).toMatch(/VACUUM FULL did not rewrite messages: .*docs\/DEPLOY\.md/);
    // Only the table the erase changed was tried; the mark is in the database, seen from another connection.
    expect((await pendingRewrites(owner)).map((p) => [p.table, p.problem])).toEqual([['messages', expect.stringContaining('VACUUM FULL did not rewrite messages')]]);
    expect(await tableFileNodes(owner, PERSONAL_TABLES)).toEqual(nodesBefore);

    // Another instance (the owner's connection, a process that did not run the erase) reports it on /healthz.
    const server = await startHttpServer(
      0,
      opsRoutes({ db: owner, metrics: createMetrics(owner), knowledgeEntries: () => 40, channels: () => ({ telegram: 'connected' }) }),
      '127.0.0.1',
    );
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const degraded = await health();
    expect(degraded.status).toBe(200); // still serving parents
    expect(degraded.body).toMatchObject({ status: 'degraded', erasure: expect.stringContaining('VACUUM FULL did not rewrite messages') });

    // The next nightly purge, run by the owner (or by the bot once the grants are fixed), has nothing to purge
    // but retries the marked table: messages is rewritten (a new file), no other table is, the mark goes.
    const purge = await purgeExpired(owner, { messageDays: 180, caseDays: 1095, conversationDays: 30 }, new Date('2026-03-03T18:15:00Z'));
    expect(purge).toMatchObject({ messageTexts: 0, cases: 0, diskProblem: null });
    const nodesAfter = await tableFileNodes(owner, PERSONAL_TABLES);
    expect(PERSONAL_TABLES.filter((table) => nodesAfter[table] !== nodesBefore[table])).toEqual(['messages']);
    expect(await pendingRewrites(bot)).toEqual([]);
    const healed = await health();
    expect(healed.body).toMatchObject({ status: 'ok' });
    expect(healed.body).not.toHaveProperty('erasure');
  });

  it('keeps no statistics sample of message texts, contacts or chat ids after ANALYZE', async () => {
    const { db } = await migratedDatabase();
    const at = new Date('2026-03-02T01:00:00Z');
    // Enough distinct texts for a histogram and a repeated chat id for a most-common-values list.
    for (let i = 0; i < 40; i += 1) await insertMessage(db, message(i % 2 ? '8086' : `80${i}`, `STATMARK${i} 电话1391234${String(i).padStart(4, '0')}`), at);
    await db.exec('ANALYZE');
    const rows = await db.all<{ tablename: string; attname: string; vals: string | null }>(
      `SELECT tablename, attname, COALESCE(most_common_vals::text, '') || COALESCE(histogram_bounds::text, '') AS vals
         FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'messages'`,
    );
    // Statistics exist (the table was analysed) …
    expect(rows.map((r) => r.attname)).toContain('created_at');
    // … but none of a personal column, and no value anywhere holds a text or a chat id.
    expect(rows.map((r) => r.attname)).not.toContain('text');
    expect(rows.map((r) => r.attname)).not.toContain('chat_id');
    for (const r of rows) expect(r.vals ?? '').not.toMatch(/STATMARK|8086|139123/);
  });
});
