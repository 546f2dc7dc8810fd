import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { createCaseDesk } from '../../src/core/cases/desk.js';
import { complaint } from '../core/cases/setup.js';
import { tempStore, testContext } from './helpers.js';

/** The digest names 信访 复查 / 复核 decisions recorded since the last digest that revoked or changed the bureau's 处理意见. */
describe('daily digest: reviews that overturned a decision', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('lists 撤销 (reopened, with the new deadline) and 变更, not 维持 nor older entries', async () => {
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
    const revoked = await closed('反映某校课后服务强制收费');
    const changed = await closed('反映某校校车超载');
    const upheld = await closed('反映某校食堂卫生问题');
    const older = await closed('反映某校违规补课');
    const review = (code: string, outcome: string) =>
      desk.recordReview(code, { level: '复查', outcome, requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console');
    clock.now = new Date('2026-08-10T02:00:00Z'); // Mon: more than a day before the digest (no earlier run: the last 24 h)
    await review(older.code, '撤销');
    const ctx = testContext(store.db);

    clock.now = new Date('2026-08-11T06:00:00Z'); // Tue 14:00 Beijing
    await review(revoked.code, '撤销');
    await review(changed.code, '变更');
    await review(upheld.code, '维持');
    await dailyDigest.run(ctx, new Date('2026-08-12T00:30:00Z')); // Wed 12 Aug 08:30 Beijing

    const lines = ctx.poster.posts.map((p) => p.text).join('\n').split('\n');
    const head = lines.indexOf('⚖️ 复查/复核改变了本局处理意见：2 件（《信访条例》第三十四条、第三十五条）');
    expect(head).toBeGreaterThan(0);
    // Reopened on 11 Aug: + 60 = Sat 10 Oct, a 调休 working day.
    expect(lines[head + 1]).toMatch(new RegExp(`^• ${revoked.code} .*\\[信访·Telegram\\] .* — 复查撤销（本溪市教育局，2026-08-10），已重新办理，期限 2026-10-10$`));
    expect(lines[head + 2]).toMatch(new RegExp(`^• ${changed.code} .* — 复查变更（本溪市教育局，2026-08-10），请按变更后的意见执行并记录$`));
    const section = lines.slice(head, head + 4).join('\n');
    expect(section).not.toContain(upheld.code);
    expect(section).not.toContain(older.code);
  });
});
