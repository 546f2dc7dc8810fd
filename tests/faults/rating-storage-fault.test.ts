import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramStack, TEST_BOT_INFO } from '../helpers/telegram-harness.js';
import { fakeClock } from '../helpers/telegram-db.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../helpers/telegram-updates.js';
import { startRecordingBotApi } from './helpers/recording-bot-api.js';
import { refuseWrites } from './helpers/refuse-writes.js';
import { allText, createEngineStack, parent } from './helpers/engine-stack.js';

/**
 * Review 16, finding 5: with the database refusing writes, pressing stars told the parent the case was
 * "already rated or cannot be rated", and the rating was lost with nothing saying to try again.
 */
describe('rating while the database refuses writes', () => {
  it('tells the parent the rating was not saved, offers the stars again, and records the next press once writes work', async () => {
    const stack = await createEngineStack();
    const p = parent(stack.engine, 'rate-fault');
    await p.say('我要投诉，彩屯小学食堂每月多收伙食费200元，没有任何公示');
    await p.say('13812345678');
    await p.say('确认');
    const [record] = await stack.cases.list({ chatId: 'rate-fault', channel: 'console', limit: 10 });
    await stack.cases.act(record!.code, { kind: 'claim' }, 'staff:U1');
    await stack.cases.act(record!.code, { kind: 'reply', text: '经核实，已责成学校公示伙食费并退还多收部分。' }, 'staff:U1');
    await stack.cases.act(record!.code, { kind: 'close', note: '' }, 'staff:U1');
    const offer = await p.command('rate');

    await refuseWrites(stack.db, true);
    const failed = await p.press(offer, 'rate', (payload) => payload.value === 5);
    const text = allText(failed);
    expect(text).toContain('系统繁忙');
    expect(text).toContain('没有保存');
    expect(text).not.toContain('已经评价过');
    // The stars are offered again, so the parent can press once the system is back.
    expect(failed.flatMap((r) => r.buttons ?? []).flat().filter((b) => b.payload.kind === 'rate')).toHaveLength(5);

    await refuseWrites(stack.db, false);
    expect(await stack.db.all('SELECT value FROM ratings')).toEqual([]);
    const thanks = await p.press(failed, 'rate', (payload) => payload.value === 4);
    expect(allText(thanks)).toContain('感谢您的评价');
    expect(await stack.db.all('SELECT value FROM ratings')).toEqual([{ value: 4 }]);
  });

  it('still answers "already rated" when the case was rated', async () => {
    const stack = await createEngineStack();
    const p = parent(stack.engine, 'rate-twice');
    await p.say('我要投诉，彩屯小学食堂每月多收伙食费200元，没有任何公示');
    await p.say('13812345678');
    await p.say('确认');
    const [record] = await stack.cases.list({ chatId: 'rate-twice', channel: 'console', limit: 10 });
    await stack.cases.act(record!.code, { kind: 'claim' }, 'staff:U1');
    await stack.cases.act(record!.code, { kind: 'reply', text: '已处理。' }, 'staff:U1');
    await stack.cases.act(record!.code, { kind: 'close', note: '' }, 'staff:U1');
    const offer = await p.command('rate');
    await p.press(offer, 'rate', (payload) => payload.value === 5);
    expect(allText(await p.press(offer, 'rate', (payload) => payload.value === 3))).toContain('已经评价过');
  });
});

/**
 * A rating typed in a Telegram chat ("5") while the database refuses writes: the update could not be recorded, and
 * the parent got only "系统暂时无法记录您的消息" — nothing said the rating was lost, and no stars to press again.
 */
describe('a typed rating over Telegram while the database refuses writes', () => {
  const CHAT = 660_501;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  });

  it('tells the parent the rating was not saved and offers the stars again; a star pressed after recovery is recorded once', async () => {
    const api = await startRecordingBotApi();
    cleanups.push(() => api.close());
    const tg = await createTelegramStack({ apiRoot: api.apiRoot, clock: fakeClock() });
    cleanups.push(() => tg.close());
    tg.channel.bot.botInfo = TEST_BOT_INFO;
    const filed = await tg.cases.file({ type: 'complaint', channel: 'telegram', chatId: String(CHAT), text: '彩屯小学食堂每月多收伙食费200元，没有任何公示', idempotencyKey: 'typed-rating', actor: 'citizen' });
    await tg.cases.act(filed.code, { kind: 'claim' }, 'staff:U1');
    await tg.cases.act(filed.code, { kind: 'reply', text: '经核实，已责成学校公示伙食费并退还多收部分。' }, 'staff:U1');
    await tg.cases.act(filed.code, { kind: 'close', note: '' }, 'staff:U1');
    let update = 9500;
    const say = (text: string) => tg.channel.bot.handleUpdate(telegramTextUpdate({ chatId: CHAT, text, updateId: (update += 1) }));
    await say('/rate');
    await tg.channel.sender.drain();
    expect(api.sent.at(-1)?.text).toBe(`请为诉求 ${filed.code} 的办理结果评分：`);

    await refuseWrites(tg.db, true);
    await say('5');
    const told = api.sent.at(-1)!;
    expect(told.text).toBe(`系统繁忙，暂时无法记录您对诉求 ${filed.code} 的评价，这次评价没有保存。请稍后再点一次评分：`);
    const rows = (told.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(rows.map((row) => row[0]!.text)).toEqual(['★ 非常不满意', '★★ 不满意', '★★★ 一般', '★★★★ 满意', '★★★★★ 非常满意', '不满意，要求重新办理']);

    await refuseWrites(tg.db, false);
    // The typed "5" is not replayed as a rating behind the parent's back: they were told it was not saved.
    await tg.channel.replayUnrecorded();
    await tg.channel.sender.drain();
    expect(await tg.db.all('SELECT value FROM ratings')).toEqual([]);
    await tg.channel.bot.handleUpdate(telegramCallbackUpdate({ chatId: CHAT, data: rows[3]![0]!.callback_data, updateId: (update += 1) }));
    await tg.channel.sender.drain();
    expect(api.sent.at(-1)?.text).toContain('感谢您的评价');
    expect(await tg.db.all('SELECT value FROM ratings')).toEqual([{ value: 4 }]);
  });
});
