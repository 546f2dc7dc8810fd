import { describe, expect, it } from 'vitest';
import { benchTelegramBurst } from '../../../bench/telegram-burst.js';

describe('telegram burst (small benchmark run)', () => {
  it('answers every message once, in order per chat, with every 429 handled', async () => {
    // 60 messages from 20 chats on a 20× clock against the limit-enforcing stub (every 50th send gets a 429)
    const r = await benchTelegramBurst({ chats: 20, perChat: 3, scale: 20 });
    expect(r).toMatchObject({ delivered: 60, duplicates: 0, outOfOrderChats: 0, unhandled429: 0, deadRows: 0 });
    expect(r.rateLimited).toBeGreaterThanOrEqual(1);
    // 3 messages in a chat need ≥ 2 Telegram seconds at 1 msg/s
    expect(r.telegramSeconds).toBeGreaterThanOrEqual(2);
  });
});
