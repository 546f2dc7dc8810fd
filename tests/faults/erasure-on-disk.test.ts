import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramStack, TEST_BOT_INFO, type TelegramStack } from '../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../helpers/telegram-updates.js';
import { startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';
import { freshPostgresDatabase, onPostgres, tableFileNodes } from '../helpers/postgres.js';
import { PERSON_ID } from '../helpers/identity-numbers.js';
import { telegramTestDb } from '../helpers/telegram-db.js';
import { listGapMessages } from '../../src/storage/gaps-repo.js';
import { purgeExpired } from '../../src/core/privacy/retention.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { erasureProblem, PERSONAL_TABLES } from '../../src/storage/erased-bytes.js';
import { eraseChat } from '../../src/storage/retention-repo.js';
import { pendingRewrites } from '../../src/storage/erasure-rewrites-repo.js';
import { insertMessage } from '../../src/storage/messages-repo.js';

/**
 * Issue 16, probe 4: after "删除我的数据" no table held the parent's text or
 * phone, but the WAL and then the database file still did (`strings` found
 * them), and the chat id stayed linked to the erased cases. This test reads
 * the raw bytes of the database after an erase made through the real Telegram
 * pipeline: on SQLite the database file and its -wal file; on PostgreSQL every
 * file of the database's folder in the server's data directory (tables,
 * indexes, TOAST, the pg_statistic catalog), after a CHECKPOINT so nothing
 * waits in the server's memory. PostgreSQL's WAL is not read: it keeps the
 * erased text until its segments are recycled (docs/PRIVACY.md).
 */
const CHAT = 7_730_419_258;
const PHONE = '13987654321';
const ID_NUMBER = '21050220190830123X';
const COMPLAINT = `彩屯小学食堂多收伙食费，孩子身份证${ID_NUMBER}，我的电话${PHONE}，请尽快核实退还`;
const QUESTION = '请问溪湖区转学手续要去哪个窗口办理呢';

let api: RecordingBotApi | undefined;
let telegram: TelegramStack | undefined;
let drop: (() => Promise<void>) | undefined;
/** A database a test uses without the Telegram stack (which closes its own). */
let bare: Db | undefined;
/** Run after each test, before the database goes. */
const afterCleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (afterCleanups.length) await afterCleanups.pop()!();
  await telegram?.close();
  await api?.close();
  await bare?.close();
  await drop?.();
  telegram = api = drop = bare = undefined;
});

/** The database the stack uses and a reader of its bytes on disk (see the comment above). */
async function diskDatabase(): Promise<{ db: Db; url?: string; bytes: () => Promise<Buffer> }> {
  if (!onPostgres) {
    const db = await telegramTestDb();
    const files = () => [db.path, `${db.path}-wal`].filter(existsSync);
    return { db, bytes: async () => Buffer.concat(files().map((p) => readFileSync(p))) };
  }
  // A database of its own: VACUUM FULL keeps row versions that a transaction of the same database might still
  // see, and the other test files' transactions run in the shared test database.
  const fresh = await freshPostgresDatabase('erase_disk');
  drop = fresh.drop;
  const db = await openDb(fresh.url);
  await migrate(db);
  return { db, url: fresh.url, bytes: () => postgresDatabaseBytes(fresh.url) };
}

