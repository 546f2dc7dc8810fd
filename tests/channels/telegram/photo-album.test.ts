import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { telegramCallbackUpdate, telegramMediaUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';
import { telegramStackPerTest } from '../../helpers/telegram-per-test.js';

/**
 * Photo albums (Telegram delivers one message per photo, sharing a media_group_id; a caption on the first), through
 * the real telegraf bot: answered once, never with "请用文字描述" under a prompt the parent already answered, and the
 * case tells staff the parent has photos to ask for.
 */
const telegram = telegramStackPerTest();

const { feed, texts } = telegram;
const ASK_PHONE = '请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。';
const NOTED = '收到。图片、文件和语音暂时无法查看；已在诉求中注明您另有材料，工作人员需要时会向您索取。诉求内容请用文字填写。';
const UNREAD = '目前只能处理文字消息，请用文字描述您的问题。图片、语音、贴纸、位置和文件暂时无法查看。';

async function album(chatId: number, group: string, photos: number, caption?: string) {
  for (let i = 0; i < photos; i++) {
    const update = telegramMediaUpdate('photo', { chatId }) as unknown as { message: Record<string, unknown> };
    update.message.media_group_id = group;
    if (i === 0 && caption) update.message.caption = caption;
    await feed(update as unknown as Update);
  }
}

describe('Telegram: a photo album', () => {
  it('with a caption as the description: one notice, the phone asked once, and the case says 4 photos came', async () => {
    const chatId = 9701;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉' }));
    const before = (await texts(chatId)).length;
    await album(chatId, '1357924680', 4, '彩屯小学收资料费的收据，每人500元');
    expect((await texts(chatId)).slice(before)).toEqual(['图片、语音和文件暂时无法查看，下面只根据您附的文字回答。需要补充的内容请用文字发送。', ASK_PHONE]);
    await feed(telegramTextUpdate({ chatId, text: '13912345678' }));
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    expect(await telegram.stack.db.all('SELECT text FROM cases')).toEqual([
      { text: '彩屯小学收资料费的收据，每人500元\n（家长另发了 4 件图片、文件或语音，机器人无法查看，需要时请向家长索取。）' },
    ]);
  });

  it('without a caption at the phone step: noted once and the phone asked again; another album is answered again', async () => {
    const chatId = 9702;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
    const before = (await texts(chatId)).length;
    await album(chatId, 'g-1', 3);
    expect((await texts(chatId)).slice(before)).toEqual([NOTED, ASK_PHONE]);
    await album(chatId, 'g-2', 2);
    expect((await texts(chatId)).slice(before)).toEqual([NOTED, ASK_PHONE, NOTED, ASK_PHONE]);
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
    await feed(telegramCallbackUpdate({ chatId, data: await telegram.stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    const [row] = await telegram.stack.db.all<{ text: string }>('SELECT text FROM cases');
    expect(row?.text).toMatch(/\n（家长另发了 5 件图片、文件或语音/);
  });

  it('outside a filing: one text-only notice per album; a sticker during a filing asks the step again without a note', async () => {
    await album(9703, 'g-3', 3);
    expect(await texts(9703)).toEqual([UNREAD]);
    const chatId = 9704;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
    await feed(telegramMediaUpdate('sticker', { chatId }));
    expect((await texts(chatId)).slice(-2)).toEqual([UNREAD, ASK_PHONE]);
  });
});
