import { describe, expect, it } from 'vitest';
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
