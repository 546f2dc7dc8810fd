import { afterEach, describe, expect, it } from 'vitest';
import { reviewLine } from '../../../src/core/cases/review-lines.js';
import { canRecordReview, nextReviewLevel, pendingReviewOf } from '../../../src/core/cases/reviews.js';
import { count, complaint, deskFixture, refusal } from './setup.js';

/**
 * The reviewing body's own limit (《信访条例》第三十四条、第三十五条: 复查 / 复核意见 within 30 日 of receiving the
 * request; 日 = calendar days, rules/deadline-rules.yaml `review.answer`): staff record the request when they learn of
 * it, the decision later; the entry shows its due date, and the decision answers the pending entry (append-only).
 */
let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});
const at = (iso: string) => (fx.clock.now = new Date(iso));

/** A 信访 case answered and closed on Wed 2026-07-01 10:00 Beijing. */
async function closedPetition() {
  at('2026-06-01T02:00:00Z');
  const c = await fx.desk.file(complaint({ type: 'petition', text: '反映某校强制学生购买校服的问题。' }));
  await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
  at('2026-07-01T02:00:00Z');
  await fx.desk.act(c.code, { kind: 'close', note: '经调查，已责成学校停止统一购买校服。' }, 'slack:U1');
  return (await fx.desk.get(c.code))!;
}

