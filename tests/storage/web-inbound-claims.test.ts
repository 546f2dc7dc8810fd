import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/db.js';
import { registerInstance } from '../../src/storage/instances-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { enqueueOutbox } from '../../src/storage/outbox-repo.js';
import { claimWebInbound, finishWebInbound, webRepliesQueued } from '../../src/storage/web-repo.js';

/**
 * A web chat message id claimed for its turn: a resend of a message whose turn ended is a duplicate; one whose turn
 * never ended (the process killed between committing a petition and replying) is handled again. Two connections to
 * one database stand for two instances (two pools in the PostgreSQL run).
 */
const t0 = new Date('2026-11-24T01:30:00Z');
const later = (s: number) => new Date(t0.getTime() + s * 1000);
const aliveSince = (at: Date) => new Date(at.getTime() - 20_000);
const KEY = 'session-1:0123456789abcdef';
let a: Db;
let b: Db;

beforeEach(async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-web-claims-')), 'test.db');
  a = await openStore(path);
  b = await openStore(path);
});
afterEach(async () => {
  await a.close();
  await b.close();
});

describe('web message ids claimed for their turn', () => {
  it('one process: fresh, then unfinished while the turn has not ended (a restart after SIGKILL), then seen once it has', async () => {
    const single = { owner: 'web', aliveSince: null };
    expect(await claimWebInbound(a, KEY, t0, single)).toBe('fresh');
    // The process died before finishing; its next life gets the resend.
    expect(await claimWebInbound(b, KEY, later(5), single)).toBe('unfinished');
    await finishWebInbound(b, KEY);
    expect(await claimWebInbound(a, KEY, later(6), single)).toBe('seen');
  });

  it('several instances: a live instance’s turn is not taken over; a dead one’s is', async () => {
    await registerInstance(a, 'web-1', 'web-1#one', t0);
    await registerInstance(b, 'web-2', 'web-2#two', t0);
    expect(await claimWebInbound(a, KEY, t0, { owner: 'web-1#one', aliveSince: aliveSince(t0) })).toBe('fresh');
    expect(await claimWebInbound(b, KEY, later(1), { owner: 'web-2#two', aliveSince: aliveSince(later(1)) })).toBe('seen');
    // web-1 restarts (a new boot): its previous life's claim is free.
    await registerInstance(a, 'web-1', 'web-1#three', later(3));
    expect(await claimWebInbound(b, KEY, later(3), { owner: 'web-2#two', aliveSince: aliveSince(later(3)) })).toBe('unfinished');
  });

  it('tells whether the turn queued its replies', async () => {
    expect(await webRepliesQueued(a, `web:${KEY}`)).toBe(false);
    await enqueueOutbox(a, { target: 'web', address: 'session-1', payload: [{ text: '已登记，编号 XH-2026-000001（投诉）' }], dedupeKey: `web:${KEY}` }, t0);
    expect(await webRepliesQueued(b, `web:${KEY}`)).toBe(true);
  });
});
