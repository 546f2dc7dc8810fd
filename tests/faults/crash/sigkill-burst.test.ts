import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/channels/telegram/pacer.js';
import { renderReply } from '../../../src/channels/telegram/render.js';
import type { Reply } from '../../../src/core/types.js';
import { openStore } from '../../../src/storage/open-store.js';
import { startStubBotApi, type StubBotApi } from '../../helpers/telegram-stub-api.js';
import { exited, spawnTs, waitForLine } from '../helpers/child.js';
import { tempDir } from '../helpers/engine-stack.js';
import { fileIntegrityProblems } from '../../helpers/integrity.js';
import { maskPersonalData } from '../../../src/core/privacy/mask.js';

/**
 * SIGKILL during a burst of filings, staff replies and outbox sends (issue 9, item 3), with the
 * real Telegram pipeline in a child process and a recording Bot API stand-in in this process.
 *
 * What the system guarantees (src/channels/telegram/sender.ts, handlers.ts, outbox-repo.ts):
 * - a case exists once its code was shown, exactly once (idempotent filing, one transaction);
 * - an inbound update is recorded before the engine runs: a redelivered update is never handled
 *   twice (at-most-once inbound; a turn killed mid-way is not retried);
 * - outbox rows are sent in per-chat order; `parts_sent` is stored after each message, so only
 *   the one message per chat that was in flight at the kill may be sent twice (at-least-once
 *   for that message, exactly once for every other).
 */
const CHILD = join(import.meta.dirname, 'burst-child.ts');
const FIRST_CHAT = 700_000;
const WORKERS = 6;

let stub: StubBotApi | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

interface Killed {
  filed: Map<number, string>;
  replied: Map<string, number>;
}

function burstAndKill(dbPath: string, apiRoot: string, shouldKill: (k: Killed) => boolean): Promise<Killed> {
  const child = spawnTs(CHILD, [dbPath, apiRoot, 'burst', String(FIRST_CHAT), '100000']);
  const seen: Killed = { filed: new Map(), replied: new Map() };
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [kind, a, b] = line.split(' ');
      if (kind === 'FILED') seen.filed.set(Number(a), b!);
      if (kind === 'REPLIED') seen.replied.set(a!, Number(b));
      if (child.signalCode === null && shouldKill(seen)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`burst child ended (${code}) before the kill:\n${child.stderrText()}`)),
    );
  });
}

// Two child processes (each loads the whole pipeline through tsx) and a burst: far longer than the default
// per-test bound on a loaded machine, more so on PostgreSQL. A bound against hangs only; nothing is timed.
describe('SIGKILL mid-burst, then restart', { timeout: 120_000 }, () => {
  it('loses nothing acknowledged and sends nothing twice except the one in-flight message per chat', async () => {
    stub = await startStubBotApi({ clock: systemClock, perChatMs: 0, globalPerSecond: 1_000_000 });
    const dbPath = join(tempDir('civicdesk-sigkill-'), 'crash.db');
    const api = stub;
    const { filed, replied } = await burstAndKill(dbPath, api.apiRoot, (k) => k.filed.size >= 24 && api.accepted.length >= 80);
    const deliveredBeforeKill = api.accepted.length;

    // What the dead process left: rows it was sending (at most one per chat).
    const db = await openStore(dbPath);
    const inFlight = await db.all<{ id: number; address: string; partsSent: number }>(
      "SELECT id, address, parts_sent AS partsSent FROM outbox WHERE target = 'telegram' AND state = 'sending'",
    );
    expect(new Set(inFlight.map((r) => r.address)).size).toBe(inFlight.length);
    await db.close();

    // Restart: Telegram redelivers the updates of every chat that was started; the sender resumes.
    const started = filed.size + WORKERS * 2;
    const again = spawnTs(CHILD, [dbPath, api.apiRoot, 'drain', String(FIRST_CHAT), String(started)]);
    await waitForLine(again, (l) => l === 'DRAINED', 25_000);
    expect((await exited(again)).code).toBe(0);

    const check = await openStore(dbPath);
    expect(await fileIntegrityProblems(check)).toEqual([]);
    // 1. Every code a parent was shown exists once, in that parent's chat.
    for (const [chat, code] of filed) {
      const rows = await check.all<{ chat_id: string }>('SELECT chat_id FROM cases WHERE code = ?', [code]);
      expect(rows, `${code} shown but not stored once`).toEqual([{ chat_id: String(chat) }]);
    }
    // 2. No chat got two cases; only turns killed mid-way (≤ one per worker) left a chat without one.
    const perChat = await check.all<{ chat_id: string; n: number }>("SELECT chat_id, COUNT(*) AS n FROM cases WHERE channel = 'telegram' GROUP BY chat_id");
    expect(perChat.filter((r) => r.n !== 1)).toEqual([]);
    expect(started - perChat.length).toBeLessThanOrEqual(WORKERS);
    // 3. Every committed staff reply is there.
    for (const [code, eventId] of replied) {
      const event = await check.get<{ kind: string }>('SELECT e.kind FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.id = ? AND c.code = ?', [eventId, code]);
      expect(event?.kind).toBe('reply');
    }
    // 4. Every outbox row went out; per chat, the Bot API saw exactly the rows' parts in order,
    //    with at most the in-flight part of an interrupted row repeated once.
    const rows = await check.all<{ id: number; address: string; payload: string; state: string }>(
      "SELECT id, address, payload, state FROM outbox WHERE target = 'telegram' ORDER BY id",
    );
    await check.close();
    expect(rows.filter((r) => r.state !== 'sent')).toEqual([]);
    const expected = new Map<string, { html: string; rowId: number; part: number }[]>();
    for (const row of rows) {
      const parts = (JSON.parse(row.payload) as Reply[]).flatMap((r) => renderReply(r, 'zh'));
      const list = expected.get(row.address) ?? [];
      parts.forEach((p, part) => list.push({ html: maskPersonalData(p.html), rowId: row.id, part }));
      expected.set(row.address, list);
    }
    const mayRepeat = new Set(inFlight.map((r) => `${r.id}:${r.partsSent}`));
    let repeated = 0;
    for (const [chat, want] of expected) {
      // A sent row's payload is kept with its phones masked (markOutboxSent): what the Bot API saw is compared so.
      const got = api.accepted.filter((m) => m.chatId === chat).map((m) => maskPersonalData(m.text));
      let k = 0;
      for (const html of got) {
        const prev = want[k - 1];
        if (html !== want[k]?.html && prev && html === prev.html && mayRepeat.delete(`${prev.rowId}:${prev.part}`)) {
          repeated += 1;
          continue;
        }
        expect(html, `chat ${chat}: message ${k + 1} differs (lost, reordered or duplicated)`).toBe(want[k]?.html);
        k += 1;
      }
      expect(k, `chat ${chat}: only ${k} of ${want.length} messages delivered`).toBe(want.length);
    }
    expect(api.accepted.filter((m) => !expected.has(m.chatId))).toEqual([]);
    expect(repeated).toBeLessThanOrEqual(inFlight.length);
    expect(deliveredBeforeKill).toBeGreaterThanOrEqual(80);
  });
});
