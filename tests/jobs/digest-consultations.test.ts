import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { ratingText } from '../../src/core/cases/ratings.js';
import { createCaseDesk } from '../../src/core/cases/desk.js';
import { complaint } from '../core/cases/setup.js';
import { tempStore, testContext } from './helpers.js';

describe('daily digest: ratings as stars, and third-party opinions past 第三十二条', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('shows a closed case\'s rating as stars, the way the Slack thread and the console show it', async () => {
    const clock = { now: new Date('2026-11-30T01:00:00Z') }; // Monday 09:00 Beijing
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const c = await desk.file(complaint({ text: '课后服务收费' }));
    await desk.act(c.code, { kind: 'claim' }, 'console');
    await desk.act(c.code, { kind: 'reply', text: '已核实，按规定收费。' }, 'console');
    await desk.act(c.code, { kind: 'close', note: '' }, 'console');
    await desk.rate(c.code, { scale: 'stars', value: 4 }, 'citizen');
    const rated = (await desk.history(c.code)).find((e) => e.kind === 'rated')!;
    const ctx = testContext(store.db);

    await dailyDigest.run(ctx, new Date('2026-12-01T00:30:00Z'));

    const line = ctx.poster.posts[0]!.text.split('\n').find((l) => l.includes(c.code) && l.includes('评价'));
    expect(line).toContain('评价：★★★★☆ ');
    expect(line?.endsWith(`评价：${ratingText(rated.note)}`)).toBe(true); // the same text as the thread line
  });

  it('lists running consultations past the third party\'s 15 working days, and none before', async () => {
    const clock = { now: new Date('2026-11-02T02:00:00Z') }; // Monday
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const late = await desk.file(complaint({ type: 'disclosure', chatId: '8101', citizenRef: '8101', text: '申请公开某校食堂承包合同' }));
    await desk.startConsultation(late.code, '某餐饮公司', 'console');
    const ended = await desk.file(complaint({ type: 'disclosure', chatId: '8103', citizenRef: '8103', text: '申请公开学校布局调整方案' }));
    await desk.startConsultation(ended.code, '某街道办', 'console');
    clock.now = new Date('2026-11-10T02:00:00Z');
    await desk.endConsultation(ended.code, 'console');
    clock.now = new Date('2026-11-20T02:00:00Z');
    const fresh = await desk.file(complaint({ type: 'disclosure', chatId: '8102', citizenRef: '8102', text: '申请公开校车招标文件' }));
    await desk.startConsultation(fresh.code, '某客运公司', 'console');
    const ctx = testContext(store.db);

    await dailyDigest.run(ctx, new Date('2026-12-01T00:30:00Z')); // Tuesday

    const lines = ctx.poster.posts[0]!.text.split('\n');
    const head = lines.indexOf('📮 第三方意见逾期未回复：1 件（第三十二条：15个工作日）');
    expect(head).toBeGreaterThan(0);
    // 15 working days after Mon 2 Nov: 3–6, 9–13, 16–20, 23 Nov; Tue 1 Dec is 6 working days later.
    expect(lines[head + 1]).toMatch(new RegExp(`^• ${late.code} .*\\[政府信息公开申请·Telegram\\] .* — 第三方应于 2026-11-23 前提出意见，已逾期 6 个工作日，请催办或依法自行决定是否公开$`));
    expect(lines.join('\n')).not.toMatch(new RegExp(`${fresh.code}.*第三方应于|${ended.code}.*第三方应于`));
  });
});
