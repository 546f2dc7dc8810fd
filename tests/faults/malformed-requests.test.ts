import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installProcessGuard } from '../../src/app/process-guard.js';
import { createWebhookHandler, SECRET_HEADER } from '../../src/channels/telegram/webhook.js';
import { startHttpServer } from '../../src/ops/http-server.js';
import { CASE_ACTIONS } from '../../src/channels/slack/types.js';
import { blockAction } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { form, postInteraction, postSigned } from '../helpers/slack-signer.js';
import { captureLogger } from './helpers/capture-logger.js';

/**
 * Issue 16, probe 1: one correctly signed request ended the process. Bolt 5.1
 * reads `body.ssl_check` after parsing without a null check, in a detached
 * promise, so `payload=null` (form) or `null` (JSON) threw an unhandled
 * TypeError. Every malformed body must get 400, be logged with a request id,
 * and leave the desk serving the next request.
 */
describe('malformed Slack bodies, correctly signed', () => {
  let h: SlackHarness;
  let log: ReturnType<typeof captureLogger>;
  beforeEach(async () => {
    log = captureLogger();
    h = await startSlackHarness({ logger: log.logger });
  });
  afterEach(async () => {
    await h.close();
  });

  it.each([
    ['form payload=null', form({ payload: 'null' }), 'application/x-www-form-urlencoded'],
    ['form payload=7', form({ payload: '7' }), 'application/x-www-form-urlencoded'],
    ['form payload=[]', form({ payload: '[]' }), 'application/x-www-form-urlencoded'],
    ['form payload not JSON', form({ payload: '{"type":' }), 'application/x-www-form-urlencoded'],
    ['JSON null', 'null', 'application/json'],
    ['JSON string', '"x"', 'application/json'],
    ['JSON array', '[1,2]', 'application/json'],
    ['broken JSON', '{"type": "event_callback"', 'application/json'],
    ['empty JSON body', '', 'application/json'],
  ])('%s → 400 with a logged request id, and the desk keeps working', async (_name, body, type) => {
    const res = await postSigned(h.url, body, type);
    expect(res.status).toBe(400);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = log.lines().find((l) => l.requestId === requestId);
    expect(line?.msg).toBe('slack: malformed request body refused (400)');

    // Still serving: a real staff action right after works.
    const filed = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '3003', text: '转学需要什么材料？', actor: 'citizen' });
    const ok = await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code }));
    expect(ok.status).toBe(200);
    await h.stub.waitFor('chat.update');
    expect((await h.desk.get(filed.code))?.state).toBe('claimed');
  });

  it('an unsigned malformed body is refused and runs nothing', async () => {
    const res = await postSigned(h.url, 'null', 'application/json', { signature: `v0=${'0'.repeat(64)}` });
    expect([400, 401]).toContain(res.status);
    expect(h.stub.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });
});

describe('malformed Telegram webhook bodies, with the right secret', () => {
  it.each([
    ['JSON null', 'null'],
    ['an array', '[]'],
    ['no update_id', '{"message":{}}'],
    ['broken JSON', '{"update_id": 1,'],
  ])('%s → 400 logged with a request id; a good update still gets 200', async (_name, body) => {
    const log = captureLogger();
    const seen: number[] = [];
    const handler = createWebhookHandler({ secret: 'sekret-1', logger: log.logger, handleUpdate: async (u) => void seen.push(u.update_id) });
    const server = await startHttpServer(0, [{ path: '/telegram/webhook', method: 'POST', handler }], '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
      const post = (b: string) => fetch(url, { method: 'POST', headers: { [SECRET_HEADER]: 'sekret-1' }, body: b });
      expect((await post(body)).status).toBe(400);
      const line = log.lines().find((l) => l.msg === 'telegram webhook: malformed request refused (400)');
      expect(line?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await post('{"update_id": 77}')).status).toBe(200);
      expect(seen).toEqual([77]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the process-wide guard', () => {
  it('logs a stray rejection or exception with an id and keeps the process', () => {
    const log = captureLogger('error');
    const target = new EventEmitter();
    const remove = installProcessGuard(log.logger, target);
    target.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    target.emit('uncaughtException', new Error('boom'));
    remove();
    const lines = log.lines();
    expect(lines.map((l) => l.msg)).toEqual(['unhandled promise rejection (process kept running)', 'uncaught exception (process kept running)']);
    expect(lines.every((l) => typeof l.errorId === 'string')).toBe(true);
    expect(target.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('routes mounted on Bolt\'s receiver (web chat, /healthz, a Telegram webhook) when a handler fails', () => {
  it('a route whose handler rejects (the database gone at a read) is answered 500, not left hanging; the next request is served', async () => {
    let fail = true;
    const h = await startSlackHarness({
      customRoutes: [
        {
          path: '/chat/api/messages',
          method: ['GET'],
          handler: async (_req, res) => {
            if (fail) throw new Error('SQLITE_CANTOPEN: unable to open database file');
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[]}');
          },
        },
      ],
    });
    try {
      const base = h.url.replace('/slack/events', '');
      const failed = await fetch(`${base}/chat/api/messages`, { signal: AbortSignal.timeout(4_000) });
      expect(failed.status).toBe(500);
      fail = false;
      expect((await fetch(`${base}/chat/api/messages`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
