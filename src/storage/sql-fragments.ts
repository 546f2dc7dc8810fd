import type { Db } from './db.js';

/**
 * SQL fragments that differ between SQLite and PostgreSQL, for the few
 * queries that need date arithmetic. Stored instants are ISO-8601 UTC text;
 * dates are YYYY-MM-DD text on both engines.
 */

/** Rows where `condition` holds (SQLite sums a comparison; PostgreSQL cannot sum a boolean). */
export const countIf = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/** The YYYY-MM-DD date of the ISO instant `expr` shifted by `minutesParam` (a placeholder bound to e.g. '+480 minutes'). */
export function shiftedDate(db: Db, expr: string, minutesParam: string): string {
  return db.dialect === 'postgres'
    ? `to_char((CAST(${expr} AS timestamptz) AT TIME ZONE 'UTC') + CAST(${minutesParam} AS interval), 'YYYY-MM-DD')`
    : `date(${expr}, ${minutesParam})`;
}

/** The Julian day number (with fraction) of the ISO instant `expr`, as SQLite's julianday(). */
export function julianDay(db: Db, expr: string): string {
  return db.dialect === 'postgres' ? `(EXTRACT(EPOCH FROM CAST(${expr} AS timestamptz)) / 86400.0 + 2440587.5)` : `julianday(${expr})`;
}

/** Truncates a non-negative number to an integer (SQLite's CAST AS INTEGER; PostgreSQL's cast rounds). */
export function truncateInt(db: Db, expr: string): string {
  return db.dialect === 'postgres' ? `CAST(FLOOR(${expr}) AS BIGINT)` : `CAST(${expr} AS INTEGER)`;
}

/** The smaller of two values (SQLite's two-argument MIN). */
export const least = (db: Db, a: string, b: string) => (db.dialect === 'postgres' ? `LEAST(${a}, ${b})` : `MIN(${a}, ${b})`);

