import { describe, expect, it } from 'vitest';
import { createSlackApp } from '../../../src/channels/slack/create-slack-app.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { silentLogger } from '../../../src/logger.js';
import { openDb } from '../../../src/storage/db.js';
import { migrate } from '../../../src/storage/migrate.js';
import { startSlackHarness } from '../../helpers/slack-harness.js';
import { startSlackStub } from '../../helpers/slack-stub.js';

describe('createSlackApp', () => {
  it('serves custom routes (/healthz, /metrics, /telegram/webhook) on the same HTTP server as /slack/events', async () => {
    const h = await startSlackHarness({
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') }],
    });
    try {
      const res = await fetch(h.url.replace('/slack/events', '/healthz'));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
      const unsigned = await fetch(h.url, { method: 'POST', body: 'command=%2Fcases', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(unsigned.status).toBe(401);
    } finally {
      await h.close();
    }
  });

  it('builds a Socket Mode app when an app token is given, without starting it', async () => {
    const stub = await startSlackStub();
    const db = await openDb(':memory:');
    await migrate(db);
    try {
      const slack = createSlackApp({
        botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: stub.apiUrl, db, desk: createCaseDesk({ db }),
        logger: silentLogger(), staffChannel: 'CSTAFF01', staffUserIds: [], adminUserIds: [],
      });
      expect(slack.app).toBeDefined();
      await stub.waitFor('auth.test');
      expect(stub.calls.some((c) => c.method === 'apps.connections.open')).toBe(false);
    } finally {
      await stub.close();
      await db.close();
    }
  });
});
