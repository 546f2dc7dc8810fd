import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, parseDocument, Scalar, type Document } from 'yaml';
import { AppError } from '../errors.js';
import type { ParsedNotice } from './notice.js';
import { calendarOverridesSchema, DEFAULT_CALENDAR_OVERRIDES_PATH } from './sources.js';

export interface ImportResult {
  path: string;
  year: number;
  replaced: boolean;
  /** Days of a block that fall in another year (e.g. 2022-12-31 in the 2023 notice): not written. */
  otherYears: string[];
}

/**
 * Writes the notice's year into the override file (keeping its comments), replacing an entry for
 * the same year. Only that year's days are written: an override year replaces the package's data for
 * the whole year, so a stray day of a neighbouring year must not create an entry of its own.
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
  const own = (d: string) => d.startsWith(`${key}-`);
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
  return { path, year: notice.year, replaced, otherYears: [...notice.holidays, ...notice.workdays].filter((d) => !own(d)) };
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
