import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp, slackBotIdentity } from '../../src/channels/slack/create-slack-app.js';
import { createSlackStaffDesk, type SlackStaffDesk } from '../../src/channels/slack/staff-desk.js';
import { resolveContext } from '../../src/channels/slack/types.js';
import { createCaseDesk, type CaseDeskImpl } from '../../src/core/cases/index.js';
import { registerSlackCatalog } from '../../src/core/i18n/slack.js';
import type { Db } from '../../src/storage/db.js';
import { startSlackStub, type SlackStub } from '../helpers/slack-stub.js';
import { STAFF_CHANNEL } from '../helpers/slack-payloads.js';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signer.js';
import { telegramTestDb } from '../helpers/telegram-db.js';
import { captureLogger } from './helpers/capture-logger.js';

/**
 * The Slack side of a deployment breaking in ways the Web API client cannot retry away: the bot removed
 * from the staff channel (`not_in_channel`), the channel archived or mistyped (`channel_not_found`), the
 * token revoked (`invalid_auth`), and Slack failing for longer than the old 10 attempts (~85 minutes).
 * A staff notice of a new case is how staff learn of it: it waits until the fault is fixed and is then
 * posted once, in order; the fault shows in /healthz (the desk's `problem`) and in one clear log line.
 */
let stub: SlackStub | undefined;
let db: Db | undefined;
afterEach(async () => {
  await stub?.close();
  await db?.close();
  stub = db = undefined;
});

interface Setup {
  staff: SlackStaffDesk;
  desk: CaseDeskImpl;
  stub: SlackStub;
  db: Db;
  log: ReturnType<typeof captureLogger>;
  advance(ms: number): void;
}

async function setup(): Promise<Setup> {
  registerSlackCatalog();
  stub = await startSlackStub();
  db = await telegramTestDb();
  let now = new Date('2026-11-27T02:00:00Z').getTime();
  const desk = createCaseDesk({ db, now: () => new Date(now) });
  const log = captureLogger('info');
  // No retries inside the client: what it cannot fix is what the desk's own outbox handling must.
  const client = new webApi.WebClient('xoxb-test', { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  const ctx = resolveContext({ db, desk, logger: log.logger, staffChannel: STAFF_CHANNEL, staffUserIds: [], adminUserIds: [], now: () => new Date(now) });
  return { staff: createSlackStaffDesk(ctx, client), desk, stub, db, log, advance: (ms) => (now += ms) };
}

const staffStates = async (d: Db) => (await d.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'staff' ORDER BY id")).map((r) => r.state);
const postedCodes = (s: SlackStub) =>
  s.callsOf('chat.postMessage').map((c) => /XH-\d{4}-\d{6}/.exec(JSON.stringify(c.body.blocks ?? ''))?.[0]).filter(Boolean);

describe('Slack staff channel misconfigured or the token revoked', () => {
  it.each([
    ['not_in_channel', /invite/i],
    ['channel_not_found', /SLACK_STAFF_CHANNEL/],
    ['invalid_auth', /SLACK_BOT_TOKEN/],
  ])('%s: notices wait (not given up after 10 attempts), /healthz names it, one log line says the fix; posted once in order when fixed', async (code, fix) => {
    const s = await setup();
    const codes: string[] = [];
    for (let i = 1; i <= 2; i += 1)
      codes.push((await s.desk.file({ type: 'complaint', channel: 'phone', text: `第${i}位家长来电：课后服务收费。`, actor: 'console' })).code);
    s.stub.override('chat.postMessage', () => ({ status: 200, json: { ok: false, error: code } }), 1_000);

    for (let i = 0; i < 40; i += 1) {
      await s.staff.drainOnce();
      s.advance(5 * 60_000);
    }
    const refused = s.stub.callsOf('chat.postMessage').length;
    expect(refused).toBeGreaterThanOrEqual(30); // tried about every 5 minutes for 3⅓ hours, not abandoned
    expect(await staffStates(s.db)).toEqual(['pending', 'pending']);
    expect(s.staff.problem()).toContain(code);
    const lines = s.log.lines().filter((l) => Number(l.level) >= 50 && String(l.msg).includes(code));
    expect(lines).toHaveLength(1); // said once when it started, not on every attempt
    expect(String(lines[0]?.msg)).toMatch(fix);

    s.stub.override('chat.postMessage', () => ({ status: 200, json: { ok: false, error: code } }), 0); // fixed
    s.advance(5 * 60_000);
    await s.staff.drainOnce();
    expect(await staffStates(s.db)).toEqual(['sent', 'sent']);
    expect(postedCodes(s.stub).slice(refused)).toEqual(codes);
    expect(s.staff.problem()).toBeNull();
    expect(s.log.lines().some((l) => Number(l.level) === 30 && /recovered|again/i.test(String(l.msg)))).toBe(true);
  });
});

describe('Slack failing for hours (5xx)', () => {
  it('keeps a new case\'s notice for a day before giving up on it', async () => {
    const s = await setup();
    const filed = await s.desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：教室漏雨。', actor: 'console' });
    s.stub.override('chat.postMessage', () => ({ status: 503, json: { ok: false, error: 'service_unavailable' } }), 10_000);
    for (let i = 0; i < 36; i += 1) {
      await s.staff.drainOnce();
      s.advance(5 * 60_000);
    }
    expect(await staffStates(s.db)).toEqual(['pending']); // three hours later, still waiting
    expect(s.staff.problem()).toContain('503');
    s.stub.override('chat.postMessage', () => ({ status: 503, json: {} }), 0);
    await s.staff.drainOnce();
    expect(await staffStates(s.db)).toEqual(['sent']);
    expect(postedCodes(s.stub).at(-1)).toBe(filed.code);
  });
});

describe('Slack bot token revoked before a restart', () => {
  it('the started desk says so at once (problem names SLACK_BOT_TOKEN, one error line), before any case arrives', async () => {
    registerSlackCatalog();
    stub = await startSlackStub();
    stub.override('auth.test', () => ({ json: { ok: false, error: 'token_revoked' } }), 100);
    db = await telegramTestDb();
    const log = captureLogger();
    const slack = createSlackApp({
      botToken: 'xoxb-revoked',
      botIdentity: await slackBotIdentity('xoxb-revoked', stub.apiUrl), // as main does
      signingSecret: TEST_SIGNING_SECRET,
      apiUrl: stub.apiUrl,
      port: 0,
      db,
      desk: createCaseDesk({ db }),
      logger: log.logger,
      staffChannel: STAFF_CHANNEL,
      staffUserIds: [],
      adminUserIds: [],
      drainIntervalMs: 60_000,
    });
    try {
      await slack.start();
      expect(slack.staffDesk.problem()).toMatch(/^token_revoked: .*SLACK_BOT_TOKEN/);
      const said = log.lines().filter((l) => String(l.msg).includes('SLACK_BOT_TOKEN'));
      expect(said).toHaveLength(1);
      expect(said[0]?.level).toBe(50);
    } finally {
      await slack.stop();
    }
  });
});
