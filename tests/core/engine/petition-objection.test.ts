import { describe, expect, it } from 'vitest';
import { chat, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * 《信访条例》第三十四条: a petitioner not satisfied with the written answer asks the superior body for 复查 within
 * 30 日 of receiving it — the route the closing answer names. "不满意" does not reopen the 信访 with a fresh 60 日;
 * staff may still reopen it deliberately.
 */
describe('不满意 with a 信访 answered in writing', () => {
  it('points to the 复查 route, keeps the case closed, passes the reason to staff; staff can still reopen', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath()); // clock: Fri 2026-11-27
    const c = chat(engine);
    const filed = await cases.file({ type: 'petition', channel: 'console', chatId: 'c1', text: '我要信访，反映学校违规补课问题', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    await cases.act(filed.code, { kind: 'reply', text: '经调查，学校已停止补课，予以支持。' }, 'console');
    await cases.act(filed.code, { kind: 'close', note: '' }, 'console');

    const answer = texts(await c.say('不满意，学校还在偷偷补课'));
    // 11-27 + 30 日 = 12-27, a Sunday → 12-28.
    expect(answer).toBe(
      `您的信访事项 ${filed.code} 已作出书面答复，不能在这里要求重新办理。对答复不服的，可以自收到书面答复之日起30日内（即 2026年12月28日 前）向上一级行政机关请求复查（答复中写明了复查机关，《信访条例》第三十四条）。您的意见已转给工作人员。`,
    );
    const record = await cases.get(filed.code);
    expect(record).toMatchObject({ state: 'closed' });
    const history = await cases.history(filed.code);
    expect(history.filter((e) => e.kind === 'followup').map((e) => e.note)).toEqual(['信访人对书面答复不满意：不满意，学校还在偷偷补课']);
    expect(history.some((e) => e.toState === 'reopened')).toBe(false);

    // Staff who find the answer wrong reopen it themselves.
    await cases.act(filed.code, { kind: 'reopen', note: '复核发现事实认定有误，重新办理' }, 'console');
    expect((await cases.get(filed.code))?.state).toBe('reopened');
    await db.close();
  });

  it('a complaint (12345 type, no 复查) still reopens on the parent’s objection', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const filed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    await cases.act(filed.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
    expect(texts(await c.say('不满意，学校只退了一半'))).toContain(`已为您重新办理诉求 ${filed.code}`);
    expect((await cases.get(filed.code))?.state).toBe('reopened');
    await db.close();
  });
});
