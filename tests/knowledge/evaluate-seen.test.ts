import { describe, expect, it } from 'vitest';
import { evaluate, type Searcher } from '../../src/knowledge/evaluate.js';
import type { Decision } from '../../src/knowledge/index.js';

const hit = (id: string) => ({ id, section: null, score: 0.5 });
const alt = (entryId: string) => ({ entryId, section: null, title: entryId });
const answer = (id: string, alternatives: string[] = []): Decision => ({
  kind: 'answer',
  best: { ...hit(id), entry: { id } as never, sectionText: '' },
  alternatives: alternatives.map(alt),
  confident: true,
  results: [hit(id), ...alternatives.map(hit)],
});
const suggest = (ids: string[]): Decision => ({ kind: 'suggest', alternatives: ids.map(alt), results: ids.map(hit) });
const none = (ids: string[] = []): Decision => ({ kind: 'none', results: ids.map(hit) });

/** A searcher whose decision for each message is given. */
function fixed(decisions: Record<string, Decision>): Searcher {
  return { decide: (q) => decisions[q]!, search: (q) => decisions[q]!.results };
}

describe('what the parent sees when the bot does not answer', () => {
  const decisions: Record<string, Decision> = {
    answeredRight: answer('a'),
    wrongWithItUnder: answer('b', ['a']),
    wrongWithout: answer('b'),
    listHoldsIt: suggest(['b', 'a', 'c']),
    listWithout: suggest(['b', 'c', 'd']),
    nothingShown: none(['a']),
    declineListed: suggest(['a', 'b', 'c']),
    declineNothing: none(['a']),
    declineAnswered: answer('a'),
    petitionListed: suggest(['a']),
  };
  const cases = [
    ...['answeredRight', 'wrongWithItUnder', 'wrongWithout', 'listHoldsIt', 'listWithout', 'nothingShown'].map((q) => ({ q, expect: ['a'] })),
    ...['declineListed', 'declineNothing', 'declineAnswered'].map((q) => ({ q, expect: [] })),
    { q: 'petitionListed', expect: [], intent: 'petition' },
  ];

  it('counts an answerable message as seen when answered right or listed, under an answer or instead of one', () => {
    const r = evaluate(fixed(decisions), cases, (q) => (q === 'petitionListed' ? 'petition' : 'kb'));
    expect(r.seen).toEqual({ right: 3, total: 6 });
    expect(r.answeredRight).toBe(0.167);
  });

  it('counts the must-decline messages given a list, not those the intent sent elsewhere', () => {
    const r = evaluate(fixed(decisions), cases, (q) => (q === 'petitionListed' ? 'petition' : 'kb'));
    expect(r.declinesShown).toEqual({ shown: 1, total: 4 });
    // A list is not an answer: only the answered must-decline message and the two wrong answers are wrong.
    expect(r.wrongAnswerRate).toBe(0.3);
  });
});
