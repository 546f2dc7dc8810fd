import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { createCaseDesk } from '../../src/core/cases/desk.js';
import { RESULT_CORRECTION_ABANDONED } from '../../src/core/cases/disclosure.js';
import { complaint } from '../core/cases/setup.js';
import { tempStore, testContext } from './helpers.js';

/**
 * 《政府信息公开条例》第三十条: a request whose 补正 the applicant has not sent stops the clock, so it is in no due or
 * overdue list; the digest names it with the day the 补正告知 went out and what the law says if none arrives.
 */
describe('daily digest: disclosure requests awaiting a 补正', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('lists the requests still waiting (count, codes, notice date, working days waited, the law), not corrected or closed ones', async () => {
    const clock = { now: new Date('2026-11-02T02:00:00Z') }; // Mon 2 Nov 10:00 Beijing
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const disclosure = (chatId: string, text: string) => complaint({ type: 'disclosure', chatId, citizenRef: chatId, text });
    const waiting = await desk.file(disclosure('8201', '申请公开某校2025年招生计划'));
    const corrected = await desk.file(disclosure('8202', '申请公开学区划分依据'));
    const abandoned = await desk.file(disclosure('8203', '申请公开校车招标文件'));
    clock.now = new Date('2026-11-03T02:00:00Z');
    for (const c of [waiting, corrected, abandoned]) await desk.requestCorrection(c.code, '请说明需要哪所学校、哪一年的信息', 'console');
    clock.now = new Date('2026-11-05T02:00:00Z');
    await desk.receiveCorrection(corrected.code, '需要彩屯小学2025年的', 'console');
    await desk.act(abandoned.code, { kind: 'claim' }, 'console');
    await desk.act(abandoned.code, { kind: 'close', note: '申请人逾期未补正', disclosureResult: RESULT_CORRECTION_ABANDONED, applicantType: '自然人' } as never, 'console');
    clock.now = new Date('2026-11-20T02:00:00Z');
    const later = await desk.file(disclosure('8204', '申请公开某校食堂承包合同'));
    clock.now = new Date('2026-11-24T02:00:00Z');
    await desk.requestCorrection(later.code, '请补充申请人身份证明', 'console');
    const ctx = testContext(store.db);

    await dailyDigest.run(ctx, new Date('2026-12-01T00:30:00Z')); // Tue 1 Dec 08:30 Beijing

    const lines = ctx.poster.posts.map((p) => p.text).join('\n').split('\n');
    const head = lines.indexOf(
      '⏸️ 待申请人补正的政府信息公开申请：2 件（第三十条：答复期限暂停，自收到补正之日起重新计算；申请人无正当理由逾期不补正的，视为放弃申请）',
    );
    expect(head).toBeGreaterThan(0);
    const tail = '；收到补正请登记“补正已收到”，逾期不补正的按“申请人无正当理由逾期不补正”办结';
    // 3 Nov → 1 Dec: 4–6, 9–13, 16–20, 23–27, 30 Nov, 1 Dec = 20 working days; 24 Nov → 1 Dec: 5.
    expect(lines[head + 1]).toMatch(new RegExp(`^• ${waiting.code} .*\\[政府信息公开申请·Telegram\\] .* — 2026-11-03 发出补正告知，已等待 20 个工作日${tail}$`));
    expect(lines[head + 2]).toMatch(new RegExp(`^• ${later.code} .* — 2026-11-24 发出补正告知，已等待 5 个工作日${tail}$`));
    expect(lines.join('\n')).not.toMatch(new RegExp(`(${corrected.code}|${abandoned.code}).*补正告知`));
  });

  it('a day with nothing else to report still names the request waiting for its 补正 (not the quiet line)', async () => {
    const clock = { now: new Date('2026-11-02T02:00:00Z') };
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const c = await desk.file(complaint({ type: 'disclosure', chatId: '8205', citizenRef: '8205', text: '申请公开某校收费标准' }));
    await desk.requestCorrection(c.code, '请说明哪一学年', 'console');
    const ctx = testContext(store.db);
    await dailyDigest.run(ctx, new Date('2026-11-30T00:30:00Z')); // Mon 30 Nov: nothing new since the window
    const text = ctx.poster.posts.map((p) => p.text).join('\n');
    expect(text).toContain('⏸️ 待申请人补正的政府信息公开申请：1 件');
    expect(text).toMatch(new RegExp(`${c.code} .* — 2026-11-02 发出补正告知，已等待 20 个工作日`));
  });
});
