import type { ClosureMessage } from '../core/gaps/closure.js';
import type { UsageRow } from '../core/gaps/stats.js';
import type { GapItem, GapMark, GapReason } from '../core/gaps/types.js';
import type { Db } from './db.js';
import { markRewritesNeeded } from './erasure-rewrites-repo.js';
import { countIf } from './sql-fragments.js';

/**
 * The unanswered queue and knowledge feedback, read from `messages`, and the
 * admins' marks on gap groups (`gap_groups`). All times are ISO-8601 UTC.
 */

interface RawGap {
  id: number;
  text: string;
  answered: number;
  confident: number;
  feedback: number | null;
  entryId: string | null;
  createdAt: string;
  chosenEntryId?: string | null;
  chosenFeedback?: number | null;
}

/**
 * Queued questions since `since`: refused knowledge questions (intent kb, not
 * answered), answers given with low confidence, and answers marked not helpful.
 * Messages whose text was purged by retention are left out.
 */
export async function listGapMessages(db: Db, since: string): Promise<GapItem[]> {
  // The parent's latest pressed "您是不是想问" choice for the question (kb-choice rows name it in question_id).
  const rows = await db.all<RawGap>(
    `SELECT m.id, m.text, m.answered, m.confident, m.feedback, m.entry_id AS entryId, m.created_at AS createdAt,
            c.entry_id AS chosenEntryId, c.feedback AS chosenFeedback
       FROM messages m
       LEFT JOIN messages c ON c.id = (SELECT MAX(p.id) FROM messages p WHERE p.question_id = m.id AND p.intent = 'kb-choice')
      WHERE m.created_at >= ? AND m.text IS NOT NULL
        AND ((m.intent = 'kb' AND m.answered = 0) OR (m.answered = 1 AND m.confident = 0) OR m.feedback = 0)
      ORDER BY m.created_at, m.id`,
    [since],
  );
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    reason: reasonOf(r),
    createdAt: r.createdAt,
    entryId: r.entryId,
    chosen: r.chosenEntryId ? { entryId: r.chosenEntryId, notHelpful: r.chosenFeedback === 0 } : null,
  }));
}

function reasonOf(r: RawGap): GapReason {
  if (r.feedback === 0) return 'not_helpful';
  return r.answered === 1 ? 'low_confidence' : 'refused';
}

/** Every knowledge question since `since`, for "did the gap close". */
export async function listKnowledgeMessages(db: Db, since: string): Promise<ClosureMessage[]> {
  const rows = await db.all<Omit<RawGap, 'id' | 'text'> & { text: string | null }>(
    `SELECT text, answered, confident, feedback, entry_id AS entryId, created_at AS createdAt
       FROM messages WHERE created_at >= ? AND (intent = 'kb' OR answered = 1) ORDER BY created_at, id`,
    [since],
  );
  return rows.map((r) => ({
    text: r.text,
    answered: r.answered === 1,
    confident: r.confident === 1,
    feedback: r.feedback === null ? null : r.feedback === 1,
    entryId: r.entryId,
    createdAt: r.createdAt,
  }));
}

interface RawMark {
  key: string;
  status: 'ignored' | 'resolved';
  entryId: string | null;
  resolvedAt: string | null;
  samples: string;
  markedBy: string;
  markedAt: string;
}

export async function listGapMarks(db: Db): Promise<GapMark[]> {
  const rows = await db.all<RawMark>(
    `SELECT key, status, entry_id AS entryId, resolved_at AS resolvedAt, samples, marked_by AS markedBy, marked_at AS markedAt
       FROM gap_groups ORDER BY marked_at, key`,
  );
  return rows.map((r) => ({ ...r, samples: parseSamples(r.samples) }));
}

function parseSamples(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** Records (or replaces) an admin's mark; `resolvedAt` is kept only for status resolved. */
export async function saveGapMark(db: Db, mark: GapMark): Promise<void> {
  await db.run(
    `INSERT INTO gap_groups (key, status, entry_id, resolved_at, samples, marked_by, marked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET status = excluded.status, entry_id = excluded.entry_id,
       resolved_at = excluded.resolved_at, samples = excluded.samples, marked_by = excluded.marked_by,
       marked_at = excluded.marked_at`,
    [
      mark.key,
      mark.status,
      mark.status === 'resolved' ? mark.entryId : null,
      mark.status === 'resolved' ? mark.resolvedAt : null,
      JSON.stringify(mark.samples),
      mark.markedBy,
      mark.markedAt,
    ],
  );
}

/** Removes a mark so the group is open again; returns whether one existed. */
export async function deleteGapMark(db: Db, key: string): Promise<boolean> {
  return (await db.run('DELETE FROM gap_groups WHERE key = ?', [key])).changes > 0;
}

/** Answers served and feedback per entry and section since `since`. */
export async function usageByEntrySection(db: Db, since: string): Promise<UsageRow[]> {
  return db.all<UsageRow>(
    `SELECT entry_id AS entryId, section, COUNT(*) AS served,
            COALESCE(${countIf('feedback = 1')}, 0) AS helpful, COALESCE(${countIf('feedback = 0')}, 0) AS notHelpful,
            MAX(created_at) AS lastServedAt
       FROM messages WHERE answered = 1 AND entry_id IS NOT NULL AND created_at >= ?
      GROUP BY entry_id, section ORDER BY entry_id, section`,
    [since],
  );
}

/** The latest answer ever served, per entry. */
/** When the bot logged its first message (ISO), or null on a database with none: how far back usage is known. */
export async function firstMessageAt(db: Db): Promise<string | null> {
  const row = await db.get<{ first: string | null }>('SELECT MIN(created_at) AS first FROM messages');
  return row?.first ?? null;
}

export async function lastServedByEntry(db: Db): Promise<Map<string, string>> {
  const rows = await db.all<{ entryId: string; last: string }>(
    `SELECT entry_id AS entryId, MAX(created_at) AS last FROM messages
      WHERE answered = 1 AND entry_id IS NOT NULL GROUP BY entry_id`,
  );
  return new Map(rows.map((r) => [r.entryId, r.last]));
}

/**
 * Retention: forgets the stored wordings of marks made before `cutoff` (the
 * message-text retention cutoff), as their source texts are purged too. The
 * marks themselves stay; such a group is then recognised by key only.
 */
export async function purgeGapSamples(db: Db, cutoff: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const changes = (await tx.run("UPDATE gap_groups SET samples = '[]' WHERE marked_at < ? AND samples <> '[]'", [cutoff])).changes;
    if (changes > 0) await markRewritesNeeded(tx, ['gap_groups'], now); // commits with the purge (erased-bytes.ts)
    return changes;
  });
}

/**
 * Erasure: drops from every mark the stored wordings `isErased` says came from erased messages (the marks
 * stay). Returns how many wordings went. Run inside the erase's transaction.
 */
export async function forgetGapSamples(db: Db, isErased: (sample: string) => boolean): Promise<number> {
  const rows = await db.all<{ key: string; samples: string }>("SELECT key, samples FROM gap_groups WHERE samples <> '[]'");
  let forgotten = 0;
  for (const row of rows) {
    const samples = parseSamples(row.samples);
    const kept = samples.filter((s) => !isErased(s));
    if (kept.length === samples.length) continue;
    forgotten += samples.length - kept.length;
    await db.run('UPDATE gap_groups SET samples = ? WHERE key = ?', [JSON.stringify(kept), row.key]);
  }
  return forgotten;
}
