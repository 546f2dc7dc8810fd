import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { Db } from './db.js';

/**
 * The erasure journal: one line per "删除我的数据", kept in a file beside the SQLite database
 * (`DATABASE_PATH.erasures`), so it survives `db restore`, which replaces the database with an older backup in
 * which the erased chat is still whole. It holds no personal data: the time, the channel, the row ids of the
 * chat's message log (with their creation times) and its case codes (with the time received) — which, in the live
 * database, point at rows already emptied. After a restore, each is looked up in the restored database; the chat
 * it belonged to there is erased again (`db restore` does it). Only rows that are never deleted are anchors
 * (messages and cases stay for the counts), and each is matched with its creation time.
 */
export const erasureJournalPath = (db: Db): string | null =>
  db.dialect === 'sqlite' && db.path !== ':memory:' ? `${db.path}.erasures` : null;

/** Runs of consecutive ids as [from, to, created_at of from, created_at of to]: a chat's message ids are mostly runs. */
function toRanges(rows: readonly { id: number; at: string }[]): [number, number, string, string][] {
  const ranges: [number, number, string, string][] = [];
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const last = ranges.at(-1);
    if (last && row.id === last[1] + 1) {
      last[1] = row.id;
      last[3] = row.at;
    } else ranges.push([row.id, row.id, row.at, row.at]);
  }
  return ranges;
}

const entrySchema = z.object({
  at: z.string(),
  channel: z.string().max(40),
  /** The chat's message rows: id runs with the creation time of their first and last row. */
  messages: z.array(z.tuple([z.number().int(), z.number().int(), z.string(), z.string()])),
  /** The chat's cases: code and time received. */
  cases: z.array(z.tuple([z.string(), z.string()])),
});
export type ErasureEntry = z.infer<typeof entrySchema>;

/** The chat's anchors, read inside the erase's transaction before its rows are emptied. */
export async function erasureEntry(tx: Db, channel: string, chatId: string, at: string): Promise<ErasureEntry> {
  const messages = await tx.all<{ id: number; at: string }>('SELECT id, created_at AS at FROM messages WHERE channel = ? AND chat_id = ?', [channel, chatId]);
  const cases = await tx.all<{ code: string; at: string }>('SELECT code, received_at AS at FROM cases WHERE channel = ? AND chat_id = ?', [channel, chatId]);
  return { at, channel, messages: toRanges(messages.map((m) => ({ id: Number(m.id), at: m.at }))), cases: cases.map((c) => [c.code, c.at]) };
}

/** Appends one entry and syncs it to disk (before the erase commits: an erase is never missing from the journal). */
export function appendErasure(path: string, entry: ErasureEntry): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'a', 0o600);
    writeSync(fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
  } catch (error) {
    throw new AppError('storage_failed', `Cannot write the erasure journal ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readErasures(path: string): ErasureEntry[] {
  if (!existsSync(path)) return [];
  const entries: ErasureEntry[] = [];
  for (const [i, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    const entry = entrySchema.safeParse(parsed);
    if (!entry.success) throw new AppError('storage_failed', `${path}:${i + 1}: not an erasure journal line; nothing was re-applied. Fix or remove that line.`);
    entries.push(entry.data);
  }
  return entries;
}

/**
 * The chats (channel, chat id) that an entry's anchors name in `db`, skipping rows already erased there. A row counts
 * only with its own creation time: after a restore of an older backup, new rows take the same ids (and new cases the
 * same codes) for other chats, and those must not be erased by an entry written in another timeline.
 */
export async function chatsOf(db: Db, entry: ErasureEntry): Promise<{ channel: string; chatId: string }[]> {
  const found = new Map<string, { channel: string; chatId: string }>();
  const note = (rows: { channel: string; chatId: string | null }[]) => {
    for (const r of rows) if (r.chatId && r.chatId !== 'erased') found.set(`${r.channel}\u0000${r.chatId}`, { channel: r.channel, chatId: r.chatId });
  };
  for (const [from, to, fromAt, toAt] of entry.messages) {
    const first = await db.get<{ at: string }>('SELECT created_at AS at FROM messages WHERE id = ?', [from]);
    if (first?.at !== fromAt) continue;
    note(
      await db.all(
        'SELECT DISTINCT channel, chat_id AS chatId FROM messages WHERE id >= ? AND id <= ? AND created_at >= ? AND created_at <= ? AND channel = ?',
        [from, to, fromAt, toAt, entry.channel],
      ),
    );
  }
  for (const [code, receivedAt] of entry.cases)
    note(await db.all('SELECT channel, chat_id AS chatId FROM cases WHERE code = ? AND received_at = ? AND channel = ?', [code, receivedAt, entry.channel]));
  return [...found.values()];
}

/**
 * PostgreSQL's journal is the erasure_journal table (migration 0036), written in the erase's transaction: every
 * instance writes the same journal, and an erase that does not commit leaves no line. A pg_restore replaces the
 * table with the dump's, so it is exported first (`db export-erasures FILE`, the same lines as SQLite's file) and
 * applied again after (`db reapply-erasures FILE`, which also puts the lines back: a later restore still finds them).
 */
export async function recordErasure(tx: Db, entry: ErasureEntry): Promise<void> {
  await tx.run('INSERT INTO erasure_journal (at, entry) VALUES (?, ?)', [entry.at, JSON.stringify(entry)]);
}

/** The database's journal lines, oldest first; a line that is not an entry stops the export (nothing is written). */
export async function journalEntries(db: Db): Promise<ErasureEntry[]> {
  const rows = await db.all<{ id: number; entry: string }>('SELECT id, entry FROM erasure_journal ORDER BY id');
  return rows.map((row) => {
    const entry = entrySchema.safeParse(JSON.parse(row.entry));
    if (!entry.success) throw new AppError('storage_failed', `erasure_journal row ${row.id} is not an erasure journal line; nothing was exported.`);
    return entry.data;
  });
}

/** Puts back the lines the database lacks (after a pg_restore, the dump's table holds only the older ones); returns how many. */
export async function keepJournalEntries(db: Db, entries: readonly ErasureEntry[]): Promise<number> {
  return db.transaction(async (tx) => {
    const held = new Set((await tx.all<{ entry: string }>('SELECT entry FROM erasure_journal')).map((r) => r.entry));
    let added = 0;
    for (const entry of entries) {
      const text = JSON.stringify(entry);
      if (held.has(text)) continue;
      await recordErasure(tx, entry);
      held.add(text);
      added += 1;
    }
    return added;
  });
}

/** Writes `entries` to a new file (mode 600) in the journal's line format, synced; refuses an existing file. */
export function writeErasures(path: string, entries: readonly ErasureEntry[]): void {
  try {
    writeFileSync(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600, flag: 'wx', flush: true });
  } catch (error) {
    throw new AppError('storage_failed', `Cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
