import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
import { insertMessage, setMessageFeedback, type MessageInsert } from '../../src/storage/messages-repo.js';
import { openStore } from '../../src/storage/open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbgaps-'));
const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge') };

const entry = (id: string, title: string, reviewBy: string, body: string) =>
  `---\nid: ${id}\ntitle: ${title}\ncategory: enrollment\nquestions:\n  - ${title}\nupdated: 2026-04-20\nreview_by: ${reviewBy}\n---\n\n${body}\n`;

const cli = (args: string[]) => runCliCaptured(args, env);

// The CLI runs in this process and reads the wall clock: freeze it (Date only; timers stay real) on a
// day between the two entries' review_by dates, so "past review_by" and "last 30 days" never depend
// on the day the suite runs (the 2027-03-31 entry would be past review from April 2027).
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-28T02:00:00Z') });
});
afterAll(() => {
  vi.useRealTimers();
});

beforeAll(async () => {
  mkdirSync(env.KNOWLEDGE_DIR);
  writeFileSync(
    join(env.KNOWLEDGE_DIR, 'age.md'),
    entry('enrollment-age', '小学一年级入学年龄要求', '2027-03-31', '## 年龄规定\n\n年满六周岁的儿童入学，以8月31日为截止日。'),
  );
  writeFileSync(
    join(env.KNOWLEDGE_DIR, 'transfer.md'),
    entry('guide-student-transfer', '学生转学办事指南', '2026-01-31', '## 受理条件\n\n家庭住址跨区迁移的学生可以申请转学。'),
  );
  const db = await openStore(env.DATABASE_PATH);
  const base: MessageInsert = { channel: 'telegram', chatId: '7', text: null, intent: 'kb', answered: false, confident: false };
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
  await insertMessage(db, { ...base, text: '幼儿园怎么报名 电话13812345678' }, ago(3));
  await insertMessage(db, { ...base, text: '幼儿园怎么报名' }, ago(2));
  await insertMessage(db, { ...base, text: '幼儿园报名咋报' }, ago(1));
  await insertMessage(db, { ...base, text: '孩子转学要办啥手续', answered: true, entryId: 'guide-student-transfer', section: '受理条件' }, ago(2));
  await insertMessage(db, { ...base, text: '驾照怎么考' }, ago(40));
  const id = await insertMessage(db, { ...base, answered: true, confident: true, entryId: 'enrollment-age', section: '年龄规定' }, ago(1));
  await setMessageFeedback(db, id, true, null);
  await db.close();
});

describe('cli: kb gaps', () => {
  it('lists groups largest first, masked, with the best match', async () => {
    const { code, out } = await cli(['kb', 'gaps', '--days', '30']);
    expect(code).toBe(0);
    expect(out).toContain('Unanswered questions, last 30 days: 2 open groups (0 marked).');
    expect(out).toMatch(/1\. ×3 {2}幼儿园怎么报名 电话138\*\*\*\*5678\n {3}key [0-9a-f]{10} · refused 3 · low confidence 0 · not helpful 0/);
    expect(out).toMatch(/2\. ×1 {2}孩子转学要办啥手续\n.*\n {3}best match: 学生转学办事指南 \(guide-student-transfer, /);
    expect(out).not.toContain('驾照');
    expect(out).not.toContain('13812345678');
  });

  it('writes CSV with a header row', async () => {
    const { out } = await cli(['kb', 'gaps', '--format', 'csv']);
    const rows = parse(out, { bom: true }) as string[][];
    expect(rows[0]!.slice(0, 4)).toEqual(['key', 'status', 'count', 'representative']);
    expect(rows.slice(1).map((r) => [r[1], r[2]])).toEqual([
      ['open', '3'],
      ['open', '1'],
    ]);
  });

  it('marks a group resolved by an entry and shows it', async () => {
    const list = await cli(['kb', 'gaps']);
    const key = /key ([0-9a-f]{10})/.exec(list.out)![1]!;
    const bad = await cli(['kb', 'gaps', 'mark', key, 'resolved', '--entry', 'no-such-entry']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('No entry with id "no-such-entry"');
    const ok = await cli(['kb', 'gaps', 'mark', key, 'resolved', '--entry', 'enrollment-age']);
    expect(ok.out).toBe(`Gap group ${key} (幼儿园怎么报名 电话138****5678 ×3) marked resolved by enrollment-age.\n`);
    const after = await cli(['kb', 'gaps']);
    expect(after.out).toContain(`幼儿园怎么报名 电话138****5678 [resolved by enrollment-age]`);
    // Before: the 3 queued questions plus the confident answer already served by enrollment-age (texts of
    // confident answers are not kept, so the resolving entry's answers count as matching); after: nothing yet.
    expect(after.out).toMatch(new RegExp(`- ${key} → enrollment-age on \\d{4}-\\d{2}-\\d{2}: 25% of 4 → – of 0`));
    const reopened = await cli(['kb', 'gaps', 'mark', key, 'open']);
    expect(reopened.out).toBe(`Gap group ${key} is open again.\n`);
  });

  it('rejects bad options with usage', async () => {
    expect((await cli(['kb', 'gaps', '--days', 'abc'])).err).toContain('--days must be a whole number of days from 1 to 3650 (got "abc")');
    expect((await cli(['kb', 'gaps', '--format', 'xml'])).err).toContain('--format must be text or csv (got "xml")');
    expect((await cli(['kb', 'gaps', 'mark', 'abc'])).code).toBe(2);
  });
});

describe('cli: kb stats', () => {
  it('shows served and feedback per entry and section, and entries needing attention', async () => {
    const { code, out } = await cli(['kb', 'stats']);
    expect(code).toBe(0);
    expect(out).toContain('Knowledge answers, last 30 days: 2 served, 1 helpful, 0 not helpful.');
    expect(out).toMatch(/ {5}1 {3}1 {3}0 {5}100% {2}\d{4}-\d{2}-\d{2} {3}2026-04-20 {2}enrollment-age 小学一年级入学年龄要求\n/);
    expect(out).toContain('guide-student-transfer 学生转学办事指南  ⚠ past review_by 2026-01-31');
    expect(out).toContain('Past review_by (1): guide-student-transfer');
    expect(out).toContain('Not served in 90 days (0): none');
  });

  it('writes CSV rows per entry and section', async () => {
    const rows = parse((await cli(['kb', 'stats', '--format', 'csv'])).out, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['entry_id', 'section', 'title', 'served', 'helpful', 'not_helpful', 'last_served_at', 'updated', 'review_by', 'past_review', 'unused_90d']);
    expect(rows.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['enrollment-age', '', '小学一年级入学年龄要求', '1', '1', '0'],
      ['enrollment-age', '年龄规定', '', '1', '1', '0'],
      ['guide-student-transfer', '', '学生转学办事指南', '1', '0', '0'],
      ['guide-student-transfer', '受理条件', '', '1', '0', '0'],
    ]);
  });
});
