import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/db.js';
import { heartbeat, registerInstance } from '../../src/storage/instances-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import {
  claimDueOutboxHeads,
  enqueueOutbox,
  markOutboxSent,
  requeueOrphanedOutbox,
} from '../../src/storage/outbox-repo.js';
import { onPostgres } from '../helpers/postgres.js';


/**
 * Two instances draining one outbox (two connections to the same database: two
 * SQLite connections here, two pools in the PostgreSQL run): disjoint claims,
 * one row per chat in flight whoever holds it, and a dead instance's rows taken over.
 */
const t0 = new Date('2026-11-27T02:00:00Z');
const later = (s: number) => new Date(t0.getTime() + s * 1000);
let a: Db;
let b: Db;

beforeEach(async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-outbox2-')), 'test.db');
  a = await openStore(path);
  b = await openStore(path);
});
afterEach(async () => {
  await a.close();
  await b.close();
});

async function enqueue(chat: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i += 1) await enqueueOutbox(a, { target: 'telegram', address: chat, payload: [{ text: `${chat}-${i}` }] }, t0);
}
const texts = (rows: { payload: string }[]) => rows.map((r) => (JSON.parse(r.payload) as { text: string }[])[0]!.text).sort();

describe('outbox claimed by several instances', () => {
  it('claims disjoint rows at the same moment, one per chat, and a chat waits for its older row whoever holds it', async () => {
    for (let c = 1; c <= 40; c += 1) await enqueue(`chat${c}`, 2);
    const [fromA, fromB] = await Promise.all([
      claimDueOutboxHeads(a, 'telegram', t0, { limit: 25, owner: 'A#1' }),
      claimDueOutboxHeads(b, 'telegram', t0, { limit: 25, owner: 'B#1' }),
    ]);
    const all = [...texts(fromA), ...texts(fromB)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((t) => t.endsWith('-1'))).toBe(true);
    // Whatever A and B left, a third round takes the remaining heads and no second row of a busy chat.
    const rest = await claimDueOutboxHeads(b, 'telegram', t0, { limit: 100, owner: 'B#1' });
    expect([...all, ...texts(rest)].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `chat${i + 1}-1`).sort());
    expect(await claimDueOutboxHeads(a, 'telegram', t0, { limit: 100, owner: 'A#1' })).toEqual([]);
    // A finishes chat1's first row: chat1's second row becomes claimable, by B as well.
    const chat1 = [...fromA, ...fromB, ...rest].find((r) => r.address === 'chat1')!;
    await markOutboxSent(a, chat1.id, t0);
    expect(texts(await claimDueOutboxHeads(b, 'telegram', t0, { limit: 100, owner: 'B#1' }))).toEqual(['chat1-2']);
  });

  it("hands a dead instance's rows to the live ones, and leaves a live instance's rows alone", async () => {
    await enqueue('chat1', 1);
    await enqueue('chat2', 1);
    await registerInstance(a, 'web-1', 'web-1#old', t0);
    await registerInstance(b, 'web-2', 'web-2#x', t0);
    await claimDueOutboxHeads(a, 'telegram', t0, { limit: 1, owner: 'web-1#old' });
    await claimDueOutboxHeads(b, 'telegram', t0, { limit: 1, owner: 'web-2#x' });
    // 30 s on, web-2 is still beating and web-1 is not: only web-1's row returns to pending.
    await heartbeat(b, 'web-2#x', later(30));
    expect(await requeueOrphanedOutbox(b, 'telegram', later(10))).toBe(1);
    const retaken = await claimDueOutboxHeads(b, 'telegram', later(30), { limit: 10, owner: 'web-2#x' });
    expect(texts(retaken)).toEqual(['chat1-1']);
    expect(retaken[0]!.attempts).toBe(2);
  });

  it('a restart under the same INSTANCE_ID frees its previous life\'s rows at once', async () => {
    await enqueue('chat1', 1);
    await registerInstance(a, 'web-1', 'web-1#boot1', t0);
    await claimDueOutboxHeads(a, 'telegram', t0, { limit: 1, owner: 'web-1#boot1' });
    expect(await requeueOrphanedOutbox(a, 'telegram', t0)).toBe(0);
    await registerInstance(a, 'web-1', 'web-1#boot2', later(1));
    expect(await requeueOrphanedOutbox(a, 'telegram', t0)).toBe(1);
  });

  // Row locks exist only on PostgreSQL (SQLite runs one writing transaction at a time, so there is nothing to skip).
  it.runIf(onPostgres)('skips a row another instance holds locked (FOR UPDATE SKIP LOCKED) instead of waiting for it, and never claims the row behind it', async () => {
    await enqueue('chat1', 2);
    await enqueue('chat2', 1);
    const claimed = await a.transaction(async (tx) => {
      // Instance A is in the middle of claiming chat1's head: its row is locked until A's transaction ends.
      await tx.get("SELECT id FROM outbox WHERE address = 'chat1' ORDER BY id LIMIT 1 FOR UPDATE");
      // B claims meanwhile. Had B waited for A's lock, it would wait until lock_timeout and fail (A's transaction
      // ends only after this claim), so an answer at all proves B skipped the locked row.
      return claimDueOutboxHeads(b, 'telegram', t0, { limit: 10, owner: 'B#1' });
    });
    // chat1's second row is not a head while its first is unsent, whoever holds that one.
    expect(texts(claimed)).toEqual(['chat2-1']);
    expect(texts(await claimDueOutboxHeads(b, 'telegram', t0, { limit: 10, owner: 'B#1' }))).toEqual(['chat1-1']);
  });
});
