import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Vitest global setup: every temporary folder a test makes (os.tmpdir(), read from TMPDIR on each call, and child
 * processes, which inherit it) goes under one folder for this run, removed when the run ends. Test files make their
 * own folders and many leave them behind when they finish; without this a developer's /tmp gained ~100,000
 * civicdesk-* folders over the project's life.
 */
const RUN_PREFIX = 'civicdesk-test-run-';

export default function setup(): () => void {
  // Each vitest project runs its global setup: the second finds the first's folder already in place.
  if (basename(tmpdir()).startsWith(RUN_PREFIX)) return () => undefined;
  const root = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
