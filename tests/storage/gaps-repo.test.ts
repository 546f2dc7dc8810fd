import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listGaps, markGap, topGaps } from '../../src/core/gaps/queue.js';
import type { Db } from '../../src/storage/db.js';
import {
  deleteGapMark,
  lastServedByEntry,
  listGapMarks,
  listGapMessages,
  purgeGapSamples,
  usageByEntrySection,
} from '../../src/storage/gaps-repo.js';
import { insertMessage, setMessageFeedback, type MessageInsert } from '../../src/storage/messages-repo.js';
import { openStore } from '../../src/storage/open-store.js';

const at = (iso: string) => new Date(iso);
const base: MessageInsert = { channel: 'telegram', chatId: '42', text: null, intent: 'kb', answered: false, confident: false };

let db: Db;
beforeEach(async () => {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-gaps-')), 'test.db'));
});
afterEach(async () => {
  await db.close();
});

async function seed() {
  await insertMessage(db, { ...base, text: '幼儿园怎么报名' }, at('2026-11-01T01:00:00Z'));
  await insertMessage(db, { ...base, text: '幼儿园什么时候报名呀' }, at('2026-11-02T01:00:00Z'));
  await insertMessage(db, { ...base, text: '幼儿园报名咋报', channel: 'console' }, at('2026-11-03T01:00:00Z'));
  await insertMessage(db, { ...base, text: '学籍号咋查', answered: true, entryId: 'policy-student-status', section: '学籍号', score: 0.5 }, at('2026-11-04T01:00:00Z'));
  const helpful = await insertMessage(db, { ...base, answered: true, confident: true, entryId: 'enrollment-age', section: '年龄规定', score: 0.9 }, at('2026-11-05T01:00:00Z'));
  await setMessageFeedback(db, helpful, true, '几岁上学');
  const unhelpful = await insertMessage(db, { ...base, answered: true, confident: true, entryId: 'enrollment-age', section: '年龄规定', score: 0.8 }, at('2026-11-06T01:00:00Z'));
  await setMessageFeedback(db, unhelpful, false, '娃九月生的能上学吗');
  await insertMessage(db, { ...base, intent: 'greeting', text: '你好' }, at('2026-11-06T02:00:00Z')); // not a knowledge question
  await insertMessage(db, { ...base, text: '幼儿园怎么报名' }, at('2026-09-01T01:00:00Z')); // before the window
}

describe('gaps-repo', () => {
  it('queues refused, low-confidence and not-helpful questions, and nothing else', async () => {
    await seed();
    const items = await listGapMessages(db, '2026-10-01T00:00:00.000Z');
    expect(items.map((i) => [i.text, i.reason, i.entryId])).toEqual([
      ['幼儿园怎么报名', 'refused', null],
      ['幼儿园什么时候报名呀', 'refused', null],
      ['幼儿园报名咋报', 'refused', null],
      ['学籍号咋查', 'low_confidence', 'policy-student-status'],
      ['娃九月生的能上学吗', 'not_helpful', 'enrollment-age'],
    ]);
  });

  it('counts answers and feedback per entry and section', async () => {
    await seed();
    expect(await usageByEntrySection(db, '2026-10-01T00:00:00.000Z')).toEqual([
      { entryId: 'enrollment-age', section: '年龄规定', served: 2, helpful: 1, notHelpful: 1, lastServedAt: '2026-11-06T01:00:00.000Z' },
      { entryId: 'policy-student-status', section: '学籍号', served: 1, helpful: 0, notHelpful: 0, lastServedAt: '2026-11-04T01:00:00.000Z' },
    ]);
    expect([...(await lastServedByEntry(db))]).toEqual([
      ['enrollment-age', '2026-11-06T01:00:00.000Z'],
      ['policy-student-status', '2026-11-04T01:00:00.000Z'],
    ]);
  });

  it('groups the queue, lists the top open groups for the digest, and remembers marks', async () => {
    await seed();
    const since = at('2026-10-01T00:00:00Z');
    const now = at('2026-11-10T00:00:00Z');
    const top = await topGaps(db, { since, limit: 5 });
    expect(top.map((g) => [g.representative, g.count])).toEqual([
      ['幼儿园怎么报名', 3],
      ['娃九月生的能上学吗', 1],
      ['学籍号咋查', 1],
    ]);
    const marked = await markGap(db, { key: top[0]!.key, status: 'ignored', actor: 'slack:U1', since, now });
    expect(marked.status).toBe('ignored');
    expect(await listGapMarks(db)).toEqual([
      {
        key: top[0]!.key,
        status: 'ignored',
        entryId: null,
        resolvedAt: null,
        samples: ['幼儿园报名', '幼儿园时候报名', '幼儿园报名报'],
        markedBy: 'slack:U1',
        markedAt: '2026-11-10T00:00:00.000Z',
      },
    ]);
    expect((await topGaps(db, { since, limit: 1 })).map((g) => g.representative)).toEqual(['娃九月生的能上学吗']);
    expect(await purgeGapSamples(db, '2026-11-10T00:00:00.000Z', new Date('2026-12-01T00:00:00.000Z'))).toBe(0);
    expect(await purgeGapSamples(db, '2026-11-11T00:00:00.000Z', new Date('2026-12-01T00:00:00.000Z'))).toBe(1);
    expect((await listGapMarks(db))[0]!.samples).toEqual([]);
    expect((await topGaps(db, { since, limit: 1 })).map((g) => g.representative)).toEqual(['娃九月生的能上学吗']); // still found by key
    expect(await deleteGapMark(db, top[0]!.key)).toBe(true);
    expect((await topGaps(db, { since, limit: 1 }))[0]!.key).toBe(top[0]!.key);
  });

  it('refuses unknown keys and resolving without an entry, with messages an admin can act on', async () => {
    await seed();
    const since = at('2026-10-01T00:00:00Z');
    const now = at('2026-11-10T00:00:00Z');
    await expect(markGap(db, { key: 'nope', status: 'ignored', actor: 'cli', since, now })).rejects.toThrow(
      'No gap group with key "nope" in this period. Run "npm run cli -- kb gaps" (with the same --days) to list the keys.',
    );
    await expect(markGap(db, { key: 'nope', status: 'resolved', actor: 'cli', since, now })).rejects.toThrow(
      'Marking a group resolved needs the entry that answers it: add --entry ENTRY_ID.',
    );
  });

  it('shows whether a resolved gap closed', async () => {
    await seed();
    const since = at('2026-10-01T00:00:00Z');
    const [group] = await topGaps(db, { since });
    await markGap(db, { key: group!.key, status: 'resolved', entryId: 'faq-kindergarten', actor: 'cli', since, now: at('2026-11-10T00:00:00Z') });
    await insertMessage(db, { ...base, answered: true, confident: true, entryId: 'faq-kindergarten' }, at('2026-11-11T01:00:00Z'));
    await insertMessage(db, { ...base, text: '幼儿园报名在哪报' }, at('2026-11-12T01:00:00Z'));
    const report = await listGaps(db, { since, now: at('2026-11-20T00:00:00Z') });
    expect(report.groups[0]).toMatchObject({ key: group!.key, status: 'resolved', resolvedEntryId: 'faq-kindergarten', count: 4 });
    expect(report.closures).toEqual([
      {
        key: group!.key,
        entryId: 'faq-kindergarten',
        resolvedAt: '2026-11-10T00:00:00.000Z',
        before: { matching: 3, confident: 0, share: 0 },
        after: { matching: 2, confident: 1, share: 0.5 },
      },
    ]);
  });
});
