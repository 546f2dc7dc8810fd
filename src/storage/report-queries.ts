import type { Db } from './db.js';
import { CASE_OUTCOMES, caseOutcomeSql, offsetParam, type CaseOutcome, type OutcomeDay } from './case-outcome.js';
import { countIf, julianDay, least, truncateInt } from './sql-fragments.js';

/**
 * Aggregations for the monthly report. A period is given both as local dates
 * (`fromDate` inclusive, `toDate` exclusive: for published_on / deadlines) and
 * as UTC instants (`fromUtc`, `toUtc`: for *_at columns). `offsetMinutes` turns
 * a stored UTC instant into a local date (TIMEZONE's offset; exact for zones
 * without daylight saving such as Asia/Shanghai).
 */
export interface PeriodBounds {
  fromDate: string;
  toDate: string;
  fromUtc: string;
  toUtc: string;
  offsetMinutes: number;
}

export interface CaseCountRow {
  channel: string;
  type: string;
  outcome: CaseOutcome;
  n: number;
}

type PairTable = { table: 'cases' | 'disclosures' | 'ratings'; a: string; b: string };
const PAIRS = {
  caseChannelType: { table: 'cases', a: 'channel', b: 'type' },
  disclosureCategoryChannel: { table: 'disclosures', a: 'category', b: 'channel' },
  ratingLabel: { table: 'ratings', a: 'label', b: 'declined' },
} as const satisfies Record<string, PairTable>;

/**
 * Distinct (a, b) pairs by a loose index scan: one index seek per pair, so a
 * table of a million rows with forty pairs costs forty seeks, not a scan.
 */
export type Pairs = [string, string | number][];

async function distinctPairs(db: Db, t: PairTable): Promise<Pairs> {
  const pairs: [string, string | number][] = [];
  type V = { v: string | number | null };
  let a = (await db.get<V>(`SELECT MIN(${t.a}) AS v FROM ${t.table}`))?.v ?? null;
  while (a !== null) {
    let b = (await db.get<V>(`SELECT MIN(${t.b}) AS v FROM ${t.table} WHERE ${t.a} = ?`, [a]))?.v ?? null;
    while (b !== null) {
      pairs.push([String(a), b]);
      b = (await db.get<V>(`SELECT MIN(${t.b}) AS v FROM ${t.table} WHERE ${t.a} = ? AND ${t.b} > ?`, [a, b]))?.v ?? null;
    }
    a = (await db.get<V>(`SELECT MIN(${t.a}) AS v FROM ${t.table} WHERE ${t.a} > ?`, [a]))?.v ?? null;
  }
  return pairs;
}

/** The pairs the counts iterate over, read once per report and passed to each period's counts. */
export async function reportPairs(db: Db): Promise<{ cases: Pairs; disclosures: Pairs; ratings: Pairs }> {
  return {
    cases: await distinctPairs(db, PAIRS.caseChannelType),
    disclosures: await distinctPairs(db, PAIRS.disclosureCategoryChannel),
    ratings: await distinctPairs(db, PAIRS.ratingLabel),
  };
}

/** Cases received in the period by channel, type and outcome as of `today` (the shared definition, case-outcome.ts). */
export async function caseCounts(db: Db, p: PeriodBounds, today: string, pairs?: Pairs): Promise<CaseCountRow[]> {
  const rows: CaseCountRow[] = [];
  const outcome = caseOutcomeSql(db, offsetParam(p.offsetMinutes), today);
  for (const [channel, type] of pairs ?? (await distinctPairs(db, PAIRS.caseChannelType))) {
    const found = await db.all<{ outcome: CaseOutcome; n: number }>(
      `SELECT outcome, COUNT(*) AS n FROM (
         SELECT ${outcome.sql} AS outcome FROM cases WHERE channel = ? AND type = ? AND received_at >= ? AND received_at < ?
       ) t GROUP BY outcome`,
      [...outcome.params, channel, type, p.fromUtc, p.toUtc],
    );
    const n = Object.fromEntries(found.map((r) => [r.outcome, Number(r.n)]));
    for (const o of CASE_OUTCOMES) if ((n[o] ?? 0) > 0) rows.push({ channel, type: String(type), outcome: o, n: n[o]! });
  }
  return rows;
}

/** How many cases closed in the period, and the earliest local receipt among them (for the working-day table). */
export async function closedInPeriod(db: Db, p: PeriodBounds): Promise<{ n: number; minReceived: string | null }> {
  const row = await db.get<{ n: number; minReceived: string | null }>(
    'SELECT COUNT(*) AS n, MIN(received_at) AS minReceived FROM cases WHERE closed_at >= ? AND closed_at < ?',
    [p.fromUtc, p.toUtc],
  );
  return row ?? { n: 0, minReceived: null };
}

