import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { BestMatchFn } from '../core/gaps/types.js';
import type { TextNormalizer } from '../core/gaps/similarity.js';
import { buildIndex } from '../knowledge/index.js';
import { loadKnowledge } from '../knowledge/loader.js';
import { createNormalizer } from '../knowledge/normalize.js';
import { formatProblem, type KnowledgeEntry } from '../knowledge/schema.js';
import { withShippedLexicon } from '../knowledge/synonyms.js';
import type { CliIo } from './types.js';

/** Shared by `kb gaps` and `kb stats`: option parsing and the live knowledge base. */
const daysSchema = z.coerce.number().int().min(1).max(3650);
const formatSchema = z.enum(['text', 'csv']);

export function parseDays(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = daysSchema.safeParse(value);
  if (!parsed.success) throw new AppError('cli_usage', `--days must be a whole number of days from 1 to 3650 (got "${value}")`);
  return parsed.data;
}

export function parseFormat(value: string | undefined): 'text' | 'csv' {
  const parsed = formatSchema.safeParse(value ?? 'text');
  if (!parsed.success) throw new AppError('cli_usage', `--format must be text or csv (got "${value}")`);
  return parsed.data;
}

export interface LiveKnowledge {
  entries: KnowledgeEntry[];
  bestMatch: BestMatchFn;
  normalize: TextNormalizer;
}

/** Loads the knowledge base; problems are reported on stderr and never stop the command. */
export async function openKnowledge(dir: string, io: CliIo, today: string): Promise<LiveKnowledge> {
  const loaded = await loadKnowledge(dir, { today });
  for (const problem of loaded.problems) io.stderr.write(`${formatProblem(problem)} (skipped)\n`);
  const index = buildIndex(loaded.entries, loaded.synonyms);
  return {
    entries: loaded.entries,
    normalize: createNormalizer(withShippedLexicon(loaded.synonyms).typos),
    bestMatch: (text) => {
      const [hit] = index.search(text, 1);
      const entry = hit ? index.entry(hit.id) : undefined;
      return hit && entry ? { id: hit.id, title: entry.title, score: hit.score } : null;
    },
  };
}

/** YYYY-MM-DD of `now` in `timeZone`. */
export function dateIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export const daysAgo = (now: Date, days: number): Date => new Date(now.getTime() - days * 86_400_000);
