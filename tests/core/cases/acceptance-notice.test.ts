import { afterEach, describe, expect, it } from 'vitest';
import { acceptanceNoticeLine } from '../../../src/core/cases/acceptance-notice.js';
import { acceptanceNoticeDue } from '../../../src/core/deadlines/index.js';
import { listAudit } from '../../../src/storage/audit-repo.js';
import { complaint, deskFixture, outbox, refusal } from './setup.js';

/**
 * 《信访条例》第二十二条: a petition not answered on the spot gets a written 受理告知 within 15 日 of receipt.
 * A chat case is told by the bot when staff claim it; a phone / letter case is told by staff, who record how.
 */
let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});

const petition = (over = {}) => complaint({ type: 'petition', text: '反映某校强制学生购买校服的问题。', ...over });
const phonePetition = () => petition({ channel: 'phone', chatId: null, citizenRef: null, actor: 'cli', citizenName: '王先生' });
const line = (f: typeof fx, record: Parameters<typeof acceptanceNoticeLine>[0]) =>
  acceptanceNoticeLine(record, { rules: f.desk.rules, calendar: f.desk.calendar, timeZone: 'Asia/Shanghai', locale: 'zh', now: f.clock.now });

describe('信访 受理告知 due date', () => {
  it('is receipt + 15 日 counted from the next day, moved off a rest day like the 60 日 limit; none for other types', async () => {
    fx = await deskFixture();
    const { rules, calendar } = fx.desk;
    // Mon 2 Nov 2026 (Beijing) + 15 = Tue 17 Nov.
    expect(acceptanceNoticeDue(calendar, rules.petition, '2026-11-02T02:00:00Z', 'Asia/Shanghai')).toBe('2026-11-17');
    // 23:30 Beijing on 2 Nov is still 2 Nov there (15:30 UTC).
    expect(acceptanceNoticeDue(calendar, rules.petition, '2026-11-02T15:30:00Z', 'Asia/Shanghai')).toBe('2026-11-17');
    // Wed 16 Sep + 15 = Thu 1 Oct, inside 国庆 (1–7 Oct): moves to Thu 8 Oct.
    expect(acceptanceNoticeDue(calendar, rules.petition, '2026-09-16T02:00:00Z', 'Asia/Shanghai')).toBe('2026-10-08');
    expect(acceptanceNoticeDue(calendar, rules.disclosure, '2026-11-02T02:00:00Z', 'Asia/Shanghai')).toBeNull();
    expect(acceptanceNoticeDue(calendar, rules.complaint, '2026-11-02T02:00:00Z', 'Asia/Shanghai')).toBeNull();
  });
});

describe('a petition with a chat: the claim message is the notice', () => {
  it('tells the parent the petition is accepted, once, and records it with an audit row', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await fx.desk.file(petition());
    expect(line(fx, c)).toBe('受理告知：应于 2026-11-17 前书面告知信访人（尚未记录）');
    fx.clock.now = new Date('2026-11-04T01:30:00Z'); // Wed 09:30 Beijing
    const { case: claimed } = await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    expect(claimed).toMatchObject({ acceptanceNoticeAt: '2026-11-04T01:30:00.000Z', acceptanceNoticeVia: null });

    const toParent = (await outbox(fx.db, c.id)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);
    expect(toParent).toHaveLength(2); // filed + claimed: the notice is the claim message, not a second one
    expect(toParent[1]).toBe(`受理告知：您的信访事项 ${c.code} 已经受理，由工作人员办理，我们将在 2027年1月4日（按常规工作日预估，以国家正式公布的节假日安排为准）前书面答复您。`);
    expect(line(fx, claimed)).toBe('受理告知：已于 2026-11-04 09:30 告知（系统消息）');
    const audit = (await listAudit(fx.db, { subject: c.code })).find((a) => a.action === 'case.claim');
    expect(JSON.parse(audit!.detail!)).toMatchObject({ acceptanceNotice: 'bot' });

    // The later answer does not move the recorded notice.
    fx.clock.now = new Date('2026-11-20T01:30:00Z');
    await fx.desk.act(c.code, { kind: 'reply', text: '已责成学校停止统一购买校服。' }, 'slack:U1');
    expect((await fx.desk.get(c.code))?.acceptanceNoticeAt).toBe('2026-11-04T01:30:00.000Z');
  });

  it('a complaint keeps the plain claim message and has no notice', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await fx.desk.file(complaint());
    const { case: claimed } = await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    expect(claimed.acceptanceNoticeAt).toBeNull();
    expect(line(fx, claimed)).toBeNull();
    const texts = (await outbox(fx.db, c.id)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);
    expect(texts[1]).toMatch(/^您的诉求 .* 已由工作人员签收办理/);
  });
});

