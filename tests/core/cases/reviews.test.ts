import { afterEach, describe, expect, it } from 'vitest';
import { reviewLine } from '../../../src/core/cases/review-lines.js';
import { listAudit } from '../../../src/storage/audit-repo.js';
import { complaint, count, deskFixture, outbox, refusal } from './setup.js';

/**
 * 信访 复查 / 复核 logged against the bureau's closed case (《信访条例》第三十四条、第三十五条): the 30 日 request
 * limits are checked (out of time is recorded, not refused), a 撤销 reopens the case with a new deadline, and a
 * repeat complaint after 复核 is 不再受理. Entries are append-only, with a case event and an audit row.
 */
let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});

const at = (iso: string) => (fx.clock.now = new Date(iso));

/** A 信访 case on the bot, answered and closed on `closedOn` 10:00 Beijing. */
async function closedPetition(closedOn: string) {
  const c = await fx.desk.file(complaint({ type: 'petition', text: '反映某校强制学生购买校服的问题。' }));
  await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
  at(`${closedOn}T02:00:00Z`);
  await fx.desk.act(c.code, { kind: 'close', note: '经调查，已责成学校停止统一购买校服。' }, 'slack:U1');
  return c;
}

describe('recording a 复查 decision', () => {
  it('in time: the limit runs 30 日 from the written reply and moves off a rest day; staff-only, audited, the case stays closed', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await closedPetition('2026-11-20'); // Fri; +30 = Sun 20 Dec → Mon 21 Dec
    const before = (await outbox(fx.db, c.id)).length;
    at('2027-01-12T02:00:00Z');
    const { case: after, review } = await fx.desk.recordReview(
      c.code, { level: '复查', outcome: '维持', requestedOn: '2026-12-21', decidedOn: '2027-01-10', note: '复查意见书 本教复〔2027〕1号' }, 'slack:U1',
    );
    expect(after.state).toBe('closed');
    expect(review).toMatchObject({ level: 'review', body: '本溪市教育局', receivedOn: '2027-01-12', windowFrom: '2026-11-20', windowEnd: '2026-12-21', inTime: true });
    expect(reviewLine(review, 'zh')).toBe(
      '复查（本溪市教育局）：维持；请求 2026-12-21，意见 2027-01-10，本局收到 2027-01-12；在期限内（2026-11-20起 30 日，至 2026-12-21）',
    );
    // Linked: the case's history has the event with staff's note; the audit row has every field.
    const event = (await fx.desk.history(c.code)).find((e) => e.id === review.eventId);
    expect(event).toMatchObject({ kind: 'review', actor: 'slack:U1', note: '复查意见书 本教复〔2027〕1号' });
    const audit = (await listAudit(fx.db, { subject: c.code })).find((a) => a.action === 'case.review');
    expect(JSON.parse(audit!.detail!)).toMatchObject({ outcome: '维持', requestedOn: '2026-12-21', inTime: true, windowEnd: '2026-12-21' });
    // The reviewing body answers the petitioner itself: only a staff notice is queued.
    const added = (await outbox(fx.db, c.id)).slice(before);
    expect(added.map((r) => r.target)).toEqual(['staff']);
    expect(added[0]!.payload).toMatchObject({ change: 'review', caseCode: c.code });
    expect(await fx.desk.reviews(c.code)).toHaveLength(1);
  });

  it('a request made after the limit is recorded as out of time with its dates, in Chinese and English', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await closedPetition('2026-11-20');
    at('2027-01-20T02:00:00Z');
    const { review } = await fx.desk.recordReview(c.code, { level: 'review', outcome: '不予受理', requestedOn: '2026-12-24', decidedOn: '2027-01-15', receivedOn: '2027-01-18' }, 'console');
    expect(review.inTime).toBe(false);
    expect(reviewLine(review, 'zh')).toBe(
      '复查（本溪市教育局）：不予受理；请求 2026-12-24，意见 2027-01-15，本局收到 2027-01-18；逾期请求：书面答复 2026-11-20，请求期限至 2026-12-21，请求日 2026-12-24，超出 3 日',
    );
    expect(reviewLine(review, 'en')).toContain('requested out of time: written reply 2026-11-20, limit 2026-12-21, requested 2026-12-24, 3 days late');
  });

  it('a written reply received later (a letter) moves the start of the limit', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await closedPetition('2026-07-01');
    at('2026-08-20T02:00:00Z');
    const { review } = await fx.desk.recordReview(
      c.code, { level: 'review', outcome: '维持', requestedOn: '2026-08-03', decidedOn: '2026-08-18', replyReceivedOn: '2026-07-04' }, 'console',
    );
    expect(review).toMatchObject({ windowFrom: '2026-07-04', windowEnd: '2026-08-03', inTime: true });
  });
});

