import { existsSync, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './db.js';

/**
 * SQLite's own check of a database file (`PRAGMA integrity_check`), for a backup about to be restored:
 * null when the file is sound, else SQLite's first complaint. PostgreSQL checks its own pages; there it is null.
 */
export async function sqliteIntegrityProblem(db: Db): Promise<string | null> {
  if (db.dialect !== 'sqlite') return null;
  const check = await db.get<{ integrity_check: string }>('PRAGMA integrity_check');
  return check?.integrity_check === 'ok' ? null : (check?.integrity_check ?? 'no answer from integrity_check');
}

/**
 * Kernel file systems that hold no files a program may create or keep (statfs f_type): /proc, /sys and their kin. A
 * database path on one of them fails at the first write (or, for some of their entries, blocks on a read), never
 * with a message that says what to do.
 */
const PSEUDO_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2',
  0x73636673: 'securityfs', 0xcafe4a11: 'bpf', 0x6165676c: 'pstore', 0x62656570: 'configfs', 0x1cd1: 'devpts', 0x42494e4d: 'binfmt_misc',
};

/** What a file that is not a regular file is, for the message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Why `path` cannot be a SQLite database file, in one line saying what to do, or null: it must be a regular file, or
 * not exist yet in a folder on a real file system (not /proc, /sys …: SQLite and the instance's `.pid` file beside it
 * could never be written there). Checked before anything opens it, so such a DATABASE_PATH stops the start (and the
 * CLI) at once instead of failing later on a bare ENOENT or hanging on a kernel file.
 */
export function sqliteFileProblem(path: string): string | null {
  if (path === ':memory:') return null;
  const fix = 'set DATABASE_PATH to a file in a folder on a disk the service user may write (the default is data/civicdesk.db).';
  let existing: Stats | null = null;
  try {
    existing = statSync(path);
  } catch {
    existing = null; // not there yet: SQLite creates it
  }
  if (existing && !existing.isFile()) return `DATABASE_PATH: ${path} is ${kindOf(existing)}, not a database file: ${fix}`;
  // The nearest folder that exists (a missing one is created later) tells which file system the file would be on.
  let folder = dirname(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  let type: number | null = null;
  try {
    type = statfsSync(folder).type;
  } catch {
    type = null; // statfs unsupported here: the open reports what fails
  }
  const pseudo = type === null ? undefined : PSEUDO_FILE_SYSTEMS[type];
  return pseudo ? `DATABASE_PATH: ${path} is on ${folder}, a ${pseudo} kernel file system that cannot hold a database: ${fix}` : null;
}
