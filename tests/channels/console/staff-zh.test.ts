import { afterEach, describe, expect, it } from 'vitest';
import { formatStaffNotice, runStaffCommand } from '../../../src/channels/console/staff.js';
import { errorText } from '../../../src/core/i18n/errors-text.js';
import type { StaffNotice } from '../../../src/core/cases/types.js';
import type { Db } from '../../../src/storage/db.js';
import { complaint, deskFixture } from '../../core/cases/setup.js';

let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const SHANGHAI = 'Asia/Shanghai';

async function staffNotices(db: Db): Promise<StaffNotice[]> {
  const rows = await db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'staff' ORDER BY id");
  return rows.map((r) => JSON.parse(r.payload) as StaffNotice);
}

describe('the console staff desk speaks Chinese and local time (issue 15, item 7)', () => {
  it('says in Chinese why an action is refused, naming the state and what is allowed', async () => {
    fx = await deskFixture({ now: '2026-02-10T00:53:08Z' });
    const record = await fx.desk.file(complaint());
    const out = await runStaffCommand(fx.desk, `/case reply ${record.code} 已处理`, 'zh', SHANGHAI);
    expect(out).toBe(`诉求 ${record.code} 当前状态为“待认领”，不能答复。现在可以：认领、退单、标记联系不上、撤回。`);
    expect(out).not.toMatch(/[A-Za-z]{4,}/);
    expect(await runStaffCommand(fx.desk, '/case claim XH-2026-999999', 'zh', SHANGHAI)).toBe(
      '没有编号为 XH-2026-999999 的诉求，请核对编号（例如 XH-2026-000123）。',
    );
    await runStaffCommand(fx.desk, `/case claim ${record.code}`, 'zh', SHANGHAI);
    expect(await runStaffCommand(fx.desk, `/case reply ${record.code}`, 'zh', SHANGHAI)).toContain('/case reply 编号 内容');
  });

  it('lists states in Chinese and shows times in TIMEZONE, not UTC ISO', async () => {
    fx = await deskFixture({ now: '2026-02-10T00:53:08Z' }); // 08:53 in Shanghai
    const record = await fx.desk.file(complaint());
    expect(await runStaffCommand(fx.desk, `/case claim ${record.code}`, 'zh', SHANGHAI)).toBe(`${record.code}：办理中`);
    const list = await runStaffCommand(fx.desk, '/case list', 'zh', SHANGHAI);
    expect(list).toContain(`${record.code}  投诉  办理中`);
    expect(list).not.toMatch(/received|claimed/);
    const show = await runStaffCommand(fx.desk, `/case show ${record.code}`, 'zh', SHANGHAI);
    expect(show).toContain('受理 2026-02-10 08:53');
    expect(show).toContain('2026-02-10 08:53  控制台  状态变更  待认领 → 办理中');
    expect(show).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(show).not.toMatch(/received|claimed|transition/);
    // Another bureau's zone moves the clock, not the words.
    expect(await runStaffCommand(fx.desk, `/case show ${record.code}`, 'zh', 'Europe/Berlin')).toContain('受理 2026-02-10 01:53');
  });

  it('help lists every staff command', async () => {
    fx = await deskFixture();
    const help = await runStaffCommand(fx.desk, '/case help', 'zh', SHANGHAI);
    for (const verb of ['list', 'show', 'claim', 'reply', 'close', 'extend', 'return', 'unreachable', 'reopen', 'help'])
      expect(help).toContain(`/case ${verb}`);
  });

  it('a close with no note prints no stray "-"', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint());
    await runStaffCommand(fx.desk, `/case claim ${record.code}`, 'zh', SHANGHAI);
    await runStaffCommand(fx.desk, `/case reply ${record.code} 已责成学校退费`, 'zh', SHANGHAI);
    await runStaffCommand(fx.desk, `/case close ${record.code}`, 'zh', SHANGHAI);
    const notices = (await staffNotices(fx.db)).filter((n) => n.change === 'transition');
    const lines = await Promise.all(notices.map((n) => formatStaffNotice(fx!.desk, n, 'zh')));
    const close = lines.find((l) => l?.includes('→ 已办结'));
    expect(close).toBe(`[工作人员频道] ${record.code}：已答复 → 已办结（控制台）`);
  });

  it('errorText translates for Slack too, and keeps English for en', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint());
    const error = await fx.desk.act(record.code, { kind: 'close', note: '' }, 'slack:U1').catch((e: unknown) => e);
    expect(errorText('zh', error)).toBe(`诉求 ${record.code} 当前状态为“待认领”，不能办结。现在可以：认领、退单、标记联系不上、撤回。`);
    expect(errorText('en', error)).toBe(`Case ${record.code} is "Unclaimed": it cannot close now. Allowed: claim, return, mark unreachable, withdraw.`);
  });
});