describe('a 复查 request recorded before its decision', () => {
  it('is pending with its due date (30 calendar days, moved off a rest day); the decision later answers it', async () => {
    fx = await deskFixture();
    const c = await closedPetition();
    at('2026-07-27T02:00:00Z');
    // Thu 23 Jul + 30 日 = Sat 22 Aug → Mon 24 Aug (calendar days, not working days: 22 working days would end later).
    const { case: after, review: pending } = await fx.desk.recordReview(c.code, { level: '复查', requestedOn: '2026-07-23', note: '市局来函调取材料' }, 'slack:U1');
    expect(after.state).toBe('closed');
    expect(pending).toMatchObject({ level: 'review', outcome: '待决定', decidedOn: null, decisionDue: '2026-08-24', decidesId: null, inTime: true, receivedOn: '2026-07-27' });
    expect(reviewLine(pending, 'zh')).toBe(
      '复查（本溪市教育局）：尚未作出意见；请求 2026-07-23，本局获知 2026-07-27；在期限内（2026-07-01起 30 日，至 2026-07-31）；复查意见应于 2026-08-24 前作出（收到请求之日起30日内）',
    );
    expect(reviewLine(pending, 'en')).toContain('the 复查 (review) decision is due by 2026-08-24 (30 days from the body\'s receipt of the request)');
    const reviews = await fx.desk.reviews(c.code);
    expect(pendingReviewOf(after, reviews)?.id).toBe(pending.id);
    expect(nextReviewLevel(after, reviews)).toBe('review');

    // Recorded twice: refused, naming the due date.
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', requestedOn: '2026-07-23' }, 'slack:U1'))).toBe(
      `信访事项 ${c.code} 已记录复查请求（请求日 2026-07-23，意见应于 2026-08-24 前作出），尚未记录意见：收到复查意见后，请填写结果和意见作出日期记录意见。`,
    );
    // A 复核 cannot follow a 复查 that has no decision yet.
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复核', body: '本溪市人民政府', requestedOn: '2026-07-30' }, 'slack:U1')))
      .toContain('还没有记录复查意见');
    // The decision keeps the request day; another one is refused.
    at('2026-08-28T02:00:00Z');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-24', decidedOn: '2026-08-26' }, 'slack:U1')))
      .toBe(`信访事项 ${c.code} 的复查请求已按请求日 2026-07-23 记录（现填 2026-07-24）：记录意见时请求日不变，可不填。`);
    const { review: decision } = await fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', decidedOn: '2026-08-26' }, 'slack:U1');
    expect(decision).toMatchObject({ outcome: '维持', requestedOn: '2026-07-23', decidedOn: '2026-08-26', decisionDue: '2026-08-24', decidesId: pending.id, body: '本溪市教育局' });
    // Decided after the body's limit: the line says so.
    expect(reviewLine(decision, 'zh')).toBe(
      '复查（本溪市教育局）：维持；请求 2026-07-23，意见 2026-08-26，本局收到 2026-08-28；在期限内（2026-07-01起 30 日，至 2026-07-31）；意见晚于期限 2026-08-24（机关收到请求之日起30日内）',
    );
    const all = await fx.desk.reviews(c.code);
    expect(all).toHaveLength(2);
    expect(pendingReviewOf(after, all)).toBeUndefined();
    expect(nextReviewLevel(after, all)).toBe('recheck');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '撤销', decidedOn: '2026-08-27' }, 'slack:U1'))).toContain('只能记录一次复查');
    // Two review events, two audit rows: nothing was changed in place.
    expect(await count(fx.db, 'case_reviews')).toBe(2);
  });

  it('a decision in time says nothing of the body limit; half a decision (a result without its date) is refused', async () => {
    fx = await deskFixture();
    const c = await closedPetition();
    at('2026-08-21T02:00:00Z');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-20' }, 'slack:U1')))
      .toBe('请写明复查意见的作出日期（意见书落款日期，如 2026-08-10）。');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', requestedOn: '2026-07-20', decidedOn: '2026-08-19' }, 'slack:U1')))
      .toContain('复查结果只能是：维持/撤销/变更/不予受理/撤回（现为“-”）');
    const { review } = await fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-20', decidedOn: '2026-08-19' }, 'slack:U1');
    expect(review.decisionDue).toBe('2026-08-19');
    expect(reviewLine(review, 'zh')).not.toContain('晚于期限');
  });

  it('only a closed 信访 case answered with a 处理意见 offers the entry', async () => {
    fx = await deskFixture();
    const c = await closedPetition();
    const rule = fx.desk.rules.petition;
    expect(canRecordReview(c, rule)).toBe(true);
    expect(canRecordReview({ ...c, state: 'claimed' }, rule)).toBe(false);
    expect(canRecordReview({ ...c, closeBasis: 'duplicate' }, rule)).toBe(false);
    expect(canRecordReview(c, fx.desk.rules.complaint)).toBe(false);
  });

  it('a withdrawn request (撤回) ends it: shown on the case, no decision; the stage may be asked again; a 复核 still needs a 复查 decision', async () => {
    fx = await deskFixture();
    const c = await closedPetition();
    at('2026-07-27T02:00:00Z');
    const { review: pending } = await fx.desk.recordReview(c.code, { level: '复查', requestedOn: '2026-07-23' }, 'slack:U1');
    at('2026-08-05T02:00:00Z');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '撤回' }, 'slack:U1')))
      .toBe('请写明复查请求的撤回日期（信访人撤回请求之日，如 2026-08-03）。');
    const { case: after, review: withdrawal } = await fx.desk.recordReview(c.code, { level: '复查', outcome: 'withdrawn', decidedOn: '2026-08-04' }, 'slack:U1');
    expect(withdrawal).toMatchObject({ outcome: '撤回', decidesId: pending.id, decidedOn: '2026-08-04', requestedOn: '2026-07-23' });
    expect(after.state).toBe('closed');
    expect(reviewLine(withdrawal, 'zh')).toBe(
      '复查（本溪市教育局）：信访人已于 2026-08-04 撤回请求，未作出意见；请求 2026-07-23，本局获知 2026-08-05；在期限内（2026-07-01起 30 日，至 2026-07-31）',
    );
    expect(reviewLine(withdrawal, 'en')).toContain('withdrawn by the petitioner on 2026-08-04, no decision made');
    const all = await fx.desk.reviews(c.code);
    expect(pendingReviewOf(after, all)).toBeUndefined();
    expect(nextReviewLevel(after, all)).toBe('review');
    // No 复查意见 exists: a 复核 is refused, a new 复查 request is taken (here out of time, and recorded as such).
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复核', body: '本溪市人民政府', requestedOn: '2026-08-05' }, 'slack:U1')))
      .toContain('还没有记录复查意见');
    const { review: again } = await fx.desk.recordReview(c.code, { level: '复查', requestedOn: '2026-08-05' }, 'slack:U1');
    expect(again).toMatchObject({ outcome: '待决定', inTime: false, decisionDue: '2026-09-04' });
  });

  it('a request posted to the body: its 30 日 count from the body\'s receipt, shown on the line; the receipt cannot precede the request', async () => {
    fx = await deskFixture();
    const c = await closedPetition();
    at('2026-08-05T02:00:00Z');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', requestedOn: '2026-07-30', requestReceivedOn: '2026-07-29' }, 'slack:U1')))
      .toBe('机关收到请求日 2026-07-29 不能早于请求日 2026-07-30，请核对日期。');
    const { review } = await fx.desk.recordReview(c.code, { level: '复查', requestedOn: '2026-07-30', requestReceivedOn: '2026-08-03' }, 'slack:U1');
    expect(review).toMatchObject({ inTime: true, decisionDue: '2026-09-02' });
    expect(reviewLine(review, 'zh')).toContain('请求 2026-07-30（机关 2026-08-03 收到），本局获知 2026-08-05');
    // The decision keeps the receipt day (its limit was counted from it).
    at('2026-09-03T02:00:00Z');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', decidedOn: '2026-09-01', requestReceivedOn: '2026-07-30' }, 'slack:U1')))
      .toContain('已按机关收到日 2026-08-03 记录');
    const { review: decision } = await fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', decidedOn: '2026-09-01' }, 'slack:U1');
    expect(decision).toMatchObject({ requestReceivedOn: '2026-08-03', decisionDue: '2026-09-02' });
    expect(reviewLine(decision, 'zh')).not.toContain('晚于期限');
  });
});
