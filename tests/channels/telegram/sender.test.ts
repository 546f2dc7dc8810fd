import { TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCallbackCodec } from '../../../src/channels/telegram/callback-codec.js';
import { createPacer } from '../../../src/channels/telegram/pacer.js';
import { createTelegramSender, type SendApi } from '../../../src/channels/telegram/sender.js';
import type { Reply } from '../../../src/core/types.js';
import { silentLogger } from '../../../src/logger.js';
import type { Db } from '../../../src/storage/db.js';
import { enqueueOutbox, getOutboxRow } from '../../../src/storage/outbox-repo.js';
import { caseCodeForMessage } from '../../../src/storage/telegram-repo.js';
import { fakeClock, telegramTestDb } from '../../helpers/telegram-db.js';

interface Sent {
  chatId: string;
  html: string;
  at: number;
  markup?: unknown;
}

function recordingApi(clock: { now(): number }, fail?: (call: number, chatId: string) => unknown): SendApi & { sent: Sent[]; calls: number } {
  const api = {
    sent: [] as Sent[],
    calls: 0,
    async sendMessage(chatId: string, html: string, extra: { reply_markup?: unknown }) {
      api.calls += 1;
      const error = fail?.(api.calls, chatId);
      if (error) throw error;
      api.sent.push({ chatId, html, at: clock.now(), markup: extra.reply_markup });
      return { message_id: 1000 + api.sent.length };
    },
  };
  return api;
}

const tooMany = (retryAfter: number) =>
  new TelegramError({ error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
const blocked = () => new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });

let db: Db;
beforeEach(async () => {
  db = await telegramTestDb();
});
afterEach(async () => {
  await db.close();
});

const queue = (chatId: string, replies: Reply[], now: Date, caseId: number | null = null) =>
  enqueueOutbox(db, { target: 'telegram', address: chatId, payload: replies, caseId }, now);

function setup(fail?: (call: number, chatId: string) => unknown, cases?: { act: ReturnType<typeof vi.fn> }) {
  const clock = fakeClock();
  const api = recordingApi(clock, fail);
  const codec = createCallbackCodec({ secret: 'T', store: { save: async () => undefined, load: async () => null } });
  const sender = createTelegramSender({ db, api, codec, logger: silentLogger(), clock, cases: cases as never });
  return { clock, api, sender };
}

