import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/db.js';
import { heartbeat, registerInstance } from '../../src/storage/instances-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { claimInbound, finishInbound, releaseInbound } from '../../src/storage/telegram-repo.js';

/**
 * Telegram updates claimed by the process handling them (migration 0016): two connections to one
 * database stand for two instances (two pools in the PostgreSQL run).
 */
const t0 = new Date('2026-11-27T02:00:00Z');
const later = (s: number) => new Date(t0.getTime() + s * 1000);
const aliveSince = (at: Date) => new Date(at.getTime() - 20_000);
let a: Db;
let b: Db;

beforeEach(async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-claims-')), 'test.db');
  a = await openStore(path);
  b = await openStore(path);
  await registerInstance(a, 'web-1', 'web-1#one', t0);
  await registerInstance(b, 'web-2', 'web-2#two', t0);
});
afterEach(async () => {
  await a.close();
  await b.close();
});

const claim = (db: Db, owner: string, at: Date, retakeOwn = false) => claimInbound(db, '5:100:7', at, { owner, aliveSince: aliveSince(at), retakeOwn });

describe('inbound claims across instances', () => {
  it('hands an update to one instance; the other is told it is busy, then that it was handled', async () => {
    expect(await claim(a, 'web-1#one', t0)).toBe('fresh');
    expect(await claim(b, 'web-2#two', later(1))).toBe('busy');
    await finishInbound(a, '5:100:7', 'web-1#one');
    expect(await claim(b, 'web-2#two', later(2))).toBe('seen');
    expect(await claim(a, 'web-1#one', later(2), true)).toBe('seen');
  });

  it('takes over the claim of an instance that died mid-turn: at once after its restart, or once its heartbeat is stale', async () => {
    expect(await claim(a, 'web-1#one', t0)).toBe('fresh');
    // web-1 restarts (a new boot id): its previous life is gone, so its claim is free.
    await registerInstance(b, 'web-1', 'web-1#three', later(3));
    expect(await claim(b, 'web-2#two', later(3))).toBe('fresh');

    await finishInbound(b, '5:100:7', 'web-2#two');
    expect(await claimInbound(a, '6:100:8', later(4), { owner: 'web-1#three', aliveSince: aliveSince(later(4)), retakeOwn: false })).toBe('fresh');
    await heartbeat(b, 'web-2#two', later(30));
    // web-1#three stops beating at 4 s; at 30 s it is stale (20 s), web-2 takes the update.
    expect(await claimInbound(b, '6:100:8', later(30), { owner: 'web-2#two', aliveSince: aliveSince(later(30)), retakeOwn: false })).toBe('fresh');
  });

  it('lets the holder retake its own claim only when it is not running the turn, and a released claim starts afresh', async () => {
    expect(await claim(a, 'web-1#one', t0)).toBe('fresh');
    expect(await claim(a, 'web-1#one', later(1), false)).toBe('busy');
    expect(await claim(a, 'web-1#one', later(1), true)).toBe('fresh');
    await releaseInbound(a, '5:100:7', 'web-1#one');
    expect(await claim(b, 'web-2#two', later(2))).toBe('fresh');
  });
});
