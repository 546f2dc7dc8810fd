import type { Db } from '../../storage/db.js';
import { teachFile, type TeachEdit } from '../../knowledge/teach.js';
import { AppError } from '../errors.js';
import { DEFAULT_THRESHOLD, type GroupOptions } from './group.js';
import { listGaps, markGap } from './queue.js';
import { grams, maxDice, questionText } from './similarity.js';
import type { GapGroup } from './types.js';

/**
 * "归入…": an admin attaches a missed message (or a whole gap group, by its key) to the entry that
 * answers it. The wording is appended to the entry's `questions` (knowledge/teach.ts), the knowledge
 * base is reloaded so the bot answers it from now on, and the gap group is marked resolved by that
 * entry, which closes it in the gaps list and starts its "did the gap close" comparison.
 */
export interface TeachInput extends Pick<GroupOptions, 'normalize'> {
  entryId: string;
  /** Either the message to teach or the key of a gap group (its most frequent wording is taught). */
  message?: string;
  key?: string;
  actor: string;
  since: Date;
  now: Date;
  entries: readonly { id: string; path: string; title: string }[];
  /** Reloads the live knowledge base after the file changed. */
  reload(): Promise<unknown>;
  /** The questions the reloaded knowledge base holds for an entry (undefined when it holds no such entry). */
  entryQuestions(entryId: string): readonly string[] | undefined;
}

export interface TeachResult {
  edit: TeachEdit;
  entry: { id: string; path: string; title: string };
  /** The gap group now resolved by the entry, when the message belonged to one. */
  group: GapGroup | null;
}

export async function teachGap(db: Db, input: TeachInput): Promise<TeachResult> {
  const entry = input.entries.find((e) => e.id === input.entryId);
  if (!entry) throw new AppError('cli_usage', `No entry with id "${input.entryId}" in the knowledge base; give the id of the entry that answers the message.`);
  const { groups } = await listGaps(db, { since: input.since, now: input.now, normalize: input.normalize });
  let group: GapGroup | undefined;
  if (input.key !== undefined) {
    group = groups.find((g) => g.key === input.key);
    if (!group) throw new AppError('cli_usage', `No gap group with key "${input.key}" in this period. Run "npm run cli -- kb gaps" (with the same --days) to list the keys.`);
  } else if (input.message !== undefined) {
    const wanted = grams(questionText(input.message, input.normalize));
    group = groups
      .filter((g) => g.status === 'open')
      .map((g) => ({ g, score: maxDice(wanted, g.samples.map(grams)) }))
      .filter((c) => c.score >= DEFAULT_THRESHOLD)
      .sort((a, b) => b.score - a.score)[0]?.g;
  } else throw new AppError('cli_usage', 'Teach needs a message or the key of a gap group.');
  const edit = await teachFile(entry.path, input.message ?? group!.representative);
  await input.reload();
  // The gap closes only when the bot can now answer it: the reloaded entry must list the wording.
  const held = input.entryQuestions(entry.id)?.some((q) => q.replace(/\s+/g, ' ').trim() === edit.question);
  if (!held)
    throw new AppError(
      'kb_teach',
      `The question was written to the entry's file, but the reloaded knowledge base does not list it under "${entry.id}" (run "npm run cli -- kb check" for the file's problems); the gap group stays open.`,
    );
  const marked = group
    ? await markGap(db, { key: group.key, status: 'resolved', entryId: entry.id, actor: input.actor, since: input.since, now: input.now, normalize: input.normalize })
    : null;
  return { edit, entry, group: marked };
}
