import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseDesk, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { purgeExpired } from '../../../src/core/privacy/retention.js';
import { openDb, type Db } from '../../../src/storage/db.js';
import { migrate } from '../../../src/storage/migrate.js';
import { eraseChat } from '../../../src/storage/retention-repo.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';

/**
 * Erasing a case's personal data (the parent's 删除我的信息, the retention purge) refreshes its card in the staff
 * channel: before, the card kept showing the (masked) text and name after the data was gone from the database.
 */
let h: SlackHarness | undefined;
let db: Db | undefined;
afterEach(async () => {
  await h?.close();
  await db?.close();
  h = undefined;
  db = undefined;
});

// Monday 2026-11-30 10:00 in Beijing.
let clock = new Date('2026-11-30T02:00:00Z');

async function start(): Promise<{ h: SlackHarness; desk: CaseDeskImpl; db: Db }> {
  clock = new Date('2026-11-30T02:00:00Z');
  db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-erased-card-')), 'test.db'));
  await migrate(db);
  const desk = createCaseDesk({ db, now: () => clock });
  h = await startSlackHarness({ now: () => clock }, { db, desk });
  return { h, desk, db };
}

/** A closed complaint with a name and a phone, its card posted. Returns the code and the card's ts. */
async function closedCase(h: SlackHarness, desk: CaseDeskImpl, chatId: string): Promise<{ code: string; ts: string }> {
  const c = await desk.file({
    type: 'complaint', channel: 'telegram', chatId, text: '我是王小明的家长，彩屯小学收补课费，电话 13912345678', actor: 'citizen', contact: '13912345678', citizenName: '王芳',
  });
  await desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
  await desk.act(c.code, { kind: 'close', note: '已责令学校退还补课费。' }, 'slack:USTAFF1');
  while ((await h.slack.staffDesk.drainOnce()) > 0);
  const card = await h.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [c.code]);
  const last = JSON.stringify(h.stub.callsOf('chat.update').at(-1)?.body.blocks);
  expect(last).toContain('彩屯小学'); // the card shows the case before the erase
  return { code: c.code, ts: card!.ts };
}

const cardUpdates = (h: SlackHarness, ts: string) => h.stub.callsOf('chat.update').filter((c) => c.body.ts === ts);

describe('Slack card of a case whose personal data was erased', () => {
  it('is updated at once after the parent’s erasure: the text, name and phone are gone and the card says why', async () => {
    const { h, desk, db } = await start();
    const { code, ts } = await closedCase(h, desk, '7007');
    const before = cardUpdates(h, ts).length;
    clock = new Date('2026-12-02T03:00:00Z');
    await eraseChat(db, 'telegram', '7007', clock.toISOString());
    expect(await h.slack.staffDesk.drainOnce()).toBe(1);
    const updates = cardUpdates(h, ts);
    expect(updates).toHaveLength(before + 1);
    const card = JSON.stringify(updates.at(-1)!.body.blocks);
    expect(card).toContain(code);
    expect(card).toContain('[已删除]');
    expect(card).toContain('个人信息已于 2026-12-02 删除（本人申请删除或保存期满）');
    for (const gone of ['彩屯小学', '王芳', '5678', '补课费']) expect(card).not.toContain(gone);
    // No second card, and no thread line: only the card changed.
    expect(h.stub.callsOf('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
  });

  it('is refreshed by the retention purge, and retried later when Slack is down, without a crash', async () => {
    const { h, desk, db } = await start();
    const { ts } = await closedCase(h, desk, '8008');
    const before = cardUpdates(h, ts).length;
    h.stub.override('chat.update', () => ({ status: 503, json: { ok: false, error: 'service_unavailable' } }), 1);
    clock = new Date('2027-12-06T02:00:00Z'); // more than RETENTION_CASE_DAYS (365) after the closing
    const purged = await purgeExpired(db, { messageDays: 180, caseDays: 365, conversationDays: 30 }, clock);
    expect(purged.cases).toBe(1);
    expect(await h.slack.staffDesk.drainOnce()).toBe(0); // Slack answered 503: kept for a retry
    expect(cardUpdates(h, ts)).toHaveLength(before + 1);
    const waiting = await db.get<{ state: string; attempts: number }>("SELECT state, attempts FROM outbox WHERE target = 'staff' AND dedupe_key LIKE 'case-erased:%'");
    expect(waiting).toEqual({ state: 'pending', attempts: 1 });
    expect(await h.slack.staffDesk.drainOnce()).toBe(0); // not due yet
    clock = new Date(clock.getTime() + 60_000);
    expect(await h.slack.staffDesk.drainOnce()).toBe(1);
    const card = JSON.stringify(cardUpdates(h, ts).at(-1)!.body.blocks);
    expect(card).toContain('个人信息已于 2027-12-06 删除');
    expect(card).not.toContain('彩屯小学');
  });
});
