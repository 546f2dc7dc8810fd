import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.js';
import type { Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open-store.js';
import { openPostgres, testSchemaFor } from '../../src/storage/pg-db.js';
import { onPostgres, testDatabaseUrl } from '../helpers/postgres.js';
import { allText, createEngineStack, parent } from './helpers/engine-stack.js';

/**
 * PostgreSQL faults at the moment a parent confirms a petition, on the real server the suite starts: every session
 * of the database ended (what a server restart or failover does to the bot's pooled connections), and a statement
 * that runs into statement_timeout (another session holding the cases table). The parent is told in Chinese, keeps
 * the confirm button, nothing is acknowledged that was not committed, and the bot files once the fault clears —
 * without a restart. (Audit 19: after the restart the first confirm met a pooled connection whose session had
 * ended — the chat lock's "terminating connection due to administrator command" (57P01) — and the whole turn
 * failed; a statement, a transaction or the chat lock that meets an ended session now runs again on a fresh one.)
 */
const COMPLAINT = '彩屯小学食堂每月多收伙食费200元，没有任何公示。';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function atConfirm(db: Db, chat: string): Promise<{ p: ReturnType<typeof parent>; confirm: Reply[] }> {
  const { engine } = await createEngineStack({ db });
  const p = parent(engine, chat);
  await p.press(await p.command('case'), 'case-type', (b) => b.type === 'complaint');
  return { p, confirm: await p.press(await p.say(COMPLAINT), 'skip') };
}

describe.skipIf(!onPostgres)('PostgreSQL faults when a parent confirms a petition', () => {
  it('every session ended (a restart): the next confirm files on fresh connections, once', async () => {
    // The bot's connections carry a name of their own (PGAPPNAME, read as each connection opens) so that only they
    // are ended: the other tests running meanwhile have their schemas in the same database and must keep theirs.
    const appName = `civicdesk-pgrestart-${process.pid}`;
    const appNameBefore = process.env.PGAPPNAME;
    process.env.PGAPPNAME = appName;
    cleanups.push(async () => {
      if (appNameBefore === undefined) delete process.env.PGAPPNAME;
      else process.env.PGAPPNAME = appNameBefore;
    });
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-pgrestart-')), 'civicdesk.db');
    const db = await openStore(path);
    cleanups.push(() => db.close());
    const { p, confirm } = await atConfirm(db, 'pg-restart');
    await Promise.all(Array.from({ length: 6 }, () => db.get('SELECT pg_sleep(0.05)'))); // several pooled connections
    const admin = new pg.Client({ connectionString: testDatabaseUrl!, application_name: 'civicdesk-test-admin' });
    await admin.connect();
    cleanups.push(() => admin.end());
    const ended = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()',
      [appName],
    );
    expect(ended.rowCount).toBeGreaterThan(0);

    expect(allText(await p.press(confirm, 'confirm'))).toMatch(/^已登记，编号 XH-2026-000001（投诉）/);
    expect(allText(await p.say('查询进度'))).toContain('XH-2026-000001（投诉）：已受理');
    expect((await db.all('SELECT code FROM cases')).length).toBe(1);
  });

  it('statement_timeout while another session holds the cases table: told in Chinese, nothing filed, then filed once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-pgtimeout-')), 'civicdesk.db');
    await (await openStore(path)).close(); // migrations
    const db = await openPostgres(testDatabaseUrl!, { schema: testSchemaFor(path), label: path, statementTimeoutMs: 400 });
    cleanups.push(() => db.close());
    const { p, confirm } = await atConfirm(db, 'pg-timeout');
    const holder = new pg.Client({ connectionString: testDatabaseUrl! });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query(`SET search_path = ${testSchemaFor(path)}`);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE cases IN ACCESS EXCLUSIVE MODE');

    const refused = await p.press(confirm, 'confirm');
    expect(allText(refused)).toContain('抱歉，系统暂时无法登记您的诉求');
    expect(allText(refused)).toContain('您填写的内容已保留，再次点“确认提交”即可');
    expect(allText(refused)).not.toMatch(/编号 XH-/);
    await holder.query('ROLLBACK');
    expect(await db.all('SELECT code FROM cases')).toEqual([]);

    expect(allText(await p.press(refused, 'confirm'))).toMatch(/^已登记，编号 XH-2026-000001（投诉）/);
    expect((await db.all('SELECT code FROM cases')).length).toBe(1);
  });
});
