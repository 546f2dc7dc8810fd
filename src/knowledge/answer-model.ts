import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-root.js';
import { BODY, HEADING, KEY, QUALIFIER, type EntryTerms } from './entry-profile.js';
import { GENERIC_TERMS } from './lexicon.js';
import type { NearTopicRate } from './near-topics.js';

/**
 * Precision first: whether the best entry is clearly right, so the bot answers outright, or only likely, so
 * it shows "您是不是想问" with the top titles. A model (boosted stumps since issue 14's answer15 pass; a logistic
 * before, still readable) over what the ranking already computed and over what the knowledge base covers (so it transfers to another bureau's files without word lists):
 *   top      — the best entry's confidence (decide.ts), its margin over the runner-up, and its two parts
 *              (coverage of the message, fit of the best question); near — other entries within 0.1 of it, /3;
 *   offKey   — share of the message's weight the best entry's title, questions, tags and headings do not hold;
 *   offEntry — share the best entry does not hold anywhere (body included);
 *   unseen   — share no entry of the base holds at all (羽毛球, 二手房: a topic the bureau has no file on);
 * each term weighted by its IDF over the base's entries, so a word every entry has says little.
 * The model and the answer threshold are fitted by `npm run train:decision` (bench/train-decision.ts) on the
 * team's own labelled sets and the messages written in parents' own voice (train/written/), the threshold at the
 * lowest probability at which nine training bureaus in ten keep their own held-out wrong answers ≤ 4 % (bench/train-decision.ts `bureauThreshold`); `suggestFrom`, the score from which a message not answered gets "您是不是想问", is learned
 * in the same run (bench/suggest-floor.ts). They live in models/answer-model.json, which names the features it uses:
 * since answer15 every group below (the seen-scaled ones, c14, and the agreement ones, agree14, had been measured and
 * left out of the logistic; as stumps, fitted with the written data, all of them together separate right from wrong
 * best held out by bureau: docs/BENCHMARKS.md, issue 14, answer15).
 */
export const FEATURES = ['bias', 'top', 'margin', 'coverage', 'fit', 'near', 'offKey', 'offEntry', 'unseen', 'info'] as const;
/**
 * Features that do not shrink as a message adds words no entry of the base holds (a greeting, a narrative,
 * colloquial function words): each is computed over the part of the message the base speaks about at all.
 *   seen         — share of the message's weight (general-language term weights, as the ranking's coverage) that
 *                  some entry holds;
 *   coverageSeen — the best entry's coverage over that part (coverage / seen);
 *   marginSeen   — its lead over the runner-up on the same scale (margin / seen);
 *   nearSeen     — other entries within 0.1 × seen of it, /3 (the absolute band of `near`, rescaled);
 *   offKeySeen, offEntrySeen — offKey and offEntry over the terms some entry holds.
 * A model lists the features it uses (models/answer-model.json); every vector holds them all.
 */
export const SEEN_FEATURES = ['seen', 'coverageSeen', 'marginSeen', 'nearSeen', 'offKeySeen', 'offEntrySeen'] as const;
/**
 * What the wording itself looks like, and whether the best entry holds what is asked:
 *   singles  — share of the message's weight in single Han characters (informal words the segmenter splits);
 *   oov      — share in terms the general-language table does not know (typos, dialect, pinyin);
 *   asks     — 1 when the message asks for a kind of fact (facts.ts: 时间, 材料, 电话 …);
 *   factHeld — how surely the best entry holds that fact (1 by a heading, 0.5 by its text; 0 when none is asked).
 */
export const WORDING_FEATURES = ['singles', 'oov', 'asks', 'factHeld'] as const;
/**
 * Whether independently built orders of the same candidates put the same entry first (agreement.ts; issue 14,
 * branch agree14): values that do not shrink as the parent's wording overlaps the entries less.
 *   bigramAgree, bigramLead — character bigrams of the message against each candidate's key text, IDF over the
 *                  candidates: 1 when the best entry is first there too, and its lead (signed) over the others;
 *   clauseAgree  — 1 when the asking clause alone (context terms weighing 0, clauses.ts) ranks the same entry first
 *                  (1 for a message without context);
 *   dropLightAgree, dropHeavyAgree — 1 when the message without its lightest / heaviest term ranks it first too.
 * Computed only when a model lists one of them (index.ts), or when training asks (`explain`). agree14 did not ship
 * them (a logistic fitted on the team's sets only gave 5.0 % outside wrong answers); the stumps model of answer15,
 * fitted with the written data too, lists all five.
 */
