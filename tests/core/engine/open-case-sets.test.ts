import { describe, expect, it } from 'vitest';
import { caseError } from '../../../src/core/i18n/errors-text.js';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * Which of a parent's cases each chat path works on (core/cases/transitions.ts, one place): 我的进度 shows every case
 * not ended by 办结 or the parent's own 撤回 (a 退单 case too: the parent must learn it was returned); a withdrawal offers
 * only cases still withdrawable; an erase request never erases the data of a case still open. Before, the status
 * list had its own list (with 退单), and the erase went ahead over a case whose withdrawal had failed.
 */
async function parentWithReturnedAndOpen() {
  const made = await makeEngine(tempDbPath());
  const file = (text: string) => made.cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text, contact: '13812345678', actor: 'citizen' });
  const returned = await file('反映市里统一招生政策的问题，电话13812345678');
  await made.cases.act(returned.code, { kind: 'return', reason: '该事项属市教育局职责' }, 'slack:U1');
  const open = await file('彩屯小学乱收费，电话13812345678');
  const closed = await file('校车晚点');
  await made.cases.act(closed.code, { kind: 'claim' }, 'slack:U1');
  await made.cases.act(closed.code, { kind: 'close', note: '已督促校车公司按时发车。' }, 'slack:U1');
  return { ...made, returned: returned.code, open: open.code, closed: closed.code };
}

describe('a parent with a returned, an open and a closed case', () => {
  it('我的进度 lists the open and the returned case (已退回), not the closed one', async () => {
    const p = await parentWithReturnedAndOpen();
    const status = texts(await chat(p.engine).say('我的进度'));
    expect(status).toContain(`${p.open}（投诉）：`);
    expect(status).toMatch(new RegExp(`${p.returned}（投诉）：已退回`));
    expect(status).not.toContain(p.closed);
    await p.db.close();
  });

  it('撤回投诉 offers only the open case (the returned one cannot be withdrawn): straight to its confirmation', async () => {
    const p = await parentWithReturnedAndOpen();
    const offer = await chat(p.engine).say('我想撤回投诉');
    expect(texts(offer)).toBe(`确认撤回诉求 ${p.open}？撤回后工作人员将不再办理。`);
    expect(texts(await chat(p.engine).say(`撤回 ${p.returned}`))).toBe(
      `诉求 ${p.returned} 不在可撤回的诉求之中（已办结、已退回或已撤回的不能撤回）。您可以撤回的诉求：${p.open}，例如发送“撤回 ${p.open}”。`,
    );
    expect((await p.cases.get(p.open))?.state).toBe('received'); // not withdrawn by the other code's 撤回
    await p.db.close();
  });

  it('删除我的数据 names only the open case as to be withdrawn first', async () => {
    const p = await parentWithReturnedAndOpen();
    const prompt = texts(await chat(p.engine).say('删除我的数据'));
    expect(prompt).toContain(`您还有正在办理的诉求（${p.open}）。`);
    expect(prompt).not.toContain(p.returned);
    await p.db.close();
  });

  it('an erase whose withdrawal is refused (the case moved meanwhile) erases nothing and says why', async () => {
    const p = await parentWithReturnedAndOpen();
    const act = p.cases.act.bind(p.cases);
    p.cases.act = (code, action, ...rest) =>
      action.kind === 'withdraw' ? Promise.reject(caseError('case_illegal_transition', 'illegalFinal', { code, state: 'claimed', action: 'withdraw', allowed: [] })) : act(code, action, ...rest);
    await chat(p.engine).say('校车几点到彩屯小区');
    const prompt = await chat(p.engine).say('删除我的数据');
    expect(labels(prompt)).toContain('确认删除');
    const done = texts(await chat(p.engine).press(prompt, '确认删除'));
    expect(done).toContain(`您的数据这次没有删除：诉求 ${p.open} 仍在办理中，未能撤回`);
    expect(done).not.toContain('已删除您的聊天数据');
    const rows = await p.db.all<{ code: string; contact: string | null }>('SELECT code, contact FROM cases ORDER BY id');
    expect(rows.map((r) => r.contact)).toEqual(['13812345678', '13812345678', '13812345678']);
    expect(await p.db.get('SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL')).not.toEqual({ n: 0 });
    await p.db.close();
  });
});
