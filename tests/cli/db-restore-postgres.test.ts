import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured as cli } from '../helpers/cli.js';
import { freshPostgresDatabase, onPostgres } from '../helpers/postgres.js';
import { allText, createEngineStack, parent } from '../faults/helpers/engine-stack.js';

/**
 * A pg_restore of a dump made before a parent's "删除我的数据" brought that parent's data back: PostgreSQL kept no
 * erasure journal, and `db restore` sent the operator to pg_restore alone. Now every erase on PostgreSQL writes its
 * journal line in the erase's transaction (erasure_journal), `db restore` prints the procedure, and
 * `db export-erasures` / `db reapply-erasures` carry the erasures over the operator's own pg_restore.
 */
const PHONE = '13812345678';
const COMPLAINT = '我要投诉，彩屯小学食堂每月多收伙食费200元';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A clock a second further on at each reading, from 2026-12-04 10:00 in Beijing. */
function ticking(start: string) {
  let ms = Date.parse(start);
  return () => new Date((ms += 1000));
}

async function withStack(url: string, clock: () => Date, work: (stack: Awaited<ReturnType<typeof createEngineStack>>) => Promise<void>) {
  const stack = await createEngineStack({ db: await openStore(url), now: clock });
  try {
    await work(stack);
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
}

async function casesOf(url: string) {
  const db = await openStore(url);
  try {
    return await db.all<{ chat: string | null; contact: string | null; text: string }>('SELECT chat_id AS chat, contact, text FROM cases ORDER BY id');
  } finally {
    await db.close();
  }
}

const pgTool = (tool: 'pg_dump' | 'pg_restore', args: string[]) => {
  const run = spawnSync(tool, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${tool} failed: ${run.stderr || run.error?.message}`);
};

describe.runIf(onPostgres)('PostgreSQL: a restore keeps erased parents erased', () => {
  it('db restore prints the procedure; export, pg_restore and reapply bring back the others only', async () => {
    const target = await freshPostgresDatabase('pgrestore');
    cleanups.push(target.drop);
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-pg-restore-'));
    // Retention of ten years (the most allowed): the purge after the restore must not depend on the day the suite runs.
    const env = { DATABASE_URL: target.url, RETENTION_CASE_DAYS: '3650', RETENTION_MESSAGE_DAYS: '3650', RETENTION_CONVERSATION_DAYS: '3650' };
    const clock = ticking('2026-12-04T02:00:00Z');
    await withStack(target.url, clock, async (stack) => {
      await fileComplaint(stack, 'parent-erased');
      await fileComplaint(stack, 'parent-kept');
    });
    const dump = join(dir, 'nightly.dump');
    pgTool('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, target.url]);

    // 12-05: the first parent erases their data, through the bot.
    await withStack(target.url, clock, async (stack) => {
      const p = parent(stack.engine, 'parent-erased');
      expect(allText(await p.press(await p.say('删除我的数据'), 'confirm'))).toContain('已删除');
    });

    const refused = await cli(['db', 'restore', dump], env);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('Nothing was changed');
    expect(refused.err).toContain('1. npm run cli -- db export-erasures erasures.jsonl');
    expect(refused.err).toContain('2. pg_restore --clean --no-owner -d "$DATABASE_URL" FILE');
    expect(refused.err).toContain('3. npm run cli -- db reapply-erasures erasures.jsonl');

    const journal = join(dir, 'erasures.jsonl');
    const exported = await cli(['db', 'export-erasures', journal], env);
    expect(exported.err).toBe('');
    expect(exported.out).toContain('Wrote 1 erasure(s)');
    for (const personal of ['parent-erased', PHONE, '彩屯小学']) expect(readFileSync(journal, 'utf8')).not.toContain(personal);

    // 12-06: the operator restores the 12-04 dump: the erased parent is whole again until the journal is applied.
    pgTool('pg_restore', ['--clean', '--no-owner', '-d', target.url, dump]);
    expect((await casesOf(target.url))[0]).toMatchObject({ chat: 'parent-erased', contact: PHONE });

    const reapplied = await cli(['db', 'reapply-erasures', journal], env);
    expect(reapplied.err).toBe('');
    expect(reapplied.out).toContain('1 chat(s) (1 journal line(s), 1 put back into the journal)');
    expect(await casesOf(target.url)).toEqual([
      { chat: null, contact: null, text: '[已删除]' },
      { chat: 'parent-kept', contact: PHONE, text: expect.stringContaining('彩屯小学') },
    ]);
    const db = await openStore(target.url);
    try {
      expect(await db.get("SELECT COUNT(*) AS n FROM messages WHERE chat_id = 'parent-erased'")).toEqual({ n: 0 });
      expect(await db.get("SELECT COUNT(*) AS n FROM conversations WHERE chat_id = 'parent-erased'")).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
    // The journal is back in the database: a later export holds the erase, and applying it again changes nothing.
    const again = join(dir, 'erasures-2.jsonl');
    expect((await cli(['db', 'export-erasures', again], env)).out).toContain('Wrote 1 erasure(s)');
    expect((await cli(['db', 'reapply-erasures', again], env)).out).toContain('0 chat(s) (1 journal line(s), 0 put back into the journal)');
  });

  it('export refuses to overwrite a file, and both commands say they are for PostgreSQL on SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-pg-export-'));
    const target = await freshPostgresDatabase('pgexport');
    cleanups.push(target.drop);
    const file = join(dir, 'e.jsonl');
    expect((await cli(['db', 'export-erasures', file], { DATABASE_URL: target.url })).code).toBe(0);
    const twice = await cli(['db', 'export-erasures', file], { DATABASE_URL: target.url });
    expect(twice.code).not.toBe(0);
    expect(twice.err).toContain('already exists');
    const onSqlite = await cli(['db', 'reapply-erasures', file], { DATABASE_PATH: join(dir, 'live.db') });
    expect(onSqlite.err).toContain('is for PostgreSQL (DATABASE_URL)');
  });
});
