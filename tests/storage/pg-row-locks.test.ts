import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { findCaseByCode, updateCase } from '../../src/storage/cases-repo.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { openStore } from '../../src/storage/open-store.js';
import { onPostgres, withEmptySchemas } from '../helpers/postgres.js';
import { createEngineStore } from '../../src/core/engine/store.js';
import { chat, makeEngine, texts } from '../core/engine/harness.js';

/**
 * Writers of two instances on one PostgreSQL database (two pools here): a
 * transaction locks only the rows it changes by what it read (the case row,
 * an idempotency key), so writers of different cases run side by side, and
 * writers of one case run one after the other, the second seeing the first's
 * result — what one database-wide lock per transaction used to give by making
 * every writer wait. SQLite runs one writing transaction at a time by design
 * (BEGIN IMMEDIATE) and serves one instance, so these run on PostgreSQL only.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function twoPools(): Promise<[Db, Db]> {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-rowlock-')), 'civicdesk.db');
  const a = await openStore(path);
  cleanups.push(() => a.close());
  const b = await openStore(path);
  cleanups.push(() => b.close());
  return [a, b];
}

/**
 * Waits until one session waits for the advisory lock of the chat `channel:chatId` of this test's database (the turn
 * that must wait has asked for it). Only that lock counts: the whole suite shares one PostgreSQL database (a schema
 * per test database; pg-db.ts names `exclusive` locks SCHEMA__KEY, like its NOTIFY channels), and other tests' turns
 * wait for their own locks meanwhile.
 */
