import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (so Chinese shows
 * correctly), CRLF line ends, every field quoted when needed.
 */
export function toCsv(records: (string | number | null)[][]): string {
  return stringify(records, { bom: true, record_delimiter: 'windows' });
}

/** Writes to `file` when given, else to stdout. */
export function writeCsv(records: (string | number | null)[][], out: NodeJS.WritableStream, file?: string): void {
  const text = toCsv(records);
  if (file) writeFileSync(file, text);
  else out.write(text);
}
