/**
 * Crash-test child: files cases through the CaseDesk in a burst (8 in flight) and prints
 * "<idempotencyKey> <code>" only after file() resolved, i.e. after the transaction committed:
 * exactly when a citizen would see the code. The parent kills it with SIGKILL mid-burst.
 *
 * Usage: node --import tsx tests/crash/file-burst.ts DB_PATH [START] [COUNT]
 */
import { createCaseDesk } from '../../src/core/cases/index.js';
import { openStore } from '../../src/storage/open-store.js';

const [path, startArg = '0', countArg = '100000'] = process.argv.slice(2);
if (!path) throw new Error('usage: file-burst.ts DB_PATH [START] [COUNT]');
const start = Number(startArg);
const end = start + Number(countArg);

const db = await openStore(path);
const desk = createCaseDesk({ db });
let next = start;

async function worker(): Promise<void> {
  while (next < end) {
    const i = next++;
    const key = `burst:${i}`;
    const record = await desk.file({
      type: 'complaint',
      channel: 'telegram',
      chatId: `chat-${i % 50}`,
      text: `第${i}号投诉：学校食堂收费不透明。`,
      idempotencyKey: key,
      actor: 'citizen',
    });
    process.stdout.write(`${key} ${record.code}\n`);
  }
}

await Promise.all(Array.from({ length: 8 }, worker));
await db.close();
