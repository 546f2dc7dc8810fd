import { describe, expect, it } from 'vitest';
import { OPEN_STATES } from '../../src/storage/digest-repo.js';
import type { CaseState } from '../../src/core/types.js';
import { allText, createEngineStack, parent } from './helpers/engine-stack.js';

/**
 * Issue 16, probe 6 and issue 15 item 4: during a 转人工 handoff, "我的进度",
 * "删除我的数据" and 取消 were forwarded to staff as 家长补充 (or left the case
 * open with a deadline). They are the parent talking to the bot and must be
 * handled as themselves.
 */
const followUps = async (stack: Awaited<ReturnType<typeof createEngineStack>>, code: string) =>
  (await stack.cases.history(code)).filter((e) => e.kind === 'followup').map((e) => e.note);

async function inHandoff(chatId: string) {
  const stack = await createEngineStack();
  const p = parent(stack.engine, chatId);
  const opened = await p.say('转人工');
  const code = opened.find((r) => r.caseCode)?.caseCode;
  expect(code).toMatch(/^XH-2026-\d{6}$/);
  // A real message to staff is still forwarded.
  expect(allText(await p.say('孩子的学籍转不过来，想请老师帮忙看看'))).toContain(`已收到，已转给工作人员（编号 ${code}）`);
  return { stack, p, code: code! };
}

describe('during a handoff', () => {
  it('"我的进度" lists the parent\'s cases instead of being forwarded', async () => {
    const { stack, p, code } = await inHandoff('h-status');
    const replies = allText(await p.say('我的进度'));
    expect(replies).toContain('您正在办理的诉求：');
    expect(replies).toContain(code);
    expect(replies).not.toContain('已转给工作人员');
    expect(await followUps(stack, code)).toEqual(['孩子的学籍转不过来，想请老师帮忙看看']);
  });

  it('"删除我的数据" starts the erase; confirming withdraws the handoff and erases', async () => {
    const { stack, p, code } = await inHandoff('h-erase');
    const prompt = await p.say('删除我的数据');
    const text = allText(prompt);
    expect(text).toContain('点“确认删除”可删除您的聊天数据');
    expect(text).toContain(`您还有正在办理的诉求（${code}）`);
    expect(await followUps(stack, code)).toHaveLength(1);
    const erased = allText(await p.press(prompt, 'confirm'));
    expect(erased).toContain('已删除您的聊天数据');
    expect((await stack.cases.get(code))?.state).toBe('withdrawn');
  });

  it('取消 withdraws the waiting handoff, tells staff, and it no longer shows as open', async () => {
    const { stack, p, code } = await inHandoff('h-cancel');
    const openCodes = async () => (await stack.cases.list({ states: [...OPEN_STATES] as CaseState[], limit: 100 })).map((c) => c.code);
    expect(await openCodes()).toContain(code); // an open handoff shows in /cases and the digest (both list OPEN_STATES)
    expect(allText(await p.say('取消'))).toContain(`已结束人工服务（编号 ${code}）`);
    const record = await stack.cases.get(code);
    expect(record?.state).toBe('withdrawn');
    expect(await openCodes()).not.toContain(code);
    // Staff are told: a staff notice for the withdrawal is queued for the case's thread.
    const notices = await stack.db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'staff' AND case_id = ?", [record!.id]);
    const events = await stack.cases.history(code);
    const withdrawal = events.find((e) => e.toState === 'withdrawn');
    expect(withdrawal?.note).toBe('家长取消了人工服务');
    expect(notices.map((n) => JSON.parse(n.payload) as { eventId: number }).some((n) => n.eventId === withdrawal!.id)).toBe(true);
    // Afterwards the bot answers again, and a later erase does not list it as 正在办理.
    expect(allText(await p.say('我的进度'))).toContain('您目前没有正在办理的诉求');
    expect(allText(await p.say('删除我的数据'))).not.toContain('您还有正在办理的诉求');
  });
});
