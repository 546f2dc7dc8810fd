import { describe, expect, it } from 'vitest';
import { sortSmall } from '../../src/knowledge/sort-small.js';

describe('sortSmall', () => {
  it('orders like the built-in stable sort, ties kept in their order, at every length up to and past its cutoff', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let length = 0; length <= 40; length++) {
      for (let round = 0; round < 50; round++) {
        // few distinct weights, so most comparisons are ties and only stability decides the order
        const items = Array.from({ length }, (_, i) => ({ weight: Math.floor(random() * 4), at: i }));
        const byWeight = (a: { weight: number }, b: { weight: number }) => b.weight - a.weight;
        expect(sortSmall([...items], byWeight)).toEqual([...items].sort(byWeight));
      }
    }
  });

  it('sorts in place and returns the same array', () => {
    const items = [3, 1, 2];
    expect(sortSmall(items, (a, b) => a - b)).toBe(items);
    expect(items).toEqual([1, 2, 3]);
  });
});
