import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInstancePresence } from '../../src/app/instance.js';
import { shareKnowledgeReloads } from '../../src/app/knowledge-sync.js';
import { leadPolling } from '../../src/app/poll-leader.js';
import { CASE_ACTIONS, VIEWS } from '../../src/channels/slack/types.js';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { createKnowledgeService, type ReloadCause } from '../../src/knowledge/service.js';
import { silentLogger } from '../../src/logger.js';
import { opsRoutes } from '../../src/ops/http-routes.js';
import { startHttpServer } from '../../src/ops/http-server.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { listAudit } from '../../src/storage/audit-repo.js';
import type { Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open-store.js';
import { enqueueOutbox } from '../../src/storage/outbox-repo.js';
import { exited, spawnTs, waitForLine } from '../faults/helpers/child.js';
import { CORPUS, entry, writeKnowledge } from '../knowledge/fixtures.js';
import { onPostgres } from '../helpers/postgres.js';
import { blockAction, messageEvent, slashCommand, viewSubmission } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { postCommand, postEvent, postInteraction } from '../helpers/slack-signer.js';
import { createWebStack } from '../helpers/web-chat-harness.js';

/**
 * Several instances on one PostgreSQL database (issue 19, item 2): each test
 * opens the same database twice (two pools, as two processes would) or runs
 * the other instance in a child process. Skipped on SQLite: one SQLite file
 * serves one instance (the pid lock), and the advisory lock, LISTEN/NOTIFY and
 * the shared instance table these tests prove exist only on PostgreSQL.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function twoInstances(prefix: string): Promise<[Db, Db]> {
  const path = join(mkdtempSync(join(tmpdir(), prefix)), 'civicdesk.db');
  const a = await openStore(path);
  cleanups.push(() => a.close());
  const b = await openStore(path);
  cleanups.push(() => b.close());
  return [a, b];
}

describe.skipIf(!onPostgres)('several instances on one PostgreSQL database', () => {
  it('polling: exactly one instance polls, and another takes over after the poller is SIGKILLed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-poll-')), 'civicdesk.db');
    await (await openStore(path)).close(); // migrated before either instance starts
    // The interval comes from the configuration, as in main.ts; short here so the wait is short.
    const child = spawnTs(join(import.meta.dirname, 'helpers', 'poll-leader-child.ts'), [path], { POLL_LOCK_RETRY_MS: '200' });
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await exited(child);
    });
    await waitForLine(child, (l) => l === 'POLLING', 20_000);

    const db = await openStore(path);
    cleanups.push(() => db.close());
    const answers: ('held' | 'busy')[] = [];
    let polling = 0;
    const stop = leadPolling({
      db: {
        ...db,
        tryLock: async (name) => {
          const held = await db.tryLock!(name);
          answers.push(held ? 'held' : 'busy');
          return held;
        },
      },
      poller: { start: async () => void (polling += 1), stop: async () => void (polling -= 1) },
      logger: silentLogger(),
      retryMs: 200,
    });
    cleanups.push(stop);
    // While the child polls, this instance is refused the lock again and again and never polls.
    await vi.waitFor(() => expect(answers.length).toBeGreaterThanOrEqual(3), { timeout: 20_000, interval: 20 });
    expect(answers.every((a) => a === 'busy')).toBe(true);
    expect(polling).toBe(0);

    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');
    // The bound: taken over within 30 s of the poller's death (here: the next retry after its connection closed).
    await vi.waitFor(() => expect(polling).toBe(1), { timeout: 30_000, interval: 20 });
    expect(answers.at(-1)).toBe('held');
  });

  it('polling: a leader whose lock connection drops stops polling, and polls again once it holds the lock', async () => {
    const [db] = await twoInstances('civicdesk-poll2-');
    const events: string[] = [];
    const stop = leadPolling({
      db,
      poller: { start: async () => void events.push('start'), stop: async () => void events.push('stop') },
      logger: silentLogger(),
      retryMs: 100,
    });
    cleanups.push(stop);
    await vi.waitFor(() => expect(events).toEqual(['start']), { timeout: 20_000, interval: 20 });
    // The server ends the lock's session (what a failover or a network cut does).
    const killed = await db.get<{ n: number }>(
      `SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND objid = (hashtext(current_schema() || '__telegram_poll')::bigint & 4294967295)::oid`,
    );
    expect(killed?.n).toBe(1);
    await vi.waitFor(() => expect(events).toEqual(['start', 'stop', 'start']), { timeout: 20_000, interval: 20 });
  });

  it('polling: a leader whose polling ends by itself (409 Conflict) releases the lock, and another instance polls', async () => {
    const [a, b] = await twoInstances('civicdesk-poll3-');
    let endA: (end: { retryInMs: number | null }) => void = () => undefined;
    const events: string[] = [];
    const stopA = leadPolling({
      db: a,
      poller: {
        start: async () => void events.push('a:start'),
        stop: async () => void events.push('a:stop'),
        ended: () => new Promise((resolve) => (endA = resolve)),
      },
      logger: silentLogger(),
      retryMs: 100,
    });
    cleanups.push(stopA);
    await vi.waitFor(() => expect(events).toEqual(['a:start']), { timeout: 20_000, interval: 20 });
    const stopB = leadPolling({
      db: b,
      poller: { start: async () => void events.push('b:start'), stop: async () => void events.push('b:stop'), ended: () => new Promise(() => undefined) },
      logger: silentLogger(),
      retryMs: 100,
    });
    cleanups.push(stopB);
    // a's polling dies (telegraf ended on a 409) and asks to wait long before polling again: b takes over meanwhile.
    endA({ retryInMs: 60_000 });
    await vi.waitFor(() => expect(events).toEqual(['a:start', 'a:stop', 'b:start']), { timeout: 20_000, interval: 20 });
  });

  it('a knowledge reload on one instance reaches the other through LISTEN/NOTIFY, and is not echoed back', async () => {
    const [dbA, dbB] = await twoInstances('civicdesk-kbsync-');
    const dir = writeKnowledge(CORPUS);
    const reloads = { a: [] as ReloadCause[], b: [] as ReloadCause[] };
    const instance = (db: Db, name: 'a' | 'b') => {
      let sync: Awaited<ReturnType<typeof shareKnowledgeReloads>> | null = null;
      const kb = createKnowledgeService({
        dir,
        logger: silentLogger(),
        onReload: (_report, cause) => {
          reloads[name].push(cause);
          sync?.announce(cause);
        },
      });
      return {
        kb,
        start: async () => {
          await kb.reload();
          sync = await shareKnowledgeReloads({ db, knowledge: kb, owner: `${name}#1`, logger: silentLogger() });
          cleanups.push(() => sync!.stop());
        },
      };
    };
    const a = instance(dbA, 'a');
    const b = instance(dbB, 'b');
    await a.start();
    await b.start();
    expect(b.kb.current().entry('faq-bus')).toBeUndefined();

    // An admin's edit lands on instance A (no file watcher runs on B: only the notification can tell it).
    writeFileSync(join(dir, 'faq-bus.md'), entry('id: faq-bus\ntitle: 校车接送安排\ncategory: faq', '本区学校不统一提供校车。\n'));
    await a.kb.reload();
    await vi.waitFor(() => expect(b.kb.current().entry('faq-bus')?.title).toBe('校车接送安排'), { timeout: 20_000, interval: 20 });
    expect(reloads.b).toEqual(['local', 'peer']);
    // B's reload was caused by A: it is not announced, so A reloaded only for the edit. A later reload of B proves
    // the channel is quiet in between (notifications arrive in order on one connection).
    await b.kb.reload();
    await vi.waitFor(() => expect(reloads.a).toEqual(['local', 'local', 'peer']), { timeout: 20_000, interval: 20 });
  });

  it('/healthz names the instance and lists the instances alive on the database', async () => {
    const [dbA, dbB] = await twoInstances('civicdesk-health-');
    const web1 = createInstancePresence({ db: dbA, name: 'web-1', logger: silentLogger() });
    const web2 = createInstancePresence({ db: dbB, name: 'web-2', logger: silentLogger() });
    await web1.start();
    await web2.start();
    cleanups.push(() => web1.stop());
    const server: Server = await startHttpServer(
      0,
      opsRoutes({ db: dbA, metrics: createMetrics(dbA), knowledgeEntries: () => 6, channels: () => ({ telegram: 'connected' }), instance: web1 }),
      '127.0.0.1',
    );
    cleanups.push(() => new Promise((r) => server.close(r)));
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      return { status: res.status, body: (await res.json()) as { instance: string; instances: string[] } };
    };
    expect(await health()).toMatchObject({ status: 200, body: { instance: 'web-1', instances: ['web-1', 'web-2'] } });
    await web2.stop(); // a clean shutdown leaves the list at once
    expect((await health()).body).toMatchObject({ instance: 'web-1', instances: ['web-1'] });
  });

  it('web chat: a line stored by one instance reaches the event stream open on the other (NOTIFY)', async () => {
    const a = await createWebStack();
    cleanups.push(() => a.close());
    const dbB = await openStore(a.db.path); // the same database through a pool of its own
    cleanups.push(() => dbB.close());
    // B's sender never drains on its own: whatever B's stream shows, A's sender stored.
    const b = await createWebStack({}, { db: dbB, outboxPollMs: 0 });
    cleanups.push(() => b.close());
    const page = await fetch(`${a.origin}/chat/`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const sessionId = (await a.db.get<{ id: string }>('SELECT id FROM web_sessions'))!.id;

    const controller = new AbortController();
    cleanups.push(async () => controller.abort());
    const stream = await fetch(`${b.origin}/chat/api/events`, { headers: { cookie }, signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value); // the stream is registered on B
    // A staff reply, queued for the session (as the case desk queues one) and delivered by A's sender.
    await enqueueOutbox(a.db, { target: 'web', address: sessionId, payload: [{ text: '您好，关于转学的材料我们已核实。' }] }, a.now());
    while (!text.includes('您好，关于转学的材料我们已核实。')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: message\ndata: \{/);
    expect((await dbB.get<{ state: string }>("SELECT state FROM outbox WHERE target = 'web'"))?.state).toBe('sent');
  });

  describe('Slack: the same signed request delivered to both instances has one effect', () => {
    let one: SlackHarness;
    let two: SlackHarness;
    const setup = async () => {
      one = await startSlackHarness();
      cleanups.push(() => one.close());
      const db = await openStore(one.db.path); // the same database through a pool of its own
      cleanups.push(() => db.close());
      two = await startSlackHarness({}, { db, desk: createCaseDesk({ db }) });
      cleanups.push(() => two.close());
      const filed = await one.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '3003', text: '孩子转学需要什么材料？', actor: 'citizen' });
      await one.slack.staffDesk.drainOnce();
      await one.stub.waitFor('chat.postMessage');
      return filed;
    };
    const both = (method: string) => one.stub.callsOf(method).length + two.stub.callsOf(method).length;

    it('a Claim click: one claim, one card update, and no "already claimed" note for the copy', async () => {
      const filed = await setup();
      const click = blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, responseUrl: one.stub.responseUrl('claim') });
      const [r1, r2] = await Promise.all([postInteraction(one.url, click), postInteraction(two.url, click)]);
      expect([r1.status, r2.status]).toEqual([200, 200]);
      await vi.waitFor(() => expect(both('chat.update')).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 20 });
      // A different click by another member afterwards, on instance two, proves both instances' handlers ran
      // before it (it is answered "already claimed"): bounds the wait without sleeping.
      const later = blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, user: 'USTAFF2', responseUrl: one.stub.responseUrl('later') });
      await postInteraction(two.url, later);
      const note = await one.stub.waitFor('response_url');
      expect(note.body.text).toBe(`案件 ${filed.code} 已由 <@USTAFF1> 认领。`);
      await one.slack.staffDesk.drainOnce();
      await two.slack.staffDesk.drainOnce();
      expect((await one.desk.history(filed.code)).filter((e) => e.toState === 'claimed')).toHaveLength(1);
      expect(both('chat.update')).toBe(1);
      // Only the later click was answered: the copy of the first was dropped, not told "already claimed by you".
      expect(one.stub.callsOf('response_url')).toHaveLength(1);
    });

    it('a slash command delivered to both (a proxy retrying it on the other instance): one answer, one audited access', async () => {
      const filed = await setup();
      const request = slashCommand({ command: '/case', text: filed.code, response_url: one.stub.responseUrl('both') });
      const [r1, r2] = await Promise.all([postCommand(one.url, request), postCommand(two.url, request)]);
      expect([r1.status, r2.status]).toEqual([200, 200]);
      await one.stub.waitFor('response_url', (call) => call.path === '/response/both');
      // Later, different invocations on both instances, answered after the copies were taken in: bound the wait.
      await postCommand(one.url, slashCommand({ command: '/case', text: filed.code, response_url: one.stub.responseUrl('later1') }));
      await postCommand(two.url, slashCommand({ command: '/case', text: filed.code, response_url: one.stub.responseUrl('later2') }));
      await one.stub.waitFor('response_url', (call) => call.path === '/response/later1');
      await one.stub.waitFor('response_url', (call) => call.path === '/response/later2');
      expect(one.stub.callsOf('response_url').filter((call) => call.path === '/response/both')).toHaveLength(1);
      // Each answer is the case's detail (written after its audit row), not a message that the work was not done.
      for (const id of ['both', 'later1', 'later2']) {
        const answer = one.stub.callsOf('response_url').find((call) => call.path === `/response/${id}`)!;
        expect(JSON.stringify(answer.body.blocks ?? null), `the answer to ${id}: ${String(answer.body.text)}`).toContain(filed.code);
      }
      const views = (await listAudit(one.db, { subject: filed.code })).filter((a) => a.action === 'case.view_full');
      expect(views).toHaveLength(3);
    });

    it('a reply submitted (view) to both: the parent gets one reply', async () => {
      const filed = await setup();
      await one.desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
      const submit = viewSubmission({ callbackId: VIEWS.reply, privateMetadata: filed.code, values: { reply: '请携带户口簿和学籍证明到新学校办理。' } });
      const [r1, r2] = await Promise.all([postInteraction(one.url, submit), postInteraction(two.url, submit)]);
      expect([r1.status, r2.status]).toEqual([200, 200]);
      await vi.waitFor(async () => expect((await one.desk.history(filed.code)).filter((e) => e.kind === 'reply')).toHaveLength(1), {
        timeout: 10_000,
        interval: 20,
      });
      const toParent = await one.db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'telegram' AND address = '3003'");
      expect(toParent.filter((r) => r.payload.includes('请携带户口簿和学籍证明'))).toHaveLength(1);
    });

    it('a thread message event delivered to both (and retried): one internal note', async () => {
      await setup();
      const { ts } = (await one.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages'))!;
      const event = messageEvent({ text: '已电话联系学校教务处', threadTs: ts, eventId: 'EvTWO1' });
      await Promise.all([postEvent(one.url, event), postEvent(two.url, event, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })]);
      // A second, different event proves both listeners ran (bounds the wait without sleeping).
      await Promise.all([postEvent(one.url, messageEvent({ text: '第二条备注', threadTs: ts, eventId: 'EvTWO2' })), postEvent(two.url, messageEvent({ text: '第三条备注', threadTs: ts, eventId: 'EvTWO3' }))]);
      const code = (await one.db.get<{ code: string }>('SELECT case_code AS code FROM slack_case_messages'))!.code;
      await vi.waitFor(async () => expect((await one.desk.history(code)).filter((e) => e.kind === 'note')).toHaveLength(3), { timeout: 10_000, interval: 20 });
      const notes = (await one.desk.history(code)).filter((e) => e.kind === 'note').map((e) => e.note);
      expect(notes.filter((n) => n === '已电话联系学校教务处')).toHaveLength(1);
    });
  });
});
