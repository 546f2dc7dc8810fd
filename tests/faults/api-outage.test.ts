import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackStaffDesk } from '../../src/channels/slack/staff-desk.js';
import { resolveContext } from '../../src/channels/slack/types.js';
import { registerSlackCatalog } from '../../src/core/i18n/slack.js';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { silentLogger } from '../../src/logger.js';
import { getOutboxRow } from '../../src/storage/outbox-repo.js';
import { startSlackHarness } from '../helpers/slack-harness.js';
import { startSlackStub, type SlackStub } from '../helpers/slack-stub.js';
import { STAFF_CHANNEL } from '../helpers/slack-payloads.js';
import { fakeClock, telegramTestDb } from '../helpers/telegram-db.js';
import { createTelegramStack, type TelegramStack } from '../helpers/telegram-harness.js';
import { badGateway, startRecordingBotApi, tooManyRequests, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * The platforms down or throttling for a while (issue 9, item 3): messages wait in the outbox
 * and go out once, in per-chat order, when the API recovers. Time is a fake clock (Telegram
 * sender) or an injected `now` (Slack staff desk); the HTTP servers are real.
 */
let api: RecordingBotApi | undefined;
let telegram: TelegramStack | undefined;
let slackStub: SlackStub | undefined;
afterEach(async () => {
  await telegram?.close();
  await api?.close();
  await slackStub?.close();
  api = telegram = slackStub = undefined;
});

/** Three case updates for each of two parents, through the real case desk. */
async function queueCaseUpdates(stack: TelegramStack): Promise<Map<string, string[]>> {
  const codes = new Map<string, string[]>();
  for (const chatId of ['910001', '910002']) {
    const c = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId, text: `家长${chatId}投诉：校车超载。`, actor: 'citizen' });
    await stack.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.cases.act(c.code, { kind: 'reply', text: `已核实${chatId}反映的校车超载问题，已整改。` }, 'slack:USTAFF1');
    codes.set(chatId, [c.code]);
  }
  return codes;
}

const outboxStates = async (stack: TelegramStack) =>
  (await stack.db.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'telegram' ORDER BY id")).map((r) => r.state);

describe('Telegram Bot API down, then back', () => {
  it('keeps messages in the outbox through 5xx and sends each once, in order, after recovery', async () => {
    api = await startRecordingBotApi();
    const clock = fakeClock(); // one fixed clock for the desk that queues and the sender that drains
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, clock });
    await queueCaseUpdates(telegram);
    api.outage(4, badGateway());
    const t0 = clock.now();

    await telegram.channel.sender.drain(); // both chats' first messages fail: the API is down
    expect(api.sent).toEqual([]);
    expect(api.failed.map((f) => f.status)).toEqual([502, 502]);
    expect(await outboxStates(telegram)).toEqual(Array(6).fill('pending'));
    const waiting = await getOutboxRow(telegram.db, 1);
    expect(waiting?.attempts).toBe(1);
    expect(Date.parse(waiting!.nextAttemptAt)).toBeGreaterThanOrEqual(t0 + 2000); // backoff 2^attempts s
    expect(Date.parse(waiting!.nextAttemptAt)).toBeLessThanOrEqual(clock.now() + 2000);

    clock.advance(2000);
    await telegram.channel.sender.drain(); // still down
    expect(api.failed).toHaveLength(4);
    expect(api.sent).toEqual([]);

    clock.advance(4000);
    await telegram.channel.sender.drain(); // recovered
    expect(await outboxStates(telegram)).toEqual(Array(6).fill('sent'));
    for (const chatId of ['910001', '910002']) {
      const texts = api.sent.filter((s) => s.chatId === chatId).map((s) => s.text);
      expect(texts).toHaveLength(3);
      expect(texts[0]).toMatch(/^您的投诉已登记，编号 XH-2026-\d{6}/);
      expect(texts[1]).toMatch(/已由工作人员签收办理/);
      expect(texts[2]).toContain(`已核实${chatId}反映的校车超载问题，已整改。`);
    }
    expect(new Set(api.sent.map((s) => `${s.chatId}|${s.text}`)).size).toBe(6);
  });

  it('a send the Bot API never answers times out (sendTimeoutMs) and is retried from the outbox; the other chat is not held up', async () => {
    api = await startRecordingBotApi();
    const clock = fakeClock();
    // The limit is real time (an AbortSignal), so it is set far above what a loopback send takes even on a loaded
    // 2-core CI machine: only the silenced send can reach it (a normal send timing out would be retried and duplicated).
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, clock, sendTimeoutMs: 2_500 });
    await queueCaseUpdates(telegram);
    api.silence(1);
    await telegram.channel.sender.drain(); // before: telegraf waited 500 s for the answer
    expect(api.failed.map((f) => f.status)).toEqual([0]);
    const row = await getOutboxRow(telegram.db, 1);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(api.sent.map((s) => s.chatId)).toContain('910002'); // the other parent's messages went out meanwhile
    clock.advance(10 * 60_000);
    await telegram.channel.sender.drain();
    expect(api.sent.filter((s) => s.chatId === '910001').map((s) => s.text.slice(0, 8))).toHaveLength(3);
  });

  it('waits out a 429 retry_after without counting it as a failed attempt, then sends once', async () => {
    api = await startRecordingBotApi();
    const clock = fakeClock(); // one fixed clock for the desk that queues and the sender that drains
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, clock });
    await queueCaseUpdates(telegram);
    api.outage(1, tooManyRequests(30));
    const t0 = clock.now();

    await telegram.channel.sender.drain();
    const limited = await getOutboxRow(telegram.db, 1);
    expect(limited).toMatchObject({ state: 'pending', attempts: 0 });
    expect(Date.parse(limited!.nextAttemptAt)).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(api.sent.filter((s) => s.chatId === '910001')).toEqual([]); // the whole chat waits behind it

    clock.advance(30_000);
    await telegram.channel.sender.drain();
    expect(await outboxStates(telegram)).toEqual(Array(6).fill('sent'));
    const first = api.sent.filter((s) => s.chatId === '910001').map((s) => s.text);
    expect(first).toHaveLength(3);
    expect(first[0]).toMatch(/^您的投诉已登记/);
    expect(api.failed).toHaveLength(1);
  });
});

