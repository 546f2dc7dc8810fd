import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS } from '../../src/channels/slack/types.js';
import { SECRET_HEADER } from '../../src/channels/telegram/webhook.js';
import { opsRoutes, type Route } from '../../src/ops/http-routes.js';
import { startHttpServer } from '../../src/ops/http-server.js';
import { createMetrics } from '../../src/ops/metrics.js';
import type { Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open-store.js';
import { blockAction } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { postInteraction } from '../helpers/slack-signer.js';
import { createTelegramStack, TEST_BOT_INFO, type TelegramStack } from '../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../helpers/telegram-updates.js';
import { diskFullDb, realDiskFullError } from './helpers/disk-full-db.js';
import { refuseWrites } from './helpers/refuse-writes.js';
import { onPostgres } from '../helpers/postgres.js';
import { allText, createEngineStack, parent, tempDir } from './helpers/engine-stack.js';
import { badGateway, startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * Issue 16, probe 2: with the database refusing writes every Telegram update
 * failed at its first write (processed_inbound), was acknowledged and lost;
 * the parent got nothing, a Slack claim got no feedback, and /healthz said ok.
 *
 * How the faults are made (CI runs as root, so chmod cannot make a file
 * read-only for the bot):
 * - read-only: helpers/refuse-writes.ts (SQLite: `PRAGMA query_only` on the
 *   bot's own connection, the real SQLITE_READONLY error; PostgreSQL: the
 *   server's read-only error, SQLSTATE 25006, on every write of the schema).
 * - disk full: the real SQLITE_FULL error, produced by a database capped with
 *   PRAGMA max_page_count, returned by every write of a wrapped Db
 *   (helpers/disk-full-db.ts): a capped file keeps accepting writes that fit
 *   in its free space, where a full disk refuses them all.
 */
const QUESTION = '孩子2020年8月30号出生，今年能上一年级吗？';
const ANSWER_HEADING = '小学一年级入学年龄要求';
const COMPLAINT = '我要投诉，彩屯小学食堂每月多收伙食费200元，没有任何公示';
const APOLOGY = '已收到您的消息，但系统暂时无法登记。系统恢复后会自动处理，无需重复发送。';
const CHAT = 660_001;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function serve(routes: Route[]): Promise<string> {
  const server: Server = await startHttpServer(0, routes, '127.0.0.1');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const opsFor = (db: Db) => opsRoutes({ db, metrics: createMetrics(db), knowledgeEntries: () => 40, channels: () => ({ telegram: 'connected' }) });

async function health(base: string) {
  const res = await fetch(`${base}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; database: string } };
}
/** Failed writes counted by db.ts, as /metrics shows them (the disk-full wrapper fails above db.ts, so only read-only is counted here). */
const failedWrites = async (base: string, condition: string) => {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`civicdesk_storage_write_failures_total\\{condition="${condition}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
};

async function telegramStack(webhook = false): Promise<{ api: RecordingBotApi; tg: TelegramStack }> {
  const api = await startRecordingBotApi();
  cleanups.push(() => api.close());
  const tg = await createTelegramStack({
    apiRoot: api.apiRoot,
    ...(webhook ? { webhook: { url: 'http://127.0.0.1/telegram/webhook', secret: 'webhook-secret-1' } } : {}),
  });
  cleanups.push(() => tg.close());
  tg.channel.bot.botInfo = TEST_BOT_INFO;
  return { api, tg };
}

const sentTexts = (api: RecordingBotApi) => api.sent.map((s) => s.text);

describe('database read-only (Telegram long polling)', () => {
  it('answers or apologises at once, reports read-only with 503, counts the failures, and replays the held updates after recovery', async () => {
    const { api, tg } = await telegramStack();
    const base = await serve(opsFor(tg.db));
    expect((await health(base)).body.database).toBe('ok');
    const say = (text: string, updateId: number) => tg.channel.bot.handleUpdate(telegramTextUpdate({ chatId: CHAT, text, updateId }));

    await refuseWrites(tg.db, true);
    await say(QUESTION, 9001);
    await say(COMPLAINT, 9002);
    // No outbox: these went out directly.
    expect(sentTexts(api).filter((t) => t.includes(ANSWER_HEADING))).toHaveLength(1);
    expect(sentTexts(api).filter((t) => t.includes(APOLOGY))).toHaveLength(1);
    expect(tg.channel.unrecorded.waiting).toBe(2);
    const down = await health(base);
    expect(down).toMatchObject({ status: 503, body: { status: 'degraded', database: 'read-only' } });
    expect(await failedWrites(base, 'read-only')).toBeGreaterThanOrEqual(3); // two updates and the heartbeat
    // A replay while still read-only keeps them.
    expect(await tg.channel.replayUnrecorded()).toBe(0);
    expect(tg.channel.unrecorded.waiting).toBe(2);
    expect(sentTexts(api).filter((t) => t.includes(APOLOGY))).toHaveLength(1); // no second apology

    await refuseWrites(tg.db, false); // the operator fixed the permissions: no restart
    expect(await health(base)).toMatchObject({ status: 200, body: { database: 'ok' } });
    expect(await tg.channel.replayUnrecorded()).toBe(2);
    await tg.channel.sender.drain();
    // The complaint is handled now (the filing flow answers); the question is not answered twice.
    const after = sentTexts(api).slice(2).join('\n');
    expect(after).toMatch(/投诉|联系电话|手机号/);
    expect(sentTexts(api).filter((t) => t.includes(ANSWER_HEADING))).toHaveLength(1);
    expect(await tg.db.get("SELECT COUNT(*) AS n FROM processed_inbound WHERE key LIKE '9001:%' OR key LIKE '9002:%'")).toEqual({ n: 2 });
  });
});

describe('database read-only and the direct answer refused (Telegram long polling)', () => {
  it('answers the question after recovery: it is not counted as answered when the send failed', async () => {
    const { api, tg } = await telegramStack();
    await refuseWrites(tg.db, true);
    api.outage(1, badGateway()); // the same outage took the Bot API (or the network) down for a moment
    await tg.channel.bot.handleUpdate(telegramTextUpdate({ chatId: CHAT + 2, text: QUESTION, updateId: 9201 }));
    expect(api.failed.map((f) => f.text).join('\n')).toContain(ANSWER_HEADING);
    expect(api.sent).toHaveLength(0);
    await refuseWrites(tg.db, false);
    expect(await tg.channel.replayUnrecorded()).toBe(1);
    await tg.channel.sender.drain();
    expect(api.sent.filter((s) => s.chatId === String(CHAT + 2) && s.text.includes(ANSWER_HEADING))).toHaveLength(1);
  });
});

describe('database read-only, then back before the replay (Telegram long polling)', () => {
  it('a complaint the parent sends again is handled once, and not as a second petition', async () => {
    const { api, tg } = await telegramStack();
    const chat = CHAT + 3;
    const say = (text: string, updateId: number) => tg.channel.bot.handleUpdate(telegramTextUpdate({ chatId: chat, text, updateId }));
    await refuseWrites(tg.db, true);
    await say(COMPLAINT, 9301);
    expect(sentTexts(api)).toEqual([APOLOGY]); // told it will be handled: nothing to resend
    await refuseWrites(tg.db, false);
    await say(COMPLAINT, 9302); // sent again all the same, before the replay timer ran
    await tg.channel.sender.drain();
    const texts = sentTexts(api);
    expect(texts[1]).toBe('这条消息与您之前发送、正在等待处理的消息相同，我们会按前一条处理，不会重复登记。');
    expect(texts.filter((t) => t.includes('请留下联系电话'))).toHaveLength(1);
    expect(texts.join('\n')).not.toContain('另一条诉求');
    expect(tg.channel.unrecorded.waiting).toBe(0);
    expect(await tg.channel.replayUnrecorded()).toBe(0);
  });

  it("a chat's held message is handled before its newer one: 取消 sent after a held complaint cancels that complaint", async () => {
    const { api, tg } = await telegramStack();
    const chat = CHAT + 4;
    const say = (text: string, updateId: number) => tg.channel.bot.handleUpdate(telegramTextUpdate({ chatId: chat, text, updateId }));
    await refuseWrites(tg.db, true);
    await say(COMPLAINT, 9401);
    await refuseWrites(tg.db, false);
    await say('取消', 9402);
    await tg.channel.sender.drain();
    const texts = sentTexts(api);
    expect(texts[0]).toBe(APOLOGY);
    expect(texts.slice(1).some((t) => t.includes('请留下联系电话'))).toBe(true);
    expect(texts.at(-1)).toBe('已取消，没有提交任何内容。');
    expect(tg.channel.unrecorded.waiting).toBe(0);
  });
});

describe('database read-only (Telegram webhook)', () => {
  it('answers non-2xx so Telegram redelivers, apologises once, and handles the redelivery after recovery', async () => {
    const { api, tg } = await telegramStack(true);
    const handler = tg.channel.webhookHandler!;
    const base = await serve([{ path: '/telegram/webhook', method: 'POST', handler: (req, res) => handler(req, res) }]);
    const update = JSON.stringify(telegramTextUpdate({ chatId: CHAT + 1, text: COMPLAINT, updateId: 9101 }));
    const post = () => fetch(`${base}/telegram/webhook`, { method: 'POST', headers: { [SECRET_HEADER]: 'webhook-secret-1', 'content-type': 'application/json' }, body: update });

    await refuseWrites(tg.db, true);
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(500); // Telegram's redelivery during the fault
    expect(sentTexts(api).filter((t) => t.includes(APOLOGY))).toHaveLength(1);

    await refuseWrites(tg.db, false);
    expect((await post()).status).toBe(200);
    await tg.channel.sender.drain();
    expect(sentTexts(api).slice(1).join('\n')).toMatch(/投诉|联系电话|手机号/);
    expect((await post()).status).toBe(200); // a further redelivery is a duplicate: nothing more is sent
    const count = api.sent.length;
    await tg.channel.sender.drain();
    expect(api.sent.length).toBe(count);
  });
});

describe('disk full', () => {
  it('/healthz reports "disk full" with 503 and recovers without a restart', async () => {
    const real = await openStore(join(tempDir(), 'civicdesk.db'));
    cleanups.push(() => real.close());
    const db = diskFullDb(real, await realDiskFullError());
    const base = await serve(opsFor(db));
    db.full = true;
    expect(await health(base)).toMatchObject({ status: 503, body: { database: 'disk full' } });
    db.full = false;
    expect(await health(base)).toMatchObject({ status: 200, body: { database: 'ok' } });
  });
});

describe('Slack staff while the database is read-only', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a Claim click gets an ephemeral error naming the problem instead of silence', async () => {
    h = await startSlackHarness();
    const filed = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '5005', text: '转学需要什么材料？', actor: 'citizen' });
    await refuseWrites(h.db, true);
    const res = await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: filed.code, responseUrl: h.stub.responseUrl('ro') }));
    expect(res.status).toBe(200);
    const note = await h.stub.waitFor('response_url');
    expect(note.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(note.body.text)).toContain('操作未完成：数据库暂时无法写入（read-only）');
    await refuseWrites(h.db, false);
    expect((await h.desk.get(filed.code))?.state).toBe('received');
  });
});

