import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallbackCodec } from '../../src/channels/telegram/callback-codec.js';
import { createTelegramSender, type SendApi } from '../../src/channels/telegram/sender.js';
import type { Reply } from '../../src/core/types.js';
import type { Db } from '../../src/storage/db.js';
import { enqueueOutbox, getOutboxRow } from '../../src/storage/outbox-repo.js';
import { fakeClock, telegramTestDb } from '../helpers/telegram-db.js';
import { captureLogger } from './helpers/capture-logger.js';

/**
 * A button whose payload cannot be put in callback_data (a knowledge heading over 200 characters offered as a
 * "您是不是想问" alternative; an entry id no button can carry): the words of the answer must still reach the parent,
 * with the buttons that can be carried. Before, the outbox's payload check refused the whole answer: the row was
 * marked dead at once ("payload is not a Reply[]") and the parent got nothing.
 */
let db: Db;
beforeEach(async () => {
  db = await telegramTestDb();
});
afterEach(async () => {
  await db.close();
});

describe('Telegram: a button that cannot be carried', () => {
  it('is left out; the answer and the other buttons go out at once and the row is sent', async () => {
    const clock = fakeClock();
    const sent: { html: string; markup?: { inline_keyboard: { text: string; callback_data: string }[][] } }[] = [];
    const api: SendApi = {
      async sendMessage(_chatId: string, html: string, extra: { reply_markup?: unknown }) {
        sent.push({ html, markup: extra.reply_markup as never });
        return { message_id: 100 + sent.length };
      },
    } as SendApi;
    const saved = new Map<string, string>();
    const codec = createCallbackCodec({ secret: 'T', store: { save: async (k, v) => void saved.set(k, v), load: async (k) => saved.get(k) ?? null } });
    const log = captureLogger();
    const sender = createTelegramSender({ db, api, codec, logger: log.logger, clock });
    const longHeading = `关于${'进一步规范义务教育阶段学校招生入学工作的实施细则'.repeat(10)}`;
    const reply: Reply = {
      text: '没能确定您问的是哪一项。您是不是想问下面其中一项？',
      buttons: [
        [{ label: '招生入学 · 实施细则', payload: { kind: 'ask', entryId: 'enrolment-rules', section: longHeading } }],
        [{ label: '转学办理 · 所需材料', payload: { kind: 'ask', entryId: 'transfer', section: '所需材料' } }],
        [{ label: '转人工', payload: { kind: 'menu', item: 'human' } }],
      ],
    };
    const id = await enqueueOutbox(db, { target: 'telegram', address: '7', payload: [reply] }, new Date(clock.now()));
    await sender.drain();
    expect(sent.map((s) => s.html)).toEqual(['没能确定您问的是哪一项。您是不是想问下面其中一项？']);
    expect(sent[0]!.markup!.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([['转学办理 · 所需材料'], ['转人工']]);
    expect((await getOutboxRow(db, id ?? 0))?.state).toBe('sent');
    expect(log.lines().some((l) => String(l.msg).includes('button left out'))).toBe(true);
  });
});
