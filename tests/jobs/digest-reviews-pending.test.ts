import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { createCaseDesk } from '../../src/core/cases/desk.js';
import { complaint } from '../core/cases/setup.js';
import { tempStore, testContext } from './helpers.js';

/**
 * The digest lists 复查 / 复核 requests recorded without their decision whose reviewing body's 30 日 (第三十四条、第三十五条,
 * calendar days from the request) ends within 3 days or has passed; decided and later-due ones are not listed.
 */
describe('daily digest: 复查 / 复核 decisions still to come', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('lists the overdue and the due-soon pending requests, earliest due first', async () => {
    const clock = { now: new Date('2026-06-01T02:00:00Z') };
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const closed = async (text: string) => {
      clock.now = new Date('2026-06-01T02:00:00Z');
      const c = await desk.file(complaint({ type: 'petition', text }));
      await desk.act(c.code, { kind: 'claim' }, 'console');
      clock.now = new Date('2026-07-01T02:00:00Z');
      await desk.act(c.code, { kind: 'close', note: '经调查，已处理。' }, 'console');
      return c;
    };
    const late = await closed('反映某校课后服务强制收费');
    const soon = await closed('反映某校校车超载');
    const later = await closed('反映某校食堂卫生问题');
    const decided = await closed('反映某校违规补课');
    clock.now = new Date('2026-08-12T02:00:00Z');
    await desk.recordReview(late.code, { level: '复查', requestedOn: '2026-07-20' }, 'console'); // due Wed 19 Aug
    await desk.recordReview(soon.code, { level: '复查', requestedOn: '2026-07-23' }, 'console'); // Sat 22 Aug → Mon 24 Aug
    await desk.recordReview(later.code, { level: '复查', requestedOn: '2026-08-10' }, 'console'); // due 9 Sep
    await desk.recordReview(decided.code, { level: '复查', requestedOn: '2026-07-15' }, 'console');
    await desk.recordReview(decided.code, { level: '复查', outcome: '维持', decidedOn: '2026-08-11' }, 'console');

    const ctx = testContext(store.db);
    await dailyDigest.run(ctx, new Date('2026-08-21T00:30:00Z')); // Fri 21 Aug 08:30 Beijing
    const lines = ctx.poster.posts.map((p) => p.text).join('\n').split('\n');
    const head = lines.indexOf('⏳ 复查/复核意见待作出：2 件（《信访条例》第三十四条、第三十五条：收到请求之日起30日内）');
    expect(head).toBeGreaterThan(0);
    expect(lines[head + 1]).toMatch(new RegExp(
      `^• ${late.code} .* — 复查请求 2026-07-20（本溪市教育局），复查意见应于 2026-08-19 前作出，已超期 2 日：请向作出机关了解；收到后请用 /case review 记录$`,
    ));
    expect(lines[head + 2]).toMatch(new RegExp(`^• ${soon.code} .* — 复查请求 2026-07-23（本溪市教育局），复查意见应于 2026-08-24 前作出；收到后请用 /case review 记录$`));
    const section = lines.slice(head, head + 4).join('\n');
    expect(section).not.toContain(later.code);
    expect(section).not.toContain(decided.code);

    // Once its decision is recorded, the request leaves the list.
    clock.now = new Date('2026-08-24T00:10:00Z'); // before Monday's digest
    await desk.recordReview(late.code, { level: '复查', outcome: '维持', decidedOn: '2026-08-20' }, 'console');
    const next = testContext(store.db);
    await dailyDigest.run(next, new Date('2026-08-24T00:30:00Z')); // Mon 24 Aug
    const text = next.poster.posts.map((p) => p.text).join('\n');
    expect(text).toContain('⏳ 复查/复核意见待作出：1 件');
    expect(text).not.toContain(late.code + ' ');
  });

  it('a request the petitioner withdrew (撤回) leaves the digest; a posted request is due 30 日 from the body\'s receipt', async () => {
    const clock = { now: new Date('2026-06-01T02:00:00Z') };
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const closed = async (text: string) => {
      clock.now = new Date('2026-06-01T02:00:00Z');
      const c = await desk.file(complaint({ type: 'petition', text }));
      await desk.act(c.code, { kind: 'claim' }, 'console');
      clock.now = new Date('2026-07-01T02:00:00Z');
      await desk.act(c.code, { kind: 'close', note: '经调查，已处理。' }, 'console');
      return c;
    };
    const withdrawn = await closed('反映某校课后服务强制收费');
    const posted = await closed('反映某校校车超载');
    clock.now = new Date('2026-08-12T02:00:00Z');
    await desk.recordReview(withdrawn.code, { level: '复查', requestedOn: '2026-07-20' }, 'console'); // due Wed 19 Aug
    // Posted on Thu 30 Jul (day 29 of the petitioner's 30 日), received by the 复查机关 on Mon 3 Aug: due Wed 2 Sep,
    // not 29 Aug (a Saturday, moved to Mon 31 Aug) as if it had been received the day it was posted.
    const { review: post } = await desk.recordReview(posted.code, { level: '复查', requestedOn: '2026-07-30', requestReceivedOn: '2026-08-03' }, 'console');
    expect(post).toMatchObject({ requestedOn: '2026-07-30', requestReceivedOn: '2026-08-03', decisionDue: '2026-09-02', inTime: true });

    const ctx = testContext(store.db);
    await dailyDigest.run(ctx, new Date('2026-08-21T00:30:00Z'));
    expect(ctx.poster.posts.map((p) => p.text).join('\n')).toContain(`${withdrawn.code} `);

    // The petitioner withdraws: recorded as 撤回 with its day, the request ends.
    clock.now = new Date('2026-08-24T00:10:00Z');
    const { review: end } = await desk.recordReview(withdrawn.code, { level: '复查', outcome: '撤回', decidedOn: '2026-08-21' }, 'console');
    expect(end).toMatchObject({ outcome: '撤回', decidedOn: '2026-08-21', requestedOn: '2026-07-20' });
    const next = testContext(store.db);
    await dailyDigest.run(next, new Date('2026-08-24T00:30:00Z'));
    expect(next.poster.posts.map((p) => p.text).join('\n')).not.toContain(`${withdrawn.code} `);
    // The posted one comes up when its own limit nears.
    const later = testContext(store.db);
    await dailyDigest.run(later, new Date('2026-08-31T00:30:00Z'));
    const lines = later.poster.posts.map((p) => p.text).join('\n');
    expect(lines).toMatch(new RegExp(`• ${posted.code} .* — 复查请求 2026-07-30（本溪市教育局），复查意见应于 2026-09-02 前作出`));
  });
});
