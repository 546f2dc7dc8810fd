import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../helpers/telegram-db.js';
import { createTelegramStack, type TelegramStack } from '../helpers/telegram-harness.js';
import { badGateway, botApiError, startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * Bot API errors a bureau's deployment meets while sending (the real telegraf client against a
 * recording Bot API on 127.0.0.1, the real case desk, a real SQLite file, a fake clock): a long
 * outage, a message Telegram refuses to parse, a chat that no longer exists. Nothing the bureau
 * acknowledged may be lost, nothing retried forever, and staff learn when a parent cannot be reached.
 */
let api: RecordingBotApi | undefined;
let telegram: TelegramStack | undefined;
afterEach(async () => {
  await telegram?.close();
  await api?.close();
  api = telegram = undefined;
});

async function start(): Promise<{ stack: TelegramStack; clock: ReturnType<typeof fakeClock>; api: RecordingBotApi }> {
  api = await startRecordingBotApi();
  const clock = fakeClock();
  telegram = await createTelegramStack({ apiRoot: api.apiRoot, clock });
  return { stack: telegram, clock, api };
}

const rows = async (stack: TelegramStack, chatId: string) =>
  stack.db.all<{ state: string; lastError: string | null }>(
    "SELECT state, last_error AS lastError FROM outbox WHERE target = 'telegram' AND address = ? ORDER BY id",
    [chatId],
  );

const staffNotices = async (stack: TelegramStack) =>
  (await stack.db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'staff' ORDER BY id")).map(
    (r) => JSON.parse(r.payload) as { change: string; caseCode: string },
  );

describe('Telegram Bot API unreachable for hours (the bureau\'s uplink is down)', () => {
  it('keeps the parent\'s case messages pending with backoff capped at 5 minutes, and sends them once it is back', async () => {
    const { stack, clock, api } = await start();
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920001', text: '校车超载，请核查。', actor: 'citizen' });
    api.failWhen(() => badGateway());

    // Three hours of failures: far more than the old 8 attempts (~8.5 minutes).
    const until = clock.now() + 3 * 3600_000;
    let attempts = 0;
    while (clock.now() < until) {
      await stack.channel.sender.drain();
      attempts = api.failed.length;
      clock.advance(5 * 60_000);
    }
    expect(attempts).toBeGreaterThan(20);
    expect((await rows(stack, '920001')).map((r) => r.state)).toEqual(['pending']);
    expect(stack.channel.sender.problem()).toMatch(/^502/); // what /healthz shows under `problems`

    api.failWhen(null);
    clock.advance(5 * 60_000);
    await stack.channel.sender.drain();
    expect((await rows(stack, '920001')).map((r) => r.state)).toEqual(['sent']);
    expect(api.sent.map((s) => s.text)).toEqual([expect.stringMatching(new RegExp(`^您的投诉已登记，编号 ${filed.code}`))]);
    expect(stack.channel.sender.problem()).toBeNull();
  });

  it('a revoked bot token (401) keeps messages waiting and names TELEGRAM_BOT_TOKEN; no case is marked unreachable', async () => {
    const { stack, clock, api } = await start();
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920007', text: '放学时间太早。', actor: 'citizen' });
    api.failWhen(() => botApiError(401, 'Unauthorized'));
    for (let i = 0; i < 12; i += 1) {
      await stack.channel.sender.drain();
      clock.advance(5 * 60_000);
    }
    expect((await rows(stack, '920007')).map((r) => r.state)).toEqual(['pending']);
    expect(stack.channel.sender.problem()).toContain('TELEGRAM_BOT_TOKEN');
    expect((await stack.cases.get(filed.code))?.state).toBe('received');
  });

  it('gives up on a message only after it kept failing for a day, and then tells staff when it belonged to a case', async () => {
    const { stack, clock, api } = await start();
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920002', text: '食堂卫生问题。', actor: 'citizen' });
    api.failWhen(() => badGateway());
    const dayLater = clock.now() + 24 * 3600_000;
    while (clock.now() <= dayLater + 10 * 60_000) {
      await stack.channel.sender.drain();
      clock.advance(5 * 60_000);
    }
    const [row] = await rows(stack, '920002');
    expect(row?.state).toBe('dead');
    expect(row?.lastError).toContain('Bad Gateway');
    const record = await stack.cases.get(filed.code);
    expect(record?.state).toBe('unreachable');
    expect((await staffNotices(stack)).filter((n) => n.caseCode === filed.code).map((n) => n.change)).toContain('transition');
  });
});

