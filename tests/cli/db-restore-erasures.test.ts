import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured as cli } from '../helpers/cli.js';
import { onPostgres } from '../helpers/postgres.js';
import { allText, createEngineStack, parent } from '../faults/helpers/engine-stack.js';

/**
 * Review 16, finding 14: `db restore` of a backup made before a parent's "删除我的数据" brought that parent's
 * messages, phone, ID number and case text back. Now every erase writes a line to the erasure journal beside the
 * database (no personal data in it), and `db restore` applies the journal again after the copy.
 */
const PHONE = '13812345678';
const ID = '21050220190830417X';
const COMPLAINT = `我要投诉，彩屯小学食堂每月多收伙食费200元，孩子身份证${ID}`;

/** A clock a second further on at each reading: rows get distinct times, as they do in a running bot. */
function ticking(start: string) {
  let ms = Date.parse(start);
  return () => new Date((ms += 1000));
}

async function withStack<T>(dbPath: string, clock: () => Date, work: (stack: Awaited<ReturnType<typeof createEngineStack>>) => Promise<T>): Promise<T> {
  const stack = await createEngineStack({ db: await openStore(dbPath), now: clock });
  try {
    return await work(stack);
  } finally {
    await stack.engine.flush?.();
    await stack.db.close();
  }
}

async function fileComplaint(stack: Awaited<ReturnType<typeof createEngineStack>>, chatId: string) {
  const p = parent(stack.engine, chatId);
  await p.say(COMPLAINT);
  await p.say(PHONE);
  await p.say('确认');
  return p;
}

const contactsOf = async (dbPath: string) => {
  const db = await openStore(dbPath);
  try {
    return await db.all<{ chat: string | null; contact: string | null; text: string }>('SELECT chat_id AS chat, contact, text FROM cases ORDER BY id');
  } finally {
    await db.close();
  }
};

/** A live database file in a fresh folder, the CLI's environment for it, and a clock from 2026-12-04. */
function liveDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-restore-erase-'));
  const dbPath = join(dir, 'live.db');
  // `db restore` runs the retention purge on the real date: the longest retention the config allows keeps rows written
  // on the test's clock (2026-12-04) within it for ten years, so the verdict does not depend on the day the suite runs.
  const env = { DATABASE_PATH: dbPath, RETENTION_CASE_DAYS: '3650', RETENTION_MESSAGE_DAYS: '3650', RETENTION_CONVERSATION_DAYS: '3650' };
  return { dir, dbPath, env, clock: ticking('2026-12-04T02:00:00Z') };
}

describe.skipIf(onPostgres)('db restore and the parents erased since the backup', () => {
  it('applies the erasures again, keeps the others, and the journal names no one', async () => {
    const { dir, dbPath, env, clock } = liveDatabase();
    await withStack(dbPath, clock, async (stack) => {
      await fileComplaint(stack, 'parent-erased');
      await fileComplaint(stack, 'parent-kept');
    });
    expect((await cli(['db', 'backup', join(dir, 'b1.db')], env)).code).toBe(0);

    // 12-05: the first parent erases their data.
    await withStack(dbPath, clock, async (stack) => {
      const p = parent(stack.engine, 'parent-erased');
      const prompt = await p.say('删除我的数据');
      expect(allText(await p.press(prompt, 'confirm'))).toContain('已删除');
    });
    const journal = readFileSync(`${dbPath}.erasures`, 'utf8');
    for (const personal of ['parent-erased', PHONE, ID, '彩屯小学']) expect(journal).not.toContain(personal);

    // 12-06: the database is damaged; the 12-04 backup is restored.
    const restored = await cli(['db', 'restore', join(dir, 'b1.db')], env);
    expect(restored.err).toBe('');
    expect(restored.out).toContain('Erasures applied again from');
    expect(restored.out).toContain('1 chat(s)');
    expect(await contactsOf(dbPath)).toEqual([
      { chat: null, contact: null, text: '[已删除]' },
      { chat: 'parent-kept', contact: PHONE, text: expect.stringContaining('彩屯小学') },
    ]);
    const db = await openStore(dbPath);
    try {
      expect(await db.all("SELECT COUNT(*) AS n FROM messages WHERE chat_id = 'parent-erased'")).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }

    // Life goes on after the restore: new rows take the ids the erased chat had in the other timeline. A later
    // restore replays the journal again, and those rows (another parent's) are left alone.
    await withStack(dbPath, clock, async (stack) => {
      await fileComplaint(stack, 'parent-new');
    });
    expect((await cli(['db', 'backup', join(dir, 'b2.db')], env)).code).toBe(0);
    expect((await cli(['db', 'restore', join(dir, 'b2.db')], env)).out).toContain(' 0 chat(s)');
    expect((await contactsOf(dbPath)).map((c) => [c.chat, c.contact])).toEqual([
      [null, null],
      ['parent-kept', PHONE],
      ['parent-new', PHONE],
    ]);
  });

  it('refuses when the database records an erase after the backup that the journal lacks, unless --force', async () => {
    const { dir, dbPath, env, clock } = liveDatabase();
    await withStack(dbPath, clock, async (stack) => {
      await fileComplaint(stack, 'parent-erased');
    });
    expect((await cli(['db', 'backup', join(dir, 'b1.db')], env)).code).toBe(0);
    await withStack(dbPath, clock, async (stack) => {
      const p = parent(stack.engine, 'parent-erased');
      await p.press(await p.say('删除我的数据'), 'confirm');
    });
    rmSync(`${dbPath}.erasures`); // as after an upgrade from a version that kept no journal

    const refused = await cli(['db', 'restore', join(dir, 'b1.db')], env);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('records 1 "删除我的数据" erasure(s) made after this backup');
    expect(refused.err).toContain('Nothing was changed');
    expect((await contactsOf(dbPath))[0]!.contact).toBeNull();

    const forced = await cli(['db', 'restore', join(dir, 'b1.db'), '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('were NOT applied again');
  });
});
