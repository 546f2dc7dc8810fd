import { afterEach, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { complaint, deskFixture } from '../../core/cases/setup.js';

/** The console staff desk and the 信访 受理告知 (《信访条例》第二十二条): shown on `show`, recorded with 方式=. */
let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const staff = (line: string) => runStaffCommand(fx!.desk, line, 'zh', 'Asia/Shanghai', () => fx!.clock.now);
const phonePetition = () => complaint({ type: 'petition', channel: 'phone', chatId: null, citizenRef: null, actor: 'cli', text: '反映某校强制购买校服' });

describe('console staff desk: 信访 受理告知', () => {
  it('show gives the due date in TIMEZONE, then how late; notified 方式= records it and show says when and how', async () => {
    fx = await deskFixture({ now: '2026-11-02T16:30:00Z' }); // 00:30 on Tue 3 Nov in Beijing (still 2 Nov in UTC)
    const c = await fx.desk.file(phonePetition());
    expect(await staff(`/case show ${c.code}`)).toContain('受理告知：应于 2026-11-18 前书面告知信访人（尚未记录）');
    fx.clock.now = new Date('2026-11-20T02:00:00Z');
    expect(await staff(`/case show ${c.code}`)).toContain('受理告知：应于 2026-11-18 前书面告知信访人，已超期 2 日，尚未记录');
    expect(await staff(`/case notified ${c.code} 方式=短信`)).toBe('答复方式只能是：电话/书面/当面/民心网（例如 方式=电话）。');
    expect(await staff(`/case notified ${c.code} 方式=电话`)).toBe(`${c.code}：待认领`);
    expect(await staff(`/case notified ${c.code} 方式=书面`)).toBe(`信访事项 ${c.code} 已于 2026-11-20 10:00 记录受理告知。`);
    const shown = await staff(`/case show ${c.code}`);
    expect(shown).toContain('受理告知：已于 2026-11-20 10:00 告知（电话）');
    expect(shown).toContain('控制台  受理告知（电话）');
  });

  it('claim 方式=书面 records the notice with the claim', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await fx.desk.file(phonePetition());
    expect(await staff(`/case claim ${c.code} 方式=书面`)).toBe(`${c.code}：办理中`);
    expect(await fx.desk.get(c.code)).toMatchObject({ state: 'claimed', acceptanceNoticeVia: '书面' });
    expect(await staff(`/case show ${c.code}`)).toContain('受理告知：已于 2026-11-02 10:00 告知（书面）');
  });
});
