import type { RegisterFacts } from '../core/reports/annual/facts.js';
import { emptyRegisterFacts } from '../core/reports/annual/facts.js';
import type { RegisterItemInput, RegisterKind } from '../core/reports/annual/registers.js';
import { APPEAL_CATEGORIES, registerAppealText, sameAppeal, type RegisterAppeal } from '../core/cases/appeals.js';
import { AppError } from '../core/errors.js';
import { t } from '../core/i18n/index.js';
import '../core/i18n/staff.js';
import type { Locale } from '../core/types.js';
import { currentAppealsFiledBetween, currentAppealsOfCategory } from './appeals-repo.js';
import { recordAudit } from './audit-repo.js';
import type { Db } from './db.js';

/**
 * register_items: the annual report's registers (规范性文件, 行政许可, 建议提案,
 * 行政复议/诉讼, fees, projects). Items arrive validated by
 * `parseRegisterItem`; a batch is written in one transaction (all or nothing).
 */
export interface RegisterItemRow {
  id: number;
  kind: RegisterKind;
  title: string;
  ref: string | null;
  category: string | null;
  dateOn: string;
  endOn: string | null;
  outcome: string | null;
  amountYuan: number | null;
  count: number;
  note: string | null;
  createdBy: string;
  createdAt: string;
}

const SELECT = `SELECT id, kind, title, ref, category, date_on AS dateOn, end_on AS endOn, outcome,
  amount_yuan AS amountYuan, count, note, created_by AS createdBy, created_at AS createdAt FROM register_items`;

/**
 * The appeal linked to a disclosure request that a new 行政复议/行政诉讼 register item would count a second time
 * (appeals.ts sameAppeal), as a sentence naming it in the staff's language; null when none.
 */
export async function linkedAppealConflict(db: Db, item: RegisterItemInput, locale: Locale = 'zh'): Promise<string | null> {
  const entry: RegisterAppeal = {
    id: 0, category: (item.category as string | undefined) ?? '行政复议', title: String(item.title ?? ''), ref: (item.ref as string | undefined) ?? null,
    dateOn: String(item.dateOn ?? ''), note: (item.note as string | undefined) ?? null,
  };
  for (const a of await currentAppealsOfCategory(db, entry.category!)) {
    if (!sameAppeal({ category: a.category as never, filedOn: a.filedOn, caseRef: a.caseRef, code: a.code }, entry)) continue;
    const ref = a.caseRef ? t(locale, 'staff.register.linkedAppealRef', { ref: a.caseRef }) : '';
    return t(locale, 'staff.register.linkedAppeal', { title: entry.title, code: a.code, category: a.category, filedOn: a.filedOn, ref });
  }
  return null;
}

/** Why `item` may not be registered: it is already (same title, 文号 and date), as a sentence; null when it is new. */
export async function duplicateRegisterItem(db: Db, kind: RegisterKind, item: RegisterItemInput, locale: Locale = 'zh'): Promise<string | null> {
  const same = await sameItem(db, kind, item);
  return same ? duplicateText(kind, same, locale) : null;
}

const duplicateText = (kind: RegisterKind, same: RegisterItemRow, locale: Locale) =>
  t(locale, 'staff.register.duplicate', { title: same.title, date: same.dateOn, id: same.id, kind });

/** The item already registered with the same kind, title, 文号 and date (a second add or import of it), or null. */
async function sameItem(db: Db, kind: RegisterKind, i: RegisterItemInput): Promise<RegisterItemRow | null> {
  return (
    (await db.get<RegisterItemRow>(`${SELECT} WHERE kind = ? AND title = ? AND COALESCE(ref, '') = ? AND date_on = ? ORDER BY id LIMIT 1`, [
      kind,
      String(i.title ?? ''),
      (i.ref as string | undefined) ?? '',
      String(i.dateOn ?? ''),
    ])) ?? null
  );
}

