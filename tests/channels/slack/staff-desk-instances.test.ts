import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';
import { heartbeat, registerInstance } from '../../../src/storage/instances-repo.js';
import { claimOutbox } from '../../../src/storage/outbox-repo.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';

/**
 * The staff desk of one instance among several sharing the database (issue 19): a staff notice claimed by an
 * instance that stopped beating is posted by a live one; a notice a live instance is posting is left to it.
 * Instances are rows of `instances` here (as another process writes them); this desk runs with a presence whose
 * orphan sweep runs on every drain.
 */
let h: SlackHarness | undefined;
let closeDb: (() => Promise<void>) | undefined;
afterEach(async () => {
  await h?.close();
  await closeDb?.();
  h = undefined;
  closeDb = undefined;
});

const STALE_MS = 20_000;
const presence = { owner: 'web-3#new', aliveSince: () => new Date(Date.now() - STALE_MS), orphanSweepMs: 0 };

async function staffRows(db: Db) {
  return db.all<{ id: number; state: string; claimedBy: string | null }>(
    "SELECT id, state, claimed_by AS claimedBy FROM outbox WHERE target = 'staff' ORDER BY id",
  );
}

describe('Slack staff desk among several instances', () => {
  it('posts the case a dead instance was posting (and the one queued behind it)', async () => {
    h = await startSlackHarness({ instance: presence });
    const first = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '5001', text: '孩子转学需要什么材料？', actor: 'citizen' });
    const second = await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: '5002', text: '学区怎么划分？', actor: 'citizen' });
    // web-1 claimed the first notice, then its machine died: its last heartbeat is a minute old.
    const died = new Date(Date.now() - 60_000);
    await registerInstance(h.db, 'web-1', 'web-1#old', died);
    const [row] = await staffRows(h.db);
    expect(await claimOutbox(h.db, row!.id, 'web-1#old')).toBe(true);

    expect(await h.slack.staffDesk.drainOnce()).toBe(2);
    const posted = h.stub.callsOf('chat.postMessage').map((c) => JSON.stringify(c.body));
    expect(posted.filter((p) => p.includes(first.code))).toHaveLength(1);
    expect(posted.filter((p) => p.includes(second.code))).toHaveLength(1);
    expect((await staffRows(h.db)).map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('starting (or restarting) leaves the case a live instance is posting to it', async () => {
    const db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-staff2-')), 'test.db'));
    closeDb = () => db.close();
    const desk = createCaseDesk({ db });
    await desk.file({ type: 'inquiry', channel: 'telegram', chatId: '5003', text: '孩子转学需要什么材料？', actor: 'citizen' });
    await registerInstance(db, 'web-2', 'web-2#live', new Date(Date.now() - 60_000));
    await heartbeat(db, 'web-2#live', new Date());
    const [row] = await staffRows(db);
    expect(await claimOutbox(db, row!.id, 'web-2#live')).toBe(true);

    h = await startSlackHarness({ instance: presence }, { db, desk }); // this instance starts while web-2 posts
    expect(await h.slack.staffDesk.drainOnce()).toBe(0);
    expect(h.stub.callsOf('chat.postMessage')).toHaveLength(0);
    expect(await staffRows(db)).toEqual([{ id: row!.id, state: 'sending', claimedBy: 'web-2#live' }]);
  });
});
