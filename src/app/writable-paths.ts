import { accessSync, closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.js';
import { sqliteFileProblem } from '../storage/sqlite-file.js';

/** What an fs error means to the person installing the service. */
function reason(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EEXIST' || code === 'ENOTDIR') return `a file is in the way: a part of ${path} is a file, not a folder`;
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  return (error as Error).message;
}

/**
 * The SQLite database's folder must exist (it is created when missing) and be usable before anything opens it: an
 * unusable DATABASE_PATH would otherwise stop the start with a bare "EACCES: permission denied, mkdir …".
 */
export function ensureDatabaseFolder(databasePath: string): void {
  if (databasePath === ':memory:') return;
  // Not a regular file, or on /proc, /sys …: stop here with what to do (sqlite-file.ts), before the pid file or SQLite.
  const problem = sqliteFileProblem(databasePath);
  if (problem) throw new AppError('config_invalid', problem);
  const folder = dirname(databasePath);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new AppError(
      'config_invalid',
      `DATABASE_PATH: cannot create the folder ${folder} (${reason(error, folder)}): create it and give the service user write access, or set DATABASE_PATH to a file in a folder it may write.`,
    );
  }
  // SQLite writes its journal (-wal, -shm) beside the file: a folder that exists but may not be written fails later,
  // and the first thing to fail would be the log file beside it, naming LOG_FILE instead of the folder.
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new AppError(
      'config_invalid',
      `DATABASE_PATH: the folder ${folder} cannot be written (${reason(error, folder)}): give the service user write access to it (e.g. sudo chown -R $USER ${folder}), or set DATABASE_PATH to a file in a folder it may write.`,
    );
  }
}

/**
 * The log file must be writable (its folder is created when missing). `defaulted`: the file is the console-mode
 * default beside the database, which the message says, since the person never set LOG_FILE.
 */
export function ensureLogFile(file: string, defaulted: boolean): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    closeSync(openSync(file, 'a'));
  } catch (error) {
    const where = defaulted ? ' (not set: the default is civicdesk.log in the database\'s folder)' : '';
    throw new AppError(
      'config_invalid',
      `LOG_FILE: cannot write the log file ${file}${where} (${reason(error, file)}): give the service user write access there, or set LOG_FILE to a file it may write.`,
    );
  }
}
