import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { recordAudit } from '../storage/audit-repo.js';
import { openDb } from '../storage/db.js';
import { runningInstance } from '../storage/instance-lock.js';
import { migrate } from '../storage/migrate.js';
import { openStore } from '../storage/open-store.js';
import type { CliGroup } from './types.js';

const usage = `Usage: npm run cli -- db backup FILE [--force]
       npm run cli -- db restore FILE
       npm run cli -- db migrate
  backup   copies DATABASE_PATH into FILE with SQLite's online backup (safe while CivicDesk runs);
           refuses to overwrite FILE unless --force
  restore  replaces DATABASE_PATH with the backup FILE (the bot must be stopped); the current database is
           kept as DATABASE_PATH.before-restore-<time>
  migrate  applies pending migrations and exits`;

const group: CliGroup = {
  summary: 'db backup FILE | db restore FILE | db migrate: backups of the SQLite database, migrations',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    let parsed: { values: { force?: boolean }; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: { force: { type: 'boolean' } }, allowPositionals: true });
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    const config = parseConfig(io.env);
    if (sub === 'migrate') {
      const db = await openStore(config.DATABASE_PATH);
      await db.close();
      io.stdout.write(`Database ${config.DATABASE_PATH} is up to date.\n`);
      return 0;
    }
    if (sub === 'restore') {
      const [file] = parsed.positionals;
      if (!file || parsed.positionals.length > 1) throw new AppError('cli_usage', `db restore takes exactly one FILE.\n${usage}`);
      io.stdout.write(`${await restore(file, config.DATABASE_PATH)}\n`);
      return 0;
    }
    if (sub !== 'backup') throw new AppError('cli_usage', sub ? `Unknown db command "${sub}".\n${usage}` : usage);
    const [file] = parsed.positionals;
    if (!file || parsed.positionals.length > 1) throw new AppError('cli_usage', `db backup takes exactly one FILE.\n${usage}`);
    if (resolve(file) === resolve(config.DATABASE_PATH))
      throw new AppError('cli_usage', `The backup file must differ from the database itself (${config.DATABASE_PATH}).`);
    if (existsSync(file) && !parsed.values.force)
      throw new AppError('cli_usage', `${file} already exists; choose another name or pass --force to overwrite it.`);
    const db = await openStore(config.DATABASE_PATH);
    try {
      await db.backup(file);
      await recordAudit(db, { actor: 'cli', action: 'db.backup', subject: file });
    } finally {
      await db.close();
    }
    io.stdout.write(`Backed up ${config.DATABASE_PATH} to ${file}.\n`);
    return 0;
  },
};

/** Checks the backup, keeps the current database aside, then copies the backup into place. */
async function restore(file: string, dbPath: string): Promise<string> {
  if (!existsSync(file)) throw new AppError('cli_usage', `Backup file ${file} does not exist.`);
  if (resolve(file) === resolve(dbPath)) throw new AppError('cli_usage', `${file} is the database itself.`);
  const pid = runningInstance(dbPath);
  if (pid !== null)
    throw new AppError(
      'storage_failed',
      `CivicDesk (pid ${pid}) is running on ${dbPath}; stop it first (e.g. systemctl stop civicdesk), then restore.`,
    );
  let backup: Awaited<ReturnType<typeof openDb>> | undefined;
  try {
    backup = await openDb(file);
    const check = await backup.get<{ integrity_check: string }>('PRAGMA integrity_check');
    if (check?.integrity_check !== 'ok') throw new AppError('storage_failed', `${file} is damaged: ${check?.integrity_check}`);
    // Applies nothing new to a backup made by this version; refuses one from a newer version.
    await migrate(backup);
    await backup.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } catch (error) {
    if (error instanceof AppError && error.code === 'migration_mismatch') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('storage_failed', `${file} is not a usable CivicDesk database backup; nothing was changed. (${reason})`);
  } finally {
    await backup?.close();
  }
  let kept = '';
  if (existsSync(dbPath)) {
    kept = `${dbPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const current = await openDb(dbPath);
    await current.backup(kept);
    await current.close();
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  copyFileSync(file, dbPath);
  return `Restored ${dbPath} from ${file}.${kept ? ` The previous database is kept as ${kept}.` : ''}`;
}

export default group;
