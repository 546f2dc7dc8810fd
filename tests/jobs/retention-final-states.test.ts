import { describe, expect, it } from 'vitest';
import { findJob } from '../../jobs/index.js';
import { createEngineStack, parent } from '../faults/helpers/engine-stack.js';
import { testContext } from './helpers.js';

/**
 * Review 16, finding 6: a withdrawn case (撤回) or one returned to 12345 (退单) never got closed_at, and the purge
 * selected only `closed_at < cutoff` (and not `returned` at all): their text, phone and ID number were kept for ever.
 * Every final state now counts RETENTION_CASE_DAYS from the day the case ended.
 */
const COMPLAINT = '我要投诉，彩屯小学食堂每月多收伙食费200元，我是张三，身份证210502201908301234';
const PHONE = '13812345678';

describe('retention-purge and the final states of a case', () => {
  it('anonymises withdrawn and returned cases like closed ones, RETENTION_CASE_DAYS after they ended', async () => {
    let now = new Date('2026-11-27T02:00:00Z');
    const stack = await createEngineStack({ now: () => now });
    const codes: Record<string, string> = {};
    for (const how of ['withdraw', 'return', 'close'] as const) {
      const p = parent(stack.engine, `purge-${how}`);
      await p.say(COMPLAINT);
      await p.say(PHONE);
      await p.say('确认');
      const [record] = await stack.cases.list({ chatId: `purge-${how}`, channel: 'console', limit: 1 });
      codes[how] = record!.code;
    }
    now = new Date('2026-12-01T02:00:00Z');
    await stack.cases.act(codes.withdraw!, { kind: 'withdraw', note: '家长撤回' }, 'citizen');
    await stack.cases.act(codes.return!, { kind: 'return', reason: '不属于本局职责，退回12345' }, 'staff:U1');
    await stack.cases.act(codes.close!, { kind: 'claim' }, 'staff:U1');
    await stack.cases.act(codes.close!, { kind: 'close', note: '已处理' }, 'staff:U1');

    const purge = findJob('retention-purge')!;
    const ctx = testContext(stack.db, { retention: { messageDays: 90, caseDays: 1095, conversationDays: 30 } });
    const view = async () =>
      Promise.all(
        Object.values(codes).map(async (code) => {
          const record = (await stack.cases.get(code))!;
          return { state: record.state, text: record.text, contact: record.contact };
        }),
      );

    // A day short of three years after they ended: all kept as they were.
    await purge.run(ctx, new Date('2029-11-29T18:00:00Z'));
    expect((await view()).map((v) => [v.state, v.contact])).toEqual([
      ['withdrawn', PHONE],
      ['returned', PHONE],
      ['closed', PHONE],
    ]);

    // Past it: all three anonymised, not only the closed one.
    await purge.run(ctx, new Date('2029-12-02T18:00:00Z'));
    expect(await view()).toEqual([
      { state: 'withdrawn', text: '[已删除]', contact: null },
      { state: 'returned', text: '[已删除]', contact: null },
      { state: 'closed', text: '[已删除]', contact: null },
    ]);
    const left = await stack.db.all<{ n: number }>("SELECT COUNT(*) AS n FROM cases WHERE text LIKE '%210502201908301234%' OR contact IS NOT NULL");
    expect(left).toEqual([{ n: 0 }]);
  });
});