/**
 * Total working days from receipt to closure over cases closed in the period, in one index scan:
 * ord(x) = Mon–Fri days up to x's local day + the calendar's correction (holidays on weekdays −1,
 * 调休 make-up weekend days +1), given as `steps` (UTC instant where the correction changes, and its
 * value from there on; `base` before the first step). Working days of a case = ord(closed) − ord(received).
 */
export async function closeWorkingDays(
  db: Db,
  p: PeriodBounds,
  correction: { base: number; steps: { fromUtc: string; value: number }[] },
): Promise<number> {
  const day = (col: string) => `${truncateInt(db, `${julianDay(db, col)} + 0.5 + ${p.offsetMinutes} / 1440.0`)} + 1`;
  const weekdays = (col: string) => `(((${day(col)}) / 7) * 5 + ${least(db, `(${day(col)}) % 7`, '5')})`;
  // A balanced CASE tree: about log2(steps) comparisons per row instead of one per step.
  const bounds = correction.steps.map((st) => st.fromUtc);
  const values = [correction.base, ...correction.steps.map((st) => st.value)];
  const params: (string | number)[] = [];
  const pick = (col: string, lo: number, hi: number): string => {
    if (lo === hi) return String(values[lo]);
    const mid = Math.ceil((lo + hi) / 2);
    params.push(bounds[mid - 1]!);
    return `(CASE WHEN ${col} >= ? THEN ${pick(col, mid, hi)} ELSE ${pick(col, lo, mid - 1)} END)`;
  };
  const closedFix = pick('closed_at', 0, values.length - 1);
  const receivedFix = pick('received_at', 0, values.length - 1);
  const fix = { closed: closedFix, received: receivedFix };
  const row = await db.get<{ total: number | null }>(
    `SELECT SUM(${weekdays('closed_at')} + ${fix.closed} - ${weekdays('received_at')} - ${fix.received}) AS total
     FROM cases WHERE closed_at >= ? AND closed_at < ?`,
    [...params, p.fromUtc, p.toUtc],
  );
  return row?.total ?? 0;
}

