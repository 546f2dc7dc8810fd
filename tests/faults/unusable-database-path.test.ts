import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/postgres.js';

/**
 * Review 18b, B7: a DATABASE_PATH or LOG_FILE the service cannot use stopped the start with a bare errno line
 * ("EACCES: permission denied, mkdir '/var/lib/civicdesk'", "EEXIST: file already exists, mkdir …") that named
 * neither variable. Now one line names the variable, the path, why, and what to do. (The suite runs as root here,
 * where no permission is ever denied: a file in the way of the folder gives the same failure.)
 */
const start = (env: Record<string, string>, as?: { uid: number; gid: number }) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, KNOWLEDGE_DIR: 'knowledge', TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '', PORT: '0', LOG_FILE: '', ...env },
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
    ...as,
  });

/** Root may write anywhere: the folder is then made by root and the bot started as nobody (uid 65534). */
const asRoot = process.getuid?.() === 0;

describe.skipIf(onPostgres)('npm start with a DATABASE_PATH or LOG_FILE it cannot use', () => {
  it('DATABASE_PATH under a file: exits 1 with one line naming DATABASE_PATH, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-dbpath-'));
    writeFileSync(join(dir, 'hostname'), 'x');
    const run = start({ DATABASE_PATH: join(dir, 'hostname', 'civicdesk.db') });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `DATABASE_PATH: cannot create the folder ${join(dir, 'hostname')} (a file is in the way: a part of ${join(dir, 'hostname')} is a file, not a folder): create it and give the service user write access, or set DATABASE_PATH to a file in a folder it may write.`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at |EEXIST/);
  });

  it('the default log file beside the database cannot be written: names LOG_FILE and says where the default is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-logfile-'));
    mkdirSync(join(dir, 'civicdesk.log'));
    const run = start({ DATABASE_PATH: join(dir, 'civicdesk.db') });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `LOG_FILE: cannot write the log file ${join(dir, 'civicdesk.log')} (not set: the default is civicdesk.log in the database's folder) (it is a folder, not a file): give the service user write access there, or set LOG_FILE to a file it may write.`,
    );
  });

  it('LOG_FILE set to a path under a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-logfile-'));
    writeFileSync(join(dir, 'logs'), 'x');
    const run = start({ DATABASE_PATH: join(dir, 'civicdesk.db'), LOG_FILE: join(dir, 'logs', 'bot.log') });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^LOG_FILE: cannot write the log file .*logs\/bot\.log \(a file is in the way: .*\): give the service user write access there, or set LOG_FILE to a file it may write\.$/);
  });

  it('a DATABASE_PATH folder that exists but may not be written: names DATABASE_PATH and the folder, not LOG_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-rodata-'));
    const data = join(dir, 'data');
    mkdirSync(data);
    let as: { uid: number; gid: number } | undefined;
    let env: Record<string, string> = {};
    if (asRoot) {
      // nobody must reach the folder (the run's temp folders are 0700) and have a temp folder for tsx's cache.
      for (let path = dir; path !== tmpdir() && path.startsWith(tmpdir()); path = join(path, '..')) chmodSync(path, 0o755);
      chmodSync(tmpdir(), 0o711);
      const scratch = join(dir, 'tmp');
      mkdirSync(scratch, { mode: 0o1777 });
      chmodSync(scratch, 0o1777);
      as = { uid: 65534, gid: 65534 };
      env = { TMPDIR: scratch };
    } else {
      chmodSync(data, 0o555);
    }
    const run = start({ DATABASE_PATH: join(data, 'civicdesk.db'), ...env }, as);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `DATABASE_PATH: the folder ${data} cannot be written (permission denied): give the service user write access to it (e.g. sudo chown -R $USER ${data}), or set DATABASE_PATH to a file in a folder it may write.`,
    );
  });

  const FIX = 'set DATABASE_PATH to a file in a folder on a disk the service user may write (the default is data/civicdesk.db).';

  it.skipIf(process.platform !== 'linux')('DATABASE_PATH under /proc: exits 1 at once with one line saying what to do (before, a bare ENOENT on its .pid file)', () => {
    const run = start({ DATABASE_PATH: '/proc/civicdesk.db' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`DATABASE_PATH: /proc/civicdesk.db is on /proc, a proc kernel file system that cannot hold a database: ${FIX}`);
    expect(run.stderr).not.toMatch(/\n\s+at |ENOENT/);
  });

  it('DATABASE_PATH naming a named pipe or a folder: not a database file, said in one line; nothing waits on the pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-fifo-'));
    const fifo = join(dir, 'civicdesk.db');
    execFileSync('mkfifo', [fifo]);
    const run = start({ DATABASE_PATH: fifo });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`DATABASE_PATH: ${fifo} is a named pipe, not a database file: ${FIX}`);
    const folder = start({ DATABASE_PATH: dir });
    expect(folder.stderr.trim().split('\n').at(-1)).toBe(`DATABASE_PATH: ${dir} is a folder, not a database file: ${FIX}`);
  });

  it.skipIf(process.platform !== 'linux')('the CLI says the same for a path under /proc', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'cases', 'list', 'overdue'], {
      env: { ...process.env, DATABASE_PATH: '/proc/civicdesk.db' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`DATABASE_PATH: /proc/civicdesk.db is on /proc, a proc kernel file system that cannot hold a database: ${FIX}`);
  });
});
