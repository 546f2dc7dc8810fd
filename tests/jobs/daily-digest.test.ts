import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { createWorkCalendar } from '../../src/core/calendar/index.js';
import { calendarStatus } from '../../src/core/calendar/status.js';
import { renderDigest, type DigestCase } from '../../src/core/reports/digest.js';
import { MAX_BLOCKS, MAX_SECTION_CHARS } from '../../src/core/reports/blocks.js';
import { seedCase, seedRating, tempStore, testContext } from './helpers.js';

// Tuesday 2026-12-01 08:30 in Asia/Shanghai.
const NOW = new Date('2026-12-01T00:30:00Z');

describe('daily-digest', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('lists new, open, due, overdue (oldest first), closed-yesterday cases and knowledge gaps, masked and linked', async () => {
    const db = store.db;
    await seedCase(db, {
      code: 'XH-2026-000001',
      receivedAt: '2026-11-30T03:00:00.000Z',
      deadlineOn: '2026-12-14',
      text: '孩子转学需要什么材料？我的电话13812345678',
    });
    await seedCase(db, { code: 'XH-2026-000002', state: 'claimed', assignee: 'slack:U111', receivedAt: '2026-11-20T02:00:00.000Z', deadlineOn: '2026-12-02', type: 'complaint', channel: 'minxin', text: '学校食堂卫生问题' });
    await seedCase(db, { code: 'XH-2026-000003', state: 'claimed', assignee: 'slack:U222', receivedAt: '2026-11-01T02:00:00.000Z', deadlineOn: '2026-11-25', channel: 'phone', text: '校车接送时间' });
    await seedCase(db, { code: 'XH-2026-000004', state: 'extended', assignee: 'slack:U111', receivedAt: '2026-10-20T02:00:00.000Z', deadlineOn: '2026-11-20', type: 'petition', channel: 'letter', text: '学区划分意见' });
    const e = await seedCase(db, { code: 'XH-2026-000005', state: 'closed', assignee: 'slack:U111', receivedAt: '2026-11-25T02:00:00.000Z', closedAt: '2026-11-30T07:00:00.000Z', text: '课后服务收费' });
    await seedRating(db, e, '五星', '2026-11-30T08:00:00.000Z');
    await seedCase(db, { code: 'XH-2026-000006', state: 'closed', receivedAt: '2026-11-10T02:00:00.000Z', closedAt: '2026-11-27T07:00:00.000Z' });
    const ctx = testContext(db, { topGaps: async () => [{ text: '校车几点发车', count: 3 }] });

    const outcome = await dailyDigest.run(ctx, NOW);

    expect(outcome).toEqual({ status: 'ok', posts: 1 });
    const text = ctx.poster.posts[0]!.text;
    expect(text.split('\n')).toEqual([
      '📋 每日摘要 2026-12-01',
      '🆕 新案件（自上次摘要以来）：1 件',
      '• XH-2026-000001 (https://slack.example/archives/C1/p2026000001) [咨询·Telegram] 未分配 孩子转学需要什么材料？我的电话138****5678 — 期限 2026-12-14',
      '📂 在办案件：4 件（按状态和承办人）',
      '办理中 · @U111：1 件',
      '办理中 · @U222：1 件',
      '已延期 · @U111：1 件',
      '待认领 · 未分配：1 件',
      '⏳ 2 个工作日内到期：1 件',
      '• XH-2026-000002 (https://slack.example/archives/C1/p2026000002) [投诉·民心网] @U111 学校食堂卫生问题 — 期限 2026-12-02',
      '🚨 已逾期（期限已过仍未答复）：2 件（最早的在前）',
      '• XH-2026-000004 (https://slack.example/archives/C1/p2026000004) [信访·来信] @U111 学区划分意见 — 期限 2026-11-20，逾期 7 个工作日',
      '• XH-2026-000003 (https://slack.example/archives/C1/p2026000003) [咨询·电话] @U222 校车接送时间 — 期限 2026-11-25，逾期 4 个工作日',
      // The 信访 letter (seeded with no 受理告知 recorded) was owed its notice 15 日 after receipt (第二十二条).
      '📨 信访受理告知待记录：1 件（《信访条例》第二十二条：收到之日起15日内书面告知）',
      '• XH-2026-000004 (https://slack.example/archives/C1/p2026000004) [信访·来信] @U111 学区划分意见 — 应于 2026-11-04 前告知，已超期 27 日；告知后请用认领或“受理告知”记录方式',
      '✅ 昨日办结：1 件',
      '• XH-2026-000005 (https://slack.example/archives/C1/p2026000005) [咨询·Telegram] @U111 课后服务收费 — 评价：★★★★★ 五星',
      '❓ 今日未能回答的问题（知识库缺口）',
      '“校车几点发车” × 3',
      '管理员可在 /kb gaps 里用“归入…”把问题归入答复它的条目，机器人随即学会。',
    ]);
    const blocks = JSON.stringify(ctx.poster.posts[0]!.blocks);
    expect(blocks).toContain('<https://slack.example/archives/C1/p2026000001|XH-2026-000001>');
    expect(blocks).toContain('<@U111>');
    expect(blocks).not.toContain('13812345678');
  });

  it('says a quiet day in one line', async () => {
    const ctx = testContext(store.db);
    await dailyDigest.run(ctx, NOW);
    expect(ctx.poster.posts).toEqual([{ text: '📋 2026-12-01 每日摘要：无新案件，无临近期限或逾期案件，昨日无办结（在办 0 件）。' }]);
  });

  it('carries one line telling admins to import next year\'s holiday schedule, from 1 December only', async () => {
    const upTo2026 = createWorkCalendar({ source: { years: new Set([2025, 2026]), special: () => undefined } });
    const calendarNotice = (today: string) => calendarStatus(upTo2026, today).notice;
    const quiet = testContext(store.db, { calendarNotice });
    await dailyDigest.run(quiet, NOW);
    expect(quiet.poster.posts[0]!.text.split('\n')).toEqual([
      '📋 2026-12-01 每日摘要：无新案件，无临近期限或逾期案件，昨日无办结（在办 0 件）。',
      '⚠️ 2027年放假安排尚未导入：跨入2027年的期限按法定节假日估算（未计调休）。国务院办公厅通知发布后请运行 `npm run cli -- calendar import 通知文本文件`',
    ]);
    await seedCase(store.db, { code: 'XH-2026-000010', receivedAt: '2026-11-30T03:00:00.000Z', text: '转学' });
    const busy = testContext(store.db, { calendarNotice });
    await dailyDigest.run(busy, NOW);
    expect(busy.poster.posts[0]!.text.split('\n').at(-1)).toContain('⚠️ 2027年放假安排尚未导入');
    const november = testContext(store.db, { calendarNotice });
    await dailyDigest.run(november, new Date('2026-11-30T00:30:00Z'));
    expect(november.poster.posts[0]!.text).not.toContain('放假安排');
  });

  it('posts nothing on a rest day (Saturday 2026-12-05) unless run by hand', async () => {
    const ctx = testContext(store.db);
    const saturday = new Date('2026-12-05T00:30:00Z');
    expect(await dailyDigest.run(ctx, saturday)).toEqual({ status: 'skipped', posts: 0 });
    expect(ctx.poster.posts).toHaveLength(0);
    const manual = testContext(store.db, { manual: true });
    expect(await dailyDigest.run(manual, saturday)).toEqual({ status: 'ok', posts: 1 });
  });

  it('escapes Slack control characters from citizen text', async () => {
    await seedCase(store.db, { code: 'XH-2026-000009', receivedAt: '2026-11-30T03:00:00.000Z', text: '<!channel> 请大家看看 & 回复' });
    const ctx = testContext(store.db);
    await dailyDigest.run(ctx, NOW);
    const blocks = JSON.stringify(ctx.poster.posts[0]!.blocks);
    expect(blocks).toContain('&lt;!channel&gt; 请大家看看 &amp; 回复');
    expect(blocks).not.toContain('<!channel>');
  });
});

