import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { opsRoutes } from '../../src/ops/http-routes.js';
import { startHttpServer } from '../../src/ops/http-server.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { captureLogger } from './helpers/capture-logger.js';
import { createWebStack, type WebStack } from '../helpers/web-chat-harness.js';

/**
 * Every route answered for every method, on both servers the routes are mounted on (the plain one, and Bolt's
 * receiver when Slack runs over HTTP): an uptime monitor's HEAD /healthz sees the bot up, a wrong method on a known
 * path is 405 with Allow (not 404, as if the path did not exist), OPTIONS says what is allowed without granting CORS.
 */
let stack: WebStack | undefined;
let server: Server | undefined;
let slack: SlackHarness | undefined;
let db: Db | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((resolve) => server!.close(resolve));
  await stack?.close();
  await slack?.close();
  await db?.close();
  stack = server = slack = db = undefined;
});

const health = (database: Db) => opsRoutes({ db: database, metrics: new Registry(), knowledgeEntries: () => 3, channels: () => ({}) });

async function methods(base: string) {
  const head = await fetch(`${base}/healthz`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-type')).toContain('application/json');
  expect(await head.text()).toBe('');
  const put = await fetch(`${base}/healthz`, { method: 'PUT', signal: AbortSignal.timeout(5_000) });
  expect(put.status).toBe(405);
  expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  const options = await fetch(`${base}/healthz`, { method: 'OPTIONS', signal: AbortSignal.timeout(5_000) });
  expect(options.status).toBe(204);
  expect(options.headers.get('access-control-allow-origin')).toBeNull();
  expect((await fetch(`${base}/no-such-path`, { method: 'PUT', signal: AbortSignal.timeout(5_000) })).status).toBe(404);
  expect((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
}

describe('HTTP methods on every route', () => {
  it('the plain server: HEAD of the chat page and its script, 405 with Allow on the message API, no HEAD stream left open', async () => {
    stack = await createWebStack();
    const page = await fetch(`${stack.origin}/chat/`, { method: 'HEAD' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('');
    expect((await fetch(`${stack.origin}/chat/chat.js`, { method: 'HEAD' })).status).toBe(200);
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${stack.origin}/chat/api/messages`, { method, headers: { origin: stack.origin, 'content-type': 'application/json' }, body: '{"text":"小学报名"}' });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('GET, POST, HEAD, OPTIONS');
    }
    // The event stream has no HEAD: answered at once rather than held open like the stream.
    const events = await fetch(`${stack.origin}/chat/api/events`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    expect(events.status).toBe(405);
    expect(events.headers.get('allow')).toBe('GET, OPTIONS');
    expect((await fetch(`${stack.origin}/chat/api/notice`)).status).toBe(405);
    expect((await fetch(`${stack.origin}/chat/../etc/passwd`)).status).toBe(404);

    server = await startHttpServer(0, health(stack.db), '127.0.0.1');
    await methods(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  it("Bolt's receiver: the same answers for the routes mounted on it, 404 (not 500) for a path it does not serve; Slack's own endpoint is untouched", async () => {
    db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-methods-')), 'test.db'));
    await migrate(db);
    const log = captureLogger();
    slack = await startSlackHarness({ customRoutes: health(db), logger: log.logger }, { db, desk: createCaseDesk({ db }) });
    const base = slack.url.replace('/slack/events', '');
    await methods(base);
    // The browser asks for /favicon.ico beside every /chat/ page: before, Bolt's "not mine" was answered 500 and
    // logged as an error ("slack: request handler threw") for every page view.
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${base}/slack/events`)).status).toBe(404);
    expect(log.lines().filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect((await fetch(slack.url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
  });
});