describe('Telegram refuses one message', () => {
  it('"can\'t parse entities": the parent still gets the text, sent once more as plain text', async () => {
    const { stack, clock, api } = await start();
    const filed = await stack.cases.file({ type: 'inquiry', channel: 'telegram', chatId: '920003', text: '入学<材料>&证明？', actor: 'citizen' });
    api.failWhen((body) =>
      body.parse_mode === 'HTML' ? botApiError(400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 3') : undefined,
    );
    await stack.channel.sender.drain();
    clock.advance(1000);
    expect((await rows(stack, '920003')).map((r) => r.state)).toEqual(['sent']);
    expect(api.sent).toHaveLength(1);
    const [plain] = api.sent;
    expect(plain?.parseMode).toBeUndefined();
    expect(plain?.text).toContain(filed.code);
    expect(plain?.text).not.toMatch(/<\/?[bia]\b|&lt;|&amp;/);
  });

  it('a keyboard Telegram refuses (BUTTON_DATA_INVALID): the words go out without the buttons', async () => {
    const { stack, api } = await start();
    const filed = await stack.cases.file({ type: 'inquiry', channel: 'telegram', chatId: '920009', text: '转学手续？', actor: 'citizen' });
    await stack.cases.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.cases.act(filed.code, { kind: 'reply', text: '请携带户口本到学校办理。' }, 'slack:USTAFF1');
    await stack.cases.act(filed.code, { kind: 'close', basis: 'answered', note: '已答复' }, 'slack:USTAFF1');
    api.failWhen((body) => (body.reply_markup ? botApiError(400, 'Bad Request: BUTTON_DATA_INVALID') : undefined));
    await stack.channel.sender.drain();
    const states = (await rows(stack, '920009')).map((r) => r.state);
    expect(states).toEqual(Array(states.length).fill('sent'));
    expect(api.failed.length).toBeGreaterThanOrEqual(1); // at least one message carried buttons (the rating request)
    expect(api.sent.every((s) => s.replyMarkup === undefined)).toBe(true);
    expect(api.sent.some((s) => s.text.includes('请携带户口本到学校办理。'))).toBe(true);
  });

  it('"chat not found" is not retried: the case is marked unreachable, staff are told, other chats keep going', async () => {
    const { stack, api } = await start();
    const gone = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920004', text: '午休时间太短。', actor: 'citizen' });
    const other = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920005', text: '课后服务收费。', actor: 'citizen' });
    api.failWhen((body) => (String(body.chat_id) === '920004' ? botApiError(400, 'Bad Request: chat not found') : undefined));
    await stack.channel.sender.drain();
    const states = (await rows(stack, '920004')).map((r) => r.state);
    expect(states.length).toBeGreaterThanOrEqual(1);
    expect(states).toEqual(Array(states.length).fill('dead')); // the receipt, then the unreachable notice: each tried once
    expect(api.failed.filter((f) => f.chatId === '920004')).toHaveLength(states.length);
    expect((await stack.cases.get(gone.code))?.state).toBe('unreachable');
    expect((await staffNotices(stack)).some((n) => n.caseCode === gone.code && n.change === 'transition')).toBe(true);
    expect(api.sent.filter((s) => s.chatId === '920005').map((s) => s.text)).toEqual([expect.stringContaining(other.code)]);
  });

  it('"bot was blocked by the user" on a staff reply: one attempt a message, the case unreachable, staff told', async () => {
    const { stack, clock, api } = await start();
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920006', text: '校服质量差。', actor: 'citizen' });
    await stack.channel.sender.drain();
    api.failWhen((body) => (String(body.chat_id) === '920006' ? botApiError(403, 'Forbidden: bot was blocked by the user') : undefined));
    await stack.cases.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.cases.act(filed.code, { kind: 'reply', text: '已联系供应商更换。' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    clock.advance(3_600_000);
    await stack.channel.sender.drain();
    // The receipt went out before the block; every later row (claim, reply, the unreachable notice) was tried once.
    const states = (await rows(stack, '920006')).map((r) => r.state);
    expect(states[0]).toBe('sent');
    expect(states.slice(1)).toEqual(Array(states.length - 1).fill('dead'));
    expect(states.length).toBeGreaterThanOrEqual(3);
    expect(api.failed.filter((f) => f.chatId === '920006')).toHaveLength(states.length - 1);
    expect((await stack.cases.get(filed.code))?.state).toBe('unreachable');
    expect((await staffNotices(stack)).filter((n) => n.caseCode === filed.code).map((n) => n.change)).toContain('transition');
  });
});

describe('the system clock stepped back (an NTP correction)', () => {
  it('the next message to a chat that was just written to goes out at once, not when the clock catches up', async () => {
    const { stack, clock, api } = await start();
    const first = await stack.cases.file({ type: 'inquiry', channel: 'telegram', chatId: '920008', text: '开学时间？', actor: 'citizen' });
    await stack.channel.sender.drain();
    expect(api.sent).toHaveLength(1);
    clock.advance(-3_600_000); // the clock was an hour fast and is corrected
    const stepped = clock.now();
    await stack.cases.act(first.code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    expect(api.sent).toHaveLength(2);
    expect(api.sent[1]?.text).toMatch(/已由工作人员签收办理/);
    expect(clock.now() - stepped).toBeLessThan(60_000); // the sender waited its pacing, not the hour
  });

  it('a retry scheduled while the clock ran an hour fast goes out after its backoff once the clock is corrected, not an hour later', async () => {
    const { stack, clock, api } = await start();
    api.failWhen(() => badGateway());
    const filed = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920009', text: '食堂卫生差。', actor: 'citizen' });
    // The uplink is down for a while: the backoff grows to its 5-minute cap, each retry time taken from the fast clock.
    for (let i = 0; i < 10; i++) {
      await stack.channel.sender.drain();
      clock.advance(5 * 60_000);
    }
    expect(api.sent).toHaveLength(0);
    await stack.channel.sender.drain(); // one more failure, rescheduled 5 minutes ahead of the fast clock
    clock.advance(-3_600_000); // NTP steps the clock back by the hour it was ahead
    api.failWhen(null);
    clock.advance(5 * 60_000); // the backoff passes
    await stack.channel.sender.drain();
    expect(api.sent.map((s) => s.text)).toEqual([expect.stringMatching(new RegExp(`^您的投诉已登记，编号 ${filed.code}`))]);
    expect((await rows(stack, '920009')).map((r) => r.state)).toEqual(['sent']);
  });
});
