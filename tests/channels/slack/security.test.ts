import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import type { CaseRecord } from '../../../src/core/cases/types.js';
import { blockAction, messageEvent, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import * as signer from '../../helpers/slack-signer.js';
import { form, type SignedPostOptions } from '../../helpers/slack-signer.js';

// The receiver judges every timestamp (stale and future alike) against this frozen instant, never
// against a clock that moves while a loaded machine signs and sends the request: each verdict is exact.
// Every request below is signed at it unless a test says otherwise.
const FROZEN_SEC = Date.UTC(2026, 2, 10, 1, 30) / 1000;
const at = (options?: SignedPostOptions): SignedPostOptions => ({ timestamp: FROZEN_SEC, ...options });
const postSigned = (url: string, body: string, type: string, options?: SignedPostOptions) => signer.postSigned(url, body, type, at(options));
const postCommand = (url: string, fields: Record<string, string>) => signer.postCommand(url, fields, at());
const postInteraction = (url: string, payload: unknown) => signer.postInteraction(url, payload, at());
const postEvent = (url: string, envelope: unknown, options?: SignedPostOptions) => signer.postEvent(url, envelope, at(options));

async function sideEffects(h: SlackHarness) {
  const count = async (sql: string) => (await h.db.get<{ n: number }>(sql))?.n ?? 0;
  return {
    events: await count('SELECT COUNT(*) AS n FROM case_events'),
    outbox: await count('SELECT COUNT(*) AS n FROM outbox'),
    inbound: await count('SELECT COUNT(*) AS n FROM processed_inbound'),
    audit: await count('SELECT COUNT(*) AS n FROM audit_log'),
    apiCalls: h.stub.calls.filter((c) => c.method !== 'auth.test').length,
  };
}

describe('Slack staff desk: who may act, and requests that must not act', () => {
  let h: SlackHarness;
  let filed: CaseRecord;
  beforeEach(async () => {
    h = await startSlackHarness({ requestClock: () => FROZEN_SEC * 1000 });
    filed = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '2002', text: '孩子转学需要什么材料？', actor: 'citizen' });
    await h.slack.staffDesk.drainOnce();
    await h.stub.waitFor('chat.postMessage');
  });
  afterEach(async () => {
    await h.close();
  });

  const claimBody = () => form({ payload: JSON.stringify(blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code })) });

  it.each([
    ['a forged signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['a wrong signing secret', { secret: 'not-the-secret' }],
    ['a stale timestamp (5 min 1 s old)', { timestamp: FROZEN_SEC - 301 }],
    ['a far-past timestamp (1 day old)', { timestamp: FROZEN_SEC - 86_400 }],
    ['a future timestamp (5 min 1 s ahead)', { timestamp: FROZEN_SEC + 301 }],
    ['a far-future timestamp (1 day ahead)', { timestamp: FROZEN_SEC + 86_400 }],
  ])('%s → 401 and nothing changes', async (_name, options) => {
    const before = await sideEffects(h);
    const res = await postSigned(h.url, claimBody(), 'application/x-www-form-urlencoded', options);
    expect(res.status).toBe(401);
    expect(await sideEffects(h)).toEqual(before);
    expect((await h.desk.get(filed.code))?.state).toBe('received');
  });

  it.each([
    ['exactly 5 min old (the edge of the window)', -300],
    ['exactly 5 min ahead (the edge of the window)', 300],
    ['a little ahead of our clock', 60],
  ])('accepts a correctly signed request %s', async (_name, offset) => {
    const res = await postSigned(h.url, claimBody(), 'application/x-www-form-urlencoded', { timestamp: FROZEN_SEC + offset });
    expect(res.status).toBe(200);
    await h.stub.waitFor('chat.update');
    expect((await h.desk.get(filed.code))?.state).toBe('claimed');
  });

  it('an unsigned SSL check is answered, and a payload smuggled into it runs nothing', async () => {
    const before = await sideEffects(h);
    const smuggled = form({ ssl_check: '1', payload: JSON.stringify(blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code })) });
    const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: smuggled });
    expect(res.status).toBe(200);
    expect(await sideEffects(h)).toEqual(before);
    expect((await h.desk.get(filed.code))?.state).toBe('received');
  });

  it('refuses a non-staff user politely and changes nothing (button and slash command)', async () => {
    const before = await sideEffects(h);
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, user: 'UOUTSIDER', responseUrl: h.stub.responseUrl('a') }));
    const refusal = await h.stub.waitFor('response_url');
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral', text: '抱歉，这项操作仅限教育局工作人员使用。如需开通，请联系管理员。' });
    await postCommand(h.url, slashCommand({ command: '/case', text: filed.code, user_id: 'UOUTSIDER', response_url: h.stub.responseUrl('b') }));
    await h.stub.waitFor('response_url', (c) => c.body.text === refusal.body.text, { since: h.stub.calls.indexOf(refusal) + 1 });
    const after = await sideEffects(h);
    expect({ ...after, apiCalls: 0 }).toEqual({ ...before, apiCalls: 0 });
    expect(h.stub.callsOf('chat.update')).toHaveLength(0);
    expect((await h.desk.get(filed.code))?.state).toBe('received');
  });

  it('refuses a reply submitted by a non-staff user: nothing reaches the citizen', async () => {
    await h.desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
    const outboxBefore = await h.db.all("SELECT id FROM outbox WHERE target = 'telegram'");
    const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: filed.code, values: { reply: '冒充的回复' }, user: 'UOUTSIDER' }));
    expect(res.status).toBe(200);
    const refusal = await h.stub.waitFor('chat.postEphemeral');
    expect(refusal.body).toMatchObject({ user: 'UOUTSIDER', text: '抱歉，这项操作仅限教育局工作人员使用。如需开通，请联系管理员。' });
    expect(await h.db.all("SELECT id FROM outbox WHERE target = 'telegram'")).toEqual(outboxBefore);
    expect((await h.desk.history(filed.code)).some((e) => e.kind === 'reply')).toBe(false);
  });

  it('counts members of the staff channel as staff (conversations.members)', async () => {
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, user: 'USTAFF2' }));
    await h.stub.waitFor('chat.update');
    expect((await h.desk.get(filed.code))?.assignee).toBe('slack:USTAFF2');
    expect(h.stub.callsOf('conversations.members')[0]?.body).toMatchObject({ channel: 'CSTAFF01' });
  });

  it('a double-clicked Claim acts once', async () => {
    const first = blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, responseUrl: h.stub.responseUrl('c1') });
    const second = blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, responseUrl: h.stub.responseUrl('c2') });
    const replay = { ...first }; // the very same click delivered twice
    await Promise.all([postInteraction(h.url, first), postInteraction(h.url, second), postInteraction(h.url, replay)]);
    const note = await h.stub.waitFor('response_url');
    expect(note.body.text).toBe(`案件 ${filed.code} 已由 <@USTAFF1> 认领。`);
    await h.stub.waitFor('chat.update');
    await h.slack.staffDesk.drainOnce();
    const claims = (await h.desk.history(filed.code)).filter((e) => e.toState === 'claimed');
    expect(claims).toHaveLength(1);
    expect(h.stub.callsOf('chat.update')).toHaveLength(1);
    expect(h.stub.callsOf('response_url')).toHaveLength(1);
  });

  it('a message in the case thread is an internal note: no citizen message; a retried event notes once', async () => {
    const { ts } = (await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [filed.code]))!;
    const outboxBefore = await h.db.all("SELECT id FROM outbox WHERE target = 'telegram'");
    const envelope = messageEvent({ text: '已电话联系学校教务处 <!here>', threadTs: ts, eventId: 'EvNOTE1' });
    expect((await postEvent(h.url, envelope)).status).toBe(200);
    expect((await postEvent(h.url, envelope, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    // The same text as a new event proves the listener ran (and bounds the wait without sleeping).
    await postEvent(h.url, messageEvent({ text: '第二条备注', threadTs: ts, eventId: 'EvNOTE2' }));
    await expect.poll(async () => (await h.desk.history(filed.code)).filter((e) => e.kind === 'note').length).toBe(2);
    const notes = (await h.desk.history(filed.code)).filter((e) => e.kind === 'note');
    expect(notes.map((n) => [n.note, n.actor])).toEqual([
      ['已电话联系学校教务处 @here', 'slack:USTAFF1'], // stored as typed, not in Slack's wire format (review18 R18)
      ['第二条备注', 'slack:USTAFF1'],
    ]);
    expect(await h.db.all("SELECT id FROM outbox WHERE target = 'telegram'")).toEqual(outboxBefore);
    await h.slack.staffDesk.drainOnce();
    expect(h.stub.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts)).toHaveLength(0);
  });

  it('ignores a thread message from a non-staff user and from bots', async () => {
    const { ts } = (await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [filed.code]))!;
    await postEvent(h.url, messageEvent({ text: '外部人员留言', threadTs: ts, user: 'UOUTSIDER' }));
    await postEvent(h.url, messageEvent({ text: '机器人消息', threadTs: ts, botId: 'BBOT' }));
    await postEvent(h.url, messageEvent({ text: '工作人员备注', threadTs: ts }));
    await expect.poll(async () => (await h.desk.history(filed.code)).filter((e) => e.kind === 'note').length).toBe(1);
    expect((await h.desk.history(filed.code)).filter((e) => e.kind === 'note').map((e) => e.note)).toEqual(['工作人员备注']);
  });
});
