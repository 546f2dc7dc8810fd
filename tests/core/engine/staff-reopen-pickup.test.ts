import { describe, expect, it } from 'vitest';
import { chat, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * The staff-reopen pickup (core/engine/staff-reopen.ts) asks the desk for the chat's latest staff reopening in one
 * query; it used to list the chat's 20 newest waiting cases and read each history, so a reopened case older than
 * twenty other open cases of the same parent was never taken up.
 */
describe('staff reopening a case of a parent with many open cases', () => {
  it('sends the parent’s next details to the reopened case even when twenty newer cases wait for staff', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const old = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    await cases.act(old.code, { kind: 'claim' }, 'console');
    await cases.act(old.code, { kind: 'close', note: '经核实，学校已退费。' }, 'console');
    for (let i = 0; i < 20; i++) {
      const newer = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: `第${i + 1}件：校门口交通拥堵`, actor: 'citizen' });
      await cases.act(newer.code, { kind: 'claim' }, 'console');
    }
    await cases.act(old.code, { kind: 'reopen', note: '复查撤销' }, 'slack:USTAFF1');

    expect(texts(await c.say('补充：还有100元资料费没有退'))).toContain(`已补充到重新办理的诉求 ${old.code}`);
    const followUps = (await cases.history(old.code)).filter((e) => e.kind === 'followup').map((e) => e.note);
    expect(followUps).toEqual(['补充：还有100元资料费没有退']);
    // The same reopening is taken up once: after 取消 the next message is not added again.
    expect(texts(await c.say('取消'))).toContain(old.code);
    await c.say('请问周末图书馆开门吗');
    expect((await cases.history(old.code)).filter((e) => e.kind === 'followup')).toHaveLength(1);
    await db.close();
  });
});
