import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

/**
 * A cell Excel/WPS would run as a formula: it starts (after blanks) with =, +, -, @, TAB or CR. Citizen text and
 * staff-typed titles land in these cells, so "=HYPERLINK(…)" in a parent's message must stay text (OWASP "CSV
 * injection"). A plain signed number and a lone dash placeholder are not formulas and are left as they are.
 */
const FORMULA_START = /^[\s]*[=+\-@\t\r]/;
const PLAIN = /^[+-]?\d+(?:\.\d+)?$|^-+$/;

/** The cell as written: a leading apostrophe keeps a formula-looking string text in spreadsheets. */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) && !PLAIN.test(value.trim()) ? `'${value}` : value;
}

/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (so Chinese shows
 * correctly), CRLF line ends, every field quoted when needed, and no cell that
 * a spreadsheet would run as a formula.
 */
export function toCsv(records: (string | number | null)[][]): string {
  return stringify(records, { bom: true, record_delimiter: 'windows', cast: { string: spreadsheetSafe } });
}

/** Writes to `file` when given, else to stdout. */
export function writeCsv(records: (string | number | null)[][], out: NodeJS.WritableStream, file?: string): void {
  const text = toCsv(records);
  if (file) writeFileSync(file, text);
  else out.write(text);
}
