import type pg from 'pg';
import type { Reply } from '../../../src/core/types.js';
import type { Scenario } from './scenario.js';

/**
 * What the parents and the staff channel saw after a multi-instance run, checked against the
 * database: the figures the kill test asserts and the benchmark records.
 */
export interface RunFigures {
  chats: number;
  parentMessages: number;
  /** Bot messages the emulator received. */
  botMessages: number;
  /** Cases whose code a parent was shown. */
  acknowledgedCases: number;
  /** Codes shown to a parent that are not stored exactly once, in that parent's chat. */
  casesNotOnce: string[];
  /** Chats with a number of cases other than one (each parent files one complaint). */
  chatsWithoutOneCase: number;
  /** Parent messages without a queued reply, plus queued message parts never delivered. */
  lostReplies: number;
  /** Message parts a parent received twice (only a part in flight at the kill may be). */
  duplicates: number;
  /** Of those, parts that were not in flight in the killed process (a live instance resent them). */
  unexpectedDuplicates: number;
  /** Chats whose replies arrived in another order than their messages were answered. */
  reorderings: number;
  /** Job runs finished by an instance. */
  jobRunsDone: number;
  /** Job runs whose post reached the staff channel more than once. */
  jobRunsPostedTwice: number;
  /** The first few chats that went wrong, with what they got: for the failure message. */
  problems: string[];
}

const CODE = /\b[A-Z]{1,6}-\d{4}-\d{6}\b/g;

/** Posts of daily-digest runs in an instance's stdout: the first page of each run. */
function digestRuns(stdout: string): number {
  return stdout.split('\n').filter((l) => l.startsWith('📋') && !/（第 ([2-9]|\d\d+)\//.test(l)).length;
}

export async function checkRun(input: {
  db: pg.Client;
  scenario: Scenario;
  chats: number[];
  script: (chat: number) => string[];
  /** Outbox rows the killed process was sending: their current part may legitimately repeat. */
  inFlightAtKill: { id: number; parts_sent: number }[];
  render: (reply: Reply) => { html: string }[];
}): Promise<RunFigures> {
  const { db, scenario, chats } = input;
  const { rows: outbox } = await db.query<{ id: number; address: string; payload: string; state: string; dedupe_key: string | null }>(
    "SELECT id, address, payload, state, dedupe_key FROM outbox WHERE target = 'telegram' ORDER BY id",
  );
  const { rows: cases } = await db.query<{ code: string; chat_id: string }>("SELECT code, chat_id FROM cases WHERE channel = 'telegram'");
  let lost = outbox.filter((r) => r.state !== 'sent').length;
  let duplicates = 0;
  let unexpectedDuplicates = 0;
  let reorderings = 0;
  let botMessages = 0;
  let parentMessages = 0;
  const shown = new Map<string, string>();
  const problems: string[] = [];
  const mayRepeat = new Set(input.inFlightAtKill.map((r) => `${r.id}:${r.parts_sent}`));

  for (const chat of chats) {
    const address = String(chat);
    const rows = outbox.filter((r) => r.address === address);
    // 1. Every parent message got its reply queued, once, in the order Telegram had them answered.
    const answered = scenario.front.delivered.get(address) ?? [];
    parentMessages += answered.length;
    const replyKeys = rows.filter((r) => r.dedupe_key?.startsWith('tg:')).map((r) => Number(r.dedupe_key!.split(':')[1]));
    lost += Math.max(0, input.script(chat).length - replyKeys.length);
    if (replyKeys.join() !== answered.slice(0, replyKeys.length).join()) reorderings += 1;
    // 2. The parent received exactly those rows' parts, in row order.
    const want = rows.flatMap((r) => (JSON.parse(r.payload) as Reply[]).flatMap((reply) => input.render(reply)).map((p, part) => ({ html: p.html, key: `${r.id}:${part}` })));
    const got = scenario.emulator.botMessages(chat).map((m) => m.text);
    botMessages += got.length;
    for (const text of got) for (const code of text.match(CODE) ?? []) shown.set(code, address);
    let k = 0;
    let outOfOrder = false;
    for (const text of got) {
      const prev = want[k - 1];
      if (text === want[k]?.html) {
        k += 1;
        continue;
      }
      if (prev && text === prev.html) {
        duplicates += 1;
        if (!mayRepeat.delete(prev.key)) unexpectedDuplicates += 1;
        continue;
      }
      outOfOrder = true;
    }
    if (outOfOrder) {
      reorderings += 1;
      const sends = scenario.emulator.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === address);
      if (problems.length < 3) problems.push(`chat ${chat} sends: ${sends.map((c) => `${c.via}:${String(c.body.text).slice(0, 12)}`).join(' | ')}`);
    }
    lost += want.length - k;
    const keysInOrder = replyKeys.join() === answered.slice(0, replyKeys.length).join();
    if ((outOfOrder || k < want.length || !keysInOrder || replyKeys.length !== input.script(chat).length) && problems.length < 3)
      problems.push(`chat ${chat}: answered ${answered.join(',')}; queued ${replyKeys.join(',')}; want ${JSON.stringify(want.map((w) => w.html.slice(0, 40)))}; got ${JSON.stringify(got.map((g) => g.slice(0, 40)))}`);
  }
  const casesNotOnce = [...shown].filter(([code, chat]) => cases.filter((c) => c.code === code && c.chat_id === chat).length !== 1 || cases.filter((c) => c.code === code).length !== 1).map(([code]) => code);
  const perChat = new Map<string, number>();
  for (const c of cases) perChat.set(c.chat_id, (perChat.get(c.chat_id) ?? 0) + 1);

  // 3. Jobs: each run finished ('ok') posted once; a run left 'running' by the killed process at most once.
  const { rows: runs } = await db.query<{ status: string }>("SELECT status FROM job_runs WHERE job = 'daily-digest'");
  const done = runs.filter((r) => r.status === 'ok').length;
  const abandoned = runs.filter((r) => r.status === 'running').length;
  const posted = scenario.all.reduce((n, i) => n + digestRuns(i.stdout()), 0);
  return {
    chats: chats.length,
    parentMessages,
    botMessages,
    acknowledgedCases: shown.size,
    casesNotOnce,
    chatsWithoutOneCase: chats.filter((c) => perChat.get(String(c)) !== 1).length,
    lostReplies: lost,
    duplicates,
    unexpectedDuplicates,
    reorderings,
    jobRunsDone: done,
    jobRunsPostedTwice: Math.max(0, posted - done - abandoned),
    problems,
  };
}
