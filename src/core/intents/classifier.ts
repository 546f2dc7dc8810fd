import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { projectPath } from '../../project-root.js';
import { splitClauses } from '../../knowledge/clauses.js';
import { NgramLookup } from './ngram-lookup.js';

/**
 * A character-n-gram linear intent classifier (multinomial logistic regression), trained by
 * `npm run train` on train/corpus.jsonl and shipped as models/intent-v1.json. It is consulted
 * when no intent pattern matches: long narrated grievances, requests for a person and status
 * questions in words the patterns do not know. Its input is the text the patterns see (intentText).
 */
export const CLASSIFIER_LABELS = ['kb', 'petition', 'human', 'status', 'greeting', 'thanks'] as const;
export type ClassifierLabel = (typeof CLASSIFIER_LABELS)[number];

export const DEFAULT_INTENT_MODEL = projectPath('models/intent-v1.json');

export const intentModelSchema = z
  .object({
    format: z.literal('civicdesk-intent-ngram'),
    version: z.literal(1),
    labels: z.array(z.enum(CLASSIFIER_LABELS)).min(2),
    ngram: z.object({ min: z.number().int().min(1), max: z.number().int().max(5) }).strict(),
    /** Override the rules' `kb` only when the top label's probability reaches this (chosen by cross-validation). */
    threshold: z.number().min(0).max(1),
    /**
     * For a long message (at least `longFrom` characters of intent text) the bar is `longThreshold` instead: a post
     * of several sentences is a different thing from a one-line question. Both chosen by cross-validation.
     */
    longFrom: z.number().int().min(1),
    longThreshold: z.number().min(0).max(1),
    /** The bar for a short message the classifier would make a case (petition, human): chosen on the dev sets. */
    shortCaseThreshold: z.number().min(0).max(1),
    bias: z.array(z.number()),
    /** The n-gram features, sorted. */
    features: z.array(z.string()),
    /**
     * Their weights, one per label for each feature in order, as little-endian float32 in base64: one string
     * parses and validates in a fraction of the time 100,000 JSON numbers take, which keeps start-up fast.
     */
    weights: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    trainedOn: z.object({ messages: z.number().int(), sha256: z.string() }).strict(),
    /** Also the character bigrams of the clause that asks (`#q:` + bigram), for a message of several clauses. */
    askingClause: z.literal(true).optional(),
  })
  .strict()
  .refine((m) => m.bias.length === m.labels.length && Buffer.from(m.weights, 'base64').length === m.features.length * m.labels.length * 4, {
    message: 'every feature must have one weight per label (and the bias one per label)',
  });
export type IntentModel = z.infer<typeof intentModelSchema>;

/**
 * The features of one (already normalised) message: character n-grams with ^/$ marking the
 * ends, so "？$" (ends with a question mark) and "^领导" (opens by addressing 领导) are features,
 * plus a length bucket: a 300-character post is a different thing from a 10-character question.
 */
export function features(text: string, min: number, max: number, askingClause = false): string[] {
  return [...featureSet(text, min, max, askingClause)];
}

/** `features` as the set it is made in (same strings, same order), without the array copy: what `predict` scores. */
export function featureSet(text: string, min: number, max: number, askingClause = false): Set<string> {
  const chars = ['^', ...text.replace(/\s+/g, ' '), '$'];
  const out = new Set<string>();
  // Each n-gram concatenated from its characters (the same strings, in the same order, as slice + join, without
  // an array per n-gram: a message has a few hundred of them).
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      let gram = chars[i]!;
      for (let j = 1; j < n; j++) gram += chars[i + j]!;
      out.add(gram);
    }
  }
  for (const f of shapeFeatures(text, chars.length, askingClause)) out.add(f);
  return out;
}

/** Opens by addressing an official ("领导您好：", "尊敬的局长", "Dear Director"): how posts on 问政 boards start. */
const ADDRESSED = /^.{0,12}?(领导|局长|书记|区长|市长|县长|主任|校长|尊敬的|您好|你好|教育局)|^(dear|to the|hello|hi)\b/iu;
const SENTENCE_END = /[。！？!?；;\n]+|\.(?:\s|$)/gu;

/**
 * The shape of a message, apart from its words: length bucket, number of sentences, whether it opens by addressing
 * someone, whether it ends with a question, and their combinations. A linear model cannot combine features by
 * itself, and "long + addressed + several sentences" is what a post differs in from a question with a preamble.
 */
function shapeFeatures(text: string, length: number, askingClause = false): string[] {
  const len = Math.min(9, Math.floor(Math.log2(length)));
  const sentences = Math.min(6, text.split(SENTENCE_END).filter((s) => s.trim().length > 1).length);
  const addressed = ADDRESSED.test(text) ? 'a' : 'n';
  const asks = /[?？吗么呢]\W*$/u.test(text) ? 'q' : 's';
  const shape = [`#len${len}`, `#s${sentences}`, `#${addressed}${asks}`, `#len${len}${addressed}`, `#len${len}${asks}`, `#s${sentences}${addressed}${asks}`, `#len${len}s${sentences}`];
  return askingClause ? [...shape, ...clauseFeatures(text)] : shape;
}