/**
 * A database file that was not writable when the bot started: SQLite opens it
 * read-only without a word, and that connection stayed read-only after the
 * operator restored the permissions. Made for real: `chmod 444` when the suite
 * runs as a normal user; as root (CI), whom permissions do not stop, the
 * immutable flag (`chattr +i`), which stops root too. Skipped only where
 * neither can be set (a filesystem without attributes).
 */
function lockFile(path: string): (() => void) | null {
  try {
    if (process.getuid?.() === 0) {
      execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
      return () => execFileSync('chattr', ['-i', path], { stdio: 'ignore' });
    }
    chmodSync(path, 0o444);
    return () => chmodSync(path, 0o644);
  } catch {
    return null;
  }
}

// About the SQLite file itself (its permissions, SQLite's silent read-only open): a PostgreSQL server has no such file.
describe.skipIf(onPostgres)('database file read-only when the bot starts', () => {
  it('reports read-only, and writes again once the file is writable, without a restart', async (t) => {
    const path = join(tempDir(), 'civicdesk.db');
    await (await openStore(path)).close();
    const unlock = lockFile(path);
    if (!unlock) return t.skip();
    let unlocked = false;
    cleanups.push(async () => (unlocked ? undefined : unlock()));
    const db = await openStore(path);
    cleanups.push(() => db.close());
    const { engine } = await createEngineStack({ db });
    const base = await serve(opsFor(db));

    expect(await health(base)).toMatchObject({ status: 503, body: { database: 'read-only' } });
    const p = parent(engine, 'ro-start');
    const filing = await p.say(COMPLAINT);
    expect(allText(filing)).not.toBe('');

    unlock();
    unlocked = true;
    expect(await health(base)).toMatchObject({ status: 200, body: { database: 'ok' } });
    const question = await parent(engine, 'ro-after').say(QUESTION);
    expect(question[0]?.heading).toContain(ANSWER_HEADING);
    expect((await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE chat_id = 'ro-after'"))?.n).toBe(1);
  });
});
