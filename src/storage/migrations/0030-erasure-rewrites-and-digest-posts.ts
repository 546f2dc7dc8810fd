import type { Migration } from './index.js';

/**
 * erasure_rewrites: the personal tables whose PostgreSQL files may still hold erased bytes: marked by an erase
 * or a purge that blanked or deleted rows in them, cleared when their rewrite (VACUUM FULL) succeeds, kept with
 * the reason when it failed (erased-bytes.ts). In the database, not in one process's memory, so any instance's
 * next purge retries it and every instance's /healthz names it. `generation` grows with every new mark, so a
 * rewrite that started before a newer erase does not clear that erase's mark. Table names and error texts only.
 *
 * digest_posts: one row per daily digest that was posted to staff, with the moment it covered up to; the next
 * digest covers from there (jobs/daily-digest.ts), so a weekend, downtime or a failed post loses nothing.
 * Seeded from the last successful digest run recorded before this migration, so an upgrade continues
 * where the old version stopped.
 */
export const m0030ErasureRewritesAndDigestPosts: Migration = {
  id: 30,
  name: 'erasure-rewrites-and-digest-posts',
  up: `
CREATE TABLE erasure_rewrites (
  table_name TEXT PRIMARY KEY,
  generation INTEGER NOT NULL,
  marked_at TEXT NOT NULL,
  problem TEXT,
  failed_at TEXT
);
CREATE TABLE digest_posts (
  id INTEGER PRIMARY KEY,
  covered_until TEXT NOT NULL,
  posted_at TEXT NOT NULL
);
CREATE INDEX digest_posts_covered ON digest_posts (covered_until);
INSERT INTO digest_posts (covered_until, posted_at)
  SELECT MAX(scheduled_for), MAX(COALESCE(finished_at, started_at)) FROM job_runs
  WHERE job = 'daily-digest' AND status = 'ok' HAVING COUNT(*) > 0;
`,
};
