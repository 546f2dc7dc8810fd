import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { projectPath } from '../../project-root.js';
import { splitClauses } from '../../knowledge/clauses.js';
import { decodeWeights } from './classifier.js';

/**
 * Ask or act: of a message the intent classifier would make a petition, does its ask want a rule explained or
 * someone to act? A family story ending "…还能在这边读初中吗" and the same story ending "…请领导督促学校改正" share
 * every word but the ask, and the whole-message classifier hears mostly the story. This model reads the clause
 * that asks, the clause the message ends with and the story apart (character 1–3-grams of each, by role), so it
 * learns the two kinds of ask from the written minimal pairs (train/written/narratives), the written messages and the
 * corpus. Binary logistic regression; trained by `npm run train:ask` (train/train-ask-act.ts), shipped as
 * models/ask-act.json. It can only turn a classifier's petition into `kb`, when its probability of a rule question
 * reaches `bar` and the classifier's own petition probability is under `ceiling` (both chosen held out by bureau so
 * that no petition of the training data is lost; see the trainer).
 */
export const DEFAULT_ASK_ACT_MODEL = projectPath('models/ask-act.json');

export const askActModelSchema = z
  .object({
    format: z.literal('civicdesk-ask-act'),
    version: z.literal(1),
    /** Probability of `kb` (a rule asked) at which a classifier's petition becomes a knowledge question. */
    bar: z.number().min(0).max(1),
    /**
     * ...and only when the intent classifier's own probability of the petition is under this: where the whole
     * message reads as a petition with confidence, the ask alone does not overrule it. Chosen with `bar`.
     */
    ceiling: z.number().min(0).max(1),
    bias: z.number(),
    features: z.array(z.string()),
    /** One little-endian float32 a feature, base64 (as models/intent-v1.json). */
    weights: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    trainedOn: z.object({ messages: z.number().int(), sha256: z.string() }).strict(),
  })
  .strict()
  .refine((m) => Buffer.from(m.weights, 'base64').length === m.features.length * 4, { message: 'every feature must have one weight' });
export type AskActModel = z.infer<typeof askActModelSchema>;

const grams = (prefix: string, text: string, out: Set<string>) => {
  const chars = ['^', ...text.replace(/\s+/g, ' '), '$'];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) out.add(prefix + chars.slice(i, i + n).join(''));
};

/**
 * The features of one normalised message (intentText), by the role of the clause they come from: `q:` n-grams of
 * the clause that asks (the last clause splitClauses marks as asking, else the last one), `e:` n-grams of the last
 * clause when it is another one (a request to act often follows the question: "…怎么办？请领导管一管"), `c:` n-grams
 * of the other clauses (the story: a wrong done by someone, or the family's circumstances), and `#` whether a clause
 * asks. The same characters weigh differently in the ask and in the story, which one bag of n-grams cannot say.
 */
export function askActFeatures(norm: string): Set<string> {
  const clauses = splitClauses(norm);
  const last = clauses[clauses.length - 1]!;
  const asking = [...clauses].reverse().find((c) => c.asks);
  const out = new Set<string>();
  grams('q:', (asking ?? last).text, out);
  if (asking && asking !== last) grams('e:', last.text, out);
  out.add(asking ? '#asks' : '#no-ask');
  for (const c of clauses) if (c !== asking && c !== last) grams('c:', c.text, out);
  return out;
}

export interface AskActClassifier {
  model: AskActModel;
  /** Probability that the message asks a rule (kb) rather than for someone to act. */
  probabilityKb(norm: string): number;
}

export function createAskAct(model: AskActModel): AskActClassifier {
  const flat = decodeWeights(model.weights);
  const weight = new Map(model.features.map((f, i) => [f, flat[i]!]));
  return {
    model,
    probabilityKb(norm) {
      const feats = askActFeatures(norm);
      let z = model.bias;
      const scale = 1 / Math.sqrt(feats.size);
      for (const f of feats) z += (weight.get(f) ?? 0) * scale;
      return 1 / (1 + Math.exp(-z));
    },
  };
}

export async function loadAskActModel(path: string = DEFAULT_ASK_ACT_MODEL): Promise<AskActClassifier> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AppError('intents_invalid', `Cannot read the ask-or-act model ${path}: ${(error as Error).message}. Run \`npm run train:ask\` to write it.`, { cause: error });
  }
  const parsed = askActModelSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new AppError('intents_invalid', `Invalid ask-or-act model ${path}:\n  ${problems.join('\n  ')}\nRun \`npm run train:ask\` to write it again.`, { details: problems });
  }
  return createAskAct(parsed.data);
}