describe('a petition without a chat: staff record how they told the petitioner', () => {
  it('stays unrecorded after a plain claim, turns overdue after 15 日, and is recorded once with its way', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await fx.desk.file(phonePetition());
    const { case: claimed } = await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    expect(claimed.acceptanceNoticeAt).toBeNull();
    fx.clock.now = new Date('2026-11-19T02:00:00Z');
    expect(line(fx, claimed)).toBe('受理告知：应于 2026-11-17 前书面告知信访人，已超期 2 日，尚未记录');

    const recorded = await fx.desk.recordAcceptanceNotice(c.code, '电话', 'console');
    expect(recorded).toMatchObject({ acceptanceNoticeAt: '2026-11-19T02:00:00.000Z', acceptanceNoticeVia: '电话', state: 'claimed' });
    expect(line(fx, recorded)).toBe('受理告知：已于 2026-11-19 10:00 告知（电话）');
    expect((await fx.desk.history(c.code)).at(-1)).toMatchObject({ kind: 'acceptance_notice', via: '电话', actor: 'console' });
    const audit = (await listAudit(fx.db, { subject: c.code })).find((a) => a.action === 'case.acceptance_notice');
    expect(JSON.parse(audit!.detail!)).toEqual({ via: '电话' });
    expect((await outbox(fx.db, c.id)).filter((r) => r.target !== 'staff')).toEqual([]);

    expect(await refusal(fx.desk.recordAcceptanceNotice(c.code, '书面', 'console'))).toBe(`信访事项 ${c.code} 已于 2026-11-19 10:00 记录受理告知。`);
    const other = await fx.desk.file(complaint({ type: 'disclosure', text: '申请公开学区划分依据' }));
    expect(await refusal(fx.desk.recordAcceptanceNotice(other.code, '电话', 'console'))).toBe(
      `诉求 ${other.code} 不是信访事项，无需受理告知（《信访条例》第二十二条只适用于信访）。`,
    );
  });

  it('a claim with the way records the notice at once', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await fx.desk.file({ ...phonePetition(), channel: 'letter' });
    const { case: claimed, event } = await fx.desk.act(c.code, { kind: 'claim', via: '书面' }, 'slack:U2');
    expect(claimed).toMatchObject({ acceptanceNoticeVia: '书面', acceptanceNoticeAt: '2026-11-02T02:00:00.000Z' });
    expect(event.via).toBe('书面');
  });

  it('an answer given before the 15 日 is the written reply: no separate notice is owed', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await fx.desk.file(phonePetition());
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    fx.clock.now = new Date('2026-11-06T02:00:00Z');
    const { case: replied } = await fx.desk.act(c.code, { kind: 'reply', text: '经核实，学校已停止统一购买校服。', via: '书面' }, 'console');
    expect(replied).toMatchObject({ acceptanceNoticeAt: '2026-11-06T02:00:00.000Z', acceptanceNoticeVia: '书面' });

    // Closed as unreachable: nobody was told, nothing is recorded.
    const silent = await fx.desk.file(phonePetition());
    await fx.desk.act(silent.code, { kind: 'unreachable' }, 'console');
    const { case: gone } = await fx.desk.act(silent.code, { kind: 'close', note: '多次致电无人接听' }, 'console');
    expect(gone).toMatchObject({ closeBasis: 'unreachable', acceptanceNoticeAt: null });
  });
});
