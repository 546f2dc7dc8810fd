import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramStack, TEST_BOT_INFO, type TelegramStack } from '../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../helpers/telegram-updates.js';
import { startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';
import { onPostgres } from '../helpers/postgres.js';
import { PERSON_ID } from '../helpers/identity-numbers.js';
import { listGapMessages } from '../../src/storage/gaps-repo.js';

/**
 * Issue 16, probe 4: after "删除我的数据" no table held the parent's text or
 * phone, but the WAL and then the database file still did (`strings` found
 * them), and the chat id stayed linked to the erased cases. This test reads
 * the raw bytes of the database and its -wal file after an erase made through
 * the real Telegram pipeline.
 */
const CHAT = 7_730_419_258;
const PHONE = '13987654321';
const ID_NUMBER = '21050220190830123X';
const COMPLAINT = `彩屯小学食堂多收伙食费，孩子身份证${ID_NUMBER}，我的电话${PHONE}，请尽快核实退还`;
const QUESTION = '请问溪湖区转学手续要去哪个窗口办理呢';

let api: RecordingBotApi | undefined;
let telegram: TelegramStack | undefined;
afterEach(async () => {
  await telegram?.close();
  await api?.close();
  telegram = api = undefined;
});

const bytesOnDisk = (path: string) => Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
const contains = (haystack: Buffer, needle: string) => haystack.includes(Buffer.from(needle, 'utf8'));

// Reads the SQLite file's own bytes. On PostgreSQL the data files are the server's: the erasure's rows are
// deleted there too (tests/core/privacy), but their bytes leave the heap and WAL only with VACUUM and WAL
// recycling, which the server's operator runs (docs/PRIVACY.md) — not something a client test can read.
describe.skipIf(onPostgres)('erasure', () => {
  it('leaves no phone, ID number, message text or chat id in the database or WAL bytes', async () => {
    api = await startRecordingBotApi();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot });
    telegram.channel.bot.botInfo = TEST_BOT_INFO;
    const { bot } = telegram.channel;
    const say = (text: string) => bot.handleUpdate(telegramTextUpdate({ chatId: CHAT, text }));
    await say(QUESTION);
    await say(`我要投诉，${COMPLAINT}`);
    await say('不留');
    await say('确认');
    await telegram.channel.sender.drain();
    const [filed] = await telegram.cases.list({ chatId: String(CHAT) });
    expect(filed?.text).toContain(PHONE);
    // Staff answer; the parent's reply to it waits in the outbox (not sent yet) when the erase comes.
    await telegram.cases.act(filed!.code, { kind: 'claim' }, 'slack:USTAFF1');
    const path = telegram.db.path;
    expect(contains(bytesOnDisk(path), PHONE)).toBe(true); // the probe can see it before the erase

    await say('删除我的数据');
    await telegram.channel.sender.drain();
    const prompt = api.sent.find((s) => s.text.includes('确认删除'));
    const confirm = (prompt?.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard
      .flat()
      .find((b) => b.text.includes('确认删除'));
    await bot.handleUpdate(telegramCallbackUpdate({ chatId: CHAT, data: confirm!.callback_data }));
    await telegram.channel.sender.drain();
    expect(api.sent.some((s) => s.text.includes('已删除您的聊天数据'))).toBe(true);

    const raw = bytesOnDisk(path);
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
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, forceAlternative: { entryId: 'enrollment-age', section: null, title: '小学一年级入学年龄' } });
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

    await bot.handleUpdate(telegramTextUpdate({ chatId: chat, text: '删除我的数据' }));
    await telegram.channel.sender.drain();
    await press('确认删除');
    await telegram.channel.sender.drain();
    const raw = bytesOnDisk(db.path);
    for (const secret of [QUESTION.slice(0, 10), QUESTION.slice(-8)]) expect(contains(raw, secret), `"${secret}" is still on disk`).toBe(false);
    expect(await db.get('SELECT COUNT(*) AS n FROM messages WHERE chat_id = ?', [String(chat)])).toEqual({ n: 0 });
    expect(await listGapMessages(db, '2000-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('leaves no 身份证明 number (ID card or credit code) of a 政府信息公开申请 in the database or WAL bytes', async () => {
    api = await startRecordingBotApi();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot });
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
    const path = telegram.db.path;
    expect(contains(bytesOnDisk(path), PERSON_ID)).toBe(true);
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
    const raw = bytesOnDisk(path);
    for (const secret of [PERSON_ID, PERSON_ID.slice(6, 14), PHONE, '孙立'])
      expect(contains(raw, secret), `"${secret}" is still on disk`).toBe(false);
    expect(await telegram.db.get('SELECT applicant_id_type AS t, applicant_id_number AS n FROM cases')).toEqual({ t: '居民身份证', n: null });
  });
});