/**
 * Inserts every item or none, with an audit row for each; returns the new ids in order. A 行政复议/诉讼 already linked
 * to a request is refused. An item already registered (same kind, title, 文号 and date) is refused, or, with
 * `skipDuplicates` (an import), skipped: the ids then hold only the new items.
 */
export async function insertRegisterItems(
  db: Db,
  kind: RegisterKind,
  items: RegisterItemInput[],
  actor: string,
  now: Date,
  options: { skipDuplicates?: boolean; locale?: Locale } = {},
): Promise<number[]> {
  // Refusals in the staff's language (STAFF_LOCALE); the items themselves are stored as typed.
  const locale = options.locale ?? 'zh';
  return db.transaction(async (tx) => {
    const ids: number[] = [];
    if (kind === 'review')
      for (const [n, i] of items.entries()) {
        const conflict = await linkedAppealConflict(tx, i, locale);
        if (conflict) throw new AppError('import_invalid', items.length > 1 ? t(locale, 'staff.register.batchRow', { n: n + 1, problem: conflict }) : conflict);
      }
    for (const i of items) {
      const same = await sameItem(tx, kind, i);
      if (same && options.skipDuplicates) continue;
      if (same) throw new AppError('import_invalid', duplicateText(kind, same, locale));
      const result = await tx.run(
        `INSERT INTO register_items (kind, title, ref, category, date_on, end_on, outcome, amount_yuan, count, note, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          kind,
          String(i.title ?? ''),
          (i.ref as string | undefined) ?? null,
          (i.category as string | undefined) ?? null,
          String(i.dateOn ?? ''),
          (i.endOn as string | undefined) ?? null,
          (i.outcome as string | undefined) ?? null,
          i.amountYuan === undefined || i.amountYuan === null ? null : Number(i.amountYuan),
          i.count === undefined || i.count === null ? 1 : Number(i.count),
          (i.note as string | undefined) ?? null,
          actor,
          now.toISOString(),
        ],
      );
      ids.push(result.lastID);
      await recordAudit(tx, { actor, action: 'register.add', subject: `${kind}#${result.lastID}`, detail: { title: i.title, dateOn: i.dateOn }, at: now });
    }
    return ids;
  });
}

/** Takes one item out of a register (a duplicate, a wrong entry: add it again correctly), audited with the reason. */
export async function removeRegisterItem(
  db: Db,
  input: { kind: RegisterKind; id: number; actor: string; reason: string },
  now: Date,
): Promise<RegisterItemRow | null> {
  return db.transaction(async (tx) => {
    const found = await tx.get<RegisterItemRow>(`${SELECT} WHERE kind = ? AND id = ?`, [input.kind, input.id]);
    if (!found) return null;
    await tx.run('DELETE FROM register_items WHERE id = ?', [input.id]);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'register.remove',
      subject: `${input.kind}#${input.id}`,
      detail: { title: found.title, dateOn: found.dateOn, reason: input.reason },
      at: now,
    });
    return found;
  });
}

/** Items of one kind, oldest first; `year` keeps those dated in that year. */
export async function listRegisterItems(db: Db, kind: RegisterKind, options: { year?: number } = {}): Promise<RegisterItemRow[]> {
  if (options.year === undefined) return db.all<RegisterItemRow>(`${SELECT} WHERE kind = ? ORDER BY date_on, id`, [kind]);
  return db.all<RegisterItemRow>(`${SELECT} WHERE kind = ? AND date_on >= ? AND date_on <= ? ORDER BY date_on, id`, [
    kind,
    `${options.year}-01-01`,
    `${options.year}-12-31`,
  ]);
}

const OUTCOME_INDEX: Record<string, number> = { 维持: 0, 纠正: 1, 其他: 2, 尚未审结: 3 };

