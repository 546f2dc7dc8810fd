import { describe, expect, it } from 'vitest';
import { yearBounds } from '../../../src/core/reports/annual/gather.js';
import type { Reply } from '../../../src/core/types.js';
import { requestCounts } from '../../../src/storage/annual-report-repo.js';
import { allText, createEngineStack, parent } from '../../faults/helpers/engine-stack.js';

/**
 * Review 16, finding 4: a 政府信息公开申请 answered in 2026 and reopened by the applicant's "不满意，要求重新办理" in
 * January 2027 dropped out of 2026's table 三 (closed_at was cleared), so the 2026 report, drafted in January,
 * depended on the day it was drawn. A 第三十六条 答复 is an administrative act contested by 行政复议 / 行政诉讼
 * (第五十一条): it is not reopened, the closing offers no reopen, and the year's figures stay as they were.
 */
const AS_OF = new Date('2027-01-20T02:00:00Z');
const figures = async (db: Parameters<typeof requestCounts>[0]) =>
  (await requestCounts(db, yearBounds(2026, 'Asia/Shanghai', AS_OF))).map((r) => `${r.part}:${r.result ?? ''}:${r.n}`).sort();

describe('an answered 政府信息公开申请', () => {
  it('is not reopened by the applicant in January, and 2026\'s table 三 keeps it as answered', async () => {
    let now = new Date('2026-11-27T02:00:00Z');
    const stack = await createEngineStack({ now: () => now });
    const filed = await stack.cases.file({
      type: 'disclosure', channel: 'console', chatId: 'disc-1', citizenRef: 'disc-1', text: '申请公开溪湖区2026年小学学区划分方案', actor: 'citizen', applicantType: '自然人',
    });
    await stack.cases.act(filed.code, { kind: 'claim' }, 'staff:U1');
    now = new Date('2026-12-22T02:00:00Z');
    await stack.cases.act(filed.code, { kind: 'reply', text: '您申请的信息已主动公开，见区教育局网站“招生政策”栏目。' }, 'staff:U1');
    await stack.cases.act(filed.code, { kind: 'close', note: '', disclosureResult: 'disclosed', applicantType: '自然人' }, 'staff:U1');

    // The closing the applicant gets: the remedy, the stars, and no reopen sentence or button.
    const closing = (await stack.db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'console' ORDER BY id"))
      .flatMap((row) => JSON.parse(row.payload) as Reply[])
      .find((reply) => reply.text.includes('行政复议'))!;
    expect(closing.text).toContain('请为本次办理结果评价');
    expect(closing.text).not.toContain('重新办理');
    expect(closing.buttons!.flat().map((b) => b.payload.kind)).toEqual(['rate', 'rate', 'rate', 'rate', 'rate']);
    const before = await figures(stack.db);
    expect(before).toContain('result:（一）予以公开:1');

    now = new Date('2027-01-05T02:00:00Z');
    const p = parent(stack.engine, 'disc-1');
    const answer = allText(await p.say('不满意，要求重新办理，公开的信息不全，没有学区图'));
    expect(answer).toContain('不能在这里要求重新办理');
    expect(answer).toContain('行政复议');
    // An old reopen button (or a forged one) is answered the same way.
    expect(allText(await p.press([{ text: '', buttons: [[{ label: '不满意，要求重新办理', payload: { kind: 'reopen', caseCode: filed.code } }]] }], 'reopen'))).toContain(
      '不能在这里要求重新办理',
    );
    expect((await stack.cases.get(filed.code))?.state).toBe('closed');
    expect(await figures(stack.db)).toEqual(before);

    // Staff cannot reopen it either; they are told why and what the applicant can do.
    await expect(stack.cases.act(filed.code, { kind: 'reopen', note: '重新核查' }, 'staff:U1')).rejects.toThrow(/cannot be reopened: the answer is an administrative act whose remedy is administrative reconsideration or a lawsuit/);
    expect(await figures(stack.db)).toEqual(before);
  });

  it('withdrawn in 2026 stays finished in 2026 after it is anonymised years later', async () => {
    let now = new Date('2026-11-27T02:00:00Z');
    const stack = await createEngineStack({ now: () => now });
    const filed = await stack.cases.file({
      type: 'disclosure', channel: 'console', chatId: 'disc-2', citizenRef: 'disc-2', text: '申请公开某校食堂承包合同', actor: 'citizen', applicantType: '自然人',
    });
    now = new Date('2026-12-10T02:00:00Z');
    await stack.cases.act(filed.code, { kind: 'withdraw', note: '申请人撤回' }, 'citizen');
    const before = await figures(stack.db);
    expect(before).not.toContain('carriedOut::1');
    // Retention anonymises it three years later: the row is updated then, the year it ended is not.
    await stack.db.run("UPDATE cases SET text = '[已删除]', anonymised_at = ?, updated_at = ? WHERE code = ?", ['2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', filed.code]);
    expect(await figures(stack.db)).toEqual(before);
  });
});