export const AGREEMENT_FEATURES = ['bigramAgree', 'bigramLead', 'clauseAgree', 'dropLightAgree', 'dropHeavyAgree'] as const;
/**
 * Whether the best entry, rather than its runner-up, holds what the message is about (issue 14, branch answer15):
 *   keyHeavy — 1 when the best entry's title, questions, tags or headings hold the message's heaviest term (IDF over
 *              the base, as offKey weighs terms);
 *   rivalKey — the runner-up's offKey minus the best entry's (−1–1; > 0: the best entry's key fields hold more of the
 *              message than the runner-up's do; 0 without a runner-up);
 *   length   — distinct terms of the message, log(1 + n) / log(16), at most 1;
 *   bm25Share — the best entry's BM25 score over the best BM25 score among the candidates (1: plain BM25 agrees);
 *   associatedShare — share of the best entry's covered weight earned through learned associates (associations.ts).
 */
export const CONTRAST_FEATURES = ['keyHeavy', 'rivalKey', 'length', 'bm25Share', 'associatedShare'] as const;
/**
 * Whether the message names a subject the best entry is not about (issue 14, branch scope17):
 *   nearTopic — the highest learned near-topic rate (near-topics.ts) among the message's topic words the best entry
 *               does not hold anywhere (`unheldTopics`); 0 when it holds them all.
 */
export const SCOPE_FEATURES = ['nearTopic'] as const;
export const ALL_FEATURES = [...FEATURES, ...SEEN_FEATURES, ...WORDING_FEATURES, ...AGREEMENT_FEATURES, ...CONTRAST_FEATURES, ...SCOPE_FEATURES] as const;
export type AgreementValues = Record<(typeof AGREEMENT_FEATURES)[number], number>;
/** What agreement features hold when they are not computed (no evidence of disagreement). */
export const AGREEING: AgreementValues = { bigramAgree: 1, bigramLead: 0, clauseAgree: 1, dropLightAgree: 1, dropHeavyAgree: 1 };
export type Feature = (typeof ALL_FEATURES)[number];
export type FeatureVector = Record<Feature, number>;

/** Holds a Han character (no g/y flag: one object serves every call). */
const HAN = /\p{Script=Han}/u;
/** A word that can name a subject: two or more Han characters, or a Latin word (as scope.ts judges). */
const TOPICAL = /^(\p{Script=Han}{2,}|[a-z]{3,})$/u;
const GENERIC = new Set(GENERIC_TERMS);
/** General-language weight from which a word is informative (as scope.ts). */
const TOPIC_WEIGHT = 2;

/**
 * The message's topic words (two or more Han characters or a Latin word, not a generic word such as 孩子/材料, weight
 * ≥ TOPIC_WEIGHT after `emphasis`) that `top` does not hold in any field, nor as text in its title, questions, tags or
 * sections (a word segmented otherwise there).
 */
export function unheldTopics(terms: readonly string[], top: EntryTerms, weight: (term: string) => number, emphasis?: (term: string) => number): string[] {
  const unheld: string[] = [];
  for (const t of new Set(terms)) {
    if (!TOPICAL.test(t) || GENERIC.has(t) || weight(t) * (emphasis ? emphasis(t) : 1) < TOPIC_WEIGHT) continue;
    if (top.has(KEY, t) || top.has(QUALIFIER, t) || top.has(HEADING, t) || top.has(BODY, t)) continue;
    if (top.keyText().includes(t) || top.sectionText().includes(t)) continue;
    unheld.push(t);
  }
  return unheld;
}

/**
 * The tie rule (issue 14, fuse21): nothing the parent said tells the first two entries apart. Every term the message
 * says is held alike by both — in the title, in the key fields (title, questions, tags and the title's qualifiers),
 * anywhere in the entry — and the terms cover the same share of both titles' characters (more than none: 小学一年级
 * against 小学一年级入学年龄 and 小学一年级报名材料). Their order then comes from length norms and from the bigram
 * order's share of text the parent did not say, so the bot shows both titles (index.ts does not ask the answer
 * model). A rule, not a fitted constant: as a model feature the stumps never chose it.
 */
