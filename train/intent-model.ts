import { createHash } from 'node:crypto';
import { CLASSIFIER_LABELS, encodeWeights, features, type IntentModel } from '../src/core/intents/classifier.js';
import { createRng } from './corpus/random.js';

/**
 * Trains the intent classifier: multinomial logistic regression over character 1–3-grams,
 * plain SGD in a seeded order, so the same corpus gives the same bytes. Features seen once
 * are dropped (they only memorise), and tiny weights are pruned from the file.
 */
export interface LabelledText {
  text: string;
  label: (typeof CLASSIFIER_LABELS)[number];
  group: string;
  /** How much the row's gradient counts (1 when absent). */
  weight?: number;
}

const NGRAM = { min: 1, max: 3 } as const;
const EPOCHS = 12;
const LEARNING_RATE = 0.8;
const L2 = 1e-5;

export interface RawModel {
  bias: number[];
  weights: Map<string, Float64Array>;
}

export function fit(rows: readonly LabelledText[], seed = 7, askingClause = false): RawModel {
  const K = CLASSIFIER_LABELS.length;
  const feats = rows.map((r) => features(r.text, NGRAM.min, NGRAM.max, askingClause));
  const counts = new Map<string, number>();
  for (const fs of feats) for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = [...counts].filter(([, c]) => c >= 2).map(([f]) => f);
  const slot = new Map(vocab.map((f, i) => [f, i]));
  // Rows as feature indices into one flat weight array (feature-major, K weights each): fast and allocation-free.
  const indexed = feats.map((fs) => Int32Array.from(fs.map((f) => slot.get(f) ?? -1).filter((i) => i >= 0)));
  const scales = feats.map((fs) => 1 / Math.sqrt(fs.length));
  const w = new Float64Array(vocab.length * K);
  const bias = new Array<number>(K).fill(0);
  const z = new Float64Array(K);
  const rng = createRng(seed);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = LEARNING_RATE / (1 + epoch);
    for (const i of order) {
      const fs = indexed[i]!;
      const scale = scales[i]!;
      for (let k = 0; k < K; k++) z[k] = bias[k]!;
      for (const f of fs) for (let k = 0; k < K; k++) z[k]! += w[f * K + k]! * scale;
      let top = -Infinity;
      for (let k = 0; k < K; k++) top = Math.max(top, z[k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - top);
      const y = CLASSIFIER_LABELS.indexOf(rows[i]!.label);
      const weight = rows[i]!.weight;
      for (let k = 0; k < K; k++) {
        const g = weight === undefined ? z[k]! / sum - (k === y ? 1 : 0) : weight * (z[k]! / sum - (k === y ? 1 : 0));
        bias[k]! -= lr * g * 0.1;
        const step = lr * g * scale;
        for (const f of fs) w[f * K + k] = w[f * K + k]! * (1 - lr * L2) - step;
      }
    }
  }
  const weights = new Map<string, Float64Array>();
  vocab.forEach((f, i) => weights.set(f, w.slice(i * K, i * K + K)));
  return { bias, weights };
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export interface Thresholds {
  threshold: number;
  longFrom: number;
  longThreshold: number;
  shortCaseThreshold: number;
}

export function toModel(raw: RawModel, bar: Thresholds, corpusText: string, messages: number, askingClause = false): IntentModel {
  const kept: string[] = [];
  const weights: number[] = [];
  for (const f of [...raw.weights.keys()].sort()) {
    const w = [...raw.weights.get(f)!].map(round);
    if (!w.some((v) => Math.abs(v) >= 0.01)) continue;
    kept.push(f);
    weights.push(...w.map((v) => (Object.is(v, -0) ? 0 : v)));
  }
  return {
    format: 'civicdesk-intent-ngram',
    version: 1,
    labels: [...CLASSIFIER_LABELS],
    ngram: { ...NGRAM },
    threshold: bar.threshold,
    longFrom: bar.longFrom,
    longThreshold: bar.longThreshold,
    shortCaseThreshold: bar.shortCaseThreshold,
    bias: raw.bias.map(round),
    features: kept,
    weights: encodeWeights(weights),
    trainedOn: { messages, sha256: createHash('sha256').update(corpusText).digest('hex') },
    ...(askingClause ? { askingClause: true as const } : {}),
  };
}

/** One feature per line (the file diffs readably when the corpus changes), the weights in one base64 line. */
export function serialiseModel(model: IntentModel): string {
  const { features: list, weights, ...head } = model;
  const headJson = JSON.stringify(head, null, 2);
  return `${headJson.slice(0, -2)},\n  "features": [\n${list.map((f) => `    ${JSON.stringify(f)}`).join(',\n')}\n  ],\n  "weights": ${JSON.stringify(weights)}\n}\n`;
}
