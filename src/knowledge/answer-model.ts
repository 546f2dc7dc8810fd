import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-root.js';
import { BODY, HEADING, KEY, QUALIFIER, type EntryTerms } from './entry-profile.js';

/**
 * Precision first: whether the best entry is clearly right, so the bot answers outright, or only likely, so
 * it shows "您是不是想问" with the top titles. A logistic model over what the ranking already computed and
 * over what the knowledge base covers (so it transfers to another bureau's files without word lists):
 *   top      — the best entry's confidence (decide.ts), its margin over the runner-up, and its two parts
 *              (coverage of the message, fit of the best question); near — other entries within 0.1 of it, /3;
 *   offKey   — share of the message's weight the best entry's title, questions, tags and headings do not hold;
 *   offEntry — share the best entry does not hold anywhere (body included);
 *   unseen   — share no entry of the base holds at all (羽毛球, 二手房: a topic the bureau has no file on);
 * each term weighted by its IDF over the base's entries, so a word every entry has says little.
 * Weights and the answer threshold are fitted by `npm run train:decision` (bench/train-decision.ts) on the
 * team's older dev sets only, the threshold at the point where wrong answers stay ≤ 4 % there; they live in
 * models/answer-model.json.
 */
export const FEATURES = ['bias', 'top', 'margin', 'coverage', 'fit', 'near', 'offKey', 'offEntry', 'unseen', 'info'] as const;
export type FeatureVector = Record<(typeof FEATURES)[number], number>;

const modelSchema = z.object({
  features: z.array(z.enum(FEATURES)).length(FEATURES.length),
  weights: z.array(z.number()).length(FEATURES.length),
  /** Answer outright from this probability up. */
  answerAt: z.number().min(0).max(1),
  trainedOn: z.array(z.string()),
});
export type AnswerModel = z.infer<typeof modelSchema>;

export const ANSWER_MODEL_PATH = projectPath('models', 'answer-model.json');

let loaded: AnswerModel | undefined;
export function answerModel(): AnswerModel {
  if (!loaded) {
    const parsed = modelSchema.safeParse(JSON.parse(readFileSync(ANSWER_MODEL_PATH, 'utf8')));
    if (!parsed.success) throw new Error(`models/answer-model.json: ${parsed.error.issues[0]?.message ?? 'invalid'} (retrain: npm run train:decision)`);
    loaded = parsed.data;
  }
  return loaded;
}

export function probability(model: Pick<AnswerModel, 'features' | 'weights'>, x: FeatureVector): number {
  let z = 0;
  model.features.forEach((f, i) => (z += model.weights[i]! * x[f]));
  return 1 / (1 + Math.exp(-z));
}

/** The features of the best entry for a message's terms; `df` counts entries holding a term, of `size`. */
export function answerFeatures(
  terms: readonly string[],
  top: EntryTerms,
  scores: { top: number; runnerUp: number; coverage: number; fit: number; near: number; info: number },
  df: (term: string) => number,
  size: number,
): FeatureVector {
  let all = 0;
  let offKey = 0;
  let offEntry = 0;
  let unseen = 0;
  for (const t of new Set(terms)) {
    const n = df(t);
    const w = Math.log((size + 1) / (n + 0.5));
    all += w;
    const inKey = top.has(KEY, t) || top.has(QUALIFIER, t) || top.has(HEADING, t);
    if (!inKey) offKey += w;
    if (!inKey && !top.has(BODY, t)) offEntry += w;
    if (n === 0) unseen += w;
  }
  const share = (x: number) => (all > 0 ? x / all : 0);
  return {
    bias: 1,
    top: scores.top,
    margin: scores.top - scores.runnerUp,
    coverage: scores.coverage,
    fit: scores.fit,
    near: scores.near,
    offKey: share(offKey),
    offEntry: share(offEntry),
    unseen: share(unseen),
    info: scores.info,
  };
}