/** One 行政复议 / 行政诉讼 in table 四: its column, and 尚未审结 unless decided by 12月31日 (`to`). */
function countAppeal(facts: RegisterFacts, category: string | null, outcome: string | null, decidedOn: string | null, to: string): void {
  const target = category === '未经复议直接起诉' ? facts.directSuit : category === '复议后起诉' ? facts.suitAfterReview : facts.reconsideration;
  const decided = outcome !== null && outcome !== '尚未审结' && (decidedOn === null || decidedOn <= to);
  const i = decided ? (OUTCOME_INDEX[outcome ?? ''] ?? 2) : 3;
  target[i] = (target[i] ?? 0) + 1;
}

/**
 * The registers' figures for `year` (dates are local YYYY-MM-DD):
 * 规范性文件 issued / repealed in the year and in force on 12月31日; decisions,
 * fees, proposals, projects dated in the year; 复议/诉讼 received in the year,
 * 尚未审结 when not decided by 12月31日.
 */
export async function registerFactsForYear(db: Db, year: number): Promise<RegisterFacts> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const rows = await db.all<RegisterItemRow>(
    `${SELECT} WHERE (kind = 'normative-doc' AND date_on <= ?) OR (kind <> 'normative-doc' AND date_on >= ? AND date_on <= ?)
     ORDER BY date_on, id`,
    [to, from, to],
  );
  const facts = emptyRegisterFacts();
  const appealItems: RegisterItemRow[] = [];
  const inYear = (d: string | null) => d !== null && d >= from && d <= to;
  for (const r of rows) {
    if (r.kind === 'normative-doc') {
      const docs = r.category === '规章' ? facts.rules : facts.normativeDocs;
      if (inYear(r.dateOn)) {
        docs.issued++;
        if (r.category !== '规章') facts.normativeDocTitles.push(r.title);
      }
      if (inYear(r.endOn)) docs.repealed++;
      if (r.endOn === null || r.endOn > to) docs.inForce++;
    } else if (r.kind === 'license') facts.licenses += r.count;
    else if (r.kind === 'enforcement') {
      if (r.category === '行政强制') facts.coercions += r.count;
      else facts.penalties += r.count;
    } else if (r.kind === 'fee') facts.feesYuan += r.amountYuan ?? 0;
    else if (r.kind === 'info-fee') {
      facts.infoFeesYuan += r.amountYuan ?? 0;
      facts.infoFeeCount++;
    } else if (r.kind === 'proposal')
      facts.proposals.push({ category: r.category === '人大建议' ? '人大建议' : '政协提案', title: r.title });
    else if (r.kind === 'project') facts.projects.push({ title: r.title, note: r.note });
    else if (r.kind === 'review') appealItems.push(r);
  }
  // 行政复议 / 行政诉讼 recorded against a disclosure request (disclosure_appeals): the latest entry of each. A register
  // entry that is the same case (entered before the register refused it, or in another year's register) is counted
  // once, through the request, and named in the report's warnings.
  for (const a of await currentAppealsFiledBetween(db, from, to)) countAppeal(facts, a.category, a.outcome, a.decidedOn, to);
  // Matched against linked appeals of any year: one received in another year (its 案号 the same) is counted there.
  const linked = appealItems.length ? (await Promise.all(APPEAL_CATEGORIES.map((c) => currentAppealsOfCategory(db, c)))).flat() : [];
  const mergedAppeals: string[] = [];
  for (const r of appealItems) {
    const entry: RegisterAppeal = { id: r.id, category: r.category, title: r.title, ref: r.ref, dateOn: r.dateOn, note: r.note };
    const same = linked.find((a) => sameAppeal({ category: a.category as never, filedOn: a.filedOn, caseRef: a.caseRef, code: a.code }, entry));
    if (!same) countAppeal(facts, r.category, r.outcome, r.endOn, to);
    else mergedAppeals.push(`${registerAppealText(entry, 'zh')}与申请 ${same.code} 的${same.category}（收到 ${same.filedOn}）是同一案件，表四只按申请的记录计一次。`);
  }
  if (mergedAppeals.length) facts.mergedAppeals = mergedAppeals;
  return facts;
}
