import type { Db } from '../../storage/db.js';
import { listGapMarks, listGapMessages, listKnowledgeMessages, saveGapMark } from '../../storage/gaps-repo.js';
import { AppError } from '../errors.js';
import { gapClosure, type GapClosure } from './closure.js';
import { applyMarks, groupQuestions, type GroupOptions } from './group.js';
import { loadRefusalScope, splitByScope, type RefusalScope, type ScopedGroups } from './scope.js';
import type { GapGroup } from './types.js';

/**
 * The unanswered queue as admins see it: groups computed from `messages`
 * with their marks, plus "did the gap close" for every resolved group.
 */
export interface GapsQuery extends Omit<GroupOptions, 'threshold' | 'relatedThreshold'> {
  since: Date;
  now: Date;
  /** Window before the fix compared with the time after it (default 30 days). */
  closureDays?: number;
  /** What counts as another authority's or an off-topic question (default rules/refusal-scope.yaml). */
  scope?: RefusalScope;
}

export interface GapsReport {
  /** Knowledge gaps only. */
  groups: GapGroup[];
  closures: GapClosure[];
  /** Refused questions for another authority or off-topic: counted apart, never listed as gaps. */
  apart: Omit<ScopedGroups, 'gaps'>;
}

export async function listGaps(db: Db, query: GapsQuery): Promise<GapsReport> {
  const items = await listGapMessages(db, query.since.toISOString());
  const marks = await listGapMarks(db);
  const { gaps: groups, ...apart } = splitByScope(applyMarks(groupQuestions(items, query), marks), query.scope ?? loadRefusalScope());
  const resolved = marks.filter((m) => m.status === 'resolved' && m.resolvedAt !== null);
  const closureDays = query.closureDays ?? 30;
  let closures: GapClosure[] = [];
  if (resolved.length > 0) {
    const earliest = resolved.map((m) => m.resolvedAt!).sort()[0]!;
    const from = new Date(Date.parse(earliest) - closureDays * 86_400_000).toISOString();
    const messages = await listKnowledgeMessages(db, from);
    closures = resolved
      .map((m) => gapClosure(m, messages, { windowDays: closureDays, normalize: query.normalize }))
      .filter((c): c is GapClosure => c !== null);
  }
  return { groups, closures, apart };
}

/**
 * The largest open groups since `since`, for the daily digest.
 *
 * @example
 *   const top = await topGaps(db, { since: new Date(Date.now() - 86_400_000), limit: 5 });
 */
export async function topGaps(
  db: Db,
  options: { since: Date; limit?: number; scope?: RefusalScope } & Pick<GroupOptions, 'bestMatch' | 'normalize' | 'entryTitle'>,
): Promise<GapGroup[]> {
  const items = await listGapMessages(db, options.since.toISOString());
  const all = applyMarks(groupQuestions(items, options), await listGapMarks(db));
  const groups = splitByScope(all, options.scope ?? loadRefusalScope()).gaps;
  return groups.filter((g) => g.status === 'open').slice(0, options.limit ?? 5);
}

/**
 * Marks the group with `key` (as listed by `kb gaps` for the same window) as
 * ignored or resolved. Resolving needs the id of the entry that answers it.
 */
export async function markGap(
  db: Db,
  input: { key: string; status: 'ignored' | 'resolved'; entryId?: string | null; actor: string; since: Date; now: Date } & Pick<
    GroupOptions,
    'normalize'
  >,
): Promise<GapGroup> {
  if (input.status === 'resolved' && !input.entryId)
    throw new AppError('cli_usage', 'Marking a group resolved needs the entry that answers it: add --entry ENTRY_ID.');
  const { groups } = await listGaps(db, { since: input.since, now: input.now, normalize: input.normalize });
  const group = groups.find((g) => g.key === input.key);
  if (!group)
    throw new AppError(
      'cli_usage',
      `No gap group with key "${input.key}" in this period. Run "npm run cli -- kb gaps" (with the same --days) to list the keys.`,
    );
  const at = input.now.toISOString();
  await saveGapMark(db, {
    key: group.key,
    status: input.status,
    entryId: input.status === 'resolved' ? (input.entryId ?? null) : null,
    resolvedAt: input.status === 'resolved' ? at : null,
    samples: group.samples,
    markedBy: input.actor,
    markedAt: at,
  });
  return { ...group, status: input.status, resolvedEntryId: input.entryId ?? null, resolvedAt: input.status === 'resolved' ? at : null };
}