/** Cases received in the period whose citizen could not be reached (flag or state). */
export async function unreachableCount(db: Db, p: PeriodBounds): Promise<number> {
  const row = await db.get<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM cases WHERE unreachable = 1 AND received_at >= ? AND received_at < ?)
          + (SELECT COUNT(*) FROM cases WHERE unreachable = 0 AND state = 'unreachable' AND received_at >= ? AND received_at < ?) AS n`,
    [p.fromUtc, p.toUtc, p.fromUtc, p.toUtc],
  );
  return row?.n ?? 0;
}

/**
 * Ratings given in the period by label, and by the way staff recorded them (ratings.via: 民心网 / 电话回访 / 书面 / 当面;
 * null = the citizen rated in the bot's chat), so the report tells the bot's ratings from the others.
 */
export async function ratingCounts(db: Db, p: PeriodBounds, pairs?: Pairs): Promise<{ label: string; declined: number; via: string | null; n: number }[]> {
  const rows: { label: string; declined: number; via: string | null; n: number }[] = [];
  for (const [label, declined] of pairs ?? (await distinctPairs(db, PAIRS.ratingLabel))) {
    const found = await db.all<{ via: string | null; n: number }>(
      'SELECT via, COUNT(*) AS n FROM ratings WHERE label = ? AND declined = ? AND rated_at >= ? AND rated_at < ? GROUP BY via ORDER BY via',
      [label, declined, p.fromUtc, p.toUtc],
    );
    for (const r of found) if (Number(r.n) > 0) rows.push({ label, declined: Number(declined), via: r.via ?? null, n: Number(r.n) });
  }
  return rows;
}

export interface MessageCounts {
  total: number;
  answered: number;
  helpful: number;
  notHelpful: number;
}

/**
 * Knowledge questions only (intent 'kb'): greetings, menu digits, phone numbers and filing steps are
 * logged under their own intents and are neither answered nor unanswered questions.
 */
export async function messageCounts(db: Db, p: PeriodBounds): Promise<MessageCounts> {
  const row = await db.get<MessageCounts>(
    `SELECT COUNT(*) AS total, COALESCE(SUM(answered), 0) AS answered,
       COALESCE(${countIf(`feedback = 1`)}, 0) AS helpful, COALESCE(${countIf(`feedback = 0`)}, 0) AS notHelpful
     FROM messages WHERE intent = 'kb' AND created_at >= ? AND created_at < ?`,
    [p.fromUtc, p.toUtc],
  );
  return row ?? { total: 0, answered: 0, helpful: 0, notHelpful: 0 };
}

export async function disclosureCounts(db: Db, p: PeriodBounds, pairs?: Pairs): Promise<{ category: string; channel: string; n: number }[]> {
  const rows: { category: string; channel: string; n: number }[] = [];
  for (const [category, channel] of pairs ?? (await distinctPairs(db, PAIRS.disclosureCategoryChannel))) {
    const r = await db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM disclosures WHERE category = ? AND channel = ? AND published_on >= ? AND published_on < ?',
      [category, channel, p.fromDate, p.toDate],
    );
    if (r && r.n > 0) rows.push({ category, channel: String(channel), n: r.n });
  }
  return rows;
}

/** Cases received and disclosures published in each given month (index range counts). */
export async function monthlySeries(db: Db, months: (PeriodBounds & { month: string })[]): Promise<{ month: string; cases: number; disclosures: number }[]> {
  const out: { month: string; cases: number; disclosures: number }[] = [];
  for (const m of months) {
    const r = await db.get<{ cases: number; disclosures: number }>(
      `SELECT (SELECT COUNT(*) FROM cases WHERE received_at >= ? AND received_at < ?) AS cases,
              (SELECT COUNT(*) FROM disclosures WHERE published_on >= ? AND published_on < ?) AS disclosures`,
      [m.fromUtc, m.toUtc, m.fromDate, m.toDate],
    );
    out.push({ month: m.month, cases: r?.cases ?? 0, disclosures: r?.disclosures ?? 0 });
  }
  return out;
}

export interface CaseExportRow {
  code: string;
  type: string;
  channel: string;
  state: string;
  text: string;
  contact: string | null;
  citizenName: string | null;
  assignee: string | null;
  receivedAt: string;
  claimedAt: string | null;
  deadlineOn: string | null;
  extended: number;
  repliedAt: string | null;
  closedAt: string | null;
  unreachable: number;
  rating: string | null;
  applicantType: string | null;
  /** 身份证明 (第二十九条): the caller masks the number (identityForStaff). */
  applicantIdType: string | null;
  applicantIdNumber: string | null;
  /** The deadline is an estimate (calendar of the year not known): the reports say so. */
  deadlineEstimated: number;
  acceptanceNoticeAt: string | null;
  acceptanceNoticeVia: string | null;
  /** 不予处理 / 重复件 and the like: why the case was closed the way the reports count it. */
  closeBasis: string | null;
  duplicateOf: string | null;
  /** 政府信息公开申请: the annual report's table 三 row. */
  disclosureResult: string | null;
  /** 'stars5' (bot) or 'minxin' (民心网), and how the rating was given (phone, 民心网, the bot). */
  ratingScale: string | null;
  ratingVia: string | null;
  /** The shared outcome as of the export's day (case-outcome.ts): what the monthly report counts the case as. */
  outcome: CaseOutcome;
}

/** Every case for `cases export`, oldest first, with its rating label and its outcome on `day`. */
export async function casesForExport(db: Db, day: OutcomeDay): Promise<CaseExportRow[]> {
  const outcome = caseOutcomeSql(db, offsetParam(day.offsetMinutes), day.today);
  return db.all<CaseExportRow>(
    `SELECT c.code, c.type, c.channel, c.state, c.text, c.contact, c.citizen_name AS citizenName, c.assignee,
       c.received_at AS receivedAt, c.claimed_at AS claimedAt, c.deadline_on AS deadlineOn, c.extended,
       c.replied_at AS repliedAt, c.closed_at AS closedAt, c.unreachable, r.label AS rating,
       c.applicant_type AS applicantType, c.applicant_id_type AS applicantIdType, c.applicant_id_number AS applicantIdNumber,
       c.deadline_estimated AS deadlineEstimated, c.acceptance_notice_at AS acceptanceNoticeAt,
       c.acceptance_notice_via AS acceptanceNoticeVia, c.close_basis AS closeBasis, c.duplicate_of AS duplicateOf,
       c.disclosure_result AS disclosureResult, r.scale AS ratingScale, r.via AS ratingVia, ${outcome.sql} AS outcome
     FROM cases c LEFT JOIN ratings r ON r.case_id = c.id ORDER BY c.received_at, c.id`,
    outcome.params,
  );
}
