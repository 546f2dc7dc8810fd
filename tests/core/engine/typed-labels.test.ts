import { describe, expect, it } from 'vitest';
import { plainLabel, typedPress } from '../../../src/core/engine/typed-press.js';
import { FRIDAY_MORNING, chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * A parent who types the label of a button the bot just offered gets what pressing it gives (typed-press.ts): the
 * labels matched are the labels shown, in the language shown; a longer message that merely contains one is not a press.
 */
const PETITION_WITH_PHONE = '我要投诉彩屯小学乱收费，每人500元，电话 139 1234 5678';

async function atPhoneOffer(chatId = 'c1', extra: { platformLocale?: 'en' } = {}) {
  const made = await makeEngine(tempDbPath(), () => FRIDAY_MORNING);
  const c = chat(made.engine, chatId);
  const offer = await c.say(PETITION_WITH_PHONE, extra);
  return { ...made, c, offer };
}

describe('a button label typed instead of pressed', () => {
  it('"就用这个号码" typed, with spaces and a full-width stop around it, takes the offered number as pressing does', async () => {
    const { db, c, offer } = await atPhoneOffer();
    expect(texts(offer)).toContain('您在内容里留了电话 139****5678');
    expect(labels(offer)).toContain('就用这个号码');
    const confirm = texts(await c.say('  就用这个号码。 '));
    expect(confirm).toContain('联系电话：139****5678');
    // Not added to the petition's text as more of it.
    expect(confirm).toContain('内容：我要投诉彩屯小学乱收费，每人500元，电话 139****5678\n');
    expect(confirm).not.toContain('就用这个号码');
    await db.close();
  });

  it('a longer message that contains the label, or the label as a question, is not a press: the number is not taken', async () => {
    for (const said of ['就用这个号码吗？我换号了', '就用这个号码？']) {
      const { db, c } = await atPhoneOffer();
      const answer = texts(await c.say(said));
      expect(answer).not.toContain('联系电话：139****5678');
      expect(answer).not.toContain('请确认');
      // The offer still stands: pressed or typed, the number is still the one offered.
      expect(texts(await c.say('就用这个号码'))).toContain('联系电话：139****5678');
      await db.close();
    }
  });

  it('a label of an earlier turn\'s buttons is not a press any more (only the last offer is read)', async () => {
    const { db, c } = await atPhoneOffer();
    expect(texts(await c.say('不留电话'))).toContain('联系电话：未留');
    const again = texts(await c.say('就用这个号码'));
    expect(again).not.toContain('联系电话：139****5678');
    await db.close();
  });

  it('in English the English label counts, typed in full-width letters and any case', async () => {
    const { db, c, offer } = await atPhoneOffer('c2', { platformLocale: 'en' });
    expect(labels(offer)).toContain('Use this number');
    const confirm = texts(await c.say('ＵＳＥ ｔｈｉｓ ｎｕｍｂｅｒ!', { platformLocale: 'en' }));
    expect(confirm).toContain('139****5678');
    expect(labels(await c.say('edit', { platformLocale: 'en' }))).toEqual(['Type', 'Text', 'Phone', 'Cancel']);
    await db.close();
  });

  it('"登记为咨询件" typed under an unanswered question gives what pressing it gives: that question filed, the phone asked', async () => {
    const { db, engine } = await makeEngine(tempDbPath(), () => FRIDAY_MORNING);
    const [typing, pressing] = [chat(engine, 'c3'), chat(engine, 'c3b')];
    const unanswered = await typing.say('学校的午休时间是怎么规定的');
    expect(labels(unanswered)).toContain('登记为咨询件');
    const typed = texts(await typing.say('【登记为咨询件】'));
    const pressed = texts(await pressing.press(await pressing.say('学校的午休时间是怎么规定的'), '登记为咨询件'));
    expect(typed).toBe(pressed);
    expect(typed).toContain('请留下联系电话');
    expect(texts(await typing.say('不留电话'))).toContain('内容：学校的午休时间是怎么规定的');
    await db.close();
  });

  it('the stars typed with their label rate; "不满意" (a star\'s label too) still starts the objection, recording no stars', async () => {
    for (const [said, expected] of [['★★★★ 满意', 4], ['不满意', null]] as const) {
      const made = await makeEngine(tempDbPath(), () => FRIDAY_MORNING);
      const filed = await made.cases.file({ type: 'complaint', channel: 'console', chatId: 'c4', locale: 'zh', text: '彩屯小学乱收费', actor: 'citizen' });
      await made.cases.act(filed.code, { kind: 'claim' }, 'console');
      await made.cases.act(filed.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
      const c = chat(made.engine, 'c4');
      expect(labels(await c.say('我要评价'))).toContain('★★★★ 满意');
      const answer = texts(await c.say(said));
      const rated = await made.db.all<{ value: number }>('SELECT value FROM ratings');
      if (expected === null) {
        expect(answer).toContain('哪里不满意');
        expect(rated).toEqual([]);
      } else {
        expect(rated).toEqual([{ value: expected }]);
      }
      await made.db.close();
    }
  });

  it('"English" typed at the language choice switches the chat to English', async () => {
    const { db, engine } = await makeEngine(tempDbPath(), () => FRIDAY_MORNING);
    const c = chat(engine, 'c5');
    expect(labels(await c.say('/lang', { command: 'lang' }))).toEqual(['中文', 'English']);
    await c.say('English.');
    expect(texts(await c.say('/help', { command: 'help' }))).toMatch(/^I can help you:/u);
    await db.close();
  });
});

describe('typedPress', () => {
  const offered = [
    { label: '★★ 不满意', payload: { kind: 'rate' as const, caseCode: 'XH-2026-000001', value: 2 } },
    { label: '满意', payload: { kind: 'rate' as const, caseCode: 'XH-2026-000001', value: 4 } },
    { label: '取消', payload: { kind: 'cancel' as const } },
  ];
  it('reads the whole message only, in its plain form', () => {
    expect(plainLabel('　【就用这个号码】！ ')).toBe('就用这个号码');
    expect(typedPress('满意', offered)?.payload).toEqual({ kind: 'rate', caseCode: 'XH-2026-000001', value: 4 });
    expect(typedPress('不满意', offered)?.label).toBe('★★ 不满意');
    expect(typedPress('还算满意', offered)).toBeNull();
    expect(typedPress('满意吗？', offered)).toBeNull();
    expect(typedPress('满意?', offered)).toBeNull();
    expect(typedPress('取消。', offered)?.payload).toEqual({ kind: 'cancel' });
    expect(typedPress('。。。', offered)).toBeNull();
    expect(typedPress('满意', undefined)).toBeNull();
  });
  it('of two buttons with the same words, the one shown last', () => {
    const twice = [...offered, { label: '取消', payload: { kind: 'cancel' as const, of: 'file' as const, ref: 'abc' } }];
    expect(typedPress('取消', twice)?.payload).toEqual({ kind: 'cancel', of: 'file', ref: 'abc' });
  });
});