/**
 * The character bigrams of the clause that asks (the last clause splitClauses marks as asking, else the last one),
 * for a message of several clauses: in a long story the asking clause says whether a rule is asked ("…能不能转学")
 * or someone is asked to act ("…请领导督促一下"), and its few n-grams are otherwise drowned by the story's.
 */
function clauseFeatures(text: string): string[] {
  const clauses = splitClauses(text);
  if (clauses.length < 2) return [];
  const asking = [...clauses].reverse().find((c) => c.asks) ?? clauses[clauses.length - 1]!;
  const chars = [...asking.text.replace(/\s+/g, ' ')];
  const out: string[] = [];
  for (let i = 0; i + 2 <= chars.length; i++) out.push(`#q:${chars[i]}${chars[i + 1]}`);
  return out;
}

export interface IntentPrediction {
  label: ClassifierLabel;
  probability: number;
}

export interface IntentClassifier {
  model: IntentModel;
  predict(normalisedText: string): IntentPrediction;
}

/** The probability the classifier's label needs to override the rules' `kb` for this (intent) text. */
export function thresholdFor(model: Pick<IntentModel, 'threshold' | 'longFrom' | 'longThreshold' | 'shortCaseThreshold'>, text: string, label: ClassifierLabel): number {
  if ([...text].length >= model.longFrom) return model.longThreshold;
  return label === 'petition' || label === 'human' ? model.shortCaseThreshold : model.threshold;
}

/** Scores features with the weights; softmax over labels. Shared by the trainer and the engine. */
export function scoreFeatures(labels: number, bias: readonly number[], weightOf: (f: string) => ArrayLike<number> | undefined, feats: readonly string[] | ReadonlySet<string>): number[] {
  // The sums in a Float64Array: the same double arithmetic, without a heap number per addition (a plain array made
  // from the JSON bias may hold its numbers boxed).
  const z = Float64Array.from(bias);
  const scale = 1 / Math.sqrt('size' in feats ? feats.size : feats.length);
  for (const f of feats) {
    const w = weightOf(f);
    if (w) for (let k = 0; k < labels; k++) z[k]! += w[k]! * scale;
  }
  return softmax(z);
}

/** exp(z − max) / Σ, added up from the first label on (in loops: no spread or array per step, the same arithmetic). */
function softmax(z: Float64Array): number[] {
  let top = -Infinity;
  for (const v of z) top = Math.max(top, v);
  const e = new Array<number>(z.length);
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += e[k] = Math.exp(z[k]! - top);
  for (let k = 0; k < z.length; k++) e[k] = e[k]! / sum;
  return e;
}

/** The base64 float32 weights as one array (feature-major: K weights per feature). */
export function decodeWeights(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export function encodeWeights(values: ArrayLike<number>): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  return bytes.toString('base64');
}

export function createClassifier(model: IntentModel): IntentClassifier {
  const K = model.labels.length;
  const flat = decodeWeights(model.weights);
  const lookup = NgramLookup.build(model.features, model.ngram.min, model.ngram.max);
  const labelOf = (p: readonly number[]): IntentPrediction => {
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
    return { label: model.labels[best]!, probability: p[best]! };
  };
  if (!lookup) {
    const weights = new Map(model.features.map((f, i) => [f, flat.subarray(i * K, i * K + K)]));
    return { model, predict: (text) => labelOf(scoreFeatures(K, model.bias, (f) => weights.get(f), featureSet(text, model.ngram.min, model.ngram.max, model.askingClause))) };
  }
  return {
    model,
    // scoreFeatures of featureSet, the features found by code points (ngram-lookup.ts): the same sums in the same order.
    predict(text) {
      const found = lookup.collect(shapeFeatures(text, lookup.read(text), model.askingClause));
      const z = Float64Array.from(model.bias);
      const scale = 1 / Math.sqrt(lookup.distinct);
      for (let f = 0; f < found; f++) {
        const row = lookup.rows[f]! * K;
        for (let k = 0; k < K; k++) z[k]! += flat[row + k]! * scale;
      }
      return labelOf(softmax(z));
    },
  };
}

/** Reads and validates a model file; a clear error names the file and what is wrong. */
export async function loadIntentModel(path: string = DEFAULT_INTENT_MODEL): Promise<IntentClassifier> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AppError('intents_invalid', `Cannot read the intent model ${path}: ${(error as Error).message}. Run \`npm run train\` to write it.`, { cause: error });
  }
  const parsed = intentModelSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new AppError('intents_invalid', `Invalid intent model ${path}:\n  ${problems.join('\n  ')}\nRun \`npm run train\` to write it again.`, { details: problems });
  }
  return createClassifier(parsed.data);
}
