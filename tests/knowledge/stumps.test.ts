import { describe, expect, it } from 'vitest';
import { ALL_FEATURES, probability, type FeatureVector } from '../../src/knowledge/answer-model.js';
import { baggedStumps, cutsOf, fitStumps } from '../../bench/stumps.js';
import type { Row } from '../../bench/train-decision.js';

const vector = (top: number, margin: number): FeatureVector => ({ ...(Object.fromEntries(ALL_FEATURES.map((f) => [f, 0])) as FeatureVector), bias: 1, top, margin });

/** Right first exactly when top ≥ 0.6, whatever the margin; three bureaus of 40 rows. */
const rows: Row[] = ['a', 'b', 'c'].flatMap((bureau, k) =>
  Array.from({ length: 40 }, (_, i) => {
    const top = (i + k / 3) / 40;
    return { set: bureau, bureau, kbIntent: true, candidate: true, answerable: true, right: top >= 0.6, x: vector(top, ((i * 7) % 40) / 40), score: top, listed: true };
  }),
);

describe('boosted stumps for the answer decision (bench/stumps.ts)', () => {
  it('finds the cut that separates right from wrong and puts most of the log-odds on that feature', () => {
    const features = ['top', 'margin'] as const;
    const cuts = cutsOf(rows.map((r) => r.x!), features);
    const m = fitStumps(rows.map((row) => ({ row, w: 1 })), features, cuts);
    const model = { features: [...features], weights: [], stumps: m };
    expect(probability(model, vector(0.9, 0.1))).toBeGreaterThan(0.9);
    expect(probability(model, vector(0.3, 0.9))).toBeLessThan(0.1);
    // The margin says nothing here: its step function moves the log-odds far less than the top score's.
    const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
    expect(spread(m.bins[1]!.values)).toBeLessThan(spread(m.bins[0]!.values) / 3);
  });

  it('is deterministic, and the bagged table is the mean of the per-bureau fits held out', () => {
    const features = ['top', 'margin'] as const;
    const one = baggedStumps(rows, rows.map((row) => ({ row, w: 1 })), features);
    const two = baggedStumps(rows, rows.map((row) => ({ row, w: 1 })), features);
    expect(JSON.stringify(one.model)).toBe(JSON.stringify(two.model));
    // Held out, each bureau is decided by the fits of the other two: all but the rows at the cut itself.
    expect(one.held.filter((r) => (r.p! >= 0.5) === r.right).length).toBeGreaterThanOrEqual(rows.length - 2);
  });
});
