import { describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { chat, makeEngine, tempDbPath, texts } from './harness.js';

/** Case handling after the parent erased their data (删除我的数据): what the parent and staff can still do with it. */
describe('cases of a parent who erased their data', () => {
  it('staff cannot reopen the erased case and are told why; the parent’s old buttons find nothing', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const open = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '校车晚点', actor: 'citizen' });
    const closed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费', actor: 'citizen' });
    await cases.act(closed.code, { kind: 'claim' }, 'console');
    await cases.act(closed.code, { kind: 'close', note: '已退费' }, 'console');
    await c.say('删除我的数据');
    expect(texts(await c.action({ kind: 'confirm' }))).toContain(`您正在办理的诉求（${open.code}）已按您的确认撤回`);

    // Staff: the open case was withdrawn, the closed one cannot come back without its content or its parent.
    expect(await runStaffCommand(cases, `/case reply ${open.code} 已核实`, 'zh')).toContain('已撤回');
    expect(await runStaffCommand(cases, `/case reopen ${closed.code} 家长来电`, 'zh')).toBe(
      `诉求 ${closed.code} 的个人信息已删除（诉求人要求删除，或已过保存期限），无法重新办理：没有可办理的内容，也无法联系诉求人。如诉求人再次反映，请登记为新的诉求。`,
    );
    expect((await cases.get(closed.code))?.state).toBe('closed');
    expect(await runStaffCommand(cases, `/case reopen ${closed.code}`, 'en')).toContain(`The personal data of case ${closed.code} was erased`);

    // The parent: the closing message's stars and 不满意 buttons of an erased case reach nothing.
    expect(texts(await c.action({ kind: 'rate', caseCode: closed.code, value: 5 }))).toContain(`没有找到编号为 ${closed.code} 的诉求`);
    expect(texts(await c.action({ kind: 'reopen', caseCode: closed.code }))).toBe('没有找到您可以要求重新办理的已办结诉求。');
    expect(await db.all('SELECT value FROM ratings')).toEqual([]);
    expect((await cases.history(closed.code)).filter((e) => e.toState === 'reopened')).toEqual([]);
    await db.close();
  });
});
