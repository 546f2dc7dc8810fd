import { afterEach, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { complaint, deskFixture, disclosureFixture } from '../../core/cases/setup.js';

/**
 * The console staff desk (Slack off) does what its help says, and the help says what README says: `/case withdraw`
 * and `/case rate` (before, Slack only and missing from the help), and `/case corrected CODE [YYYY-MM-DD] [说明]`
 * taking the day the corrected request arrived, as in Slack (before, the console's took only a text: always today).
 */
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('console staff commands and their help', () => {
  it('the help lists withdraw, rate and corrected with its received date', async () => {
    const fx = await deskFixture();
    closers.push(fx.close);
    const help = await runStaffCommand(fx.desk, '/case help', 'zh');
    expect(help).toContain('/case withdraw 编号 方式=电话|书面|当面|民心网 [说明]');
    expect(help).toContain('/case rate 编号 1-5|6|未评价');
    expect(help).toContain('/case corrected 编号 [收到日期] [说明]');
    const en = await runStaffCommand(fx.desk, '/case help', 'en');
    expect(en).toContain('/case withdraw CODE');
    expect(en).toContain('/case rate CODE');
    expect(en).toContain('/case corrected CODE [DATE] [note]');
  });

  it('/case withdraw records a withdrawal made by phone (the way is required)', async () => {
    const fx = await deskFixture();
    closers.push(fx.close);
    const staff = (line: string) => runStaffCommand(fx.desk, line, 'zh');
    const c = await fx.desk.file(complaint({ channel: 'phone', chatId: null, citizenRef: null, actor: 'cli' }));
    expect(await staff(`/case withdraw ${c.code} 家长来电说已解决`)).toContain('/case withdraw');
    expect((await fx.desk.get(c.code))?.state).toBe('received');
    expect(await staff(`/case withdraw ${c.code} 方式=电话 家长来电说已解决`)).toBe(`${c.code}：已撤回`);
    expect((await fx.desk.history(c.code)).find((e) => e.toState === 'withdrawn')).toMatchObject({ via: '电话', note: '家长来电说已解决' });
  });

  it('/case rate records the 民心网 rating of a closed phone case', async () => {
    const fx = await deskFixture({ now: '2026-11-02T03:00:00Z' });
    closers.push(fx.close);
    const staff = (line: string) => runStaffCommand(fx.desk, line, 'zh');
    const c = await fx.desk.file(complaint({ channel: 'minxin', chatId: null, citizenRef: null, actor: 'cli' }));
    await staff(`/case claim ${c.code}`);
    await staff(`/case reply ${c.code} 方式=民心网 已督促学校退费`);
    await staff(`/case close ${c.code}`);
    const told = await staff(`/case rate ${c.code} 6 民心网 2026-11-02`);
    expect(told).toContain(`${c.code}：已办结`);
    expect(told).toContain('六星级（民心网）');
    expect(await staff(`/case rate ${c.code} 很好`)).toContain('/case rate');
  });

  it('/case corrected CODE DATE restarts the clock from that day, not from today', async () => {
    const dated = await disclosureFixture();
    const today = await disclosureFixture();
    closers.push(dated.close, today.close);
    for (const fx of [dated, today]) {
      await runStaffCommand(fx.desk, `/case correct ${fx.filed.code} 请补充所需信息的名称`, 'zh');
      fx.at('2026-03-02T02:00:00Z');
    }
    await runStaffCommand(dated.desk, `/case corrected ${dated.filed.code} 2026-02-24 已收到补正材料`, 'zh');
    await runStaffCommand(today.desk, `/case corrected ${today.filed.code} 已收到补正材料`, 'zh');
    const datedDeadline = (await dated.desk.get(dated.filed.code))!.deadlineOn!;
    const todayDeadline = (await today.desk.get(today.filed.code))!.deadlineOn!;
    expect(datedDeadline < todayDeadline).toBe(true);
    expect(datedDeadline).toBe(dated.desk.calendar.addWorkingDays('2026-02-24', 20));
    expect((await dated.desk.history(dated.filed.code)).find((e) => e.kind === 'correction_received')?.note).toContain('已收到补正材料');
  });
});
