import type { Db } from './db.js';
import { recordAudit } from './audit-repo.js';

/**
 * The disclosure register (主动公开 items). A duplicate is the same url, or the
 * same title on the same date (both enforced by unique indexes): it is skipped
 * and reported, never an error.
 */
export interface DisclosureInput {
  title: string;
  category: string;
  channel: string;
  publishedOn: string; // YYYY-MM-DD
  url: string | null;
  createdBy: string | null;
}

export interface DisclosureRow extends DisclosureInput {
  id: number;
  createdAt: string;
}

const INSERT = `INSERT INTO disclosures (title, category, channel, published_on, url, created_by, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

async function insertOne(db: Db, d: DisclosureInput, now: Date): Promise<{ id: number | null; duplicate: boolean }> {
  // Look first: on PostgreSQL an INSERT that hits the conflict still uses up an id, and ids stay gap-free this way.
  const known = await findExisting(db, d);
  if (known) return { id: known.id, duplicate: true };
  const result = await db.run(INSERT, [
    d.title,
    d.category,
    d.channel,
    d.publishedOn,
    d.url && d.url.trim() !== '' ? d.url : null,
    d.createdBy,
    now.toISOString(),
  ]);
  if (result.changes > 0) return { id: result.lastID, duplicate: false };
  const existing = await findExisting(db, d);
  return { id: existing?.id ?? null, duplicate: true };
}

function findExisting(db: Db, d: DisclosureInput): Promise<{ id: number } | undefined> {
  return db.get<{ id: number }>(
    'SELECT id FROM disclosures WHERE (url IS NOT NULL AND url = ?) OR (title = ? AND published_on = ?) LIMIT 1',
    [d.url && d.url.trim() !== '' ? d.url : null, d.title, d.publishedOn],
  );
}

/**
 * Record one disclosure (Slack /disclose). `id` is the existing row's id when
 * it is a duplicate.
 *
 * @example
 *   const { id, duplicate } = await insertDisclosure(db, { title: '2026年秋季招生公告', category: '招生入学',
 *     channel: '政府网站', publishedOn: '2026-08-20', url: null, createdBy: 'slack:U1' });
 */
export async function insertDisclosure(
  db: Db,
  input: Omit<DisclosureInput, 'url' | 'createdBy'> & { url?: string | null; createdBy?: string | null },
  now: Date,
): Promise<{ id: number; duplicate: boolean }> {
  const row: DisclosureInput = { ...input, url: input.url ?? null, createdBy: input.createdBy ?? null };
  const result = await db.transaction((tx) => insertOne(tx, row, now));
  return { id: result.id ?? 0, duplicate: result.duplicate };
}

/** Insert many in one transaction (all or nothing); returns how many were new and how many duplicates. */
export async function insertDisclosures(
  db: Db,
  rows: DisclosureInput[],
  now: Date,
): Promise<{ inserted: number; duplicates: number }> {
  return db.transaction(async (tx) => {
    let inserted = 0;
    let duplicates = 0;
    for (const row of rows) {
      const result = await insertOne(tx, row, now);
      if (result.duplicate) duplicates += 1;
      else inserted += 1;
    }
    return { inserted, duplicates };
  });
}

const COLUMNS = 'id, title, category, channel, published_on, url, created_by, created_at';

export async function listDisclosures(db: Db, range: { from?: string; to?: string } = {}): Promise<DisclosureRow[]> {
  const rows = await db.all<Record<string, string | number | null>>(
    `SELECT ${COLUMNS} FROM disclosures WHERE published_on >= ? AND published_on <= ? ORDER BY published_on, id`,
    [range.from ?? '0000-00-00', range.to ?? '9999-99-99'],
  );
  return rows.map(toRow);
}

function toRow(r: Record<string, string | number | null>): DisclosureRow {
  return {
    id: Number(r.id),
    title: String(r.title),
    category: String(r.category),
    channel: String(r.channel),
    publishedOn: String(r.published_on),
    url: r.url === null ? null : String(r.url),
    createdBy: r.created_by === null ? null : String(r.created_by),
    createdAt: String(r.created_at),
  };
}

/**
 * Removes one logged publication (a duplicate under another title, a wrong 栏目 or date: staff then log it again), with
 * an audit entry naming who, why and what it was, in the same transaction. Null when there is no such id.
 */
export async function removeDisclosure(
  db: Db,
  input: { id: number; actor: string; reason: string },
  now: Date,
): Promise<DisclosureRow | null> {
  return db.transaction(async (tx) => {
    const found = await tx.get<Record<string, string | number | null>>(`SELECT ${COLUMNS} FROM disclosures WHERE id = ?`, [input.id]);
    if (!found) return null;
    const row = toRow(found);
    await tx.run('DELETE FROM disclosures WHERE id = ?', [input.id]);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'disclosure.remove',
      subject: String(input.id),
      detail: { title: row.title, publishedOn: row.publishedOn, category: row.category, reason: input.reason },
      at: now,
    });
    return row;
  });
}
