import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, parseDocument, Scalar, type Document } from 'yaml';
import { AppError } from '../errors.js';
import type { ParsedNotice } from './notice.js';
import { belongsToNotice, calendarOverridesSchema, DEFAULT_CALENDAR_OVERRIDES_PATH } from './sources.js';

export interface ImportResult {
  path: string;
  year: number;
  replaced: boolean;
  /** Days the notice fixes in December of the year before (e.g. 2022-12-31 in the 2023 notice): written with the notice. */
  previousDecember: string[];
  /** Days of any other year: not written. */
  otherYears: string[];
}

/**
 * Writes the notice's year into the override file (keeping its comments), replacing an entry for
 * the same year. The entry holds that year's days and the December days of the year before that the
 * notice fixes (they stay with the notice that set them; see sources.ts). A stray day of another
 * year must not create an entry of its own: an override year replaces the package's data for the
 * whole year, and a year is known only from its own notice.
 */
export function writeNoticeToOverrides(notice: ParsedNotice, path: string = DEFAULT_CALENDAR_OVERRIDES_PATH): ImportResult {
  let doc;
  try {
    doc = parseDocument(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('rules_invalid', `${path}: cannot read calendar overrides: ${(error as Error).message}`, { cause: error });
  }
  if (doc.errors.length > 0) throw new AppError('rules_invalid', `${path}: ${doc.errors[0]!.message}`);
  const key = String(notice.year);
  const own = (d: string) => belongsToNotice(d, notice.year);
  const nameOf = new Map<string, string>();
  for (const b of notice.blocks) for (const d of [...b.days, ...b.workdays]) nameOf.set(d, b.name);
  const entry = {
    source: notice.source,
    holidays: notice.holidays.filter(own).map((date) => ({ date, name: nameOf.get(date)! })),
    workdays: notice.workdays.filter(own).map((date) => ({ date, name: nameOf.get(date)! })),
  };
  const years = doc.get('years');
  if (!isMap(years)) doc.set('years', doc.createNode({}));
  const yearsNode = doc.get('years');
  if (isMap(yearsNode)) yearsNode.flow = false; // `years: {}` in the shipped file is a flow map
  const replaced = doc.hasIn(['years', key]);
  doc.setIn(['years', key], entryNode(doc, entry));
  const check = calendarOverridesSchema.safeParse(doc.toJS());
  if (!check.success) throw new AppError('rules_invalid', `${path}: the file would be invalid: ${check.error.issues[0]?.message}`);
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, doc.toString({ lineWidth: 0 }));
  renameSync(temp, path);
  const all = [...notice.holidays, ...notice.workdays].sort();
  return {
    path,
    year: notice.year,
    replaced,
    previousDecember: all.filter((d) => own(d) && !d.startsWith(`${key}-`)),
    otherYears: all.filter((d) => !own(d)),
  };
}

/** Block style for the year, one flow map per day with the date quoted: `- { date: "2026-02-15", name: 春节 }`. */
function entryNode(doc: Document, entry: { source: string; holidays: { date: string; name: string }[]; workdays: { date: string; name: string }[] }) {
  const day = (d: { date: string; name: string }) => {
    const node = doc.createNode({ date: d.date, name: d.name });
    node.flow = true;
    const date = node.get('date', true) as Scalar;
    date.type = Scalar.QUOTE_DOUBLE;
    return node;
  };
  return doc.createNode({ source: entry.source, holidays: entry.holidays.map(day), workdays: entry.workdays.map(day) });
}