export function nothingSeparates(terms: readonly string[], first: EntryTerms, second: EntryTerms): boolean {
  const distinct = [...new Set(terms)];
  if (distinct.length === 0) return false;
  const a = first.entry.title.toLowerCase();
  const b = second.entry.title.toLowerCase();
  for (const t of distinct) {
    if (a.includes(t) !== b.includes(t)) return false;
    const inKey = (e: EntryTerms) => e.has(KEY, t) || e.has(QUALIFIER, t);
    if (inKey(first) !== inKey(second)) return false;
    const anywhere = (e: EntryTerms) => inKey(e) || e.has(HEADING, t) || e.has(BODY, t);
    if (anywhere(first) !== anywhere(second)) return false;
  }
  const share = titleShare(a, distinct);
  return share > 0 && share === titleShare(b, distinct);
}

/** The share of `title`'s characters (spaces left out) inside an occurrence of one of `terms`. */
function titleShare(title: string, terms: readonly string[]): number {
  const covered = new Uint8Array(title.length);
  for (const t of terms) {
    if (t.length === 0) continue;
    for (let at = title.indexOf(t); at >= 0; at = title.indexOf(t, at + 1)) covered.fill(1, at, at + t.length);
  }
  let held = 0;
  let all = 0;
  for (let i = 0; i < title.length; i++) {
    if (/\s/.test(title[i]!)) continue;
    all += 1;
    held += covered[i]!;
  }
  return all > 0 ? held / all : 0;
}

const modelSchema = z.object({
  features: z.array(z.enum(ALL_FEATURES)).min(1),
  weights: z.array(z.number()),
  /** Answer outright from this probability up. */
  answerAt: z.number().min(0).max(1),
  /**
   * When not answering, show "您是不是想问" with the top titles from this ranking score up, nothing below it:
   * the floor from which, on the team's sets, a list holds a right entry more often than it goes to a message
   * that must be declined (fitted by `npm run train:decision`; the suggest floor, not a hand-set constant).
   */
  suggestFrom: z.number().min(0).max(1),
  trainedOn: z.array(z.string()),
  /**
   * The ranking score from which the model is asked for a story — a message whose context clauses are weighed down
   * (clauses.ts: they say at least the clause weight's `from`) — (absent: the ranking's answer bar THRESHOLDS.answer,
   * as for every other message). 0 since issue 14's long18: a family story around the question says much no entry
   * holds, so its best entry scores low on a scale set for short questions, and that bar kept a third of the rightly
   * ranked long written questions from the model (held out by bureau); the model is trained on every story's best entry.
   */
  storyAnswerFrom: z.number().min(0).max(1).optional(),
  /**
   * Boosted stumps in place of the logistic (weights then empty): per feature (in `features` order) its cut points,
   * ascending, and the log-odds each of the cuts.length + 1 bins adds to `base` (bench/stumps.ts fits them).
   */
  stumps: z.object({ base: z.number(), bins: z.array(z.object({ cuts: z.array(z.number()), values: z.array(z.number()) })) }).optional(),
}).refine(
  (m) =>
    m.stumps
      ? m.weights.length === 0 && m.stumps.bins.length === m.features.length && m.stumps.bins.every((b) => b.values.length === b.cuts.length + 1)
      : m.weights.length === m.features.length,
  { message: 'one weight per feature (or, with stumps, no weights and one bin table per feature, one value more than cuts)' },
);
export type AnswerModel = z.infer<typeof modelSchema>;
export type StumpTable = NonNullable<AnswerModel['stumps']>;

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

export function probability(model: Pick<AnswerModel, 'features' | 'weights' | 'stumps'>, x: FeatureVector): number {
  if (model.stumps) return 1 / (1 + Math.exp(-stumpLogOdds(model.stumps, model.features, x)));
  let z = 0;
  model.features.forEach((f, i) => (z += model.weights[i]! * x[f]));
  return 1 / (1 + Math.exp(-z));
}

/** The bin of `x` among ascending `cuts`: the number of cuts ≤ x. */
export function binOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The stumps' log-odds for `x`: base plus each feature's bin value. */
export function stumpLogOdds(stumps: StumpTable, features: readonly Feature[], x: FeatureVector): number {
  let z = stumps.base;
  for (let i = 0; i < features.length; i++) {
    const b = stumps.bins[i]!;
    z += b.values[binOf(b.cuts, x[features[i]!])]!;
  }
  return z;
}