async function postgresDatabaseBytes(url: string): Promise<Buffer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
    const { rows } = await client.query<{ dir: string; oid: string }>(
      "SELECT current_setting('data_directory') AS dir, (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS oid",
    );
    const folder = join(rows[0]!.dir, 'base', rows[0]!.oid);
    const parts: Buffer[] = [];
    for (const name of readdirSync(folder)) {
      try {
        parts.push(readFileSync(join(folder, name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // unlinked at the checkpoint meanwhile
        throw new Error(`This test reads the PostgreSQL server's files (${folder}): run it as root or the cluster's owner (scripts/test-postgres.sh). ${String(error)}`);
      }
    }
    return Buffer.concat(parts);
  } finally {
    await client.end();
  }
}

const contains = (haystack: Buffer, needle: string) => haystack.includes(Buffer.from(needle, 'utf8'));

describe('erasure', () => {
  it('leaves no phone, ID number, message text or chat id in the database or WAL bytes', async () => {
    api = await startRecordingBotApi();
    const disk = await diskDatabase();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, db: disk.db });
    telegram.channel.bot.botInfo = TEST_BOT_INFO;
    const { bot } = telegram.channel;
    const say = (text: string) => bot.handleUpdate(telegramTextUpdate({ chatId: CHAT, text }));
    await say(QUESTION);
    await say(`我要投诉，${COMPLAINT}`);
    await say('可以'); // yes to the number in the text, offered as the contact
    await say('确认');
    await telegram.channel.sender.drain();
    const [filed] = await telegram.cases.list({ chatId: String(CHAT) });
    // The phone in the text is stored masked there and is the contact the parent accepted: the erase must clear it.
    expect(filed?.text).toContain('139****4321');
    expect(filed?.contact).toBe(PHONE);
    // Staff answer; the parent's reply to it waits in the outbox (not sent yet) when the erase comes.
    await telegram.cases.act(filed!.code, { kind: 'claim' }, 'slack:USTAFF1');
    // What autovacuum does on PostgreSQL sooner or later (CivicDesk never runs ANALYZE on SQLite): statistics of
    // personal columns would copy values into the pg_statistic catalog (tests/storage/personal-statistics.test.ts).
    if (onPostgres) await telegram.db.exec('ANALYZE');
    expect(contains(await disk.bytes(), PHONE)).toBe(true); // the probe can see it before the erase

    await say('删除我的数据');
    await telegram.channel.sender.drain();
    const prompt = api.sent.find((s) => s.text.includes('确认删除'));
    const confirm = (prompt?.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard
      .flat()
      .find((b) => b.text.includes('确认删除'));
    await bot.handleUpdate(telegramCallbackUpdate({ chatId: CHAT, data: confirm!.callback_data }));
    await telegram.channel.sender.drain();
    expect(api.sent.some((s) => s.text.includes('已删除您的聊天数据'))).toBe(true);

    const raw = await disk.bytes();
    for (const secret of [PHONE, ID_NUMBER, COMPLAINT.slice(0, 12), QUESTION.slice(0, 10), QUESTION.slice(-8)])
      expect(contains(raw, secret), `"${secret}" is still on disk`).toBe(false);
    // The chat id is kept only by the erase confirmation just sent (docs/PRIVACY.md); nothing links it to the case.
    const db = telegram.db;
    expect(await db.get('SELECT COUNT(*) AS n FROM cases WHERE chat_id IS NOT NULL OR idempotency_key IS NOT NULL')).toEqual({ n: 0 });
    expect(await db.get('SELECT COUNT(*) AS n FROM telegram_message_cases')).toEqual({ n: 0 });
    expect(await db.get('SELECT COUNT(*) AS n FROM processed_inbound WHERE key LIKE ?', [`%${CHAT}%`])).toEqual({ n: 0 });
    // Of the chat's outbox rows only the erase confirmation is left: the rest (sent, and the pending
    // notice of the claim and withdrawal) went with the erase.
    const outbox = await db.all<{ payload: string }>('SELECT payload FROM outbox WHERE address = ?', [String(CHAT)]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload).toContain('已删除您的聊天数据');
  });

  it('leaves no question text behind a pressed 您是不是想问 choice linked to it, and no gap', async () => {
    api = await startRecordingBotApi();
    // The answer to the question also offers 入学年龄 as "您是不是想问" (pinned: the sample base is being tuned).
    const disk = await diskDatabase();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, db: disk.db, forceAlternative: { entryId: 'enrollment-age', section: null, title: '小学一年级入学年龄' } });
    telegram.channel.bot.botInfo = TEST_BOT_INFO;
    const { bot } = telegram.channel;
    const chat = CHAT + 2;
    const buttonOf = (label: string, first = false) =>
      api!.sent
        .filter((s) => s.chatId === String(chat))
        .flatMap((s) => (s.replyMarkup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard?.flat() ?? [])
        .filter((b) => b.text.includes(label))
        .at(first ? 0 : -1)!.callback_data;
    const press = (label: string, first = false) => bot.handleUpdate(telegramCallbackUpdate({ chatId: chat, data: buttonOf(label, first) }));
    await bot.handleUpdate(telegramTextUpdate({ chatId: chat, text: QUESTION }));
    await telegram.channel.sender.drain();
    await press('小学一年级入学年龄');
    await telegram.channel.sender.drain();
    await press('没帮助', true); // on the answer to the question (not the choice's): its text joins the gaps list
    await telegram.channel.sender.drain();
    const db = telegram.db;
    const linked = await db.all<{ questionId: number }>("SELECT question_id AS questionId FROM messages WHERE intent = 'kb-choice'");
    expect(linked).toHaveLength(1);
    expect(await db.get('SELECT text FROM messages WHERE id = ?', [linked[0]!.questionId])).toEqual({ text: QUESTION });
    expect((await listGapMessages(db, '2000-01-01T00:00:00.000Z')).map((g) => [g.text, g.chosen?.entryId])).toEqual([[QUESTION, 'enrollment-age']]);

    expect(contains(await disk.bytes(), QUESTION.slice(0, 10))).toBe(true);
    await bot.handleUpdate(telegramTextUpdate({ chatId: chat, text: '删除我的数据' }));
    await telegram.channel.sender.drain();
    await press('确认删除');
    await telegram.channel.sender.drain();
    const raw = await disk.bytes();
    for (const secret of [QUESTION.slice(0, 10), QUESTION.slice(-8)]) expect(contains(raw, secret), `"${secret}" is still on disk`).toBe(false);
    expect(await db.get('SELECT COUNT(*) AS n FROM messages WHERE chat_id = ?', [String(chat)])).toEqual({ n: 0 });
    expect(await listGapMessages(db, '2000-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('leaves no 身份证明 number (ID card or credit code) of a 政府信息公开申请 in the database or WAL bytes', async () => {
    api = await startRecordingBotApi();
    const disk = await diskDatabase();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, db: disk.db });
    telegram.channel.bot.botInfo = TEST_BOT_INFO;
    const { bot } = telegram.channel;
    const chat = CHAT + 1;
    const say = (text: string) => bot.handleUpdate(telegramTextUpdate({ chatId: chat, text }));
    // Typed answers work like the buttons: applicant, name, document, number, description, phone, form, delivery.
    for (const text of ['我要申请政府信息公开', '自然人', '孙立', '居民身份证', PERSON_ID, '溪湖区2026年小学学区划分方案及其文号', PHONE, '纸质', '自取', '确认'])
      await say(text);
    await telegram.channel.sender.drain();
    const [filed] = await telegram.cases.list({ chatId: String(chat) });
    expect(filed).toMatchObject({ type: 'disclosure', applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID });
    expect(contains(await disk.bytes(), PERSON_ID)).toBe(true);
    // What the bot sent back showed the number masked only.
    expect(api.sent.some((s) => s.text.includes('身份证明：居民身份证 110105********002X'))).toBe(true);
    expect(api.sent.some((s) => s.text.includes(PERSON_ID))).toBe(false);

    await say('删除我的数据');
    await telegram.channel.sender.drain();
    const prompt = api.sent.find((s) => s.chatId === String(chat) && s.text.includes('确认删除'));
    const confirm = (prompt?.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard
      .flat()
      .find((b) => b.text.includes('确认删除'));
    await bot.handleUpdate(telegramCallbackUpdate({ chatId: chat, data: confirm!.callback_data }));
    await telegram.channel.sender.drain();
    const raw = await disk.bytes();
    for (const secret of [PERSON_ID, PERSON_ID.slice(6, 14), PHONE, '孙立'])
      expect(contains(raw, secret), `"${secret}" is still on disk`).toBe(false);
    expect(await telegram.db.get('SELECT applicant_id_type AS t, applicant_id_number AS n FROM cases')).toEqual({ t: '居民身份证', n: null });
  });

  it('leaves no text, phone or reply of cases and messages past their retention time after the nightly purge', async () => {
    api = await startRecordingBotApi();
    const disk = await diskDatabase();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, db: disk.db });
    telegram.channel.bot.botInfo = TEST_BOT_INFO;
    const { bot } = telegram.channel;
    const chat = CHAT + 3;
    const say = (text: string) => bot.handleUpdate(telegramTextUpdate({ chatId: chat, text }));
    await say(QUESTION);
    await say(`我要投诉，${COMPLAINT}`);
    await say('可以'); // yes to the number in the text, offered as the contact
    await say('确认');
    await telegram.channel.sender.drain();
    const [filed] = await telegram.cases.list({ chatId: String(chat) });
    const REPLY = '经核实，彩屯小学已于本周退还多收的伙食费，请查收';
    await telegram.cases.act(filed!.code, { kind: 'claim' }, 'slack:USTAFF1');
    await telegram.cases.act(filed!.code, { kind: 'reply', text: REPLY }, 'slack:USTAFF1');
    await telegram.cases.act(filed!.code, { kind: 'close', note: '已退费' }, 'slack:USTAFF1');
    await telegram.channel.sender.drain();
    const before = await disk.bytes();
    // (The ID number is not on disk even now: the case text and the conversation state hold it masked.)
    for (const secret of [PHONE, REPLY.slice(0, 10)]) expect(contains(before, secret), `"${secret}" before the purge`).toBe(true);
    expect(contains(before, ID_NUMBER)).toBe(false);

    // Everything is past a retention of 0 days a day later, whatever the day the suite runs.
    const result = await purgeExpired(telegram.db, { messageDays: 0, caseDays: 0, conversationDays: 0 }, new Date(Date.now() + 86_400_000));
    expect(result).toMatchObject({ cases: 1, diskProblem: null });
    const raw = await disk.bytes();
    for (const secret of [PHONE, ID_NUMBER, COMPLAINT.slice(0, 12), QUESTION.slice(0, 10), QUESTION.slice(-8), REPLY.slice(0, 10)])
      expect(contains(raw, secret), `"${secret}" is still on disk`).toBe(false);
    // The counts the reports need stay.
    expect(await telegram.db.get('SELECT type, state, text FROM cases')).toEqual({ type: 'complaint', state: 'closed', text: '[已删除]' });
  });

  it('the nightly purge rewrites only the table it purged, and a night with nothing to purge rewrites none', async () => {
    const disk = await diskDatabase();
    const db = (bare = disk.db);
    const OLD = '请问彩屯小学课后延时服务每月怎么收费';
    const OPEN_CASE = '石桥子中学门口早高峰拥堵，请协调交警疏导';
    await insertMessage(
      db,
      { channel: 'telegram', chatId: '7730419301', text: OLD, intent: 'kb-miss', answered: false, confident: false },
      new Date('2026-03-02T01:00:00Z'),
    );
    await db.run(
      `INSERT INTO cases (code, type, channel, state, text, received_at, created_at, updated_at)
       VALUES ('XH-2026-000901', 'complaint', 'telegram', 'received', ?, ?, ?, ?)`,
      [OPEN_CASE, '2026-03-02T01:00:00.000Z', '2026-03-02T01:00:00.000Z', '2026-03-02T01:00:00.000Z'],
    );
    const nodes = (): Promise<Record<string, string>> => (onPostgres ? tableFileNodes(db, PERSONAL_TABLES) : Promise.resolve({}));
    const before = await nodes();
    expect(contains(await disk.bytes(), OLD)).toBe(true);

    // Only the message is past its retention (30 days); the open case is kept.
    const policy = { messageDays: 30, caseDays: 365, conversationDays: 30 };
    const first = await purgeExpired(db, policy, new Date('2026-05-01T18:15:00Z'));
    expect(first).toMatchObject({ messageTexts: 1, cases: 0, conversations: 0, outbox: 0, diskProblem: null });
    const raw = await disk.bytes();
    expect(contains(raw, OLD), 'the purged message text is still on disk').toBe(false);
    expect(contains(raw, OPEN_CASE)).toBe(true);
    const afterFirst = await nodes();
    if (onPostgres) {
      // messages was rewritten into a new file; no other table was touched (and none was locked).
      const rewritten = PERSONAL_TABLES.filter((table) => afterFirst[table] !== before[table]);
      expect(rewritten).toEqual(['messages']);
    }
    expect(await pendingRewrites(db)).toEqual([]);

    // The next night there is nothing to purge: no table is rewritten.
    const second = await purgeExpired(db, policy, new Date('2026-05-02T18:15:00Z'));
    expect(second).toMatchObject({ messageTexts: 0, cases: 0, gapSamples: 0, telegramState: 0, diskProblem: null });
    expect(await nodes()).toEqual(afterFirst);
    expect(await pendingRewrites(db)).toEqual([]);
  });

  it('an erase while another session holds an older snapshot keeps the mark, says who, and the next purge clears the bytes', async () => {
    const disk = await diskDatabase();
    const db = (bare = disk.db);
    const TEXT = `孩子在石桥子中学被同学欺负，请联系我，电话${PHONE}`;
    await insertMessage(db, { channel: 'telegram', chatId: '7730419377', text: TEXT, intent: 'kb-miss', answered: false, confident: false }, new Date('2026-03-02T01:00:00Z'));

    // Another reader holds a snapshot from before the erase: a monthly report in another instance (PostgreSQL: a
    // REPEATABLE READ transaction that read the publications, so it locks no table the erase rewrites; SQLite: a
    // second connection to the file inside a read transaction).
    const reader = onPostgres ? await postgresReader(disk.url!) : await sqliteReader(db.path);
    afterCleanups.push(() => reader.end());

    const erased = await eraseChat(db, 'telegram', '7730419377', '2026-03-02T02:00:00.000Z');
    expect(erased.messages).toBe(1);
    expect(await db.get('SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL')).toEqual({ n: 0 });
    // The rewrite could not drop what the reader may still see: the text is still in the files, and the erase says so.
    // (Its phone never was: a question's text is stored with its numbers masked.)
    expect(contains(await disk.bytes(), TEXT.slice(0, 10))).toBe(true);
    expect(contains(await disk.bytes(), PHONE)).toBe(false);
    const why = onPostgres
      ? new RegExp(`messages still holds erased row versions: another session's snapshot is older than the erase \\(session pid ${reader.pid} \\(app "monthly-report", idle in transaction, since \\d{4}-.*retried at the next purge`)
      : /another connection to the database file .* was reading during the checkpoint; retried at the next purge/;
    expect(erased.diskProblem).toMatch(why);
    const marks = await pendingRewrites(db);
    expect(marks.map((m) => m.table)).toContain('messages');
    expect(marks.find((m) => m.table === 'messages')?.problem).toMatch(why);
    // What /healthz reports (ops/http-routes.ts), from the database: degraded, naming the table and the holder.
    expect(await erasureProblem(db)).toMatch(onPostgres ? /messages still holds erased row versions: .*session pid \d+/ : /messages.*: the write-ahead log still holds erased bytes/);

    // The report ends; the next nightly purge has nothing to purge but retries the marked tables.
    await reader.end();
    const purge = await purgeExpired(db, { messageDays: 180, caseDays: 1095, conversationDays: 30 }, new Date('2026-03-02T18:15:00Z'));
    expect(purge).toMatchObject({ messageTexts: 0, cases: 0, diskProblem: null });
    expect(await pendingRewrites(db)).toEqual([]);
    expect(await erasureProblem(db)).toBeNull();
    const raw = await disk.bytes();
    for (const secret of [PHONE, TEXT.slice(0, 10)]) expect(contains(raw, secret), `"${secret}" is still on disk`).toBe(false);
  });
});

