import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { recordAudit } from '../storage/audit-repo.js';
import { openDb } from '../storage/db.js';
import { runningInstance } from '../storage/instance-lock.js';
import { copySqliteToPostgres } from '../storage/copy-db.js';
import { migrate } from '../storage/migrate.js';
import { isPostgresUrl, pgDumpAdvice, redactUrl } from '../storage/pg-db.js';
import { openStore } from '../storage/open-store.js';
import { sqliteIntegrityProblem } from '../storage/sqlite-file.js';
import { journalEntries, keepJournalEntries, readErasures, writeErasures } from '../storage/erasure-journal.js';
import { reapplyErasures } from '../storage/reapply-erasures.js';
import { sampleOfTexts } from '../core/gaps/erase.js';
import { purgeExpired, type RetentionPolicy } from '../core/privacy/retention.js';
import type { CliGroup } from './types.js';

const usage = `Usage: npm run cli -- db backup FILE [--force]
       npm run cli -- db restore FILE [--force]
       npm run cli -- db migrate
       npm run cli -- db copy --to postgres://USER:PASSWORD@HOST:5432/DATABASE
  backup   copies DATABASE_PATH into FILE with SQLite's online backup (safe while CivicDesk runs);
           refuses to overwrite FILE unless --force
  restore  replaces DATABASE_PATH with the backup FILE (the bot must be stopped); the current database is
           kept as DATABASE_PATH.before-restore-<time>. Then every "删除我的数据" in the erasure journal
           (DATABASE_PATH.erasures) is applied again and data past its retention time is purged, so nothing
           erased since the backup comes back. Refuses when the current database records erasures after the
           backup that the journal does not hold (made by a version without it) unless --force
  migrate  applies pending migrations and exits
  copy     copies the SQLite database (DATABASE_PATH) into an empty PostgreSQL database, checking the row
           count of every table (the bot must be stopped); then set DATABASE_URL to that database
  export-erasures FILE / reapply-erasures FILE
           PostgreSQL only, around a pg_restore: export writes the database's erasure journal (no personal data) to
           FILE before the restore; reapply erases again every chat FILE names that the restored database holds
           whole, puts the lines back into its journal and purges data past its retention time
  On PostgreSQL (DATABASE_URL), backup prints the pg_dump command to run instead, and restore prints the procedure
  (export-erasures, pg_restore, reapply-erasures).`;

const group: CliGroup = {
  summary: 'db backup FILE | db restore FILE | db migrate | db copy --to URL | db export-erasures / reapply-erasures FILE: backups, restores, migrations, PostgreSQL',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    let parsed: { values: { force?: boolean; to?: string }; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: { force: { type: 'boolean' }, to: { type: 'string' } }, allowPositionals: true });
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
    if (sub === 'copy') {
      if (!parsed.values.to || parsed.positionals.length > 0) throw new AppError('cli_usage', `db copy takes --to URL only.\n${usage}`);
      return copyToPostgres(config.DATABASE_PATH, parsed.values.to, io);
    }
    if (sub === 'backup' && isPostgresUrl(config.DATABASE_PATH)) {
      const [file] = parsed.positionals;
      io.stdout.write(`${pgDumpAdvice(config.DATABASE_PATH, file ?? 'civicdesk.dump')}\n`);
      return 0;
    }
    if (sub === 'restore' && isPostgresUrl(config.DATABASE_PATH)) throw new AppError('cli_usage', PG_RESTORE_PROCEDURE);
    if (sub === 'export-erasures' || sub === 'reapply-erasures') {
      const [file] = parsed.positionals;
      if (!file || parsed.positionals.length > 1) throw new AppError('cli_usage', `db ${sub} takes exactly one FILE.\n${usage}`);
      if (!isPostgresUrl(config.DATABASE_PATH))
        throw new AppError(
          'cli_usage',
          `db ${sub} is for PostgreSQL (DATABASE_URL). On SQLite the erasure journal is the file ${config.DATABASE_PATH}.erasures, and db restore applies it.`,
        );
      const retention = { messageDays: config.RETENTION_MESSAGE_DAYS, caseDays: config.RETENTION_CASE_DAYS, conversationDays: config.RETENTION_CONVERSATION_DAYS };
      io.stdout.write(`${sub === 'export-erasures' ? await exportErasures(config.DATABASE_PATH, file) : await reapplyFromFile(config.DATABASE_PATH, file, retention)}\n`);
      return 0;
    }
    if (sub === 'restore') {
      const [file] = parsed.positionals;
      if (!file || parsed.positionals.length > 1) throw new AppError('cli_usage', `db restore takes exactly one FILE.\n${usage}`);
      const retention = { messageDays: config.RETENTION_MESSAGE_DAYS, caseDays: config.RETENTION_CASE_DAYS, conversationDays: config.RETENTION_CONVERSATION_DAYS };
      io.stdout.write(`${await restore(file, config.DATABASE_PATH, { force: parsed.values.force ?? false, retention })}\n`);
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
      await recordAudit(db, { actor: 'cli', action: 'db.backup', subject: file, at: new Date() });
    } finally {
      await db.close();
    }
    io.stdout.write(`Backed up ${config.DATABASE_PATH} to ${file}.\n`);
    return 0;
  },
};

