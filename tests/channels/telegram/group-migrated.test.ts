import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';
import { telegramStackPerTest } from '../../helpers/telegram-per-test.js';
import { saveConversation } from '../../../src/storage/conversations-repo.js';
import { enqueueOutbox } from '../../../src/storage/outbox-repo.js';
import { caseCodeForMessage, chatLocale, rememberCaseMessage } from '../../../src/storage/telegram-repo.js';

/**
 * R21: a 家长群 upgraded to a supergroup gets a new chat id. Telegram says so with a service message in each chat
 * (migrate_to_chat_id in the old group, migrate_from_chat_id in the new supergroup), fed here to the real telegraf bot
 * by hand (the emulator cannot send them). The group's stored language, its cases' chat reference, the answers still
 * queued and the bot message → case map move to the new id, once: the second service message changes nothing, and
 * neither is answered.
 */
const telegram = telegramStackPerTest();

const OLD = -4001;
const NEW = -1004001;
let nextUpdate = 90_000;
const service = (chatId: number, type: 'group' | 'supergroup', field: 'migrate_to_chat_id' | 'migrate_from_chat_id', other: number): Update =>
  ({
    update_id: (nextUpdate += 1),
    message: { message_id: nextUpdate, date: 1_795_000_000, chat: { id: chatId, type, title: '家长群' }, from: { id: 41, is_bot: false, first_name: '家长' }, [field]: other },
  }) as unknown as Update;

const rowsUnder = async (chatId: number) => {
  const { db } = telegram.stack;
  const id = String(chatId);
  return {
    conversations: (await db.all('SELECT locale FROM conversations WHERE channel = ? AND chat_id = ?', ['telegram', id])).length,
    cases: (await db.all('SELECT code FROM cases WHERE channel = ? AND chat_id = ?', ['telegram', id])).length,
    pending: (await db.all("SELECT id FROM outbox WHERE target = 'telegram' AND address = ? AND state = 'pending'", [id])).length,
    messages: (await db.all('SELECT id FROM messages WHERE channel = ? AND chat_id = ?', ['telegram', id])).length,
  };
};

async function groupWithState() {
  const { db, cases } = telegram.stack;
  const now = new Date('2026-11-24T01:30:00Z');
  // A question asked in the group before the upgrade (a message row), its stored language, a case kept under the
  // group's id from before groups were kept to questions, an answer still waiting in the outbox.
  await telegram.feed(telegramTextUpdate({ chatId: OLD, chatType: 'group', userId: 41, text: '@TestNameBot 小学什么时候报名' }));
  await saveConversation(db, { channel: 'telegram', chatId: String(OLD), userId: null }, { locale: 'en', state: { recent: [] } }, now);
  const code = (await cases.file({ type: 'inquiry', channel: 'telegram', chatId: String(OLD), text: '家长群里问的学区划分问题', actor: 'citizen' })).code;
  await rememberCaseMessage(db, String(OLD), 77, code, now);
  await enqueueOutbox(db, { target: 'telegram', address: String(OLD), payload: [{ text: '工作人员的答复' }], dedupeKey: 'test:queued' }, now);
  return code;
}

describe('Telegram: a group upgraded to a supergroup (the "group moved" service message)', () => {
  it("moves the group's language, cases, queued answers, reply map and message log to the new id, once; answers nothing", async () => {
    const code = await groupWithState();
    const before = await rowsUnder(OLD);
    expect(before.pending).toBeGreaterThanOrEqual(2); // the answer to the question, the queued one, the case's notice
    expect(before.messages).toBeGreaterThan(0);
    const repliesBefore = (await telegram.texts(OLD)).length;

    await telegram.feed(service(OLD, 'group', 'migrate_to_chat_id', NEW));
    expect(await rowsUnder(OLD)).toEqual({ conversations: 0, cases: 0, pending: 0, messages: 0 });
    expect(await rowsUnder(NEW)).toEqual({ ...before, conversations: 1 });
    expect(await chatLocale(telegram.stack.db, String(NEW))).toBe('en');
    expect((await telegram.stack.cases.get(code))?.chatId).toBe(String(NEW));
    expect(await caseCodeForMessage(telegram.stack.db, String(NEW), 77)).toBe(code);
    // No message lost: the answers queued for the old id are all there, now for the new one.
    expect((await telegram.texts(NEW)).length).toBe(repliesBefore);
    expect(await telegram.texts(NEW)).toContain('工作人员的答复');

    // The supergroup's own service message: nothing left to move, nothing changes, nothing is answered.
    await telegram.feed(service(NEW, 'supergroup', 'migrate_from_chat_id', OLD));
    expect(await rowsUnder(NEW)).toEqual({ ...before, conversations: 1 });
    expect(await rowsUnder(OLD)).toEqual({ conversations: 0, cases: 0, pending: 0, messages: 0 });
    expect((await telegram.texts(NEW)).length).toBe(repliesBefore);
  });

  it('when the supergroup spoke first (its own conversation row), that row is kept and takes the group\'s language', async () => {
    await groupWithState();
    // A parent asks in the new supergroup before Telegram's service message arrives.
    await telegram.feed(telegramTextUpdate({ chatId: NEW, chatType: 'supergroup', userId: 42, text: '@TestNameBot 转学需要什么材料' }));
    await telegram.feed(service(NEW, 'supergroup', 'migrate_from_chat_id', OLD));
    expect((await rowsUnder(OLD)).conversations).toBe(0);
    expect((await rowsUnder(NEW)).conversations).toBe(1);
    expect(await chatLocale(telegram.stack.db, String(NEW))).toBe('en');
    await telegram.feed(service(OLD, 'group', 'migrate_to_chat_id', NEW));
    expect(await chatLocale(telegram.stack.db, String(NEW))).toBe('en');
    expect(await rowsUnder(OLD)).toEqual({ conversations: 0, cases: 0, pending: 0, messages: 0 });
  });
});
