import { describe, expect, it } from 'vitest';
import { FRIDAY_MORNING, chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/** Review 16 finding 12: typing the label a rating button shows ("非常满意", "满意", "very satisfied") records those stars. */
async function closedCase(chatId = 'c1', locale: 'zh' | 'en' = 'zh') {
  const clock = { now: FRIDAY_MORNING };
  const made = await makeEngine(tempDbPath(), () => clock.now);
  const filed = await made.cases.file({ type: 'complaint', channel: 'console', chatId, locale, text: '彩屯小学乱收费', actor: 'citizen' });
  await made.cases.act(filed.code, { kind: 'claim' }, 'console');
  await made.cases.act(filed.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
  return { ...made, clock, code: filed.code, c: chat(made.engine, chatId) };
}

const ratings = (db: Awaited<ReturnType<typeof makeEngine>>['db']) => db.all<{ value: number; label: string }>('SELECT value, label FROM ratings');

describe('a rating typed as its label', () => {
  it('"非常满意" after the closing message records five stars; a second one is told the case is already rated', async () => {
    const { db, c } = await closedCase();
    expect(texts(await c.say('非常满意'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await ratings(db)).toEqual([{ value: 5, label: '非常满意' }]);
    expect(texts(await c.say('非常满意'))).toBe('这件诉求已经评价过或还不能评价。');
    expect(await ratings(db)).toEqual([{ value: 5, label: '非常满意' }]);
    await db.close();
  });

  it('after the stars are offered, "满意" and "一般，谢谢" record their levels, not the rating question again', async () => {
    for (const [typed, value, label] of [['满意', 4, '满意'], ['一般，谢谢', 3, '一般']] as const) {
      const { db, c } = await closedCase();
      const offer = await c.say('我要评价');
      expect(texts(offer)).toBe('请为诉求 XH-2026-000001 的办理结果评分：');
      expect(labels(offer)).toContain(`${'★'.repeat(value)} ${label}`);
      expect(texts(await c.say(typed))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
      expect(await ratings(db)).toEqual([{ value, label }]);
      await db.close();
    }
  });

  it('"非常不满意" and "不满意" start the objection (asking its reason) and record no stars: a dissatisfied parent wants the case looked at again, and stars could not be corrected', async () => {
    const ask = '请说明您对诉求 XH-2026-000001 的办理结果哪里不满意、希望怎样重新办理（发送“取消”可放弃）：';
    for (const said of ['非常不满意', '不满意']) {
      const { db, c } = await closedCase();
      expect(texts(await c.say(said))).toBe(ask);
      expect(await ratings(db)).toEqual([]);
      await db.close();
    }
  });

  it('in English: "very satisfied" records five stars', async () => {
    const { db, c } = await closedCase('c7', 'en');
    expect(texts(await c.say('very satisfied', { platformLocale: 'en' }))).toMatch(/^Your rating of case XH-\d{4}-\d{6} was recorded: [★☆]+ [\w ]+\.\nThank you for your rating!$/u);
    expect(await ratings(db)).toEqual([{ value: 5, label: '非常满意' }]);
    await db.close();
  });

  it('past REOPEN_DAYS a label alone is not taken as stars (as a bare digit is not): the stars are offered first', async () => {
    const { db, c, clock } = await closedCase();
    clock.now = new Date('2026-12-20T02:00:00Z');
    expect(texts(await c.say('满意'))).toBe('请为诉求 XH-2026-000001 的办理结果评分：');
    expect(await ratings(db)).toEqual([]);
    expect(texts(await c.say('满意'))).toMatch(/^已记录您对诉求 XH-\d{4}-\d{6} 的评价：[★☆]+ \S+。\n感谢您的评价！$/u);
    expect(await ratings(db)).toEqual([{ value: 4, label: '满意' }]);
    await db.close();
  });
});
