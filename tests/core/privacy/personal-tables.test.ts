import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineStore } from '../../../src/core/engine/store.js';
import { questionText } from '../../../src/core/gaps/similarity.js';
import { maskPersonalData } from '../../../src/core/privacy/mask.js';
import { purgeExpired } from '../../../src/core/privacy/retention.js';
import { openDb, type Db } from '../../../src/storage/db.js';
import { PERSONAL_TABLES } from '../../../src/storage/erased-bytes.js';
import { migrate } from '../../../src/storage/migrate.js';
import { deleteWebSession, purgeWebData } from '../../../src/storage/web-repo.js';
import { freshPostgresDatabase, onPostgres } from '../../helpers/postgres.js';

/**
 * Every table that holds a parent's data is covered by the retention purge and by "删除我的数据", table by
 * table: a row with the parent's words and phone in each, then the purge (or the erase), then no row of any
 * personal table holds them. A guard lists every table with text columns as personal or not, so a new
 * table must be decided on. Runs on SQLite and, in the PostgreSQL run, on PostgreSQL.
 */
const WORDS = '雪松里幼儿园午睡室太冷';
const PHONE = '13987650733';
const TEXT = `${WORDS}，孩子总感冒，电话${PHONE}`;
const CHAT = '880733';
const T0 = '2026-01-05T02:00:00.000Z';

/** Tables with text columns that hold no parent's data: what each keeps instead. */
const NOT_PERSONAL: Record<string, string> = {
  schema_migrations: 'migration names',
  audit_log: 'actor (staff id), action, case code, state names and counts; never texts or notes',
  disclosures: "the bureau's own publications",
  job_runs: 'job names and times',
  register_items: "the annual report's registers: the bureau's documents, fees, proposals",
  ratings: 'rating labels (counted in reports)',
  reminders_sent: 'reminder keys (case code and kind)',
  slack_case_messages: 'case code and Slack message ts',
  heartbeat: 'instance name and time',
  instances: 'instance ids and times',
  case_counters: 'case code counters',
  case_reviews: "信访 复查/复核 entries: level, the deciding public body, dates, outcome (staff's note is in case_events)",
  disclosure_appeals: "行政复议/行政诉讼 of a disclosure answer: category, dates, outcome, the body's 案号 (staff's note is in case_events)",
  erasure_rewrites: 'names of tables still to be rewritten after an erase, and why their rewrite failed',
  digest_posts: 'times the daily digest was posted and covered up to',
  monthly_report_posts: 'months whose monthly report was posted, and when',
  deadline_recomputations: 'case ids a migration queued for a deadline recomputation (0042), and the reason; emptied at start',
  erasure_journal: 'per erase: its time, channel, message row ids with creation times and case codes with the time received (rows already emptied; names no one)',
};

let db: Db;
let drop: (() => Promise<void>) | undefined;
beforeEach(async () => {
  // PostgreSQL: a database of its own. In the shared test database other test files' transactions hold
  // snapshots, and the rewrite after an erase rightly reports that they keep the erased rows (diskProblem).
  const fresh = onPostgres ? await freshPostgresDatabase('tables') : undefined;
  drop = fresh?.drop;
  db = await openDb(fresh?.url ?? join(mkdtempSync(join(tmpdir(), 'civicdesk-tables-')), 'tables.db'));
  await migrate(db);
});
afterEach(async () => {
  await db.close();
  await drop?.();
});

