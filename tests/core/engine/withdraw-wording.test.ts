import { describe, expect, it } from 'vitest';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/** Review 16 finding 11: withdrawing a case in the words parents use, and answering the 确认撤回 question in words. */
async function withOpenCase(locale: 'zh' | 'en' = 'zh') {
  const made = await makeEngine(tempDbPath());
  const c = chat(made.engine);
  const extra = locale === 'en' ? { platformLocale: 'en' as const } : {};
  await c.say(locale === 'en' ? 'I want to file a complaint: the school charges every pupil 200 yuan for books' : '我要投诉彩屯小学乱收费，每人多收200元', extra);
  await c.press(await c.say(locale === 'en' ? 'no phone' : '不留电话', extra), locale === 'en' ? 'Submit' : '确认提交');
  return { ...made, c, extra };
}

describe('withdrawing in the parent’s words', () => {
  it('a bare "撤回" or "我要撤回" offers to withdraw the one open case (not "nothing to cancel", not an article)', async () => {
    const { db, c } = await withOpenCase();
    for (const text of ['撤回', '我要撤回', '不想办了，撤回吧']) {
      const offer = await c.say(text);
      expect([text, texts(offer)]).toEqual([text, '确认撤回诉求 XH-2026-000001？撤回后工作人员将不再办理。']);
      expect(labels(offer)).toEqual(['确认撤回', '取消']);
      expect(texts(await c.say('取消'))).toBe('好的，不撤回。您的诉求 XH-2026-000001 继续办理。');
    }
    await db.close();
  });

  it('"不想办了，撤回吧" or "撤回吧" at the confirmation withdraws; "不撤回了" or "继续办理" keeps it', async () => {
    for (const [answer, withdrawn] of [['不想办了，撤回吧', true], ['撤回吧', true], ['不办了', true], ['确认撤回，谢谢', true], ['不撤回了', false], ['继续办理', false], ['算了', false]] as const) {
      const { db, cases, c } = await withOpenCase();
      expect(texts(await c.say('撤回诉求'))).toContain('确认撤回诉求 XH-2026-000001？');
      const reply = texts(await c.say(answer));
      expect([answer, reply]).toEqual([answer, withdrawn ? '已撤回诉求 XH-2026-000001，工作人员将不再办理。如有需要可随时重新提交。' : '好的，不撤回。您的诉求 XH-2026-000001 继续办理。']);
      expect((await cases.get('XH-2026-000001'))?.state).toBe(withdrawn ? 'withdrawn' : 'received');
      await db.close();
    }
  });

  it('a denial at the confirmation ("我没说要撤回", "不撤", "I didn\'t ask to withdraw") gets the plain answer and nothing else', async () => {
    for (const said of ['我没说要撤回', '不撤', '没有要撤回', '我没有要撤回的意思。', '不，我没说要撤回']) {
      const { db, cases, c } = await withOpenCase();
      await c.say('撤回');
      const reply = await c.say(said);
      expect([said, reply.length, texts(reply), labels(reply)]).toEqual([said, 1, '好的，不撤回。您的诉求 XH-2026-000001 继续办理。', []]);
      expect((await cases.get('XH-2026-000001'))?.state).toBe('received');
      await db.close();
    }
    for (const said of ["I didn't ask to withdraw", 'I did not want to withdraw.', 'No, I never said withdraw']) {
      const { db, cases, c, extra } = await withOpenCase('en');
      await c.say('withdraw', extra);
      const reply = await c.say(said, extra);
      expect([said, reply.length, texts(reply), labels(reply)]).toEqual([said, 1, 'OK, no withdrawal. Your case XH-2026-000001 goes on.', []]);
      expect((await cases.get('XH-2026-000001'))?.state).toBe('received');
      await db.close();
    }
  });

  it('a question at the confirmation is answered as one and withdraws nothing; with no open case "撤回" says so', async () => {
    const { db, cases, c } = await withOpenCase();
    await c.say('撤回');
    expect(texts(await c.say('撤回以后还能再投诉吗'))).not.toContain('已撤回');
    expect((await cases.get('XH-2026-000001'))?.state).toBe('received');
    expect(texts(await c.press(await c.say('撤回'), '确认撤回'))).toContain('已撤回诉求 XH-2026-000001');
    expect(texts(await c.say('撤回'))).toBe('您目前没有正在办理、可以撤回的诉求。');
    await db.close();
  });

  it('in English: "withdraw" offers it, "yes, withdraw it" withdraws, "keep it" keeps', async () => {
    const kept = await withOpenCase('en');
    expect(texts(await kept.c.say('withdraw', kept.extra))).toBe('Withdraw case XH-2026-000001? Staff will stop working on it.');
    expect(texts(await kept.c.say('keep it', kept.extra))).toBe('OK, no withdrawal. Your case XH-2026-000001 goes on.');
    expect((await kept.cases.get('XH-2026-000001'))?.state).toBe('received');
    await kept.db.close();

    const gone = await withOpenCase('en');
    await gone.c.say('I want to withdraw', gone.extra);
    expect(texts(await gone.c.say('yes, withdraw it', gone.extra))).toBe('Case XH-2026-000001 is withdrawn; staff will stop working on it. You can file again at any time.');
    expect((await gone.cases.get('XH-2026-000001'))?.state).toBe('withdrawn');
    await gone.db.close();
  });
});
