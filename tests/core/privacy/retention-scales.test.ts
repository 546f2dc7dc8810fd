import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { loadRatingScales, type RatingScales } from '../../../src/core/cases/ratings.js';
import type { RatingInput } from '../../../src/core/cases/types.js';
import { purgeExpired } from '../../../src/core/privacy/retention.js';
import { openStore } from '../../../src/storage/open-store.js';
import { complaint } from '../cases/setup.js';

/**
 * The retention hold of a low-rated case follows the scale the rating was recorded on (core/cases/ratings.ts
 * objectionRatings): only a rating on the bot's star scale at ★★ or less reopens the objection window, so only it holds
 * the case's personal data from the rating. A 民心网 二星级 or 一星级 (民心网's own levels, which reopen nothing), a
 * declined rating, and a value on a scale that is not the bot's are not read as if they were 1–5 stars.
 *
 * Each case is closed on day 0 and rated on day 14; RETENTION_CASE_DAYS is 20. On day 21 a held case keeps its text,
 * any other is anonymised; on day 35 (21 days after the rating) the held one goes too.
 */
const policy = { messageDays: 90, caseDays: 20, conversationDays: 30 };
const TEXT = complaint().text;

async function rated(input: RatingInput, options: { channel?: 'telegram' | 'minxin'; scales?: RatingScales } = {}) {
  const db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-retention-scales-')), 'test.db'));
  const clock = { now: new Date('2026-03-02T02:00:00Z') };
  const desk = createCaseDesk({ db, now: () => clock.now, config: { REOPEN_DAYS: 15 }, ...(options.scales ? { ratingScales: options.scales } : {}) });
  const minxin = options.channel === 'minxin';
  const filed = await desk.file(minxin ? complaint({ channel: 'minxin', chatId: null, citizenRef: null, actor: 'cli' }) : complaint());
  await desk.act(filed.code, { kind: 'claim' }, 'console');
  await desk.act(filed.code, { kind: 'reply', text: '已责成学校退费。', ...(minxin ? { via: '民心网' } : {}) }, 'console');
  await desk.act(filed.code, { kind: 'close', note: '', ...(minxin ? { via: '民心网' } : {}) }, 'console');
  clock.now = new Date('2026-03-16T02:00:00Z'); // day 14
  await desk.rate(filed.code, input, minxin ? 'slack:USTAFF1' : 'citizen');
  const textOn = async (iso: string) => {
    clock.now = new Date(iso);
    await purgeExpired(db, policy, clock.now, options.scales);
    return (await desk.get(filed.code))!.text;
  };
  const day21 = await textOn('2026-03-23T03:00:00Z');
  const day35 = await textOn('2026-04-06T03:00:00Z');
  await db.close();
  return { day21, day35 };
}

const HELD = { day21: TEXT, day35: '[已删除]' };
const NOT_HELD = { day21: '[已删除]', day35: '[已删除]' };

/** The shipped scales with the bot's stars on ten levels under another id: "★★" still means the value 2 on it. */
const tenStars: RatingScales = (() => {
  const shipped = loadRatingScales();
  const levels = Array.from({ length: 10 }, (_, i) => ({ value: i + 1, zh: `${i + 1}星`, en: `${i + 1} stars` }));
  return { ...shipped, stars: { id: 'stars10', levels } };
})();

describe('retention hold by rating scale', () => {
  it('the bot\'s stars: ★★ holds the case from the rating, ★★★ does not', async () => {
    expect(await rated({ scale: 'stars', value: 2 })).toEqual(HELD);
    expect(await rated({ scale: 'stars', value: 1 })).toEqual(HELD);
    expect(await rated({ scale: 'stars', value: 3 })).toEqual(NOT_HELD);
  });

  it('民心网 levels reopen nothing: 二星级 and 一星级 do not hold the case', async () => {
    expect(await rated({ scale: 'minxin', value: 2 }, { channel: 'minxin' })).toEqual(NOT_HELD);
    expect(await rated({ scale: 'minxin', value: 1 }, { channel: 'minxin' })).toEqual(NOT_HELD);
  });

  it('不参与评星 does not hold the case', async () => {
    expect(await rated({ declined: true })).toEqual(NOT_HELD);
  });

  it('another star scale configured for the bot: its own ★★ holds, ★★★ does not', async () => {
    expect(await rated({ scale: 'stars', value: 2 }, { scales: tenStars })).toEqual(HELD);
    expect(await rated({ scale: 'stars', value: 3 }, { scales: tenStars })).toEqual(NOT_HELD);
  });
});
