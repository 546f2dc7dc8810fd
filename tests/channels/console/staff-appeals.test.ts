import { afterEach, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { complaint, deskFixture } from '../../core/cases/setup.js';

/** The console staff desk: a pending 复查 with its due date, and a 行政复议 against a disclosure answer in the history. */
let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const staff = (line: string) => runStaffCommand(fx!.desk, line, 'zh', 'Asia/Shanghai', () => fx!.clock.now);
const at = (iso: string) => (fx!.clock.now = new Date(iso));

describe('console staff desk: pending 复查 and linked 行政复议', () => {
  it('records the request, then the decision; records a 行政复议 and shows it in the request’s history', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await fx.desk.file(complaint({ type: 'petition', channel: 'letter', chatId: null, citizenRef: null, actor: 'cli', text: '反映某校强制购买校服' }));
    await staff(`/case claim ${c.code} 方式=书面`);
    at('2026-07-01T02:00:00Z');
    await staff(`/case close ${c.code} 经调查，学校已停止统一购买校服。 方式=书面`);
    at('2026-07-27T02:00:00Z');
    expect(await staff(`/case review ${c.code} 复查 请求=2026-07-23`)).toContain('复查意见应于 2026-08-24 前作出');
    expect(await staff(`/case show ${c.code}`)).toContain('复查（本溪市教育局）：尚未作出意见；请求 2026-07-23');
    at('2026-08-21T02:00:00Z');
    expect(await staff(`/case review ${c.code} 复查 结果=维持 意见=2026-08-20`)).toContain('复查（本溪市教育局）：维持；请求 2026-07-23，意见 2026-08-20');

    at('2026-02-10T02:00:00Z');
    const d = await fx.desk.file(complaint({ type: 'disclosure', text: '申请公开2025年学区划分依据', applicantType: '自然人' }));
    await fx.desk.act(d.code, { kind: 'claim' }, 'console');
    at('2026-03-02T02:00:00Z');
    await fx.desk.act(d.code, { kind: 'close', note: '予以公开。', disclosureResult: '（一）予以公开' }, 'console');
    at('2026-04-20T02:00:00Z');
    expect(await staff(`/case appeal ${d.code} 复议 收到=2026-04-15 案号=溪政复〔2026〕3号`))
      .toBe(`${d.code} 已记录行政复议/行政诉讼：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结`);
    expect(await staff(`/case show ${d.code}`)).toContain('行政复议/行政诉讼  行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结');
  });
});
