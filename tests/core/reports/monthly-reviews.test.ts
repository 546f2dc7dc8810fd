import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/desk.js';
import { collectMonthly } from '../../../src/core/reports/monthly/collect.js';
import { monthlyCsvRecords, renderMonthly } from '../../../src/core/reports/monthly/render.js';
import { complaint } from '../cases/setup.js';
import { tempStore } from '../../jobs/helpers.js';

/** The monthly report counts 信访 复查 / 复核 by the day the decision reached the bureau (its own section). */
describe('monthly report: 信访 复查 / 复核', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('counts reviews, rechecks, overturned, late requests and repeat complaints in the month they arrived', async () => {
    const clock = { now: new Date('2026-08-03T02:00:00Z') };
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const closed = async () => {
      clock.now = new Date('2026-08-03T02:00:00Z');
      const c = await desk.file(complaint({ type: 'petition', text: '反映某校强制购买校服' }));
      await desk.act(c.code, { kind: 'claim' }, 'console');
      clock.now = new Date('2026-09-01T02:00:00Z');
      await desk.act(c.code, { kind: 'close', note: '经调查，已处理。' }, 'console');
      return c.code;
    };
    const [a, b, c, d] = [await closed(), await closed(), await closed(), await closed()];
    clock.now = new Date('2026-11-05T02:00:00Z');
    const rec = (code: string, input: Parameters<typeof desk.recordReview>[1]) => desk.recordReview(code, input, 'console');
    // September: one 复查 (previous month).
    await rec(a, { level: '复查', outcome: '维持', requestedOn: '2026-09-10', decidedOn: '2026-09-28', receivedOn: '2026-09-30' });
    // October: a 复查 asked one day late (limit 1 Oct moves past 国庆 to 8 Oct) and revoked (reopens b), a 变更, a 复核 of a, and the repeat complaint after it.
    await rec(b, { level: '复查', outcome: '撤销', requestedOn: '2026-10-09', decidedOn: '2026-10-20', receivedOn: '2026-10-21' });
    await rec(c, { level: '复查', outcome: '变更', requestedOn: '2026-09-20', decidedOn: '2026-10-09', receivedOn: '2026-10-10' });
    await rec(a, { level: '复核', outcome: '维持', body: '本溪市人民政府', requestedOn: '2026-10-05', decidedOn: '2026-10-26', receivedOn: '2026-10-27' });
    await rec(a, { level: '再次信访', body: '本溪市溪湖区教育局', requestedOn: '2026-10-30', receivedOn: '2026-10-31' });
    // A late 复查 request, withdrawn (撤回) in October: neither a decision nor a late request counted, listed apart.
    await rec(d, { level: '复查', outcome: '撤回', requestedOn: '2026-10-12', decidedOn: '2026-10-15', receivedOn: '2026-10-16' });

    const report = await collectMonthly(store.db, {
      month: '2026-10', timezone: 'Asia/Shanghai', today: '2026-11-05', isWorkingDay: () => true, serviceGuides: 0,
    });
    expect(report.periods.month.reviews).toEqual({ review: 2, recheck: 1, overturned: 2, late: 1, repeat: 1, withdrawn: 1 });
    expect(report.periods.previous.reviews).toEqual({ review: 1, recheck: 0, overturned: 0, late: 0, repeat: 0, withdrawn: 0 });
    expect(report.periods.ytd.reviews).toEqual({ review: 3, recheck: 1, overturned: 2, late: 1, repeat: 1, withdrawn: 1 });
    const text = renderMonthly(report, 'zh').map((p) => p.text).join('\n');
    expect(text).toContain('信访复查、复核（按本局收到意见之日）');
    expect(text).toContain('复查意见：2 / 1 / 0 / 3');
    expect(text).toContain('其中撤销或变更本局处理意见：2 / 0 / 0 / 2');
    expect(text).toContain('其中逾期提出的请求：1 / 0 / 0 / 1');
    expect(text).toContain('复核后同一事项再次信访（不再受理）：1 / 0 / 0 / 1');
    expect(monthlyCsvRecords(report, 'zh')).toContainEqual(['reviews', 'recheck', '复核意见', 1, 0, 0, 1]);
  });
});