describe('Slack Web API down, then back', () => {
  it('keeps staff notices in the outbox through 503/429 and posts each case once, in order, after recovery', async () => {
    registerSlackCatalog();
    slackStub = await startSlackStub();
    const db = await telegramTestDb();
    let now = new Date('2026-11-27T02:00:00Z').getTime();
    const desk = createCaseDesk({ db, now: () => new Date(now) });
    const codes: string[] = [];
    for (let i = 1; i <= 3; i += 1) {
      codes.push((await desk.file({ type: 'complaint', channel: 'phone', text: `第${i}位家长来电投诉校服强制购买。`, actor: 'console' })).code);
    }
    // retries: 0 so the desk's own outbox backoff is what is exercised (the production client
    // additionally retries inside @slack/web-api before the desk sees the failure).
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slackStub.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    const ctx = resolveContext({ db, desk, logger: silentLogger(), staffChannel: STAFF_CHANNEL, staffUserIds: [], adminUserIds: [], now: () => new Date(now) });
    const staff = createSlackStaffDesk(ctx, client);
    slackStub.override('chat.postMessage', () => ({ status: 503, json: { ok: false, error: 'service_unavailable' } }), 2);

    const posts = () => slackStub!.callsOf('chat.postMessage').length;
    expect(await staff.drainOnce()).toBe(0);
    expect(posts()).toBe(1);
    const waiting = await db.all<{ state: string; attempts: number }>("SELECT state, attempts FROM outbox WHERE target = 'staff' ORDER BY id");
    expect(waiting).toEqual([
      { state: 'pending', attempts: 1 },
      { state: 'pending', attempts: 0 },
      { state: 'pending', attempts: 0 },
    ]);
    expect(await staff.drainOnce()).toBe(0); // not due yet: nothing is hammered
    expect(posts()).toBe(1);
    now += 5_000;
    expect(await staff.drainOnce()).toBe(0); // second 503
    expect(posts()).toBe(2);
    slackStub.override('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } }), 1);
    now += 10_000;
    expect(await staff.drainOnce()).toBe(0); // then a 429
    expect(posts()).toBe(3);
    now += 20_000;
    expect(await staff.drainOnce()).toBe(3); // recovered

    const ok = slackStub.callsOf('chat.postMessage').slice(3); // the first three calls failed
    const posted = ok.map((c) => /XH-\d{4}-\d{6}/.exec(JSON.stringify(c.body.blocks ?? ''))?.[0]);
    expect(posted).toEqual(codes);
    expect((await db.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'staff'")).map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    await db.close();
  });

  it('a post Slack took whose answer was lost (a 502 from a proxy) is found by its metadata on the retry, not posted twice', async () => {
    registerSlackCatalog();
    slackStub = await startSlackStub();
    const db = await telegramTestDb();
    let now = new Date('2026-11-27T02:00:00Z').getTime();
    const desk = createCaseDesk({ db, now: () => new Date(now) });
    const filed = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电投诉校服强制购买。', actor: 'console' });
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slackStub.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    const ctx = resolveContext({ db, desk, logger: silentLogger(), staffChannel: STAFF_CHANNEL, staffUserIds: [], adminUserIds: [], now: () => new Date(now) });
    const staff = createSlackStaffDesk(ctx, client);
    // The channel as Slack keeps it: every top-level post the stub received, with its metadata and a ts.
    const LOST_TS = '1764300000.900001';
    slackStub.override('chat.postMessage', () => ({ status: 502, json: { ok: false, error: 'bad_gateway' } }), 1);
    slackStub.override('conversations.history', (body) => ({
      json: {
        ok: true,
        messages: slackStub!
          .callsOf('chat.postMessage')
          .filter((c) => !c.body.thread_ts && body.include_all_metadata)
          .map((c) => ({ type: 'message', ts: LOST_TS, text: c.body.text, metadata: c.body.metadata, reply_count: 0 })),
      },
    }));

    expect(await staff.drainOnce()).toBe(0); // Slack stored the post; the bot only saw the 502
    now += 5_000;
    expect(await staff.drainOnce()).toBe(1);
    const topLevel = slackStub.callsOf('chat.postMessage').filter((c) => !c.body.thread_ts);
    expect(topLevel).toHaveLength(1);
    expect(topLevel[0]!.body.metadata).toEqual({ event_type: 'civicdesk_case', event_payload: { case_code: filed.code } });

    // Later changes update that post in place.
    await desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
    await staff.drainOnce();
    expect(slackStub.callsOf('chat.update').map((c) => c.body.ts)).toEqual([LOST_TS]);
    expect(slackStub.callsOf('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
    await db.close();
  });

  it('with the production desk, a post Slack took whose answer was lost is not posted again by the client: the outbox retry finds it (case card and thread line)', async () => {
    let now = new Date('2026-11-27T02:00:00Z').getTime();
    const clock = () => new Date(now);
    const h = await startSlackHarness({ now: clock });
    try {
      const desk = createCaseDesk({ db: h.db, now: clock });
      const filed = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：校车司机超速。', actor: 'console' });
      h.stub.loseAnswers('chat.postMessage', 1, 503); // Slack keeps the card; the bot sees a 503
      expect(await h.slack.staffDesk.drainOnce()).toBe(0);
      const cards = () => h.stub.posted.filter((m) => !m.thread_ts && JSON.stringify(m.metadata ?? {}).includes(filed.code));
      expect(cards()).toHaveLength(1); // @slack/web-api's own retry would have posted it a second time here
      now += 5_000;
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      expect(cards()).toHaveLength(1);

      // A staff reply: its thread line is taken, its answer lost; the retry finds the line in the thread.
      await desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      await desk.act(filed.code, { kind: 'reply', text: '已电话告知家长：校车司机已停岗培训。', via: '电话' }, 'slack:USTAFF1');
      h.stub.loseAnswers('chat.postMessage', 1, 504);
      expect(await h.slack.staffDesk.drainOnce()).toBe(0);
      now += 5_000;
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      const lines = h.stub.posted.filter((m) => m.thread_ts === cards()[0]!.ts && String(m.text).includes('校车司机已停岗培训'));
      expect(lines).toHaveLength(1);
      const states = await h.db.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'staff' ORDER BY id");
      expect(states.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    } finally {
      await h.close();
    }
  });

  it('with the production desk, a digest Slack took whose answer was lost is posted once (the jobs poster looks for it before posting again)', async () => {
    const h = await startSlackHarness();
    try {
      h.stub.loseAnswers('chat.postMessage', 1, 502);
      await h.slack.poster.post({ text: '每日汇总：新收 2 件，逾期 0 件' });
      expect(h.stub.posted.filter((m) => m.text === '每日汇总：新收 2 件，逾期 0 件')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('with the production desk, a 429 is waited out by the outbox (Retry-After, not a failed attempt) and the case is posted once', async () => {
    let now = new Date('2026-11-27T02:00:00Z').getTime();
    const clock = () => new Date(now);
    const h = await startSlackHarness({ now: clock });
    try {
      const desk = createCaseDesk({ db: h.db, now: clock });
      const filed = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：食堂卫生差。', actor: 'console' });
      h.stub.override('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '30' }, json: { ok: false, error: 'ratelimited' } }), 1);
      expect(await h.slack.staffDesk.drainOnce()).toBe(0);
      const row = await h.db.get<{ attempts: number; nextAttemptAt: string }>("SELECT attempts, next_attempt_at AS nextAttemptAt FROM outbox WHERE target = 'staff'");
      expect(row).toEqual({ attempts: 0, nextAttemptAt: '2026-11-27T02:00:30.000Z' });
      now += 29_000;
      expect(await h.slack.staffDesk.drainOnce()).toBe(0);
      now += 1_000;
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      const posts = h.stub.callsOf('chat.postMessage').map((c) => /XH-\d{4}-\d{6}/.exec(JSON.stringify(c.body.blocks ?? ''))?.[0]);
      expect(posts).toEqual([filed.code, filed.code]); // one refused, one accepted
    } finally {
      await h.close();
    }
  });
});
