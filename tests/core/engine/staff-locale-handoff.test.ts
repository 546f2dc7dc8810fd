import { describe, expect, it } from 'vitest';
import { chat, FRIDAY_MORNING, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * What the engine writes for staff (a handoff's context lines, the parent's unsubmitted petition) follows
 * STAFF_LOCALE; what it says to the parent follows the parent's language.
 */
describe('the engine with STAFF_LOCALE=en', () => {
  it('answers a Chinese-writing parent in Chinese and gives staff English context lines', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath(), () => FRIDAY_MORNING, undefined, { STAFF_LOCALE: 'en' });
    const c = chat(engine);
    await c.say('娃8月30号生的能上一年级吗');
    await c.say('我要投诉彩屯小学乱收费，每人多收200元资料费');
    const opened = await c.say('转人工');
    const code = opened[0]!.caseCode!;
    expect(texts(opened)).toContain(`已为您转人工，编号 ${code}。`);
    const context = (await cases.history(code)).filter((e) => e.kind === 'context').map((e) => e.note ?? '');
    expect(context).toContain('Parent: 娃8月30号生的能上一年级吗');
    expect(context.some((line) => line.startsWith('Bot: '))).toBe(true);
    expect(context).toContain('Parent (unsubmitted complaint): 我要投诉彩屯小学乱收费，每人多收200元资料费');
    expect(context.join('\n')).not.toMatch(/家长:|助手:|家长（/);
    await db.close();
  });

  it('by default writes the same lines in Chinese', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('我要投诉彩屯小学乱收费，每人多收200元资料费');
    const code = (await c.say('转人工'))[0]!.caseCode!;
    const context = (await cases.history(code)).filter((e) => e.kind === 'context').map((e) => e.note ?? '');
    expect(context).toContain('家长: 我要投诉彩屯小学乱收费，每人多收200元资料费');
    expect(context).toContain('家长（未提交的投诉）: 我要投诉彩屯小学乱收费，每人多收200元资料费');
    await db.close();
  });

  it('a 转人工 with no message of its own (the /human command) files its case text in the staff language: Chinese by default, English with en', async () => {
    for (const [env, expected] of [
      [{}, '家长请求人工服务（转人工）'],
      [{ STAFF_LOCALE: 'en' }, 'The parent asked for a member of staff (转人工) without a message'],
    ] as const) {
      const { engine, db, cases } = await makeEngine(tempDbPath(), () => FRIDAY_MORNING, undefined, env);
      const opened = await chat(engine).say('', { command: 'human' });
      const code = opened[0]!.caseCode!;
      expect(texts(opened)).toContain(`已为您转人工，编号 ${code}。`);
      expect((await cases.get(code))?.text).toBe(expected);
      await db.close();
    }
  });
});
