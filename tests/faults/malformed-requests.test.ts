import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
