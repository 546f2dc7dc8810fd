import { afterEach, describe, expect, it } from 'vitest';
import { deskFixture, refusal } from './setup.js';

/**
 * 《政府信息公开条例》第三十条: "申请人无正当理由逾期不补正的，视为放弃申请" — only after a 补正 was asked and its
 * period passed (rules/deadline-rules.yaml `correction.replyDays`, 15 工作日 by default); "补正后申请内容仍不明确"
 * (table 三（四）3) only after a 补正 was received.
 */
const ABANDONED = '（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请';
const letter = (receivedAt: Date) => ({
  type: 'disclosure' as const, channel: 'letter' as const, text: '申请公开2026年学区划分方案', citizenName: '张三', contact: '13900000000', applicantType: '自然人' as const,
  applicantIdType: '居民身份证', applicantIdNumber: '11010519491231002X', deliveryForm: '电子', deliveryMethod: '电子邮件', deliveryAddress: 'a@b.cn',
  receivedAt, actor: 'cli',
});

let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => fx?.close());

async function filed() {
  fx = await deskFixture({ now: '2026-02-11T02:00:00Z' });
  const c = await fx.desk.file(letter(new Date('2026-02-10T02:00:00Z')) as never);
  await fx.desk.act(c.code, { kind: 'claim' }, 'console');
  return c.code;
}
const close = (code: string, disclosureResult: string, note = '') => fx!.desk.act(code, { kind: 'close', note, disclosureResult, via: '书面' }, 'console');

describe('closing a disclosure request for want of a 补正', () => {
  it('refuses 逾期不补正 when no 补正 was asked, and 补正后仍不明确 when none was received', async () => {
    const code = await filed();
    expect(await refusal(close(code, 'other.no-correction', '申请人逾期未补正，视为放弃申请'))).toBe(
      `申请 ${code} 不能按“申请人无正当理由逾期不补正”办结：没有正在等待的补正告知（未要求补正、补正告知未送达，或补正已收到）。《政府信息公开条例》第三十条：视为放弃申请，须先一次性告知申请人补正、申请人逾期不补正。申请内容不明确的，请先要求补正（/case correct ${code} 需补正内容）。`,
    );
    expect(await refusal(close(code, 'unavailable.unclear', '申请内容不明确'))).toBe(
      `申请 ${code} 不能按“补正后申请内容仍不明确”办结：尚未收到申请人的补正（《政府信息公开条例》第三十条）。申请内容不明确的，请先要求补正；收到补正后仍不明确的，再按此项办结。`,
    );
    expect((await fx!.desk.get(code))!.state).toBe('claimed');
  });

  it('tells the applicant the day to correct by, and closes as 逾期不补正 only after it', async () => {
    const code = await filed();
    const asked = await fx!.desk.requestCorrection(code, '请写明所需信息的名称或文号', 'console', '书面');
    expect(asked.deadlineOn).toBeNull();
    // 02-11 + 15 工作日 (02-14 and 02-28 are 调休 working Saturdays; 春节 02-15…02-23) = 03-10.
    fx!.clock.now = new Date('2026-02-12T02:00:00Z');
    expect(await refusal(close(code, ABANDONED, '视为放弃申请'))).toBe(
      `申请 ${code} 暂不能按“申请人无正当理由逾期不补正”办结：补正告知于 2026-02-11 发出，补正期限至 2026-03-10，尚未届满（《政府信息公开条例》第三十条）。期满仍未收到补正的，再按此项办结。`,
    );
    fx!.clock.now = new Date('2026-03-10T08:00:00Z');
    expect(await refusal(close(code, ABANDONED, '视为放弃申请'))).toContain('补正期限至 2026-03-10，尚未届满');
    fx!.clock.now = new Date('2026-03-11T02:00:00Z');
    await close(code, ABANDONED, '申请人逾期未补正，视为放弃申请。');
    expect((await fx!.desk.get(code))).toMatchObject({ state: 'closed', disclosureResult: ABANDONED });
  });

  it('closes as 补正后仍不明确 once a 补正 was received', async () => {
    const code = await filed();
    await fx!.desk.requestCorrection(code, '请写明所需信息的名称或文号', 'console', '书面');
    fx!.clock.now = new Date('2026-02-24T02:00:00Z');
    await fx!.desk.receiveCorrection(code, '要学区的文件', 'console');
    expect(await refusal(close(code, 'other.no-correction', '视为放弃申请'))).toContain('没有正在等待的补正告知');
    await close(code, 'unavailable.unclear', '补正后申请内容仍不明确，无法确定所需信息。');
    expect((await fx!.desk.get(code))!.disclosureResult).toBe('（四）无法提供/3.补正后申请内容仍不明确');
  });
});
