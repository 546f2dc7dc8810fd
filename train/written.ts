import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ClassifierLabel } from '../src/core/intents/classifier.js';
import { projectPath } from '../src/project-root.js';

/**
 * Messages written by hand in parents' own voice for the team's knowledge bases (train/written/<bureau>.jsonl),
 * without running the engine on them: `{"q","expect":[ids],"kind"}`, and for the intent kinds an `intent` field.
 * Unlike train/corpus.jsonl they are not composed from templates, so they carry petitions in citizens' own shapes
 * and long knowledge questions with a family story. Every kind but the `intent_*` ones is a knowledge question
 * (`kb`), including the out-of-scope and another-place ones: the intent detector must pass them to the knowledge
 * decision, which declines them.
 */
export const WRITTEN_DIR = projectPath('train/written');

/** `bureaus.json`: each written file's knowledge base (a path from the project root) and place. */
const bureausSchema = z.record(z.string(), z.object({ area: z.string(), city: z.string(), province: z.string(), knowledge: z.string() }));

export interface WrittenBureau {
  /** The file's name without `.jsonl` (xihu). */
  bureau: string;
  area: string;
  city: string;
  province: string;
  /** The knowledge base the messages are about, from the project root. */
  knowledge: string;
  /** The messages, from the project root. */
  file: string;
}

/** The bureaus `bureaus.json` names, in its order (none when the file is absent). */
export function writtenBureaus(dir: string = WRITTEN_DIR): WrittenBureau[] {
  const path = join(dir, 'bureaus.json');
  if (!existsSync(path)) return [];
  return Object.entries(bureausSchema.parse(JSON.parse(readFileSync(path, 'utf8')))).map(([bureau, b]) => ({
    bureau,
    ...b,
    file: `train/written/${bureau}.jsonl`,
  }));
}

const writtenRowSchema = z
  .object({
    q: z.string().min(1),
    expect: z.array(z.string()).optional(),
    kind: z.string().min(1),
    intent: z.enum(['kb', 'petition', 'human', 'status', 'greeting', 'thanks']).optional(),
  })
  .passthrough()
  .refine((r) => !r.kind.startsWith('intent_') || (r.intent !== undefined && r.intent !== 'kb'), { message: 'an intent_* row needs its intent (petition, human, status, greeting or thanks)' })
  .refine((r) => r.kind.startsWith('intent_') || r.intent === undefined || r.intent === 'kb', { message: 'only intent_* rows carry an intent other than kb' });

/**
 * `written`: train/written/<bureau>.jsonl, messages of every kind. `narrative`: train/written/narratives/<bureau>.jsonl,
 * long 问政-style petitions and long knowledge questions told as family stories (many as minimal pairs: the same story
 * once asking a rule, once asking someone to act), plus requests for a person and status questions.
 */
export type WrittenSource = 'written' | 'narrative';

/** The sub-folder of the narratives, same row format, same bureau names. */
export const NARRATIVES = 'narratives';

export interface WrittenRow {
  bureau: string;
  q: string;
  kind: string;
  label: ClassifierLabel;
  source: WrittenSource;
}

const jsonlIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.jsonl'))
        .sort()
        .map((n) => join(dir, n))
    : [];

/** The files, sorted by name: `<bureau>.jsonl`, then `narratives/<bureau>.jsonl`. */
export function writtenFiles(dir: string = WRITTEN_DIR): string[] {
  return [...jsonlIn(dir), ...jsonlIn(join(dir, NARRATIVES))];
}

/** Every written row with its bureau, source and intent label; a malformed line fails with its file and line number. */
export function readWritten(dir: string = WRITTEN_DIR): WrittenRow[] {
  return writtenFiles(dir).flatMap((file) => {
    const bureau = file.split('/').pop()!.replace(/\.jsonl$/, '');
    const source: WrittenSource = file.startsWith(join(dir, NARRATIVES)) ? 'narrative' : 'written';
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, no: i + 1 }))
      .filter(({ line }) => line.trim())
      .map(({ line, no }) => {
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch (error) {
          throw new Error(`${file}:${no}: not JSON (${(error as Error).message})`);
        }
        const parsed = writtenRowSchema.safeParse(raw);
        if (!parsed.success) throw new Error(`${file}:${no}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ')}`);
        const row = parsed.data;
        return { bureau, q: row.q, kind: row.kind, label: row.intent ?? 'kb', source };
      });
  });
}

/** The files' bytes, in order (narratives included), for the model's training fingerprint. */
export function writtenText(dir: string = WRITTEN_DIR): string {
  return writtenFiles(dir)
    .map((file) => readFileSync(file, 'utf8'))
    .join('');
}
