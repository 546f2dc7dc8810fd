import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Update } from 'telegraf/types';
import { createTelegramChannel } from '../src/channels/telegram/create-bot.js';
import type { Clock } from '../src/channels/telegram/pacer.js';
import { silentLogger } from '../src/logger.js';
import { openDb } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { startStubBotApi } from '../tests/helpers/telegram-stub-api.js';
import type { BenchModule } from './run.js';

/**
 * A burst of 1,000 parent messages from 200 chats through the real telegraf
 * bot (handleUpdate in batches of 100, as long polling delivers them), the
 * adapter's inbound pipeline, the SQLite outbox and the paced sender, against
 * a local Bot API stub that enforces Telegram's limits (1 msg/s per chat,
 * 30 msg/s overall → 429 + retry_after) and injects an extra 429 on every
 * 50th send. The engine is an echo (the bench measures the channel, not the
 * knowledge base). Time runs on a scaled clock (default 5×) shared by the
 * stub and the sender: "Telegram seconds" are what Telegram would see.
 */
export interface BurstResult {
  messages: number;
  chats: number;
  delivered: number;
  duplicates: number;
  outOfOrderChats: number;
  rateLimited: number;
  unhandled429: number;
  deadRows: number;
  realSeconds: number;
  telegramSeconds: number;
  sendRate: number;
}

function scaledClock(scale: number): Clock {
  const wallStart = Date.now();
  const perfStart = performance.now();
  return {
    now: () => wallStart + (performance.now() - perfStart) * scale,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / scale))),
  };
}

const update = (id: number, chatId: number, text: string): Update =>
  ({ update_id: id, message: { message_id: id, date: 1_795_000_000, chat: { id: chatId, type: 'private', first_name: '家长' }, from: { id: chatId, is_bot: false, first_name: '家长', language_code: 'zh-hans' }, text } }) as unknown as Update;

export async function benchTelegramBurst(options: { chats?: number; perChat?: number; scale?: number } = {}): Promise<BurstResult> {
  const chats = options.chats ?? 200;
  const perChat = options.perChat ?? 5;
  const clock = scaledClock(options.scale ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'bench-telegram-'));
  const db = await openDb(join(dir, 'bench.db'));
  await migrate(db);
  const stub = await startStubBotApi({ clock, injectEvery: 50 });
  const channel = createTelegramChannel({
    token: '1:BENCH',
    apiRoot: stub.apiRoot,
    db,
    engine: { handle: async (incoming) => [{ text: `答复 ${incoming.chatId} ${incoming.text}` }] },
    logger: silentLogger(),
    clock,
  });
  channel.bot.botInfo = { id: 666, is_bot: true, first_name: 'Stub', username: 'StubBot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  try {
    await channel.sender.start();
    const updates: Update[] = [];
    for (let i = 0; i < perChat; i += 1) for (let c = 0; c < chats; c += 1) updates.push(update(updates.length + 1, 10_000 + c, `问题 ${i + 1}`));
    const wallStart = performance.now();
    const clockStart = clock.now();
    for (let i = 0; i < updates.length; i += 100) await Promise.all(updates.slice(i, i + 100).map((u) => channel.bot.handleUpdate(u)));
    const total = chats * perChat;
    while (stub.accepted.length < total && performance.now() - wallStart < 120_000) await new Promise((r) => setTimeout(r, 20));
    const realSeconds = (performance.now() - wallStart) / 1000;
    const telegramSeconds = (clock.now() - clockStart) / 1000;
    await channel.sender.stop();

    const texts = stub.accepted.map((a) => a.text);
    const byChat = new Map<string, string[]>();
    for (const a of stub.accepted) byChat.set(a.chatId, [...(byChat.get(a.chatId) ?? []), a.text]);
    const outOfOrderChats = [...byChat.entries()].filter(([chat, list]) => list.join('|') !== Array.from({ length: perChat }, (_, i) => `答复 ${chat} 问题 ${i + 1}`).join('|')).length;
    const dead = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE state <> 'sent'");
    return {
      messages: total,
      chats,
      delivered: new Set(texts).size,
      duplicates: texts.length - new Set(texts).size,
      outOfOrderChats: outOfOrderChats + (chats - byChat.size),
      rateLimited: channel.sender.stats.rateLimited,
      unhandled429: stub.rejected429 - channel.sender.stats.rateLimited,
      deadRows: dead?.n ?? 0,
      realSeconds,
      telegramSeconds,
      sendRate: stub.accepted.length / telegramSeconds,
    };
  } finally {
    await stub.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: BenchModule = {
  summary: 'Telegram burst: 1,000 messages from 200 chats through telegraf, the outbox and the paced sender against a limit-enforcing stub',
  async run(print) {
    const r = await benchTelegramBurst();
    print('| messages | chats | delivered | duplicates | chats out of order | 429 handled | 429 unhandled | rows not sent | Telegram time | send rate | wall time (5× clock) |');
    print('|---|---|---|---|---|---|---|---|---|---|---|');
    print(
      `| ${r.messages} | ${r.chats} | ${r.delivered} | ${r.duplicates} | ${r.outOfOrderChats} | ${r.rateLimited} | ${r.unhandled429} | ${r.deadRows} | ` +
        `${r.telegramSeconds.toFixed(1)} s | ${r.sendRate.toFixed(1)} msg/s | ${r.realSeconds.toFixed(1)} s |`,
    );
  },
};
export default bench;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchTelegramBurst();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
