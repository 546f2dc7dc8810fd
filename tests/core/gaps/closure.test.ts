import { describe, expect, it } from 'vitest';
import { gapClosure, type ClosureMessage } from '../../../src/core/gaps/closure.js';
import type { GapMark } from '../../../src/core/gaps/types.js';

const mark: GapMark = {
  key: 'k1',
  status: 'resolved',
  entryId: 'faq-kindergarten',
  resolvedAt: '2026-11-15T00:00:00.000Z',
  samples: ['幼儿园报名', '幼儿园时候报名'],
  markedBy: 'cli',
  markedAt: '2026-11-15T00:00:00.000Z',
};
const msg = (createdAt: string, over: Partial<ClosureMessage> = {}): ClosureMessage => ({
  text: null,
  answered: false,
  confident: false,
  feedback: null,
  entryId: null,
  createdAt,
  ...over,
});

describe('gapClosure', () => {
  it('compares the confident share before and after the fix', () => {
    const messages = [
      msg('2026-10-01T00:00:00.000Z', { text: '幼儿园怎么报名' }), // outside the 30-day window
      msg('2026-11-01T00:00:00.000Z', { text: '幼儿园怎么报名' }),
      msg('2026-11-03T00:00:00.000Z', { text: '幼兒園什麼時候報名呀', answered: true, entryId: 'enrollment-age' }),
      msg('2026-11-05T00:00:00.000Z', { text: '驾照怎么考' }), // unrelated refusal
      msg('2026-11-16T00:00:00.000Z', { answered: true, confident: true, entryId: 'faq-kindergarten' }),
      msg('2026-11-17T00:00:00.000Z', { answered: true, confident: true, entryId: 'faq-kindergarten' }),
      msg('2026-11-18T00:00:00.000Z', { answered: true, confident: true, entryId: 'faq-kindergarten', feedback: false, text: '幼儿园报名要啥' }),
      msg('2026-11-19T00:00:00.000Z', { answered: true, confident: true, entryId: 'enrollment-age' }), // another entry
    ];
    const toSimplified = (s: string) => s.replace('兒', '儿').replace('園', '园').replace('麼', '么').replace('時', '时').replace('報', '报');
    expect(gapClosure(mark, messages, { windowDays: 30, normalize: toSimplified })).toEqual({
      key: 'k1',
      entryId: 'faq-kindergarten',
      resolvedAt: '2026-11-15T00:00:00.000Z',
      before: { matching: 2, confident: 0, share: 0 },
      after: { matching: 3, confident: 2, share: 2 / 3 },
    });
  });

  it('reports no share when nothing matched, and nothing for an ignored group', () => {
    expect(gapClosure(mark, [], { windowDays: 30 })?.before).toEqual({ matching: 0, confident: 0, share: null });
    expect(gapClosure({ ...mark, status: 'ignored', resolvedAt: null }, [], { windowDays: 30 })).toBeNull();
  });
});
