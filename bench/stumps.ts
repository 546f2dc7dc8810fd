import { binOf, stumpLogOdds, type Feature, type FeatureVector, type StumpTable } from '../src/knowledge/answer-model.js';
import type { Row, Scored } from './train-decision.js';

/**
 * Gradient-boosted stumps for the answer-or-suggest decision (issue 14, branch answer15): an additive model, one step
 * function per feature, fitted by Newton boosting on the logistic loss. Deterministic: cut points at fixed quantiles
 * of the features' values over the rows given (no labels read), a fixed number of rounds, ties broken by feature
 * order then cut order, every value rounded to 1e-6.
 *
 * A fit is stored merged: for each feature its cut points and the log-odds added below / from each cut, so the
 * bagged model (the mean of the per-bureau fits' log-odds) is one such table.
 */
export const ROUNDS = 200;
export const SHRINK = 0.1;
const LAMBDA = 1;
const CUTS = 32;

/** Per feature (in `features` order): cut points ascending, and the log-odds of each of cuts.length + 1 bins. */
export type StumpModel = StumpTable;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Up to CUTS cut points per feature: midpoints between distinct values at evenly spaced quantiles. */
export function cutsOf(xs: readonly FeatureVector[], features: readonly Feature[]): number[][] {
  return features.map((f) => {
    const v = xs.map((x) => x[f]).sort((a, b) => a - b);
    const cuts = new Set<number>();
    for (let q = 1; q < CUTS; q++) {
      const i = Math.floor((q * v.length) / CUTS);
      if (i <= 0 || i >= v.length) continue;
      // The first index of the value at i: the cut separates it from the value before it.
      let j = i;
      while (j > 0 && v[j - 1] === v[i]) j--;
      if (j > 0) cuts.add(round6((v[j - 1]! + v[j]!) / 2));
    }
    return [...cuts].sort((a, b) => a - b);
  });
}

export function stumpProbability(model: StumpModel, features: readonly Feature[], x: FeatureVector): number {
  return 1 / (1 + Math.exp(-stumpLogOdds(model, features, x)));
}

/** One boosted fit on the weighted rows with a candidate, over the given cut points. */
export function fitStumps(rows: readonly { row: Row; w: number }[], features: readonly Feature[], cuts: readonly number[][], rounds = ROUNDS): StumpModel {
  const data = rows.filter(({ row: r }) => r.candidate && r.x);
  const n = data.length;
  const k = features.length;
  const bin = features.map((f, i) => Int32Array.from(data.map(({ row }) => binOf(cuts[i]!, row.x![f]))));
  const y = Float64Array.from(data.map(({ row }) => (row.answerable && row.right ? 1 : 0)));
  const w = Float64Array.from(data.map((d) => d.w));
  const total = w.reduce((s, v) => s + v, 0);
  const pos = data.reduce((s, d, i) => s + d.w * y[i]!, 0);
  const base = round6(Math.log(Math.max(pos, 1e-9) / Math.max(total - pos, 1e-9)));
  const values = features.map((_, i) => new Float64Array(cuts[i]!.length + 1));
  const z = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < n; j++) {
      const p = 1 / (1 + Math.exp(-z[j]!));
      g[j] = w[j]! * (y[j]! - p);
      h[j] = w[j]! * p * (1 - p);
    }
    let best = { gain: 0, feature: -1, cut: -1, left: 0, right: 0 };
    for (let i = 0; i < k; i++) {
      const m = cuts[i]!.length + 1;
      if (m < 2) continue;
      const G = new Float64Array(m);
      const H = new Float64Array(m);
      const b = bin[i]!;
      for (let j = 0; j < n; j++) {
        G[b[j]!]! += g[j]!;
        H[b[j]!]! += h[j]!;
      }
      let gAll = 0;
      let hAll = 0;
      for (let c = 0; c < m; c++) {
        gAll += G[c]!;
        hAll += H[c]!;
      }
      let gl = 0;
      let hl = 0;
      for (let c = 1; c < m; c++) {
        gl += G[c - 1]!;
        hl += H[c - 1]!;
        const gr = gAll - gl;
        const hr = hAll - hl;
        const gain = (gl * gl) / (hl + LAMBDA) + (gr * gr) / (hr + LAMBDA) - (gAll * gAll) / (hAll + LAMBDA);
        if (gain > best.gain + 1e-12) best = { gain, feature: i, cut: c, left: (SHRINK * gl) / (hl + LAMBDA), right: (SHRINK * gr) / (hr + LAMBDA) };
      }
    }
    if (best.feature < 0) break;
    const v = values[best.feature]!;
    for (let c = 0; c < v.length; c++) v[c]! += c < best.cut ? best.left : best.right;
    const b = bin[best.feature]!;
    for (let j = 0; j < n; j++) z[j]! += b[j]! < best.cut ? best.left : best.right;
  }
  return { base, bins: features.map((_, i) => ({ cuts: [...cuts[i]!], values: [...values[i]!].map(round6) })) };
}

/**
 * As train-decision's `bagged`, with boosted stumps: one fit per bureau of `own` on the other bureaus' rows, `held`
 * each own row scored by the fit that did not see its bureau, `model` the mean of the fits' log-odds. Cut points from
 * the feature values of every row given (no labels), shared by the fits so their tables add up.
 */
export function baggedStumps(own: readonly Row[], train: readonly { row: Row; w: number }[], features: readonly Feature[], rounds = ROUNDS): { model: StumpModel; held: Scored[] } {
  const cuts = cutsOf(train.filter((t) => t.row.candidate && t.row.x).map((t) => t.row.x!), features);
  const bureaus = [...new Set(own.map((r) => r.bureau))];
  const fits = new Map(bureaus.map((b) => [b, fitStumps(train.filter((t) => t.row.bureau !== b), features, cuts, rounds)]));
  const held = own.map((r) => ({ ...r, p: r.candidate && r.x ? stumpProbability(fits.get(r.bureau)!, features, r.x) : null }));
  const mean = (pick: (m: StumpModel) => number) => round6(bureaus.reduce((s, b) => s + pick(fits.get(b)!), 0) / bureaus.length);
  const model: StumpModel = {
    base: mean((m) => m.base),
    bins: features.map((_, i) => ({ cuts: [...cuts[i]!], values: cuts[i]!.concat(0).map((__, c) => mean((m) => m.bins[i]!.values[c]!)) })),
  };
  return { model, held };
}
