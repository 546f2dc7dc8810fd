import { describe, expect, it } from 'vitest';
import { purgeExpired } from '../../../src/core/privacy/retention.js';
import { complaint, deskFixture } from '../cases/setup.js';

/**
 * Review 18b, B9: a ★★ rating opens the objection window again from the day it was given (REOPEN_DAYS), but the
 * retention purge counted only from the closing: with REOPEN_DAYS=15 and RETENTION_CASE_DAYS=20 (accepted at start)
 * a case rated ★★ on day 14 was anonymised on day 21, and the parent's objection on day 23, inside the window the
 * desk grants, was refused as "个人信息已删除". Retention now counts from the later of the closing and a low rating.
 */
describe('retention of a closed case the parent rated ★★', () => {
  it('is not anonymised while the parent may still object; it is once retention has passed since the rating', async () => {
    const fx = await deskFixture({ now: '2026-03-02T02:00:00Z', config: { REOPEN_DAYS: 15 } });
    const policy = { messageDays: 90, caseDays: 20, conversationDays: 30 };
    const filed = await fx.desk.file(complaint());
    await fx.desk.act(filed.code, { kind: 'claim' }, 'console');
    await fx.desk.act(filed.code, { kind: 'reply', text: '已责成学校退费。' }, 'console');
    await fx.desk.act(filed.code, { kind: 'close', note: '' }, 'console');
    fx.clock.now = new Date('2026-03-16T02:00:00Z'); // day 14 after closing: ★★
    await fx.desk.rate(filed.code, { scale: 'stars', value: 2 }, 'citizen');

    fx.clock.now = new Date('2026-03-23T03:00:00Z'); // day 21: the nightly purge
    expect((await purgeExpired(fx.db, policy, fx.clock.now)).cases).toBe(0);
    expect((await fx.desk.get(filed.code))?.text).toBe(complaint().text);

    fx.clock.now = new Date('2026-03-25T02:00:00Z'); // day 23, 9 days after the rating: the objection is taken
    const reopened = await fx.desk.act(filed.code, { kind: 'reopen', note: '仍未退费，要求重新办理' }, 'citizen');
    expect(reopened.case.state).toBe('reopened');
    await fx.close();
  });

  it('a case rated ★★ is anonymised RETENTION_CASE_DAYS after the rating; one rated ★★★★ after the closing as before', async () => {
    const fx = await deskFixture({ now: '2026-03-02T02:00:00Z', config: { REOPEN_DAYS: 15 } });
    const policy = { messageDays: 90, caseDays: 20, conversationDays: 30 };
    const low = await fx.desk.file(complaint());
    const high = await fx.desk.file(complaint({ chatId: '10002', citizenRef: '10002' }));
    for (const c of [low, high]) {
      await fx.desk.act(c.code, { kind: 'claim' }, 'console');
      await fx.desk.act(c.code, { kind: 'reply', text: '已责成学校退费。' }, 'console');
      await fx.desk.act(c.code, { kind: 'close', note: '' }, 'console');
    }
    fx.clock.now = new Date('2026-03-16T02:00:00Z');
    await fx.desk.rate(low.code, { scale: 'stars', value: 2 }, 'citizen');
    await fx.desk.rate(high.code, { scale: 'stars', value: 4 }, 'citizen');
    fx.clock.now = new Date('2026-03-23T03:00:00Z');
    expect((await purgeExpired(fx.db, policy, fx.clock.now)).cases).toBe(1);
    expect((await fx.desk.get(high.code))?.text).toBe('[已删除]');
    fx.clock.now = new Date('2026-04-05T03:00:00Z'); // 20 days after the ★★ rating
    expect((await purgeExpired(fx.db, policy, fx.clock.now)).cases).toBe(1);
    expect((await fx.desk.get(low.code))?.text).toBe('[已删除]');
    await fx.close();
  });
});
