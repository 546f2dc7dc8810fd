import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { captureLogger } from '../faults/helpers/capture-logger.js';

/**
 * A failed statement is logged with its error (`logger.error({ err })`): pino writes the error's cause and every
 * field of it. PostgreSQL's error for a constraint puts the whole row in `detail` ("Failing row contains (…,
 * 我的电话13987650521, …)"): the log must get the constraint, not the row.
 */
let db: Db | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('a database error in the log', () => {
  it('names the failed constraint but carries no value of the row', async () => {
    db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-errlog-')), 'e.db'));
    await migrate(db);
    const error = await db
      .run("INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', '60521', ?, NULL, 0, '2026-03-02T01:00:00Z')", [
        '云杉路小学的事，我的电话13987650521',
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const log = captureLogger('error');
    log.logger.error({ err: error }, 'could not log a knowledge decision');
    // The line's own timestamp (epoch milliseconds) can hold any five digits: it is not a value of the row.
    const text = log.text().replace(/"time":\d+/g, '"time":0');
    expect(text).toContain('NOT NULL constraint failed: messages.intent');
    for (const secret of ['云杉路', '13987650521', '60521']) expect(text).not.toContain(secret);
  });
});
