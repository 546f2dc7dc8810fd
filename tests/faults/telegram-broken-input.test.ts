import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import type { Incoming } from '../../src/core/types.js';
import { startEmulator, type Emulator } from '../helpers/telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../helpers/telegram-harness.js';
import { telegramMediaUpdate, telegramTextUpdate } from '../helpers/telegram-updates.js';

/**
 * Telegram updates beyond a plain text message, through the real telegraf bot: a photo or file with
 * the question typed as its caption, an edited message, content kinds newer than the bot. The parent
 * always gets a clear Chinese answer and what they typed is never dropped.
 */
let emulator: Emulator;
let stack: TelegramStack;
let seen: Incoming[];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  seen = [];
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, record: seen });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterEach(async () => {
  await stack.close();
});

const feed = (update: Update) => stack.channel.bot.handleUpdate(update);
const queued = async (chatId: number): Promise<string[]> => (await queuedTelegramReplies(stack.db, chatId)).map((reply) => reply.text);
const withCaption = (update: Update, caption: string): Update => {
  const u = update as unknown as { message: Record<string, unknown> };
  return { ...u, message: { ...u.message, caption } } as unknown as Update;
};

describe('Telegram: media, edits and unknown kinds', () => {
  it('answers the caption under a photo or file, after saying the attachment itself is not read', async () => {
    await feed(withCaption(telegramMediaUpdate('photo', { chatId: 901 }), '请问小学什么时候报名？'));
    await feed(withCaption(telegramMediaUpdate('document', { chatId: 902 }), '  '));
    // The blank caption reaches the engine as an attachment without words (it answers it, e.g. during a filing).
    expect(seen.map((s) => [s.text, s.attachment])).toEqual([['请问小学什么时候报名？', { evidence: true }], ['', { evidence: true }]]);
    const texts = await queued(901);
    expect(texts[0]).toBe('图片、语音和文件暂时无法查看，下面只根据您附的文字回答。需要补充的内容请用文字发送。');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.slice(1).join('\n')).toMatch(/报名/);
    // A blank caption is no question: the text-only notice as for any photo.
    expect(await queued(902)).toEqual(['目前只能处理文字消息，请用文字描述您的问题。图片、语音、贴纸、位置和文件暂时无法查看。']);
  });

  it('a captioned photo in a group is answered only when the caption mentions the bot', async () => {
    const group = { chatId: -100901, chatType: 'group' as const, userId: 77 };
    await feed(withCaption(telegramMediaUpdate('photo', group), '大家看看这张通知'));
    expect(seen).toHaveLength(0);
    await feed(withCaption(telegramMediaUpdate('photo', group), '@TestNameBot 转学需要什么材料？'));
    expect(seen.map((s) => s.text)).toEqual(['转学需要什么材料？']);
  });

  it('tells the parent once that an edited message is not handled again; the question is not answered twice', async () => {
    const original = telegramTextUpdate({ chatId: 903, text: '小学什么时候报名' });
    await feed(original);
    const message = (original as unknown as { message: Record<string, unknown> }).message;
    const edit = (updateId: number, text: string) => ({ update_id: updateId, edited_message: { ...message, text, edit_date: 1_795_000_100 } }) as unknown as Update;
    await feed(edit(990_001, '初中什么时候报名'));
    await feed(edit(990_002, '初中什么时候报名？'));
    // The edit reaches the engine marked as one (once per version), never as a new question.
    expect(seen.map((s) => [s.text, s.edited ?? false])).toEqual([['小学什么时候报名', false], ['初中什么时候报名', true]]);
    const notes = (await queued(903)).filter((text) => text.startsWith('您修改了之前发送的消息'));
    expect(notes).toEqual(['您修改了之前发送的消息，修改后的内容不会重新处理。如需按新内容办理，请把它重新发送一条。']);
  });

  it('a contact card shared at the phone step is taken as the phone; shared at any other time it is not kept', async () => {
    const contact = (chatId: number, phone: string) => {
      const base = telegramTextUpdate({ chatId }) as unknown as { update_id: number; message: Record<string, unknown> };
      const { text: _text, ...rest } = base.message;
      return { update_id: base.update_id, message: { ...rest, contact: { phone_number: phone, first_name: '家长', user_id: chatId } } } as unknown as Update;
    };
    await feed(telegramTextUpdate({ chatId: 905, text: '我要投诉彩屯小学乱收费，每人多收500元' }));
    await feed(contact(905, '+86 138 1234 5678'));
    const confirm = (await queued(905)).at(-1)!;
    expect(confirm).toContain('内容：我要投诉彩屯小学乱收费，每人多收500元\n联系电话：138****5678\n');
    // What the engine was handed as the parent's words (kept in the recent lines for staff) is masked.
    expect(seen.at(-1)?.text).toBe('+86 138****5678');

    await feed(contact(906, '13987654321'));
    expect(await queued(906)).toEqual(['收到您分享的联系人。只有登记诉求时才需要电话号码，这个号码没有保存。有问题请直接用文字提问。']);
    const stored = JSON.stringify(await stack.db.all("SELECT * FROM conversations WHERE chat_id = '906'")) + JSON.stringify(await stack.db.all('SELECT * FROM messages'));
    expect(stored).not.toContain('13987654321');
  });

  it('a text of invisible characters only is told no words arrived, not that photos cannot be read (English for en users)', async () => {
    await feed(telegramTextUpdate({ chatId: 905, text: '\u200b\u200b\u2066\ufeff' }));
    expect(await queued(905)).toEqual(['没有收到文字内容，请输入您的问题后再发送。']);
    await feed(telegramTextUpdate({ chatId: 906, text: '\u200b', languageCode: 'en' }));
    expect(await queued(906)).toEqual(['No text arrived. Please type your question and send it again.']);
    expect(seen).toEqual([]);
  });

  it('a photo whose caption is invisible characters only is a photo without words: noted during a filing, as a caption-less one', async () => {
    const invisible = '\u200b\u2066\u202e\ufeff';
    // Outside a filing: one text-only notice, not "下面只根据您附的文字回答" with no words to answer after it.
    await feed(withCaption(telegramMediaUpdate('photo', { chatId: 907 }), invisible));
    expect(await queued(907)).toEqual(['目前只能处理文字消息，请用文字描述您的问题。图片、语音、贴纸、位置和文件暂时无法查看。']);
    // During a filing: the photo is noted on the case for staff (the product's rule for attachments), exactly as for a
    // caption-less photo in another chat.
    const complaint = '我要投诉彩屯小学乱收费，每人多收500元';
    for (const [chatId, caption] of [[908, invisible], [909, null]] as const) {
      await feed(telegramTextUpdate({ chatId, text: complaint }));
      const photo = telegramMediaUpdate('photo', { chatId });
      await feed(caption === null ? photo : withCaption(photo, caption));
    }
    const noted = '收到。图片、文件和语音暂时无法查看；已在诉求中注明您另有材料，工作人员需要时会向您索取。诉求内容请用文字填写。';
    const afterPhoto = async (chatId: number) => (await queued(chatId)).slice((await queued(chatId)).indexOf(noted));
    expect(await queued(908)).toContain(noted);
    expect(await afterPhoto(908)).toEqual(await afterPhoto(909));
    expect(seen.filter((s) => s.attachment).map((s) => [s.chatId, s.text, s.attachment])).toEqual([
      ['907', '', { evidence: true }],
      ['908', '', { evidence: true }],
      ['909', '', { evidence: true }],
    ]);
  });

  it('answers a content kind newer than the text-only list (paid media, checklist) with the text-only notice', async () => {
    const base = (telegramTextUpdate({ chatId: 904 }) as unknown as { update_id: number; message: Record<string, unknown> });
    const { text: _text, ...rest } = base.message;
    await feed({ update_id: base.update_id, message: { ...rest, checklist: { title: '材料', tasks: [] } } } as unknown as Update);
    expect(seen.map((s) => [s.text, s.attachment])).toEqual([['', { evidence: false }]]);
    expect(await queued(904)).toEqual(['目前只能处理文字消息，请用文字描述您的问题。图片、语音、贴纸、位置和文件暂时无法查看。']);
  });
});
