import { afterEach, describe, expect, it, vi } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { runCliCaptured } from '../../helpers/cli.js';
import { disclosureFixture, outbox, refusal } from './setup.js';

let fx: Awaited<ReturnType<typeof disclosureFixture>> | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await fx?.close();
  fx = undefined;
});

async function fixture() {
  fx = await disclosureFixture();
  return fx;
}

describe('补正 is asked for once, listing everything (《政府信息公开条例》第三十条 "一次性告知")', () => {
  it('refuses a second 补正 after the first was answered, in Chinese and English, and records and sends nothing', async () => {
    const { desk, at, filed } = await fixture();
    at('2026-02-11T02:00:00Z');
    await desk.requestCorrection(filed.code, '请补充申请人身份证明', 'console');
    at('2026-02-12T02:00:00Z');
    await desk.addFollowUp(filed.code, '已补充身份证明材料', 'citizen');
    const history = await desk.history(filed.code);
    const sent = (await outbox(fx!.db, filed.id)).length;

    expect(await refusal(desk.requestCorrection(filed.code, '再补充学籍证明', 'console'))).toBe(
      `申请 ${filed.code} 已于 2026-02-11 要求过补正。补正应当一次性告知（《政府信息公开条例》第三十条），不能再次要求补正；` +
        '请按现有申请内容答复，内容确实无法确定的，可在答复中说明（年报“补正后申请内容仍不明确”）。',
    );
    expect(await refusal(desk.requestCorrection(filed.code, '再补充学籍证明', 'console'), 'en')).toContain(
      `A correction of request ${filed.code} was already asked for on 2026-02-11. A correction is asked for once, listing everything (Article 30)`,
    );
    expect(await desk.history(filed.code)).toEqual(history);
    expect(await outbox(fx!.db, filed.id)).toHaveLength(sent);
    expect((await desk.get(filed.code))?.deadlineOn).toBe('2026-03-18'); // restarted on 2月12日: 20 working days over 春节 (2月14日、28日 上班), untouched
  });

  it('the console desk prints the refusal for a second /case correct, and an empty one asks for everything missing', async () => {
    const { desk, at, filed } = await fixture();
    expect(await runStaffCommand(desk, `/case correct ${filed.code} 请补充申请人身份证明`, 'zh')).toContain(filed.code);
    at('2026-02-11T02:00:00Z');
    expect(await runStaffCommand(desk, `/case correct ${filed.code} 请再补充户籍证明`, 'zh')).toBe(
      `申请 ${filed.code} 已于 2026-02-10 要求补正，正在等待申请人补正。补正应当一次性告知（《政府信息公开条例》第三十条），不能再次要求补正。`,
    );
    await runStaffCommand(desk, `/case corrected ${filed.code} 来信补正`, 'zh');
    expect(await runStaffCommand(desk, `/case correct ${filed.code} 请再补充户籍证明`, 'en')).toContain('cannot be asked for again');
    expect(await refusal(desk.requestCorrection(filed.code, '  ', 'console'))).toBe(
      '请写明申请人需要补充或更正的全部内容（补正只能要求一次）。',
    );
  });
});

describe('the third party\'s reply window (第三十二条: 15 工作日 from receiving the request for comments)', () => {
  it('/case show gives the reply date while the consultation runs, and says how late the third party is past it', async () => {
    const { desk, at, filed } = await fixture();
    at('2026-03-02T02:00:00Z'); // Monday
    await desk.startConsultation(filed.code, '彩屯小学（第三方）', 'console');
    const show = (iso: string) => runStaffCommand(desk, `/case show ${filed.code}`, 'zh', 'Asia/Shanghai', () => new Date(iso));
    const running = await show('2026-03-20T02:00:00Z');
    expect(running).toContain(`${filed.code}  政府信息公开申请  Telegram  待认领`);
    expect(running).toContain('征求第三方意见：2026-03-02 起（彩屯小学（第三方）），期间不计入答复期限（第三十三条）。');
    expect(running).toContain('第三方应于 2026-03-23 前提出意见（第三十二条：15个工作日）。'); // 3–6, 9–13, 16–20, 23 March
    expect(running).toContain('控制台  征求第三方意见');
    const late = await show('2026-03-26T02:00:00Z');
    expect(late).toContain('第三方答复期限 2026-03-23 已过 3 个工作日（第三十二条：15个工作日）：请催办，或按条例规定自行决定是否公开。');
  });

  it('deadline explain CODE gives the reply date, and OVERDUE past it', async () => {
    const { desk, at, filed, path } = await fixture();
    at('2026-03-02T02:00:00Z');
    await desk.startConsultation(filed.code, '彩屯小学', 'console');
    await fx!.close();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-20T02:00:00Z'));
    const before = await runCliCaptured(['deadline', 'explain', filed.code], { DATABASE_PATH: path });
    expect(before.out).toContain('Third party: opinion due 2026-03-23 (第三十二条: 15 working days from receiving the request for comments)\n');
    expect(before.out).not.toContain('OVERDUE');
    vi.setSystemTime(new Date('2026-03-26T02:00:00Z'));
    const after = await runCliCaptured(['deadline', 'explain', filed.code], { DATABASE_PATH: path });
    expect(after.out).toContain("OVERDUE:   3 working days past the third party's reply date; chase it or decide on disclosure\n");
    expect(after.out).toContain('Deadline:  none while the 征求第三方意见 (第三十二条、第三十三条) pause runs\n');
  });
});
