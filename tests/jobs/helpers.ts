import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecordingPoster } from '../../jobs/console-poster.js';
import type { JobContext } from '../../jobs/types.js';
import { createWorkCalendar } from '../../src/core/calendar/index.js';
import { silentLogger } from '../../src/logger.js';
import type { Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open-store.js';

/** A migrated SQLite file in a fresh temp dir. */
export async function tempStore(): Promise<{ db: Db; path: string; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-jobs-'));
  const path = join(dir, 'test.db');
  const db = await openStore(path);
  return {
    db,
    path,
    dir,
    async cleanup() {
      await db.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CaseSeed {
  code: string;
  type?: string;
  channel?: string;
  state?: string;
  text?: string;
  contact?: string | null;
  citizenName?: string | null;
  assignee?: string | null;
  receivedAt: string;
  deadlineOn?: string | null;
  closedAt?: string | null;
  /** When the answer was given; a 'replied' row without one gets its receipt time (a replied case always has one). */
  repliedAt?: string | null;
  unreachable?: boolean;
}

let seq = 0;
/** Insert a case row directly (report tests need exact timestamps). Returns its id. */
export async function seedCase(db: Db, c: CaseSeed): Promise<number> {
  seq += 1;
  const r = await db.run(
    `INSERT INTO cases (code, type, channel, state, text, contact, citizen_name, assignee, received_at, deadline_on, closed_at,
       unreachable, created_at, updated_at, replied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      c.code,
      c.type ?? 'inquiry',
      c.channel ?? 'telegram',
      c.state ?? 'received',
      c.text ?? `测试案件 ${seq}`,
      c.contact ?? null,
      c.citizenName ?? null,
      c.assignee ?? null,
      c.receivedAt,
      c.deadlineOn ?? null,
      c.closedAt ?? null,
      c.unreachable ? 1 : 0,
      c.receivedAt,
      c.receivedAt,
      c.repliedAt ?? (c.state === 'replied' ? c.receivedAt : null),
    ],
  );
  return r.lastID;
}

export async function seedRating(db: Db, caseId: number, label: string, ratedAt: string, declined = false): Promise<void> {
  await db.run('INSERT INTO ratings (case_id, scale, value, label, declined, rated_at) VALUES (?, ?, ?, ?, ?, ?)', [
    caseId,
    'stars5',
    declined ? null : 5,
    label,
    declined ? 1 : 0,
    ratedAt,
  ]);
}

export async function seedMessage(db: Db, m: { text: string | null; answered: boolean; feedback?: 0 | 1 | null; at: string; intent?: string }): Promise<void> {
  await db.run(
    `INSERT INTO messages (channel, chat_id, text, intent, answered, feedback, created_at) VALUES ('telegram', '1', ?, ?, ?, ?, ?)`,
    [m.text, m.intent ?? 'kb', m.answered ? 1 : 0, m.feedback ?? null, m.at],
  );
}

export const calendar = createWorkCalendar();

export function testContext(db: Db, overrides: Partial<JobContext> = {}): JobContext & { poster: ReturnType<typeof createRecordingPoster> } {
  const poster = createRecordingPoster();
  return {
    db,
    poster,
    calendar,
    timezone: 'Asia/Shanghai',
    locale: 'zh',
    leadUserIds: ['ULEAD1'],
    retention: { messageDays: 90, caseDays: 1095, conversationDays: 30 },
    caseLink: (code) => `https://slack.example/archives/C1/p${code.replace(/\D/g, '')}`,
    topGaps: async () => [],
    countServiceGuides: () => 7,
    logger: silentLogger(),
    dryRun: false,
    manual: false,
    ...overrides,
  } as JobContext & { poster: ReturnType<typeof createRecordingPoster> };
}
