import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-root.js';

/**
 * Near topics (issue 14, branch scope17): a message can share its words with an entry and still ask about something no
 * entry is about (the winter holidays against a summer-care entry, a kindergarten against an entry on primary-school
 * lotteries). What tells it apart is the word the best entry does not hold: some words, left unanswered, usually mean
 * the message is about another subject (寒假, 奖学金, 面试技巧), others are only how parents talk (咋个, 娃儿, 好多钱).
 * Which is which is learned from the training data (the team's sets and train/written/, both the answerable messages and
 * the ones that must be declined because no entry covers them), not listed by hand:
 *
 *   rate(t) = (d(t) + α·p0) / (n(t) + α)
 *
 * over the training messages whose best entry reaches the ranking's answer bar and does not hold topic word t anywhere
 * (answer-model.ts `unheldTopics`): n(t) counts them, d(t) those that must be declined as no entry's subject (not
 * another place, not an intent), p0 is that share over all such messages (the rate of a word never seen). The answer
 * model reads the highest rate among the message's topic words its best entry lacks (`nearTopic`). Because the word
 * must be missing from the best entry, the feature follows the bureau's own files: where a bureau has an entry on
 * the subject, that entry holds the word and the rate is not read. `npm run train:decision` learns the table
 * (bench/train-decision.ts), each training bureau's messages scored with the table learned without that bureau.
 */
const modelSchema = z.object({
  version: z.literal(1),
  /** α: pseudo-messages at the base rate. */
  prior: z.number().positive(),
  /** p0: the share of counted messages that must be declined. */
  base: z.number().min(0).max(1),
  trainedOn: z.array(z.string()),
  /** [topic word, messages that must be declined, messages counted], sorted by word. */
  counts: z.array(z.tuple([z.string().min(1), z.number().int().min(0), z.number().int().min(1)])),
});
export type NearTopicModel = z.infer<typeof modelSchema>;

/** What the answer model reads: a topic word's rate (the base rate for a word the table lacks). */
export type NearTopicRate = (term: string) => number;

export const NEAR_TOPICS_PATH = projectPath('models', 'near-topics.json');
export const NEAR_TOPIC_PRIOR = 2;

export function parseNearTopicModel(json: string, source = 'models/near-topics.json'): NearTopicModel {
  const parsed = modelSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues[0]?.message ?? 'invalid'} (retrain: npm run train:decision)`);
  return parsed.data;
}

/** One counted message: its best entry's unheld topic words, and whether it must be declined as no entry's subject. */
export interface NearTopicExample {
  unheld: readonly string[];
  declined: boolean;
}

/** The table learned from examples (deterministic: counts, words sorted by code unit). */
export function learnNearTopics(examples: readonly NearTopicExample[], trainedOn: readonly string[], prior = NEAR_TOPIC_PRIOR): NearTopicModel {
  const counts = new Map<string, [number, number]>();
  let declined = 0;
  for (const e of examples) {
    if (e.declined) declined += 1;
    for (const t of new Set(e.unheld)) {
      const c = counts.get(t) ?? [0, 0];
      if (e.declined) c[0] += 1;
      c[1] += 1;
      counts.set(t, c);
    }
  }
  const base = examples.length > 0 ? Math.round((declined / examples.length) * 1e6) / 1e6 : 0;
  const sorted = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([t, [d, n]]): [string, number, number] => [t, d, n]);
  return { version: 1, prior, base, trainedOn: [...trainedOn], counts: sorted };
}

export function rateOf(model: NearTopicModel): NearTopicRate {
  const table = new Map(model.counts.map(([t, d, n]) => [t, (d + model.prior * model.base) / (n + model.prior)]));
  return (t) => table.get(t) ?? model.base;
}

/** No table: every word at rate 0 (the feature says nothing). */
export const NO_NEAR_TOPICS: NearTopicRate = () => 0;

let loaded: NearTopicRate | undefined;
/** The shipped table (models/near-topics.json); none when the file is absent. */
export function nearTopics(): NearTopicRate {
  if (!loaded) loaded = existsSync(NEAR_TOPICS_PATH) ? rateOf(parseNearTopicModel(readFileSync(NEAR_TOPICS_PATH, 'utf8'))) : NO_NEAR_TOPICS;
  return loaded;
}
