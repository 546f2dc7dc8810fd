import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDigest } from '../../../jobs/daily-digest.js';
import { createCaseDesk, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { createWorkCalendar } from '../../../src/core/calendar/index.js';
import { collectMonthly } from '../../../src/core/reports/monthly/collect.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../../src/core/reports/annual/index.js';
import { createAnnualSource } from '../../../src/storage/annual-report-repo.js';
import { caseOutcomes, outcomeDayAt } from '../../../src/storage/case-outcome.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';
import { testContext } from '../../jobs/helpers.js';

/**
 * A reply the bot could not deliver (the parent blocked it), the case then closed as 联系不上: judged by the day staff
 * closed it, never by the time of the reply that did not arrive (storage/case-outcome.ts says why). Before, such a case
 * closed after its deadline was 按期 by the undelivered reply's time — and was 逾期 in the digest the day before the
 * closing, while it sat in 联系不上: the same case flipped. The monthly report, the annual report, the digest and the
 * case verdicts (cards, CLI) all read the one function, so all say the same.
 *
 * Telegram complaints received Mon 2026-06-01 (10 working days: due 2026-06-15), answered in the chat on 06-05.
 */
const calendar = createWorkCalendar();
let db: Db;
let desk: CaseDeskImpl;
let now = new Date('2026-06-01T02:00:00Z');
const at = (iso: string) => (now = new Date(iso));
const codes: Record<string, string> = {};

/** Filed and answered on time in the chat; the answer then refused for good by Telegram. */
async function answeredUndelivered(name: string, chatId: string): Promise<string> {
  at('2026-06-01T02:00:00Z');
  const c = await desk.file({ type: 'complaint', channel: 'telegram', chatId, text: '反映学校课后服务收费问题', actor: 'citizen' });
  await desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
  at('2026-06-05T02:00:00Z');
  const { event } = await desk.act(c.code, { kind: 'reply', text: '收费已按规定退还。' }, 'slack:USTAFF1');
  await db.run("UPDATE outbox SET state = 'dead', last_error = ? WHERE dedupe_key = ?", ['403: Forbidden: bot was blocked by the user', `case-event:${event.id}:citizen`]);
  await desk.recordUndelivered(c.code, 'Telegram: bot was blocked by the user');
  codes[name] = c.code;
  return c.code;
}

beforeAll(async () => {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-undelivered-verdict-')), 'test.db'));
  desk = createCaseDesk({ db, now: () => now });
  const closedAfter = await answeredUndelivered('closedAfterDeadline', '8001');
  const closedWithin = await answeredUndelivered('closedWithinLimit', '8002');
  at('2026-06-10T02:00:00Z');
  await desk.act(closedWithin, { kind: 'close', note: '', basis: 'unreachable' }, 'slack:USTAFF1');
  at('2026-06-24T02:00:00Z');
  await desk.act(closedAfter, { kind: 'close', note: '', basis: 'unreachable' }, 'slack:USTAFF1');
});
afterAll(() => db.close());

describe('an undelivered reply, then closed as 联系不上', () => {
  it('the set is what it says: both replied 06-05 (undelivered) and closed as 联系不上, one before and one after 06-15', async () => {
    for (const code of Object.values(codes)) {
      const record = (await desk.get(code))!;
      expect(record).toMatchObject({ state: 'closed', closeBasis: 'unreachable', deadlineOn: '2026-06-15' });
      expect(record.repliedAt).toBe('2026-06-05T02:00:00.000Z');
    }
  });

  it('in 联系不上 before the closing it is overdue in the digest (no answer reached the parent)', async () => {
    // The closing after the deadline, seen on 06-22 (before it happened): judged on the case as it was then.
    const day = outcomeDayAt(new Date('2026-06-22T00:30:00Z'), 'Asia/Shanghai');
    await db.run("UPDATE cases SET state = 'unreachable', closed_at = NULL, close_basis = NULL WHERE code = ?", [codes.closedAfterDeadline!]);
    try {
      const digest = await collectDigest(testContext(db), new Date('2026-06-22T00:30:00Z'));
      expect(digest.overdue.rows.map((r) => r.code)).toEqual([codes.closedAfterDeadline]);
      const record = (await desk.get(codes.closedAfterDeadline!))!;
      expect((await caseOutcomes(db, [record.id], day)).get(record.id)).toBe('openOverdue');
    } finally {
      await db.run("UPDATE cases SET state = 'closed', closed_at = '2026-06-24T02:00:00.000Z', close_basis = 'unreachable' WHERE code = ?", [codes.closedAfterDeadline!]);
    }
  });

  it('closed after the deadline: late on the card / CLI verdict, the monthly report and the annual report; within it: on time', async () => {
    const ids = await Promise.all(Object.values(codes).map(async (c) => (await desk.get(c))!.id));
    const verdicts = await caseOutcomes(db, ids, outcomeDayAt(new Date('2026-07-02T00:30:00Z'), 'Asia/Shanghai'));
    expect(Object.fromEntries(Object.entries(codes).map(([name], i) => [name, verdicts.get(ids[i]!)]))).toEqual({
      closedAfterDeadline: 'late', closedWithinLimit: 'onTime',
    });

    const monthly = await collectMonthly(db, { month: '2026-06', timezone: 'Asia/Shanghai', today: '2026-07-02', isWorkingDay: (d) => calendar.isWorkingDay(d), serviceGuides: 0 });
    expect(monthly.periods.month.cases.outcome).toMatchObject({ onTime: 1, late: 1, openOverdue: 0 });

    const { report } = await draftAnnualReport({
      year: 2026, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2026-07-02T00:30:00Z'), serviceGuides: 0,
      source: createAnnualSource(db), templates: loadAnnualTemplates(join(process.cwd(), 'reports/annual')),
    });
    const oversight = report.overview[4]!.paragraphs.join('\n');
    expect(oversight).toContain('联系不上诉求人2件');
    expect(oversight).toContain('超期办理1件');
  });
});
