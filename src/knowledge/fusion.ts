import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-root.js';

/**
 * How much the character-bigram order (bigram-order.ts) adds to the ranking's ORDER (issue 14, fuse19–fuse23): each
 * candidate is ordered by its score + weight × its bigram BM25 over the bigram order's best (only that order's
 * BIGRAM_BEST first entries gain); its score — what the answer bar, the suggest floor, the scope check and the answer
 * model read — is unchanged. The weight is learned by `npm run train:fusion` (bench/train-fusion.ts): on a fixed grid,
 * the most right entries first over the written training data (models/fusion.json). Weight 0 (`NO_FUSION`) is the
 * unfused order, and builds no bigram order.
 */
export interface Fusion {
  weight: number;
}

export const NO_FUSION: Fusion = { weight: 0 };
/** The bigram order's first entries that gain (and join the candidates when the ranking had not fetched them). */
export const BIGRAM_BEST = 20;

const foldSchema = z.object({ bureau: z.string(), weight: z.number().min(0), messages: z.number().int(), unfused: z.number().int(), fused: z.number().int() });
export const fusionModelSchema = z.object({
  /** The weight over all training rows (used when `shipped`). */
  weight: z.number().min(0).max(1),
  /** Off: the index ranks unfused unless given `IndexOptions.fusion`. */
  shipped: z.boolean(),
  grid: z.array(z.number().min(0)),
  /** Right entries first over all training rows, per grid weight. */
  rightByWeight: z.array(z.number().int()),
  messages: z.number().int(),
  /** Each bureau ranked with the weight chosen without it. */
  folds: z.array(foldSchema),
  trainedOn: z.array(z.string()),
});
export type FusionModel = z.infer<typeof fusionModelSchema>;

export const FUSION_PATH = projectPath('models', 'fusion.json');

export function parseFusionModel(json: string): FusionModel {
  const parsed = fusionModelSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`models/fusion.json: ${parsed.error.issues[0]?.message ?? 'invalid'} (retrain: npm run train:fusion)`);
  return parsed.data;
}

let loaded: Fusion | undefined;
/** The shipped fusion (models/fusion.json), or none when the file is absent or not shipped. */
export function fusion(): Fusion {
  if (!loaded) {
    const model = existsSync(FUSION_PATH) ? parseFusionModel(readFileSync(FUSION_PATH, 'utf8')) : null;
    loaded = model?.shipped ? { weight: model.weight } : NO_FUSION;
  }
  return loaded;
}