describe('复核 and the repeat complaint after it', () => {
  it('复核 counts from the 复查意见; a late one is flagged; afterwards the same complaint is 不再受理', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await closedPetition('2026-07-01');
    at('2026-08-12T02:00:00Z');
    await fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console');
    at('2026-10-14T02:00:00Z');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复核', outcome: '维持', requestedOn: '2026-09-15', decidedOn: '2026-10-12' }, 'console')))
      .toBe('请写明作出复核意见的机关（复查机关的上一级行政机关），例如 机关=本溪市人民政府。');
    const { review: recheck } = await fx.desk.recordReview(
      c.code, { level: '复核', outcome: '维持', body: '本溪市人民政府', requestedOn: '2026-09-15', decidedOn: '2026-10-12' }, 'console',
    );
    expect(recheck).toMatchObject({ level: 'recheck', windowFrom: '2026-08-10', windowEnd: '2026-09-09', inTime: false });
    expect(reviewLine(recheck, 'zh')).toContain('逾期请求：复查意见 2026-08-10，请求期限至 2026-09-09，请求日 2026-09-15，超出 6 日');
    // A second 复查 or 复核 of the same reply is refused with what to do instead.
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复核', outcome: '撤销', body: '本溪市人民政府', requestedOn: '2026-10-01', decidedOn: '2026-10-12' }, 'console')))
      .toBe(`信访事项 ${c.code} 已于 2026-10-14 记录复核意见（维持），同一书面答复只能记录一次复核。复核之后再次信访的，请记录“再次信访”。`);

    at('2026-11-03T02:00:00Z');
    const { case: still, review: repeat } = await fx.desk.recordReview(
      c.code, { level: '再次信访', body: '本溪市溪湖区教育局', requestedOn: '2026-11-02', note: '同一事实和理由，电话反映' }, 'console',
    );
    expect(still.state).toBe('closed');
    expect(repeat).toMatchObject({ level: 'repeat', outcome: '不再受理', inTime: false, decidedOn: null });
    expect(reviewLine(repeat, 'zh')).toBe(
      '复核后再次信访（本溪市溪湖区教育局）：不再受理（《信访条例》第三十五条：对复核意见不服，仍以同一事实和理由投诉的，不再受理）；信访日 2026-11-02，复核意见 2026-10-12，本局收到 2026-11-03',
    );
    expect(await refusal(fx.desk.recordReview(c.code, { level: '再次信访', outcome: '予以受理', body: '本局', requestedOn: '2026-11-02' }, 'console')))
      .toBe(`信访事项 ${c.code} 已经复核，同一事实和理由的再次信访只能记录为“不再受理”（《信访条例》第三十五条）。`);
  });

  it('refuses a 复核 or a repeat before its step, and anything on a case that is not a closed, answered 信访 case', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await closedPetition('2026-07-01');
    at('2026-08-12T02:00:00Z');
    expect(await refusal(fx.desk.recordReview(c.code, { level: 'recheck', outcome: '维持', body: '本溪市人民政府', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console')))
      .toBe(`信访事项 ${c.code} 还没有记录复查意见：复核是对复查意见不服时提出的（《信访条例》第三十五条），请先记录复查。`);
    expect(await refusal(fx.desk.recordReview(c.code, { level: 'repeat', body: '本局', requestedOn: '2026-07-20' }, 'console')))
      .toMatch(/还没有记录复核意见/);
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '驳回', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console')))
      .toBe('复查结果只能是：维持/撤销/变更/不予受理/撤回（现为“驳回”）。');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-7-20', decidedOn: '2026-08-10' }, 'console')))
      .toBe('请求日期必须按“年-月-日”写成 2026-03-15 这样的日期（现为“2026-7-20”）。');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-08-11', decidedOn: '2026-08-10' }, 'console')))
      .toBe('日期顺序不对：请求日 2026-08-11 不能晚于意见作出日 2026-08-10，意见作出日不能晚于本局收到日 2026-08-12。');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-06-20', decidedOn: '2026-08-10' }, 'console')))
      .toBe('请求日 2026-06-20 早于书面答复日（2026-07-01），请核对日期。');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-20', decidedOn: '2026-08-13' }, 'console')))
      .toBe('意见作出日期 2026-08-13 还没有到（今天是 2026-08-12），请核对日期。');
    expect(await refusal(fx.desk.recordReview(c.code, { level: '申诉', requestedOn: '2026-07-20' }, 'console')))
      .toBe('“申诉”不是可以记录的类型：请写 复查、复核 或 再次信访（复核后同一事项再次信访）。');

    const open = await fx.desk.file(complaint({ type: 'petition' }));
    expect(await refusal(fx.desk.recordReview(open.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console')))
      .toBe(`信访事项 ${open.code} 当前状态为“待认领”，还没有书面答复办结：复查、复核针对办结时的书面答复（处理意见），办结后才能记录。`);
    const plain = await fx.desk.file(complaint());
    expect(await refusal(fx.desk.recordReview(plain.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console')))
      .toMatch(/属于“投诉”，不是信访事项/);
    expect(await count(fx.db, 'case_reviews')).toBe(0);
  });
});

describe('a 复查 that revokes the 处理意见', () => {
  it('with STAFF_LOCALE=en writes the reopening note in English (stored as written: a later change of language leaves it)', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z', config: { STAFF_LOCALE: 'en' } });
    const c = await closedPetition('2026-07-01');
    at('2026-08-12T02:00:00Z');
    await fx.desk.recordReview(c.code, { level: '复查', outcome: '撤销', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'slack:U1');
    const history = await fx.desk.history(c.code);
    expect(history.at(-1)).toMatchObject({
      kind: 'transition', toState: 'reopened',
      note: '复查 (review): the written reply was revoked (撤销) by 本溪市教育局 on 2026-08-10; the case is handled again',
    });
  });

  it('reopens the case with a new 60 日 deadline from the day the decision arrived, and tells the petitioner', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await closedPetition('2026-07-01');
    at('2026-08-12T02:00:00Z'); // beyond REOPEN_DAYS (15): the superior body decides, not the objection window
    const { case: reopened, review } = await fx.desk.recordReview(
      c.code, { level: '复查', outcome: '撤销', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'slack:U1',
    );
    // 2026-08-12 + 60 = Sun 11 Oct → Mon 12 Oct.
    expect(reopened).toMatchObject({ state: 'reopened', deadlineOn: '2026-10-12', closedAt: null, repliedAt: null });
    expect(review.outcome).toBe('撤销');
    const toParent = (await outbox(fx.db, c.id)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);
    expect(toParent.at(-1)).toBe(`您的诉求 ${c.code} 已重新办理，答复期限为 2026年10月12日。您接下来发送的情况说明会补充到这个诉求（发送“取消”即不再补充）。`);
    const history = await fx.desk.history(c.code);
    expect(history.at(-1)).toMatchObject({ kind: 'transition', toState: 'reopened', note: '复查撤销（本溪市教育局，2026-08-10）' });
    // While it is handled again, no further review can be logged against the old reply.
    expect(await refusal(fx.desk.recordReview(c.code, { level: '复核', outcome: '维持', body: '本溪市人民政府', requestedOn: '2026-08-11', decidedOn: '2026-08-12' }, 'console')))
      .toMatch(/当前状态为“已重新办理”，还没有书面答复办结/);
    // A new written reply starts a new round: a 复查 of it may be recorded.
    at('2026-09-01T02:00:00Z');
    await fx.desk.act(c.code, { kind: 'close', note: '重新调查后，学校已退还校服费用。' }, 'slack:U1');
    at('2026-09-20T02:00:00Z');
    const second = await fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-09-10', decidedOn: '2026-09-18' }, 'slack:U1');
    expect(second.review.windowFrom).toBe('2026-09-01');
    expect(await fx.desk.reviews(c.code)).toHaveLength(2);
  });
});

describe('append-only', () => {
  it('the database refuses to change or delete a recorded entry', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await closedPetition('2026-07-01');
    at('2026-08-12T02:00:00Z');
    await fx.desk.recordReview(c.code, { level: '复查', outcome: '维持', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console');
    await expect(fx.db.run("UPDATE case_reviews SET outcome = '撤销'")).rejects.toThrow(/append-only/);
    await expect(fx.db.run('DELETE FROM case_reviews')).rejects.toThrow(/append-only/);
    expect((await fx.desk.reviews(c.code))[0]!.outcome).toBe('维持');
  });
});

describe('the refusals name the stage and outcome in the staff language', () => {
  it('English staff read the English names (the Chinese term beside them); Chinese staff read them as before', async () => {
    fx = await deskFixture({ now: '2026-06-01T02:00:00Z' });
    const c = await closedPetition('2026-07-01');
    at('2026-08-12T02:00:00Z');
    const badOutcome = () => fx.desk.recordReview(c.code, { level: 'review', outcome: '驳回', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console');
    expect(await refusal(badOutcome(), 'en')).toBe(
      'The 复查 (review) outcome must be one of Upheld (维持)/Revoked (撤销)/Changed (变更)/Not taken up (不予受理)/Withdrawn (撤回) (got "驳回").',
    );
    expect(await refusal(badOutcome(), 'zh')).toBe('复查结果只能是：维持/撤销/变更/不予受理/撤回（现为“驳回”）。');
    const noDecisionDay = () => fx.desk.recordReview(c.code, { level: 'review', outcome: 'upheld', requestedOn: '2026-07-20' }, 'console');
    expect(await refusal(noDecisionDay(), 'en')).toBe('Give the date of the 复查 (review) decision (the date on the decision letter, YYYY-MM-DD).');
    expect(await refusal(noDecisionDay(), 'zh')).toBe('请写明复查意见的作出日期（意见书落款日期，如 2026-08-10）。');

    await fx.desk.recordReview(c.code, { level: 'review', outcome: 'upheld', requestedOn: '2026-07-20', decidedOn: '2026-08-10' }, 'console');
    const second = () => fx.desk.recordReview(c.code, { level: 'review', outcome: 'revoked', requestedOn: '2026-07-21', decidedOn: '2026-08-11' }, 'console');
    expect(await refusal(second(), 'en')).toBe(
      `Petition ${c.code}: a 复查 (review) decision was already recorded on 2026-08-12 (Upheld (维持)); one 复查 (review) per written reply. For the same complaint again after a recheck, record 再次信访 (repeat).`,
    );
    expect(await refusal(second(), 'zh')).toBe(`信访事项 ${c.code} 已于 2026-08-12 记录复查意见（维持），同一书面答复只能记录一次复查。复核之后再次信访的，请记录“再次信访”。`);
  });
});