/**
 * The features of the best entry for a message's terms; `df` counts entries holding a term, of `size`;
 * `weight` is the general-language term weight the ranking's coverage uses; `rivals` the next candidates' scores.
 */
export function answerFeatures(
  terms: readonly string[],
  top: EntryTerms,
  scores: {
    top: number;
    runnerUp: number;
    /** The first's lead over the second in the order shown (decide.ts `leadOf`; the fused key when fused): absent, top − runnerUp. */
    lead?: number;
    coverage: number;
    fit: number;
    near: number;
    info: number;
    rivals?: readonly number[];
    asks?: number;
    factHeld?: number;
    agreement?: AgreementValues;
    /** The runner-up entry's terms (rivalKey); none: 0. */
    rival?: EntryTerms;
    bm25Share?: number;
    associatedShare?: number;
    /** The learned near-topic rate of a word (near-topics.ts); none: the feature is 0. */
    nearTopic?: NearTopicRate;
  },
  df: (term: string) => number,
  size: number,
  weight: (term: string) => number = () => 1,
  known: (term: string) => boolean = () => true,
  /** How much each term counts (clauses.ts: a long message's context terms count less); 1 for all by default. */
  emphasis?: (term: string) => number,
): FeatureVector {
  let all = 0;
  let offKey = 0;
  let offEntry = 0;
  let unseen = 0;
  let general = 0;
  let generalSeen = 0;
  let singles = 0;
  let oov = 0;
  let rivalOffKey = 0;
  let heaviest = -Infinity;
  let heavyInKey = 0;
  let distinct = 0;
  const rival = scores.rival;
  for (const t of new Set(terms)) {
    distinct += 1;
    const n = df(t);
    const e = emphasis ? emphasis(t) : 1;
    const w = Math.log((size + 1) / (n + 0.5)) * e;
    const g = weight(t) * e;
    all += w;
    general += g;
    if (n > 0) generalSeen += g;
    const inKey = top.has(KEY, t) || top.has(QUALIFIER, t) || top.has(HEADING, t);
    if (!inKey) offKey += w;
    if (w > heaviest) {
      heaviest = w;
      heavyInKey = inKey ? 1 : 0;
    }
    if (rival && !(rival.has(KEY, t) || rival.has(QUALIFIER, t) || rival.has(HEADING, t))) rivalOffKey += w;
    if (!inKey && !top.has(BODY, t)) offEntry += w;
    if (n === 0) unseen += w;
    if (t.length === 1 && HAN.test(t)) singles += w;
    if (!/^\d+$/.test(t) && !known(t)) oov += w;
  }
  const share = (x: number) => (all > 0 ? x / all : 0);
  const seenShare = (x: number) => (all - unseen > 0 ? Math.max(0, x - unseen) / (all - unseen) : 0);
  const seen = general > 0 ? generalSeen / general : 0;
  const scaled = (x: number) => (seen > 0 ? Math.min(1, x / seen) : 0);
  const band = 0.1 * seen;
  const lead = scores.lead ?? scores.top - scores.runnerUp;
  const nearSeen = Math.min(3, (scores.rivals ?? []).slice(0, 3).filter((r) => scores.top - r <= band).length) / 3;
  return {
    bias: 1,
    top: scores.top,
    margin: lead,
    coverage: scores.coverage,
    fit: scores.fit,
    near: scores.near,
    offKey: share(offKey),
    offEntry: share(offEntry),
    unseen: share(unseen),
    info: scores.info,
    seen,
    coverageSeen: scaled(scores.coverage),
    marginSeen: scaled(lead),
    nearSeen,
    offKeySeen: seenShare(offKey),
    offEntrySeen: seenShare(offEntry),
    singles: share(singles),
    oov: share(oov),
    asks: scores.asks ?? 0,
    factHeld: scores.factHeld ?? 0,
    ...(scores.agreement ?? AGREEING),
    keyHeavy: heavyInKey,
    rivalKey: rival ? share(rivalOffKey) - share(offKey) : 0,
    length: Math.min(1, Math.log(1 + distinct) / Math.log(16)),
    bm25Share: scores.bm25Share ?? 1,
    associatedShare: scores.associatedShare ?? 0,
    nearTopic: scores.nearTopic ? unheldTopics(terms, top, weight, emphasis).reduce((m, t) => Math.max(m, scores.nearTopic!(t)), 0) : 0,
  };
}
