import { maskPersonalData } from '../core/privacy/mask.js';
import type { Db } from './db.js';

/** Who did what: staff actions on cases, full-detail views, deletions. */
export interface AuditInput {
  actor: string;
  action: string; // 'case.claim', 'case.reply', 'case.note', 'db.backup', ...
  subject?: string | null; // 'XH-2026-000001', a file name, ...
  detail?: string | Record<string, unknown> | null;
  /** The caller's clock (the desk's injected one; the CLI's wall clock). */
  at: Date;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

/**
 * Call inside the transaction of the change it records, so the trail cannot miss one. The trail is kept for good,
 * outside retention and erasure: a phone or ID number in its subject or detail is stored masked.
 */
export async function recordAudit(db: Db, input: AuditInput): Promise<number> {
  const raw = input.detail == null ? null : typeof input.detail === 'string' ? input.detail : JSON.stringify(input.detail);
  const detail = raw === null ? null : maskPersonalData(raw);
  const result = await db.run('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)', [
    input.at.toISOString(),
    input.actor,
    input.action,
    input.subject == null ? null : maskPersonalData(input.subject),
    detail,
  ]);
  return result.lastID;
}

export async function listAudit(db: Db, filter: { subject?: string; limit?: number } = {}): Promise<AuditRecord[]> {
  const where = filter.subject === undefined ? '' : 'WHERE subject = ?';
  const params = filter.subject === undefined ? [] : [filter.subject];
  return db.all<AuditRecord>(`SELECT id, at, actor, action, subject, detail FROM audit_log ${where} ORDER BY id LIMIT ?`, [
    ...params,
    filter.limit ?? 1000,
  ]);
}
