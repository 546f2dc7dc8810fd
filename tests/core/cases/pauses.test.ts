import { afterEach, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { runCliCaptured } from '../../helpers/cli.js';
import { complaint, disclosureFixture, outbox, refusal } from './setup.js';

let fx: Awaited<ReturnType<typeof disclosureFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function fixture() {
  fx = await disclosureFixture();
  return fx;
}

const texts = async (caseId: number, target: string) =>
  (await outbox(fx!.db, caseId)).filter((r) => r.target === target).map((r) => (r.payload as { text: string }[])[0]!.text);

describe('disclosure clock pauses (政府信息公开条例 第三十条、第三十三条)', () => {
  it('要求补正 stops the clock and asks the parent; the parent\'s answer restarts it from zero', async () => {
    const { desk, at, filed } = await fixture();
    expect(filed.deadlineOn).toBe('2026-03-16');
    at('2026-02-12T02:00:00Z');
    const asked = await desk.requestCorrection(filed.code, '请补充申请人身份证明', 'slack:USTAFF1');
    expect(asked.deadlineOn).toBeNull();
    expect((await texts(filed.id, 'telegram')).at(-1)).toBe(
      `您的政府信息公开申请 ${filed.code} 需要补正：请补充申请人身份证明。请于 2026年3月11日 前补正。请直接在对话中发送补正内容（以“补正：”开头）；收到补正后答复期限重新起算。无正当理由逾期不补正的，视为放弃申请（《政府信息公开条例》第三十条）。`,
    );
    expect(await refusal(desk.requestCorrection(filed.code, '再补充', 'slack:USTAFF1'))).toBe(
      `申请 ${filed.code} 已于 2026-02-12 要求补正，正在等待申请人补正。补正应当一次性告知（《政府信息公开条例》第三十条），不能再次要求补正。`,
    );

    at('2026-02-26T02:00:00Z');
    await desk.addFollowUp(filed.code, '已补充身份证明材料', 'citizen');
    const restarted = await desk.get(filed.code);
    expect(restarted?.deadlineOn).toBe('2026-03-25'); // 20 working days counted from 2026-02-26 (2月28日 调休上班 counts)
    expect((await texts(filed.id, 'telegram')).at(-1)).toBe(`已收到您对政府信息公开申请 ${filed.code} 的补正，答复期限重新起算，我们将在 2026年3月25日前答复您。`);
    expect((await desk.history(filed.code)).map((e) => e.kind)).toEqual(['created', 'correction_requested', 'followup', 'correction_received']);
    expect(await refusal(desk.receiveCorrection(filed.code, '又一次', 'console'))).toBe(`申请 ${filed.code} 没有正在等待的补正要求。`);
  });

  it('征求第三方意见 pauses the clock; its working days are added when it ends, and the parent is not messaged', async () => {
    const { desk, at, filed } = await fixture();
    const before = (await texts(filed.id, 'telegram')).length;
    at('2026-03-02T02:00:00Z');
    expect((await desk.startConsultation(filed.code, '彩屯小学（第三方）', 'slack:USTAFF1')).deadlineOn).toBeNull();
    at('2026-03-09T02:00:00Z');
    expect((await desk.endConsultation(filed.code, 'slack:USTAFF1', '已收到书面意见')).deadlineOn).toBe('2026-03-23'); // 2026-03-16 + 5 working days (3日–9日)
    expect(await texts(filed.id, 'telegram')).toHaveLength(before);
    expect(await refusal(desk.endConsultation(filed.code, 'console'))).toBe(`申请 ${filed.code} 没有正在征求的第三方意见。`);
    // An extension granted later counts on top of the paused time.
    await desk.act(filed.code, { kind: 'claim' }, 'console');
    expect((await desk.act(filed.code, { kind: 'extend', reason: '需要调取档案', approvedBy: '王科长' }, 'console')).case.deadlineOn).toBe('2026-04-21');
  });

  it('accepts 补正 within 7 working days of receipt and refuses it later with what staff can do instead (第三十条)', async () => {
    const { desk, at, filed } = await fixture(); // received Tue 2026-02-10; 春节 2月15日–23日, 2月14日 上班
    at('2026-02-27T02:00:00Z'); // 8 working days later: 11, 12, 13, 14, 24, 25, 26, 27
    expect(await refusal(desk.requestCorrection(filed.code, '请补充身份证明', 'console'))).toContain(
      `申请 ${filed.code} 于 2026-02-10 收到，已过 8 个工作日，超过《政府信息公开条例》第三十条规定的 7 个工作日补正告知期限，不能再要求补正。请按现有申请内容答复`,
    );
    expect((await desk.history(filed.code)).map((e) => e.kind)).toEqual(['created']);
    at('2026-02-26T09:00:00Z'); // the 7th working day, 17:00 Beijing
    expect((await desk.requestCorrection(filed.code, '请补充身份证明', 'console')).deadlineOn).toBeNull();
  });

  it('refuses the pauses on other case types and on closed cases', async () => {
    const { desk } = await fixture();
    const other = await desk.file(complaint({ chatId: '10009', citizenRef: '10009' }));
    expect(await refusal(desk.requestCorrection(other.code, '材料', 'console'))).toBe(
      `诉求 ${other.code} 属于“投诉”：要求补正和征求第三方意见只适用于政府信息公开申请（《政府信息公开条例》第三十条、第三十二条）。`,
    );
    expect(await refusal(desk.requestCorrection(other.code, '材料', 'console'), 'en')).toBe(
      `Case ${other.code} is a complaint case: requesting a correction and consulting a third party apply only to disclosure requests (Articles 30 and 32 of the Regulations on Open Government Information).`,
    );
  });

  it('offers the pauses in the console staff desk, and deadline explain CODE shows every pause', async () => {
    const { desk, at, filed, path } = await fixture();
    at('2026-02-12T02:00:00Z');
    expect(await runStaffCommand(desk, `/case correct ${filed.code} 请补充申请人身份证明`, 'zh')).toContain(filed.code);
    at('2026-02-26T02:00:00Z');
    await runStaffCommand(desk, `/case corrected ${filed.code} 来信补正`, 'zh');
    at('2026-03-02T02:00:00Z');
    await runStaffCommand(desk, `/case consult ${filed.code} 彩屯小学`, 'zh');
    at('2026-03-09T02:00:00Z');
    await runStaffCommand(desk, `/case consulted ${filed.code}`, 'zh');
    expect((await desk.get(filed.code))?.deadlineOn).toBe('2026-04-01'); // 2026-03-25 + 5 working days
    await fx!.close();
    const { code, out } = await runCliCaptured(['deadline', 'explain', filed.code], { DATABASE_PATH: path });
    expect(code).toBe(0);
    expect(out).toContain('Pauses:\n  补正 (第三十条)  2026-02-12 → 2026-02-26: clock restarted from zero on 2026-02-26 (请补充申请人身份证明)\n');
    expect(out).toContain('  征求第三方意见 (第三十二条、第三十三条)  2026-03-02 → 2026-03-09: 5 working days not counted (彩屯小学)\n');
    expect(out).toContain('Deadline:  2026-04-01 Wed\n');
  });

  it('deadline explain CODE says that a request whose 补正 is not answered is pending', async () => {
    const { desk, at, filed, path } = await fixture();
    at('2026-02-12T02:00:00Z');
    await desk.requestCorrection(filed.code, '请补充申请人身份证明', 'console');
    await fx!.close();
    const { code, out } = await runCliCaptured(['deadline', 'explain', filed.code], { DATABASE_PATH: path });
    expect(code).toBe(0);
    expect(out).toContain('  补正 (第三十条)  2026-02-12 → running: clock stopped until the applicant answers (请补充申请人身份证明)\n');
    expect(out).toContain('Deadline:  none while the 补正 (第三十条) pause runs\n');
    expect(out).toContain('Pending:   补正 asked on 2026-02-12 is not answered yet; the request waits for the applicant');
  });
});
