import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRatingScales } from '../../../src/core/cases/index.js';
import { complaint, deskFixture, outbox } from './setup.js';

let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});

async function closedCase(over: Parameters<typeof complaint>[0] = {}) {
  const record = await fx.desk.file(complaint(over));
  await fx.desk.act(record.code, { kind: 'claim' }, 'console');
  // A 民心网 case has no chat: the reply is given there and recorded with that way.
  const via = record.chatId ? {} : { via: '民心网' as const };
  await fx.desk.act(record.code, { kind: 'reply', text: '已督促学校整改。', ...via }, 'console');
  await fx.desk.act(record.code, { kind: 'close', note: '' }, 'console');
  return record;
}
const ratingOf = (caseId: number) =>
  fx.db.all<{ scale: string; value: number | null; label: string; declined: number }>(
    'SELECT scale, value, label, declined FROM ratings WHERE case_id = ?',
    [caseId],
  );

describe('ratings', () => {
  it('is refused before the case is closed', async () => {
    fx = await deskFixture();
    const record = await fx.desk.file(complaint());
    await expect(fx.desk.rate(record.code, { scale: 'stars', value: 5 }, 'citizen')).rejects.toMatchObject({
      code: 'case_illegal_transition',
      message: `Case ${record.code} is "Unclaimed": it can be rated only after it is closed.`,
    });
  });

  it('stores stars with the label, once per closing: a second rating is refused, a case reopened and closed again is rated anew', async () => {
    fx = await deskFixture();
    const record = await closedCase();
    await fx.desk.rate(record.code, { scale: 'stars', value: 2 }, 'citizen');
    expect(await ratingOf(record.id)).toEqual([{ scale: 'stars5', value: 2, label: '不满意', declined: 0 }]);
    await expect(fx.desk.rate(record.code, { scale: 'stars', value: 5 }, 'citizen')).rejects.toMatchObject({
      code: 'case_illegal_transition', message: `Case ${record.code} was already rated (不满意): a closed case is rated once.`,
    });
    expect(await ratingOf(record.id)).toEqual([{ scale: 'stars5', value: 2, label: '不满意', declined: 0 }]);
    fx.clock.now = new Date('2026-02-11T02:00:00Z');
    await fx.desk.act(record.code, { kind: 'reopen', note: '家长要求重新办理' }, 'citizen');
    await fx.desk.act(record.code, { kind: 'reply', text: '已再次核实并退费。' }, 'console');
    await fx.desk.act(record.code, { kind: 'close', note: '' }, 'console');
    await fx.desk.rate(record.code, { scale: 'stars', value: 5 }, 'citizen');
    expect(await ratingOf(record.id)).toEqual([{ scale: 'stars5', value: 5, label: '非常满意', declined: 0 }]);
    const rated = (await fx.desk.history(record.code)).filter((e) => e.kind === 'rated').map((e) => e.note);
    expect(rated).toEqual(['stars5:2 不满意', 'stars5:5 非常满意']);
    const staff = (await outbox(fx.db, record.id)).filter((r) => r.target === 'staff').at(-1);
    expect(staff?.payload).toMatchObject({ change: 'rated', caseCode: record.code });
    // The parent is thanked by the engine, not through the outbox (filed, claimed, replied, closed; reopened, replied, closed).
    expect((await outbox(fx.db, record.id)).filter((r) => r.target === 'telegram')).toHaveLength(7);
  });

  it('records 民心网 star levels up to 六星级, 不参与评星, and keeps the unreachable flag', async () => {
    fx = await deskFixture();
    const six = await closedCase({ channel: 'minxin', chatId: null, citizenRef: '民心网 20260210001', actor: 'console' });
    await fx.desk.rate(six.code, { scale: 'minxin', value: 6 }, 'console');
    expect(await ratingOf(six.id)).toEqual([{ scale: 'minxin', value: 6, label: '六星级', declined: 0 }]);

    const declined = await fx.desk.file(complaint({ channel: 'minxin', chatId: null, actor: 'console' }));
    await fx.desk.act(declined.code, { kind: 'unreachable', note: '三次致电无人接听' }, 'console');
    const { case: closed } = await fx.desk.act(declined.code, { kind: 'close', note: '联系不上诉求人' }, 'console');
    expect(closed).toMatchObject({ unreachable: true, state: 'closed' });
    await fx.desk.rate(declined.code, { declined: true }, 'console');
    expect(await ratingOf(declined.id)).toEqual([{ scale: 'minxin', value: null, label: '不参与评星', declined: 1 }]);
  });

  it('rejects a value not on the scale', async () => {
    fx = await deskFixture();
    const record = await closedCase();
    await expect(fx.desk.rate(record.code, { scale: 'stars', value: 6 }, 'citizen')).rejects.toThrow(
      `Rating 6 for case ${record.code} is not on the stars5 scale (allowed: 1, 2, 3, 4, 5).`,
    );
    await expect(fx.desk.rate(record.code, { scale: 'minxin', value: 7 }, 'console')).rejects.toThrow('(allowed: 1, 2, 3, 4, 5, 6)');
  });

  it('validates rules/rating-scales.yaml', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-scales-')), 'scales.yaml');
    writeFileSync(path, 'stars:\n  id: Stars\n  levels: [{ value: 1, zh: 差, en: Bad }, { value: 1, zh: 差, en: Bad }]\n');
    expect(() => loadRatingScales(path)).toThrow(
      `${path}: stars.id: id must be lower-case letters and digits, e.g. stars5\n${path}: stars.levels: level values must be unique\n${path}: minxin:`,
    );
    expect(loadRatingScales().stars.levels.map((l) => l.zh)).toEqual(['非常满意', '满意', '一般', '不满意', '非常不满意']);
  });
});
