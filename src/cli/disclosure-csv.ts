import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { DisclosureInput } from '../storage/disclosures-repo.js';

const isRealDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
};

/** One row of a disclosures CSV (columns title, category, channel, published_on, url). */
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || isRealDate(d), 'is not a real date');

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
    .transform((u) => (u ? u : null))
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
