import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-root.js';

/**
 * How much a term said only in a long message's context clauses (clauses.ts) counts in the ranking, relative
 * to a term of the clause that asks (1). Learned, not set by hand: `npm run train:clauses`
 * (bench/train-clauses.ts) picks it on a fixed grid by the right entries first over the multi-clause knowledge
 * questions of the training corpus and the team's own sets, checked leave-one-bureau-out; it lives in
 * models/clause-weight.json with the folds' figures.
 */
const clauseWeightSchema = z.object({
  /** Weight of a context-only term, 0–1 (1: every clause counts alike, as before clauses were read). */
  weight: z.number().min(0).max(1),
  /** The context is background (and weighted) when its terms weigh this much in all (general-language weights). */
  from: z.number().min(0),
  trainedOn: z.array(z.string()),
  /** Each bureau left out: the weight fitted without it and its multi-clause hit@1 at 1 and at that weight. */
  folds: z.array(z.object({ bureau: z.string(), weight: z.number(), from: z.number(), messages: z.number(), hit1Before: z.number(), hit1After: z.number() })),
});
export type ClauseWeightModel = z.infer<typeof clauseWeightSchema>;

export const CLAUSE_WEIGHT_PATH = projectPath('models', 'clause-weight.json');

let loaded: ClauseWeightModel | undefined;

/** The fitted model (read once). */
export function clauseWeightModel(): ClauseWeightModel {
  if (!loaded) {
    const parsed = clauseWeightSchema.safeParse(JSON.parse(readFileSync(CLAUSE_WEIGHT_PATH, 'utf8')));
    if (!parsed.success) throw new Error(`models/clause-weight.json: ${parsed.error.issues[0]?.message ?? 'invalid'} (retrain: npm run train:clauses)`);
    loaded = parsed.data;
  }
  return loaded;
}

/** The weight of a context-only term. */
export function clauseFocus(): { weight: number; from: number } {
  const m = clauseWeightModel();
  return { weight: m.weight, from: m.from };
}
