import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInstancePresence } from '../../src/app/instance.js';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { opsRoutes } from '../../src/ops/http-routes.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { openStore } from '../../src/storage/open-store.js';
import { onPostgres } from '../helpers/postgres.js';
import { captureLogger } from './helpers/capture-logger.js';

/**
 * The SQLite file deleted under the running bot (an `rm` in the wrong folder, a cleanup script): SQLite keeps
 * writing to the unlinked file, /healthz said "ok", and the next start would create an empty database — every
 * case acknowledged since the last backup gone. The instance heartbeat (every 5 s) now writes the open
 * database back to DATABASE_PATH and moves the connection to it.
 */
const NOW = new Date('2026-11-27T02:00:00Z');

async function healthz(routes: ReturnType<typeof opsRoutes>) {
  let status = 0;
  let body = '';
  const res = { writeHead: (s: number) => ((status = s), res), end: (b: string) => (body = b) };
  await routes.find((r) => r.path === '/healthz')!.handler({} as never, res as never);
  return { status, body: JSON.parse(body) as Record<string, unknown> };
}

describe.skipIf(onPostgres)('the database file deleted or replaced under the running bot', () => {
  it('deleted (with its -wal and -shm): written back at the next heartbeat, every acknowledged case kept, later writes land in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-deleted-'));
    const path = join(dir, 'civicdesk.db');
    const db = await openStore(path);
    const desk = createCaseDesk({ db, now: () => NOW });
    const log = captureLogger();
    const presence = createInstancePresence({ db, name: 'civicdesk', logger: log.logger });
    const before = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：校车超载。', actor: 'console' });

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    const during = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：食堂卫生。', actor: 'console' }); // acknowledged into the unlinked file

    await presence.keepFile();
    expect(existsSync(path)).toBe(true);
    expect(log.lines().filter((l) => /deleted while CivicDesk ran; it was written back/.test(String(l.msg)))).toHaveLength(1);
    const after = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：课后服务。', actor: 'console' });
    await db.close();

    const reopened = await openStore(path); // what the next start sees
    const codes = (await reopened.all<{ code: string }>('SELECT code FROM cases ORDER BY id')).map((r) => r.code);
    expect(codes).toEqual([before.code, during.code, after.code]);
    await reopened.close();
  });

  it('replaced by another file: left alone, /healthz says "file replaced" with 503 and one error line says what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-replaced-'));
    const path = join(dir, 'civicdesk.db');
    const db = await openStore(path);
    const other = await openStore(join(dir, 'other.db'));
    await other.close();
    const log = captureLogger();
    const presence = createInstancePresence({ db, name: 'civicdesk', logger: log.logger });
    const routes = opsRoutes({ db, metrics: createMetrics(db), knowledgeEntries: () => 40, channels: () => ({}), instance: presence });
    expect((await healthz(routes)).body.database).toBe('ok');

    rmSync(path);
    copyFileSync(join(dir, 'other.db'), path);
    await presence.keepFile();
    await presence.keepFile();
    const health = await healthz(routes);
    expect(health.status).toBe(503);
    expect(health.body.database).toBe('file replaced');
    expect(log.lines().filter((l) => /replaced by another file/.test(String(l.msg)))).toHaveLength(1);
    await db.close();
  });
});
