/**
 * Whether a database location is a PostgreSQL URL. Apart from pg-db.ts so that deciding needs no `pg`:
 * a SQLite start never loads the PostgreSQL driver (~0.1–0.4 s of a start, measured by CPU profile).
 */
export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);
