import { afterEach, describe, expect, it } from 'vitest';
import { formatStaffNotice, runStaffCommand } from '../../../src/channels/console/staff.js';
import type { StaffNotice } from '../../../src/core/cases/types.js';
import { complaint, deskFixture, outbox } from '../../core/cases/setup.js';

/** The console staff desk and 信访 复查 / 复核 (《信访条例》第三十四条、第三十五条): `review`, `show`, the notice line. */
let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const staff = (line: string) => runStaffCommand(fx!.desk, line, 'zh', 'Asia/Shanghai', () => fx!.clock.now);
const at = (iso: string) => (fx!.clock.now = new Date(iso));

describe('console staff desk: 复查 / 复核', () => {
  it('records a late 复查 of a letter petition answered in writing, shows it, and prints the staff notice', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await fx.desk.file(complaint({ type: 'petition', channel: 'letter', chatId: null, citizenRef: null, actor: 'cli', text: '反映某校强制购买校服' }));
    await staff(`/case claim ${c.code} 方式=书面`);
    // No chat: staff write the answer, and the desk shows the 复查 sentence it must carry.
    const hint = '书面答复须告知救济途径（请写入答复）：如对上述处理意见不服，您可以自收到本书面答复之日起30日内，向本溪市教育局（上一级行政机关）请求复查。';
    expect(await staff(`/case show ${c.code}`)).toContain(hint);
    at('2026-07-01T02:00:00Z');
    expect(await staff(`/case close ${c.code} 经调查，学校已停止统一购买校服。 方式=书面`)).toBe(`${c.code}：已办结`);

    at('2026-08-20T02:00:00Z');
    expect(await staff(`/case review ${c.code} 复查 结果=维持 请求=2026-8-05 意见=2026-08-18`))
      .toBe('请求日期必须按“年-月-日”写成 2026-03-15 这样的日期（现为“2026-8-05”）。');
    const done = await staff(`/case review ${c.code} 复查 结果＝维持 请求=2026-08-05 意见=2026-08-18 收到=2026-08-19 复查意见书已存档`);
    expect(done).toBe(
      `${c.code}：已办结\n复查（本溪市教育局）：维持；请求 2026-08-05，意见 2026-08-18，本局收到 2026-08-19；逾期请求：书面答复 2026-07-01，请求期限至 2026-07-31，请求日 2026-08-05，超出 5 日`,
    );
    const shown = await staff(`/case show ${c.code}`);
    expect(shown).toContain('复查（本溪市教育局）：维持；请求 2026-08-05');
    expect(shown).not.toContain('书面答复须告知救济途径'); // closed: the answer was given
    expect(shown).toContain('控制台  复查/复核  复查意见书已存档');

    const notice = (await outbox(fx.db, c.id)).filter((r) => r.target === 'staff').at(-1)!.payload as StaffNotice;
    expect(notice.change).toBe('review');
    expect(await formatStaffNotice(fx.desk, notice, 'zh')).toBe(
      `[工作人员频道] ${c.code} 复查（本溪市教育局）：维持；请求 2026-08-05，意见 2026-08-18，本局收到 2026-08-19；逾期请求：书面答复 2026-07-01，请求期限至 2026-07-31，请求日 2026-08-05，超出 5 日`,
    );
  });

  it('a 复核 that revokes reopens the case; usage for a command without a level', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await fx.desk.file(complaint({ type: 'petition' }));
    await staff(`/case claim ${c.code}`);
    at('2026-07-01T02:00:00Z');
    await staff(`/case close ${c.code} 经调查，学校已停止统一购买校服。`);
    at('2026-08-12T02:00:00Z');
    await staff(`/case review ${c.code} 复查 结果=维持 请求=2026-07-20 意见=2026-08-10`);
    at('2026-09-10T02:00:00Z');
    const done = await staff(`/case review ${c.code} 复核 结果=撤销 机关=本溪市人民政府 请求=2026-08-20 意见=2026-09-08`);
    expect(done.split('\n')[0]).toBe(`${c.code}：已重新办理`);
    // 2026-09-10 + 60 = Mon 9 Nov.
    expect(await staff(`/case show ${c.code}`)).toMatch(/已重新办理 .* 期限 2026-11-09/);
    expect(await staff(`/case review ${c.code}`)).toContain('工作人员命令：');
  });
});
