import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { DisclosureInput } from '../storage/disclosures-repo.js';

const isRealDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
};

/** Excel's day 0 of the 1900 date system (serial 25569 is 1970-01-01), in milliseconds. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * A date as Excel writes it back after the exported CSV was opened and saved in a Chinese locale — 2026/3/5,
 * 2026-3-5, 2026年3月5日 (an optional time of day after it), or a bare serial day number such as 46090 — turned
 * into YYYY-MM-DD; anything else is left as it is for the checks below to refuse.
 */
export function normaliseSpreadsheetDate(value: string): string {
  const v = value.trim();
  const ymd = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/u.exec(v);
  if (ymd) return `${ymd[1]}-${ymd[2]!.padStart(2, '0')}-${ymd[3]!.padStart(2, '0')}`;
  // Five digits are a serial day from 1927 to 2173; a year written alone (four digits) is not taken for one.
  if (/^\d{5}$/.test(v)) return new Date(EXCEL_EPOCH_MS + Number(v) * DAY_MS).toISOString().slice(0, 10);
  return v;
}

/** One row of a disclosures CSV (columns title, category, channel, published_on, url). */
const isoDate = z.preprocess(
  (v) => (typeof v === 'string' ? normaliseSpreadsheetDate(v) : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-05, 2026/3/5 or 2026年3月5日')
    .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || isRealDate(d), 'is not a real date'),
);

/** The apostrophe our own export puts before a formula-looking cell (csv-out.ts) is not part of the text. */
const unguarded = (v: unknown) => (typeof v === 'string' ? v.replace(/^'(?=\s*[=+\-@\t\r])/, '') : v);
const text = (max: number) => z.preprocess(unguarded, z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`));

export const disclosureRowSchema = z.object({
  title: text(300),
  category: text(50),
  channel: text(50),
  published_on: isoDate,
  url: z
    .string()
    .trim()
    .optional()
    .transform((u) => (u ? u.replace(/^https?(?=:\/\/)/i, (scheme) => scheme.toLowerCase()) : null))
    .refine((u) => u === null || /^https?:\/\/\S+$/.test(u), 'must be an http(s) URL or empty'),
});

export const DISCLOSURE_COLUMNS = ['title', 'category', 'channel', 'published_on', 'url'] as const;

/**
 * Parse and validate a whole file; throws one AppError('import_invalid') that
 * lists every problem as `FILE:LINE: column: message` (nothing is imported).
 */
export function parseDisclosureCsv(text: string, file: string, createdBy: string): DisclosureInput[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), info: true, skip_empty_lines: true, trim: true }) as never;
  } catch (error) {
    throw new AppError('import_invalid', `${file}: not a readable CSV file: ${(error as Error).message}`, { cause: error });
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const missing = DISCLOSURE_COLUMNS.filter((c) => c !== 'url' && !header.includes(c));
  if (records.length > 0 && missing.length > 0)
    throw new AppError('import_invalid', `${file}:1: missing column(s) ${missing.join(', ')}; the header must be ${DISCLOSURE_COLUMNS.join(',')}`);
  const problems: string[] = [];
  const rows: DisclosureInput[] = [];
  for (const { record, info } of records) {
    const result = disclosureRowSchema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${file}:${info.lines}: ${String(issue.path[0] ?? 'row')}: ${issue.message}`);
      continue;
    }
    const r = result.data;
    rows.push({ title: r.title, category: r.category, channel: r.channel, publishedOn: r.published_on, url: r.url, createdBy });
  }
  if (problems.length > 0)
    throw new AppError('import_invalid', `Nothing was imported: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`, { details: problems });
  return rows;
}