describe('pacer', () => {
  it('spaces one chat by a second and all chats by ≥ 34 ms (≤ 30/s)', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer(clock);
    const waits: { chat: string; at: number }[] = [];
    for (let i = 0; i < 90; i += 1) {
      const chat = `c${i % 30}`;
      await pacer.acquire(chat);
      waits.push({ chat, at: clock.now() });
    }
    const times = waits.map((w) => w.at);
    for (let i = 1; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(34);
    const c0 = waits.filter((w) => w.chat === 'c0').map((w) => w.at);
    expect((c0[1] ?? 0) - (c0[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    // at most 30 in any one-second window
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(30);
  });
});

describe('pacer in groups', () => {
  it('keeps a group chat to 20 messages a minute', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer(clock);
    const times: number[] = [];
    for (let i = 0; i < 21; i += 1) {
      await pacer.acquire('-100123');
      times.push(clock.now());
      pacer.sent('-100123');
    }
    expect((times[20] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(60_000);
  });
});

describe('telegram sender', () => {
  it('sends rows in order per chat, at most one per second per chat, and marks them sent', async () => {
    const { clock, api, sender } = setup();
    const now = new Date(clock.now());
    for (let i = 1; i <= 3; i += 1) await queue('7', [{ text: `第${i}条` }], now);
    await queue('8', [{ text: '另一位家长' }], now);
    await sender.drain();
    const seven = api.sent.filter((s) => s.chatId === '7');
    expect(seven.map((s) => s.html)).toEqual(['第1条', '第2条', '第3条']);
    expect((seven[1]?.at ?? 0) - (seven[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((seven[2]?.at ?? 0) - (seven[1]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    const rows = await db.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'telegram'");
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('on 429 waits retry_after, resends the same message once, keeps order and does not count it as a failure', async () => {
    const { clock, api, sender } = setup((call) => (call === 1 ? tooMany(5) : undefined));
    const t0 = clock.now();
    const id = await queue('7', [{ text: '案件已受理' }], new Date(t0));
    await queue('7', [{ text: '工作人员已回复' }], new Date(t0));
    await sender.drain();
    expect(api.sent).toHaveLength(0); // both wait: the first for retry_after, the second behind it
    const waiting = await getOutboxRow(db, id ?? 0);
    expect(waiting?.state).toBe('pending');
    expect(waiting?.attempts).toBe(0);
    expect(Date.parse(waiting?.nextAttemptAt ?? '')).toBeGreaterThanOrEqual(t0 + 5000);
    clock.advance(5000);
    await sender.drain();
    expect(api.sent.map((s) => s.html)).toEqual(['案件已受理', '工作人员已回复']);
    expect((api.sent[0]?.at ?? 0) - t0).toBeGreaterThanOrEqual(5000);
    expect(sender.stats.rateLimited).toBe(1);
    expect(api.calls).toBe(3);
  });

  it('on 403 marks the row dead, the case unreachable, and never retries', async () => {
    const act = vi.fn(async () => ({}));
    const { clock, api, sender } = setup((_call, chatId) => (chatId === '9' ? blocked() : undefined), { act });
    const id = await queue('9', [{ text: '您的诉求已办结', caseCode: 'XH-2026-000009' }], new Date(clock.now()));
    await sender.drain();
    clock.advance(3_600_000);
    await sender.drain();
    expect(api.calls).toBe(1);
    expect((await getOutboxRow(db, id ?? 0))?.state).toBe('dead');
    expect(act).toHaveBeenCalledWith('XH-2026-000009', { kind: 'unreachable', note: 'Telegram: 403: Forbidden: bot was blocked by the user' }, 'system');
  });

  it('backs off on server errors (at most 5 minutes apart) and gives up only once the row is a day old', async () => {
    const { clock, api, sender } = setup(() => new TelegramError({ error_code: 502, description: 'Bad Gateway' }));
    const id = await queue('7', [{ text: '你好' }], new Date(clock.now()));
    for (let i = 0; i < 12; i += 1) {
      await sender.drain();
      clock.advance(10 * 60_000);
    }
    expect(api.calls).toBe(12); // two hours: still trying, more than the 8 attempts that used to end it
    expect((await getOutboxRow(db, id ?? 0))?.state).toBe('pending');
    clock.advance(22 * 3_600_000);
    await sender.drain();
    expect(api.calls).toBe(13);
    expect((await getOutboxRow(db, id ?? 0))?.state).toBe('dead');
  });

  it('after a restart sends what was queued exactly once, continuing a half-sent row from the next part', async () => {
    const { clock, api, sender } = setup();
    const now = new Date(clock.now());
    const long = Array.from({ length: 3 }, () => '家'.repeat(3000)).join('\n\n'); // 3 parts
    const half = await queue('7', [{ text: long }], now);
    await queue('7', [{ text: '下一条' }], now);
    // the previous process died after the first part of `half`
    await db.run("UPDATE outbox SET state = 'sending', parts_sent = 1, attempts = 1 WHERE id = ?", [half ?? 0]);
    await sender.start();
    // The started loop and drain() both claim rows: drain() can return while the loop's claim of the next row is still
    // running, and stop() then leaves it queued for the next start. Wait for what the parent sees: every part, once.
    await vi.waitFor(() => expect(api.sent).toHaveLength(3), { timeout: 20_000 });
    await sender.drain();
    await sender.stop();
    expect(api.sent).toHaveLength(3);
    expect(api.sent.map((s) => s.html.length)).toEqual([3000, 3000, 3]);
    // a second restart sends nothing again
    const again = setup();
    await again.sender.start();
    await again.sender.drain();
    await again.sender.stop();
    expect(again.api.calls).toBe(0);
  });

  it('remembers which message carried a case code, for reply-to', async () => {
    const { clock, sender } = setup();
    await queue('7', [{ text: '已受理，编号 XH-2026-000001', caseCode: 'XH-2026-000001' }], new Date(clock.now()));
    await sender.drain();
    expect(await caseCodeForMessage(db, '7', 1001)).toBe('XH-2026-000001');
  });

  it('marks an unreadable payload dead instead of crashing the loop', async () => {
    const { clock, api, sender } = setup();
    const id = await enqueueOutbox(db, { target: 'telegram', address: '7', payload: { not: 'replies' } }, new Date(clock.now()));
    await queue('7', [{ text: '之后的消息照常发送' }], new Date(clock.now()));
    await sender.drain();
    expect((await getOutboxRow(db, id ?? 0))?.state).toBe('dead');
    expect(api.sent.map((s) => s.html)).toEqual(['之后的消息照常发送']);
  });

  it('sends a reply queued while a poll is running at once, not after the next poll interval', async () => {
    // The poll interval never ends in this test: only a wake can start the next poll.
    let stopped: () => void = () => undefined;
    const never = new Promise<void>((resolve) => (stopped = resolve));
    const base = fakeClock();
    const clock = { ...base, sleep: (ms: number) => (ms >= 60_000 ? never : base.sleep(ms)) };
    let sender: ReturnType<typeof createTelegramSender> | null = null;
    let delivered: (html: string) => void = () => undefined;
    const reply = new Promise<string>((resolve) => (delivered = resolve));
    const api: SendApi = {
      async sendMessage(_chatId, html) {
        delivered(html);
        return { message_id: 1 };
      },
    };
    // The parent's reply is committed and the sender woken just after a poll read the outbox (found nothing).
    let raced = false;
    const racingDb: Db = {
      ...db,
      all: async <T,>(sql: string, params?: Parameters<Db['all']>[1]) => {
        const rows = await db.all<T>(sql, params);
        if (!raced && sql.includes('UPDATE outbox SET state = \'sending\'')) {
          raced = true;
          await queue('7', [{ text: '您的问题的答案' }], new Date(clock.now()));
          sender?.wake();
        }
        return rows;
      },
    };
    const codec = createCallbackCodec({ secret: 'T', store: { save: async () => undefined, load: async () => null } });
    sender = createTelegramSender({ db: racingDb, api, codec, logger: silentLogger(), clock, pollMs: 60_000 });
    await sender.start();
    expect(await reply).toBe('您的问题的答案');
    stopped();
    await sender.stop();
  });
});
