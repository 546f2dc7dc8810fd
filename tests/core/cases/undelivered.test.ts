import { afterEach, describe, expect, it } from 'vitest';
import { complaint, deskFixture, outbox, refusal } from './setup.js';

/**
 * A message that cannot reach the citizen: the desk tells staff in one way, and says which (recordUndelivered),
 * so a channel's sender needs no try-and-fall-back. Real SQLite file, set clock.
 */
let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});

const staffChanges = async (caseId: number) =>
  (await outbox(fx.db, caseId)).filter((r) => r.target === 'staff').map((r) => (r.payload as { change: string }).change);

describe('recordUndelivered', () => {
  it('moves an open case to 联系不上 with the reason as the note', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    const outcome = await fx.desk.recordUndelivered(c.code, 'Telegram: 403: Forbidden: bot was blocked by the user');
    expect(outcome).toMatchObject({ told: 'unreachable', case: { state: 'unreachable', unreachable: true } });
    expect(outcome.told !== 'already' && outcome.event).toMatchObject({
      kind: 'transition', fromState: 'claimed', toState: 'unreachable', note: 'Telegram: 403: Forbidden: bot was blocked by the user', actor: 'system',
    });
    expect((await fx.desk.history(c.code)).filter((e) => e.kind === 'undelivered')).toHaveLength(0);
  });

  it('on a closed case records one `undelivered` event for staff, then says they were told already', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    await fx.desk.act(c.code, { kind: 'close', note: '已责令学校退还资料费。' }, 'slack:U1');
    const first = await fx.desk.recordUndelivered(c.code, '网页聊天：会话已结束（家长已离开）');
    expect(first).toMatchObject({ told: 'undelivered', case: { state: 'closed', unreachable: true }, event: { kind: 'undelivered', note: '网页聊天：会话已结束（家长已离开）' } });
    const second = await fx.desk.recordUndelivered(c.code, 'Telegram: 403: Forbidden: bot was blocked by the user');
    expect(second).toEqual({ told: 'already', case: expect.objectContaining({ code: c.code, state: 'closed' }) });
    expect((await fx.desk.history(c.code)).filter((e) => e.kind === 'undelivered')).toHaveLength(1);
    expect((await staffChanges(c.id)).filter((change) => change === 'undelivered')).toHaveLength(1);
  });

  it('refuses an unknown case with the desk\'s not-found message', async () => {
    fx = await deskFixture();
    expect(await refusal(fx.desk.recordUndelivered('XH-2026-999999', 'Telegram: 403'))).toContain('XH-2026-999999');
  });
});