async function copyToPostgres(sourcePath: string, url: string, io: Parameters<CliGroup['run']>[1]): Promise<number> {
  if (isPostgresUrl(sourcePath))
    throw new AppError('cli_usage', 'db copy reads the SQLite database at DATABASE_PATH; unset DATABASE_URL while copying.');
  if (!isPostgresUrl(url)) throw new AppError('cli_usage', `--to must be a postgres:// URL (got "${url}").`);
  if (!existsSync(sourcePath)) throw new AppError('cli_usage', `There is no SQLite database at ${sourcePath} to copy.`);
  const pid = runningInstance(sourcePath);
  if (pid !== null)
    throw new AppError('storage_failed', `CivicDesk (pid ${pid}) is running on ${sourcePath}; stop it first so the copy is complete.`);
  const source = await openStore(sourcePath, { sqliteFile: true });
  try {
    const target = await openStore(url);
    try {
      const counts = await copySqliteToPostgres(source, target);
      const width = Math.max(...counts.map((c) => c.table.length), 5);
      io.stdout.write(`${'table'.padEnd(width)}  rows (SQLite = PostgreSQL)\n`);
      for (const c of counts) io.stdout.write(`${c.table.padEnd(width)}  ${c.source}\n`);
      io.stdout.write(`Copied ${sourcePath} into ${redactUrl(url)}; every table's row count matches. Set DATABASE_URL to use it.\n`);
      await recordAudit(target, { actor: 'cli', action: 'db.copy', subject: sourcePath, at: new Date() });
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
  return 0;
}

/** Erasures the current database records (audit_log) after `since` whose time the journal does not hold. */
/**
 * Why `db restore` does not restore PostgreSQL: the bureau's pg_restore does (CivicDesk ships no PostgreSQL client
 * and holds no superuser password, and only the operator can stop the instances on every machine); CivicDesk keeps
 * the erasures made since the dump from coming back, around it.
 */
const PG_RESTORE_PROCEDURE =
  'On PostgreSQL, CivicDesk does not restore the database itself: a pg_dump file is restored with pg_restore, and the ' +
  '"删除我的数据" erasures made since the dump must be applied again. Nothing was changed. Stop CivicDesk on every machine, then:\n' +
  '  1. npm run cli -- db export-erasures erasures.jsonl   (the erasure journal of the current database; no personal data)\n' +
  '  2. pg_restore --clean --no-owner -d "$DATABASE_URL" FILE\n' +
  '  3. npm run cli -- db reapply-erasures erasures.jsonl  (erases those chats again, purges data past its retention time)\n' +
  'Then start CivicDesk. See docs/DEPLOY.md, "Restoring a backup".';

/** `db export-erasures FILE` (PostgreSQL): the journal to carry over a pg_restore, and erasures it cannot hold. */
async function exportErasures(url: string, file: string): Promise<string> {
  if (existsSync(file)) throw new AppError('cli_usage', `${file} already exists; choose another name (it must hold this database's journal only).`);
  const db = await openStore(url);
  try {
    const entries = await journalEntries(db);
    writeErasures(file, entries);
    const journaled = new Set(entries.map((e) => e.at));
    const older = (await db.all<{ at: string }>("SELECT at FROM audit_log WHERE action = 'erase-personal-data' ORDER BY at"))
      .map((r) => r.at)
      .filter((at) => !journaled.has(at));
    return (
      `Wrote ${entries.length} erasure(s) to ${file}. Keep it until \`db reapply-erasures ${file}\` has run on the restored database.` +
      (older.length > 0
        ? ` Warning: ${older.length} erasure(s) were made before this version kept the journal (${older.slice(0, 5).join(', ')}${older.length > 5 ? ', …' : ''}): ` +
          'a dump older than them brings those chats back; restore a dump made after them, or anonymise again by hand the cases ' +
          'whose anonymised_at is one of those times in the current database (docs/DEPLOY.md, "Restoring a backup").'
        : '')
    );
  } finally {
    await db.close();
  }
}

/** `db reapply-erasures FILE` (PostgreSQL, after pg_restore): the SQLite restore's last steps, from the exported journal. */
async function reapplyFromFile(url: string, file: string, retention: RetentionPolicy): Promise<string> {
  if (!existsSync(file)) throw new AppError('cli_usage', `${file} does not exist: give the file db export-erasures wrote before the restore.`);
  const entries = readErasures(file); // a damaged file stops here, before anything changes
  const db = await openStore(url);
  try {
    const now = new Date();
    const again = await reapplyErasures(db, file, now, { sampleOfTexts });
    const kept = await keepJournalEntries(db, entries);
    const purged = await purgeExpired(db, retention, now);
    await recordAudit(db, { actor: 'cli', action: 'db.reapply-erasures', subject: file, detail: { erasedAgain: again.chats, journalLines: kept, anonymisedCases: purged.cases }, at: now });
    const problem = again.diskProblem ?? purged.diskProblem;
    return (
      `Erasures applied again from ${file}: ${again.chats} chat(s) (${again.entries} journal line(s), ${kept} put back into the journal); ` +
      `past retention: ${purged.cases} case(s) anonymised, ${purged.messageTexts} message text(s) cleared.` +
      (problem ? ` Warning: ${problem}` : '')
    );
  } finally {
    await db.close();
  }
}

async function unjournaledErasures(dbPath: string, since: string, journaled: ReadonlySet<string>): Promise<string[]> {
  if (!existsSync(dbPath)) return [];
  let current: Awaited<ReturnType<typeof openDb>> | undefined;
  try {
    current = await openDb(dbPath, { sqliteFile: true });
    const rows = await current.all<{ at: string }>("SELECT at FROM audit_log WHERE action = 'erase-personal-data' AND at > ? ORDER BY at", [since]);
    return rows.map((r) => r.at).filter((at) => !journaled.has(at));
  } catch {
    return []; // a damaged database cannot be read: the journal is all there is
  } finally {
    await current?.close().catch(() => undefined);
  }
}

/**
 * Checks the backup, keeps the current database aside, copies the backup into place, then erases again every chat
 * erased since (the erasure journal) and purges what is past its retention time.
 */
async function restore(file: string, dbPath: string, options: { force: boolean; retention: RetentionPolicy }): Promise<string> {
  if (!existsSync(file)) throw new AppError('cli_usage', `Backup file ${file} does not exist.`);
  if (resolve(file) === resolve(dbPath)) throw new AppError('cli_usage', `${file} is the database itself.`);
  const pid = runningInstance(dbPath);
  if (pid !== null)
    throw new AppError(
      'storage_failed',
      `CivicDesk (pid ${pid}) is running on ${dbPath}; stop it first (e.g. systemctl stop civicdesk), then restore.`,
    );
  const journal = `${dbPath}.erasures`;
  const erasures = readErasures(journal); // a damaged journal stops the restore before anything changes
  let backup: Awaited<ReturnType<typeof openDb>> | undefined;
  let backupUntil = '';
  try {
    // A backup is a SQLite file (the PostgreSQL test run would otherwise open a schema under its name).
    backup = await openDb(file, { sqliteFile: true });
    const problem = await sqliteIntegrityProblem(backup);
    if (problem !== null) throw new AppError('storage_failed', `${file} is damaged: ${problem}`);
    // Applies nothing new to a backup made by this version; refuses one from a newer version.
    await migrate(backup);
    await backup.checkpoint?.(); // the whole backup in the one file that is copied into place
    backupUntil = (await backup.get<{ at: string | null }>('SELECT MAX(at) AS at FROM audit_log'))?.at ?? '';
  } catch (error) {
    if (error instanceof AppError && error.code === 'migration_mismatch') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('storage_failed', `${file} is not a usable CivicDesk database backup; nothing was changed. (${reason})`);
  } finally {
    await backup?.close();
  }
  const missing = await unjournaledErasures(dbPath, backupUntil, new Set(erasures.map((e) => e.at)));
  if (missing.length > 0 && !options.force)
    throw new AppError(
      'cli_usage',
      `${dbPath} records ${missing.length} "删除我的数据" erasure(s) made after this backup (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}) ` +
        `that the erasure journal ${journal} does not hold (made before this version kept it), so they cannot be applied again: ` +
        `restoring would bring those parents' data back. Nothing was changed. Restore a backup made after them, or pass --force ` +
        `and erase those chats again by hand (docs/DEPLOY.md, "Restoring a backup").`,
    );
  let kept = '';
  if (existsSync(dbPath)) {
    kept = `${dbPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const current = await openDb(dbPath);
    await current.backup(kept);
    await current.close();
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  copyFileSync(file, dbPath);
  const restored = await openStore(dbPath);
  let after: string;
  try {
    const now = new Date();
    const again = await reapplyErasures(restored, journal, now, { sampleOfTexts });
    const purged = await purgeExpired(restored, options.retention, now);
    await recordAudit(restored, { actor: 'cli', action: 'db.restore', subject: file, detail: { erasedAgain: again.chats, anonymisedCases: purged.cases }, at: now });
    after =
      ` Erasures applied again from ${journal}: ${again.chats} chat(s) (${again.entries} journal line(s)); past retention: ` +
      `${purged.cases} case(s) anonymised, ${purged.messageTexts} message text(s) cleared.` +
      (again.diskProblem ?? purged.diskProblem ? ` Warning: ${again.diskProblem ?? purged.diskProblem}` : '') +
      (missing.length > 0 ? ` Forced: ${missing.length} erasure(s) recorded after the backup were NOT applied again (${missing.join(', ')}); erase those chats by hand.` : '');
  } finally {
    await restored.close();
  }
  return `Restored ${dbPath} from ${file}.${kept ? ` The previous database is kept as ${kept}.` : ''}${after}`;
}

export default group;