describe('renderDigest paging', () => {
  it('splits a long digest into pages of at most 50 blocks and 3000 characters per section', () => {
    const rows: DigestCase[] = Array.from({ length: 1500 }, (_, i) => ({
      code: `XH-2026-${String(i + 1).padStart(6, '0')}`,
      type: 'complaint',
      channel: 'telegram',
      state: 'claimed',
      text: `家长反映第${i + 1}号问题：学校周边交通拥堵，接送孩子很不方便，希望教育局协调交警部门`,
      assignee: 'slack:U111',
      deadlineOn: '2026-11-20',
      daysOverdue: 7,
    }));
    const posts = renderDigest(
      { date: '2026-12-01', newCases: { rows: [], total: 0 }, open: [], dueSoon: { rows: [], total: 0 }, overdue: { rows, total: rows.length }, closedYesterday: { rows: [], total: 0 }, gaps: [] },
      'zh',
      () => null,
    );
    expect(posts.length).toBeGreaterThan(1);
    for (const [i, post] of posts.entries()) {
      expect(post.blocks!.length).toBeLessThanOrEqual(MAX_BLOCKS);
      for (const b of post.blocks as { text: { text: string } }[]) expect(b.text.text.length).toBeLessThanOrEqual(MAX_SECTION_CHARS);
      expect(post.text.split('\n')[0]).toBe(`📋 每日摘要 2026-12-01 （第 ${i + 1}/${posts.length} 页）`);
    }
    const all = posts.map((p) => p.text).join('\n');
    for (const r of rows) expect(all.split(`• ${r.code} `).length - 1).toBe(1);
  });
});
