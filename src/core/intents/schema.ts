import { z } from 'zod';
import { CASE_TYPES } from '../types.js';

/**
 * The shape of one `intents/<name>.yaml` file. Patterns are JavaScript regular
 * expressions (flags `iu`) matched against the normalised message (NFKC,
 * lower case, trimmed). A pattern may carry `unless`: the match is ignored
 * when `unless` also matches (e.g. "投诉" but asked as a question about HOW).
 */
export const INTENT_NAMES = [
  'greeting',
  'thanks',
  'farewell',
  'help',
  'kb',
  'petition',
  'human',
  'status',
  'rate',
  'cancel',
  'privacy',
  'language',
] as const;
export type IntentName = (typeof INTENT_NAMES)[number];

export const patternSchema = z.union([
  z.string().min(1),
  z.object({ match: z.string().min(1), unless: z.string().min(1).optional() }).strict(),
]);
export type PatternSpec = z.infer<typeof patternSchema>;

const examplesSchema = z
  .object({
    zh: z.array(z.string().min(1)).default([]),
    en: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const intentFileSchema = z
  .object({
    intent: z.enum(INTENT_NAMES),
    /** Higher wins when two intents match. `kb` is the default and needs no patterns. */
    priority: z.number().int().min(0).max(1000),
    /** Listed in the /help menu (its text is `chat.help.item.<intent>` in the catalogue). */
    menu: z.boolean().default(false),
    examples: examplesSchema,
    /** Messages that must NOT be detected as this intent (checked by the tests). */
    counterExamples: examplesSchema.optional(),
    patterns: z.array(patternSchema).default([]),
    /** petition only: which case type a matching message asks for. */
    caseTypes: z.partialRecord(z.enum(CASE_TYPES), z.array(patternSchema)).optional(),
  })
  .strict();
export type IntentFile = z.infer<typeof intentFileSchema>;