async function seed(sessionExpires: string): Promise<void> {
  await db.run(
    "INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', ?, ?, 'kb-miss', 0, ?)",
    [CHAT, TEXT, T0],
  );
  await db.run(
    `INSERT INTO cases (code, type, channel, state, text, contact, citizen_name, chat_id, citizen_ref, close_note, idempotency_key,
       received_at, closed_at, created_at, updated_at)
     VALUES ('XH-2026-000733', 'complaint', 'telegram', 'closed', ?, ?, '林雪松', ?, 'u733', ?, ?, ?, ?, ?, ?)`,
    [TEXT, PHONE, CHAT, `已回电${PHONE}`, `telegram:${CHAT}:1`, T0, T0, T0, T0],
  );
  const { id } = (await db.get<{ id: number }>("SELECT id FROM cases WHERE code = 'XH-2026-000733'"))!;
  await db.run("INSERT INTO case_events (case_id, at, actor, kind, note) VALUES (?, ?, 'citizen', 'followup', ?)", [id, T0, TEXT]);
  await db.run(
    "INSERT INTO outbox (target, address, payload, case_id, state, next_attempt_at, created_at) VALUES ('telegram', ?, ?, ?, 'sent', ?, ?)",
    [CHAT, JSON.stringify([{ text: `您反映的${WORDS}问题已转交` }]), id, T0, T0],
  );
  await db.run("INSERT INTO conversations (channel, chat_id, user_id, state_json, updated_at) VALUES ('telegram', ?, 'u733', ?, ?)", [
    CHAT,
    JSON.stringify({ recent: [`家长: ${TEXT}`] }),
    T0,
  ]);
  await db.run("INSERT INTO processed_inbound (source, key, at) VALUES ('telegram', ?, ?)", [`9001:${CHAT}:5`, T0]);
  await db.run("INSERT INTO telegram_message_cases (chat_id, message_id, case_code, created_at) VALUES (?, 5, 'XH-2026-000733', ?)", [CHAT, T0]);
  await db.run('INSERT INTO telegram_callbacks (token, payload, created_at) VALUES (?, ?, ?)', ['tok733', JSON.stringify({ kind: 'choose', value: WORDS }), T0]);
  // A gap mark an admin made while the message was listed keeps its wording (group.ts writes it so).
  await db.run("INSERT INTO gap_groups (key, status, samples, marked_by, marked_at) VALUES ('g733', 'ignored', ?, 'UADMIN', ?)", [
    JSON.stringify([maskPersonalData(questionText(TEXT)), '幼儿园收费标准']),
    T0,
  ]);
  await db.run('INSERT INTO web_sessions (id, token_hash, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)', ['ws733', 'h733', T0, T0, sessionExpires]);
  await db.run("INSERT INTO web_messages (session_id, role, payload, created_at) VALUES ('ws733', 'parent', ?, ?)", [JSON.stringify({ text: TEXT }), T0]);
}

/** Rows of the personal tables that still hold the parent's words, phone or chat id. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  for (const table of PERSONAL_TABLES)
    for (const row of await db.all(`SELECT * FROM ${table}`)) {
      const json = JSON.stringify(row);
      if ([WORDS, PHONE, CHAT].some((s) => json.includes(s))) found.push(`${table}: ${json}`);
    }
  return found;
}

describe('personal tables', () => {
  it('every table with text columns is listed as personal (purged and erased) or says what it keeps instead', async () => {
    const tables = await db.all<{ name: string }>(
      db.dialect === 'postgres'
        ? "SELECT DISTINCT table_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'text'"
        : "SELECT DISTINCT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND upper(c.type) = 'TEXT'",
    );
    const personal = new Set<string>(PERSONAL_TABLES);
    const undecided = tables.map((t) => t.name).filter((n) => !personal.has(n) && !(n in NOT_PERSONAL));
    expect(undecided).toEqual([]);
  });

  it('the retention purge leaves the parent in no table', async () => {
    await seed('2026-01-06T02:00:00.000Z');
    expect(new Set((await leftovers()).map((l) => l.split(':')[0])).size).toBe(PERSONAL_TABLES.length - 1); // web_sessions: a random id
    const now = new Date('2026-01-20T02:00:00.000Z');
    const result = await purgeExpired(db, { messageDays: 7, caseDays: 7, conversationDays: 7 }, now);
    await purgeWebData(db, { now, reopenDays: 15, messages: new Date(now.getTime() - 7 * 86_400_000) });
    expect(result).toMatchObject({ messageTexts: 1, cases: 1, conversations: 1, gapSamples: 1, diskProblem: null });
    expect(await leftovers()).toEqual([]);
    // The case is still counted, anonymised.
    expect(await db.get("SELECT state, text, contact FROM cases WHERE code = 'XH-2026-000733'")).toEqual({ state: 'closed', text: '[已删除]', contact: null });
  });

  it('删除我的数据 (the engine\'s erase, then the web chat\'s) leaves the parent in no table but the unlinked button payloads', async () => {
    await seed('2027-01-01T00:00:00.000Z');
    const result = await createEngineStore(db).eraseChat('telegram', CHAT, '2026-01-06T02:00:00.000Z');
    expect(result).toMatchObject({ cases: 1, messages: 1, diskProblem: null });
    await deleteWebSession(db, 'ws733', new Date('2026-03-05T02:00:00.000Z'));
    // A button payload names no chat: it is kept until the retention purge (a day's worth of buttons, docs/PRIVACY.md).
    expect(await leftovers()).toEqual([expect.stringMatching(/^telegram_callbacks: /)]);
    // The gap mark stays, without the erased wording.
    expect(await db.get("SELECT samples FROM gap_groups WHERE key = 'g733'")).toEqual({ samples: JSON.stringify(['幼儿园收费标准']) });
  });
});
