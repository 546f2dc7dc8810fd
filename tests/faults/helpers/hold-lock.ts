/**
 * Fault-test child: holds `BEGIN EXCLUSIVE` on a database, like another process
 * (a backup script, a second bot by mistake) would. Prints "locked" once it holds
 * the lock; commits and exits when its stdin closes or receives a line.
 *
 * Usage: node --import tsx tests/faults/helpers/hold-lock.ts DB_PATH
 */
import { createInterface } from 'node:readline';
import { openDb } from '../../../src/storage/db.js';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: hold-lock.ts DB_PATH');
const db = await openDb(path);
await db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\n');
const release = async () => {
  await db.exec('COMMIT');
  await db.close();
  process.exit(0);
};
const lines = createInterface({ input: process.stdin });
lines.on('line', () => void release());
lines.on('close', () => void release());