interface Reader {
  pid: number | null;
  /** Ends the read transaction and the connection (again: nothing). */
  end(): Promise<void>;
}

async function postgresReader(url: string): Promise<Reader> {
  const client = new pg.Client({ connectionString: url, application_name: 'monthly-report' });
  client.on('error', () => undefined); // the database is dropped with FORCE after a failed test
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, (SELECT COUNT(*) FROM disclosures) AS n');
  let open = true;
  return {
    pid: rows[0]!.pid,
    end: async () => {
      if (!open) return;
      open = false;
      await client.query('COMMIT');
      await client.end();
    },
  };
}

async function sqliteReader(file: string): Promise<Reader> {
  const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
  });
  const run = (sql: string) => new Promise<void>((resolve, reject) => raw.run(sql, (err) => (err ? reject(err) : resolve())));
  await run('BEGIN');
  const read = await new Promise<number>((resolve, reject) =>
    raw.get<{ n: number }>('SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL', (err, row) => (err ? reject(err) : resolve(row!.n))),
  );
  if (read !== 1) throw new Error(`the reader saw ${read} messages`);
  let open = true;
  return {
    pid: null,
    end: async () => {
      if (!open) return;
      open = false;
      await run('COMMIT');
      await new Promise<void>((resolve, reject) => raw.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