const waitForChatLockWaiter = (db: Db, channel: string, chatId: string) =>
  vi.waitFor(
    async () => {
      const waiting = await db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND objid = (hashtext(left(current_schema() || '__' || ?, 63))::bigint & 4294967295)::oid`,
        [`chat:${channel}:${chatId}`],
      );
      expect(Number(waiting?.n)).toBe(1);
    },
    { timeout: 20_000, interval: 20 },
  );

const file = (desk: ReturnType<typeof createCaseDesk>, text: string, idempotencyKey?: string) =>
  desk.file({ type: 'complaint', channel: 'telegram', chatId: '4004', text, actor: 'citizen', ...(idempotencyKey ? { idempotencyKey } : {}) });

describe.skipIf(!onPostgres)('PostgreSQL writers of several instances', () => {
  it('a change of another case goes through while a transaction holds one case; a change of the held case waits for it and sees its result', async () => {
    const [a, b] = await twoPools();
    const deskA = createCaseDesk({ db: a });
    const deskB = createCaseDesk({ db: b });
    const held = await file(deskA, '彩屯小学乱收费');
    const other = await file(deskA, '石桥子小学校车超载');

    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked: (pid: number) => void = () => undefined;
    const holder = new Promise<number>((resolve) => (locked = resolve));
    // Instance A: a staff change of `held`, still open (its transaction waits at the gate).
    const first = a.transaction(async (tx) => {
      const record = (await findCaseByCode(tx, held.code, { forUpdate: true }))!;
      await updateCase(tx, record.id, { state: 'claimed', assignee: 'slack:UA', claimedAt: new Date().toISOString() });
      locked(Number((await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid));
      await gate;
    });
    const holderPid = await holder;

    // Instance B changes another case meanwhile: it does not wait for A's transaction (with one lock per
    // database it would wait for the gate, which opens only after this line: the test would hang, not pass).
    const claimedOther = await deskB.act(other.code, { kind: 'claim' }, 'slack:UB');
    expect(claimedOther.case.state).toBe('claimed');

    // Instance B claims the held case: it waits on the row lock (A's transaction blocks it; other tests' sessions
    // in the same PostgreSQL database do not count)…
    const second = deskB.act(held.code, { kind: 'claim' }, 'slack:UB').then(
      () => 'claimed',
      (error: { code?: string }) => error.code ?? 'error',
    );
    await vi.waitFor(
      async () => {
        const waiting = await a.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM pg_stat_activity
            WHERE ? = ANY(pg_blocking_pids(pid)) AND query LIKE '%FROM cases WHERE code%FOR UPDATE%'`,
          [holderPid],
        );
        expect(Number(waiting?.n)).toBe(1);
      },
      { timeout: 20_000, interval: 20 },
    );
    // …and once A commits, it reads A's claim: claiming a claimed case is refused, not applied twice.
    release();
    await first;
    expect(await second).toBe('case_illegal_transition');
    expect((await deskB.get(held.code))?.assignee).toBe('slack:UA');
  });

  it("a chat's turns on two instances run one after the other; another chat's turn does not wait", async () => {
    const [a, b] = await twoPools();
    const storeA = createEngineStore(a);
    const storeB = createEngineStore(b);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Instance A is inside a turn of chat 7 until the gate opens.
    const first = storeA.exclusive!('telegram', '7', async () => {
      order.push('A in');
      await gate;
      order.push('A out');
    });
    await vi.waitFor(() => expect(order).toEqual(['A in']), { timeout: 20_000, interval: 20 });
    // Another chat's turn on B goes through meanwhile (the gate opens only after it).
    await storeB.exclusive!('telegram', '8', async () => void order.push('B chat 8'));
    // B's turn of chat 7 waits on the lock…
    const second = storeB.exclusive!('telegram', '7', async () => void order.push('B in'));
    await waitForChatLockWaiter(a, 'telegram', '7');
    expect(order).toEqual(['A in', 'B chat 8']);
    // …and runs once A's turn ended.
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['A in', 'B chat 8', 'A out', 'B in']);
    // A turn that throws releases the lock too.
    await expect(storeA.exclusive!('telegram', '7', () => Promise.reject(new Error('turn failed')))).rejects.toThrow('turn failed');
    await storeB.exclusive!('telegram', '7', async () => void order.push('B again'));
    expect(order.at(-1)).toBe('B again');
  });

  it("the engine runs a chat's turn under that lock: a message waits while another instance is in a turn of the chat", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-chatlock-')), 'civicdesk.db');
    const a = await makeEngine(path);
    cleanups.push(() => a.db.close());
    const b = await openStore(path);
    cleanups.push(() => b.close());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inTurn!: () => void;
    const entered = new Promise<void>((resolve) => (inTurn = resolve));
    const held = createEngineStore(b).exclusive!('console', 'c1', async () => {
      inTurn();
      await gate;
    });
    await entered;
    let answered = false;
    const reply = chat(a.engine, 'c1').say('你好').then((r) => {
      answered = true;
      return r;
    });
    await waitForChatLockWaiter(b, 'console', 'c1');
    expect(answered).toBe(false);
    release();
    await held;
    expect(texts(await reply)).not.toBe('');
  });

  it('two instances claim the same case at the same moment: one claim, one refusal', async () => {
    const [a, b] = await twoPools();
    const deskA = createCaseDesk({ db: a });
    const deskB = createCaseDesk({ db: b });
    const filed = await file(deskA, '转学材料问题');
    const results = await Promise.allSettled([
      deskA.act(filed.code, { kind: 'claim' }, 'slack:UA'),
      deskB.act(filed.code, { kind: 'claim' }, 'slack:UB'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await deskA.history(filed.code)).filter((e) => e.toState === 'claimed')).toHaveLength(1);
  });

  it('filings on both instances at once get distinct consecutive numbers; one message filed through both is one case', async () => {
    const [a, b] = await twoPools();
    const deskA = createCaseDesk({ db: a });
    const deskB = createCaseDesk({ db: b });
    const filed = await Promise.all(Array.from({ length: 16 }, (_, i) => file(i % 2 ? deskA : deskB, `第${i + 1}号投诉：食堂收费不公示`)));
    const numbers = filed.map((c) => Number(c.code.slice(-6))).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));

    const same = await Promise.all([file(deskA, '同一条消息', 'tg:4004:77'), file(deskB, '同一条消息', 'tg:4004:77')]);
    expect(same[0].code).toBe(same[1].code);
    expect(await a.get<{ n: number }>("SELECT COUNT(*) AS n FROM cases WHERE idempotency_key = 'tg:4004:77'")).toEqual({ n: 1 });
  });

  it('two instances starting on an empty database at once both migrate it, each migration applied once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-migrate2-')), 'civicdesk.db');
    const [a, b] = await withEmptySchemas(() => Promise.all([openDb(path), openDb(path)]));
    cleanups.push(() => a.close(), () => b.close());
    const [doneA, doneB] = await Promise.all([migrate(a), migrate(b)]);
    expect([...doneA, ...doneB].sort((x, y) => x - y)).toEqual(migrations.map((m) => m.id).sort((x, y) => x - y));
    expect(await a.all<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id')).toEqual(migrations.map((m) => ({ id: m.id })));
  });
});
