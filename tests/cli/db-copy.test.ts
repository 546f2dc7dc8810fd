import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/storage/audit-repo.js';
import { insertMessage } from '../../src/storage/messages-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { enqueueOutbox } from '../../src/storage/outbox-repo.js';
import { runCliCaptured as cli } from '../helpers/cli.js';
import { freshPostgresDatabase, onPostgres } from '../helpers/postgres.js';

/** Moving a bureau from SQLite to PostgreSQL; needs a PostgreSQL server, so it runs in the PostgreSQL run (npm run test:pg). */
const at = new Date('2026-11-27T02:00:00Z');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function seededSqlite(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-copy-')), 'bureau.db');
  const db = await openStore(path, { sqliteFile: true });
  await db.run(
    `INSERT INTO cases (code, type, channel, state, text, received_at, created_at, updated_at)
     VALUES ('XH-2026-000001', 'complaint', 'telegram', 'new', '学校乱收费', ?, ?, ?)`,
    [at.toISOString(), at.toISOString(), at.toISOString()],
  );
  await db.run("INSERT INTO case_events (case_id, at, actor, kind, to_state) VALUES (1, ?, 'citizen', 'transition', 'new')", [at.toISOString()]);
  for (let i = 0; i < 1203; i += 1)
    await insertMessage(db, { channel: 'telegram', chatId: `c${i % 7}`, text: null, intent: 'kb', answered: true, confident: true, score: 0.5 }, at);
  await enqueueOutbox(db, { target: 'telegram', address: 'c1', payload: [{ text: '您好' }], caseId: 1 }, at);
  await recordAudit(db, { actor: 'test', action: 'seed', at });
  await db.close();
  return path;
}

describe.runIf(onPostgres)('cli: db copy --to postgres://', () => {
  it('copies every table into an empty database, shows the row counts, and new rows get new ids', async () => {
    const source = await seededSqlite();
    const target = await freshPostgresDatabase('copy');
    cleanups.push(target.drop);
    const result = await cli(['db', 'copy', '--to', target.url], { DATABASE_PATH: source });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^messages\s+1203$/m);
    expect(result.out).toMatch(/^cases\s+1$/m);
    expect(result.out).toMatch(/^outbox\s+1$/m);
    expect(result.out).toContain('every table\'s row count matches');

    const pg = await openStore(target.url);
    cleanups.unshift(() => pg.close());
    expect(await pg.get('SELECT code, text FROM cases')).toEqual({ code: 'XH-2026-000001', text: '学校乱收费' });
    expect(await pg.get('SELECT COUNT(*) AS n FROM messages')).toEqual({ n: 1203 });
    const id = await insertMessage(pg, { channel: 'telegram', chatId: 'new', text: null, intent: 'kb', answered: false, confident: false }, at);
    expect(id).toBe(1204);
  });

  it('refuses a target that already holds data, and changes nothing', async () => {
    const source = await seededSqlite();
    const target = await freshPostgresDatabase('copy');
    cleanups.push(target.drop);
    expect((await cli(['db', 'copy', '--to', target.url], { DATABASE_PATH: source })).code).toBe(0);
    const again = await cli(['db', 'copy', '--to', target.url], { DATABASE_PATH: source });
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/not empty \(rows in .*cases/);
    const pg = await openStore(target.url);
    cleanups.unshift(() => pg.close());
    expect(await pg.get('SELECT COUNT(*) AS n FROM messages')).toEqual({ n: 1203 });
  });

  it('db backup on PostgreSQL prints the pg_dump command instead of writing a file', async () => {
    const target = await freshPostgresDatabase('backup');
    cleanups.push(target.drop);
    const result = await cli(['db', 'backup', 'nightly.dump'], { DATABASE_URL: target.url });
    expect(result.code).toBe(0);
    expect(result.out).toContain('pg_dump --format=custom --no-owner --file=nightly.dump');
    expect(result.out).toContain(new URL(target.url).pathname.slice(1));
  });

  it('db restore on PostgreSQL refuses and names the pg_restore command', async () => {
    const target = await freshPostgresDatabase('restore');
    cleanups.push(target.drop);
    const result = await cli(['db', 'restore', 'nightly.dump'], { DATABASE_URL: target.url });
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('pg_restore --clean --no-owner -d "$DATABASE_URL" FILE');
  });
});
