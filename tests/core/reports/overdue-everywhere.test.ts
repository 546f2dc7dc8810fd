import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDigest } from '../../../jobs/daily-digest.js';
import { planReminders } from '../../../jobs/deadline-reminders.js';
import { createCaseDesk, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { createWorkCalendar } from '../../../src/core/calendar/index.js';
import { renderDigest } from '../../../src/core/reports/digest.js';
import { collectMonthly } from '../../../src/core/reports/monthly/collect.js';
import { renderMonthly } from '../../../src/core/reports/monthly/render.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../../src/core/reports/annual/index.js';
import { createAnnualSource } from '../../../src/storage/annual-report-repo.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';
import { runCliCaptured } from '../../helpers/cli.js';
import { slashCommand } from '../../helpers/slack-payloads.js';
import { startSlackHarness } from '../../helpers/slack-harness.js';
import { postCommand } from '../../helpers/slack-signer.js';
import { testContext } from '../../jobs/helpers.js';

/**
 * One case set, judged on one day (Thu 2026-07-02, 08:30 Beijing) by every place that says "overdue": the monthly and
 * annual reports, the daily digest, the deadline reminders, Slack `/cases overdue` and `/cases to-close`, and the CLI's
 * `cases list` and `cases export`. All read storage/case-outcome.ts, so all must agree. The lead's rule: the limit is
 * met by the reply reaching the parent; answered on time and not closed is 待办结, not overdue.
 *
 * Phone complaints received Mon 2026-06-01 (10 working days: due 2026-06-15), letter disclosure requests the same day
 * (20 working days: due 2026-06-29 without a pause or an extension).
 */
const JUDGED = new Date('2026-07-02T00:30:00Z');
const calendar = createWorkCalendar();
let path: string;
let db: Db;
let desk: CaseDeskImpl;
let now = new Date('2026-06-01T02:00:00Z');
const at = (iso: string) => (now = new Date(iso));
const codes: Record<string, string> = {};

async function phone(name: string, text: string): Promise<string> {
  at('2026-06-01T02:00:00Z');
  const c = await desk.file({ type: 'complaint', channel: 'phone', text, contact: '13912345678', actor: 'cli', receivedAt: now });
  await desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
  codes[name] = c.code;
  return c.code;
}

async function letter(name: string, text: string): Promise<string> {
  at('2026-06-01T02:00:00Z');
  const c = await desk.file({
    type: 'disclosure', channel: 'letter', text, citizenName: '张三', contact: '13900000000', applicantType: '自然人',
    applicantIdType: '居民身份证', applicantIdNumber: '11010519491231002X', deliveryForm: '电子', deliveryMethod: '电子邮件', deliveryAddress: 'a@b.cn',
    receivedAt: now, actor: 'cli',
  } as never);
  await desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
  codes[name] = c.code;
  return c.code;
}

beforeAll(async () => {
  path = join(mkdtempSync(join(tmpdir(), 'civicdesk-overdue-')), 'test.db');
  db = await openStore(path);
  desk = createCaseDesk({ db, now: () => now });

  const repliedOnTime = await phone('repliedOnTime', '来电反映学校食堂卫生');
  at('2026-06-05T02:00:00Z');
  await desk.act(repliedOnTime, { kind: 'reply', text: '已责成学校整改', via: '电话' }, 'slack:USTAFF1');
  at('2026-06-22T02:00:00Z'); // a follow-up answer after the deadline: the limit was met by the first one
  await desk.act(repliedOnTime, { kind: 'reply', text: '整改情况已再次回访告知', via: '电话' }, 'slack:USTAFF1');

  const repliedLate = await phone('repliedLate', '来电反映校车超载');
  at('2026-06-20T02:00:00Z');
  await desk.act(repliedLate, { kind: 'reply', text: '已约谈校车公司', via: '电话' }, 'slack:USTAFF1');

  const closedLate = await phone('closedLate', '来电反映课后服务收费');
  at('2026-06-05T02:00:00Z');
  await desk.act(closedLate, { kind: 'reply', text: '收费已按规定退还', via: '电话' }, 'slack:USTAFF1');
  at('2026-06-25T02:00:00Z');
  await desk.act(closedLate, { kind: 'close', note: '', via: '电话' }, 'slack:USTAFF1');

  const unreachable = await phone('unreachable', '来电反映教师有偿补课');
  at('2026-06-05T02:00:00Z');
  await desk.act(unreachable, { kind: 'unreachable', note: '三次来电未接' }, 'slack:USTAFF1');

  const withdrawn = await phone('withdrawn', '来电反映学位分配');
  at('2026-06-08T02:00:00Z');
  await desk.act(withdrawn, { kind: 'withdraw', note: '已自行解决', via: '电话' }, 'slack:USTAFF1');

  await phone('openPastDeadline', '来电反映学校乱收费');

  const extended = await letter('extended', '申请公开2026年学区划分依据');
  at('2026-06-24T02:00:00Z');
  await desk.act(extended, { kind: 'extend', reason: '需会同街道核查', approvedBy: '王副局长', via: '书面' }, 'slack:USTAFF1');

  const correction = await letter('correctionPending', '申请公开2025年招生计划');
  at('2026-06-03T02:00:00Z');
  await desk.requestCorrection(correction, '请补充所需信息的名称', 'slack:USTAFF1', '书面');
  at(JUDGED.toISOString());
});
afterAll(() => db.close());

const names = (list: string[]) => list.map((code) => Object.entries(codes).find(([, c]) => c === code)?.[0] ?? code).sort();
const OVERDUE = ['openPastDeadline', 'unreachable'];
const TO_CLOSE = ['repliedLate', 'repliedOnTime'];

describe('one definition of overdue everywhere (storage/case-outcome.ts)', () => {
  it('the set is what it says: the extension and the 补正 moved or stopped the deadline', async () => {
    expect((await desk.get(codes.openPastDeadline!))!.deadlineOn).toBe('2026-06-15');
    expect((await desk.get(codes.extended!))!.deadlineOn! > '2026-07-02').toBe(true);
    expect((await desk.get(codes.correctionPending!))!.deadlineOn).toBeNull();
  });

  it('the monthly report counts the June cases by that definition', async () => {
    const report = await collectMonthly(db, { month: '2026-06', timezone: 'Asia/Shanghai', today: '2026-07-02', isWorkingDay: (d) => calendar.isWorkingDay(d), serviceGuides: 0 });
    expect(report.periods.month.cases.outcome).toEqual({ onTime: 1, late: 1, awaitingClose: 1, open: 2, openOverdue: 2, ended: 1 });
    const text = renderMonthly(report, 'zh').map((p) => p.text).join('\n');
    expect(text).toContain('按期答复并办结：1 / 0 / 0 / 1');
    expect(text).toContain('逾期答复：1 / 0 / 0 / 1');
    expect(text).toContain('按期答复待办结：1 / 0 / 0 / 1');
    expect(text).toContain('逾期未答复：2 / 0 / 0 / 2');
    expect(renderMonthly(report, 'en').map((p) => p.text).join('\n')).toContain('Overdue (no answer yet): 2 / 0 / 0 / 2');
  });

  it('the annual report says what the data holds: 3 late (one answered late, two unanswered), no follow-up claimed', async () => {
    const { report, warnings } = await draftAnnualReport({
      year: 2026, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: JUDGED, serviceGuides: 0,
      source: createAnnualSource(db), templates: loadAnnualTemplates(join(process.cwd(), 'reports/annual')),
    });
    const oversight = report.overview[4]!.paragraphs.join('\n');
    expect(oversight).toContain('超期办理3件（均尚未办结）。超期原因及整改措施：【待本局填写】。');
    expect(oversight).not.toContain('督促整改');
    expect(warnings.some((w) => w.includes('3 petition(s) were handled late') && w.includes('3 件群众诉求超期办理'))).toBe(true);
  });

  it('the daily digest lists the same overdue cases and the answered ones awaiting closure apart', async () => {
    const ctx = testContext(db);
    const digest = await collectDigest(ctx, JUDGED);
    expect(names(digest.overdue.rows.map((r) => r.code))).toEqual(OVERDUE);
    expect(names(digest.awaitingClose!.rows.map((r) => r.code))).toEqual(TO_CLOSE);
    expect(names(digest.dueSoon.rows.map((r) => r.code))).toEqual([]);
    const text = renderDigest(digest, 'zh', () => null).map((p) => p.text).join('\n');
    expect(text).toContain('🚨 已逾期（期限已过仍未答复）：2 件');
    expect(text).toContain('📝 已答复待办结：2 件');
    expect(text).toContain(`${codes.repliedOnTime} [投诉·电话]`);
    expect(text).toContain('2026-06-05 已按期答复，待办结');
    expect(text).toContain('2026-06-20 答复，已超过期限 2026-06-15（逾期答复），待办结');
  });

  it('the reminders escalate exactly the overdue cases', async () => {
    const reminders = await planReminders(testContext(db), new Date('2026-07-02T01:00:00Z'));
    const overdue = reminders.filter((r) => r.kind === 'overdue').map((r) => r.post.text.match(/XH-\d{4}-\d{6}/)![0]);
    expect(names(overdue)).toEqual(OVERDUE);
    expect(reminders.filter((r) => r.kind === 'due')).toEqual([]);
  });

  it('Slack /cases overdue and /cases to-close show the same cases (signed requests, real Bolt)', async () => {
    const h = await startSlackHarness({ now: () => JUDGED, workingDaysBetween: (a, b) => calendar.workingDaysBetween(a, b) }, { db, desk });
    try {
      const command = async (text: string) => {
        const mark = h.stub.calls.length;
        const res = await postCommand(h.url, slashCommand({ command: '/cases', text, response_url: h.stub.responseUrl(`r${mark}`) }));
        expect(res.status).toBe(200);
        return (await h.stub.waitFor('response_url', () => true, { since: mark })).body as { text: string; blocks?: unknown[] };
      };
      const listed = (body: { blocks?: unknown[] }) => names([...JSON.stringify(body.blocks).matchAll(/\*(XH-\d{4}-\d{6})\*/g)].map((m) => m[1]!));
      const overdue = await command('overdue');
      expect(overdue.text).toBe('*已超期案件（期限已过仍未答复）*：共 2 件');
      expect(listed(overdue)).toEqual(OVERDUE);
      expect(JSON.stringify(overdue.blocks)).toContain('2026-06-15（已超期 12 个工作日）');
      const toClose = await command('to-close');
      expect(toClose.text).toBe('*已答复待办结的案件*：共 2 件');
      expect(listed(toClose)).toEqual(TO_CLOSE);
      expect(JSON.stringify(toClose.blocks)).toContain('2026-06-15（已按期答复，待办结）');
      expect(JSON.stringify(toClose.blocks)).toContain('2026-06-15（逾期答复，待办结）');
    } finally {
      await h.close();
    }
  });

  it('the CLI lists and exports the same verdicts', async () => {
    const env = { DATABASE_PATH: path, TIMEZONE: 'Asia/Shanghai' };
    const overdue = await runCliCaptured(['cases', 'list', 'overdue', '--on', '2026-07-02'], env);
    expect(overdue.code).toBe(0);
    expect(names(overdue.out.trim().split('\n').map((l) => l.split('\t')[0]!))).toEqual(OVERDUE);
    expect(overdue.err).toBe('2 case(s) overdue (no answer, past the deadline) on 2026-07-02.\n');
    const toClose = await runCliCaptured(['cases', 'list', 'to-close', '--on', '2026-07-02'], env);
    expect(toClose.out).toContain(`${codes.repliedLate}\tcomplaint\treplied\t2026-06-15\t2026-06-20 10:00\tlate\n`);
    expect(toClose.out).toContain(`${codes.repliedOnTime}\tcomplaint\treplied\t2026-06-15\t2026-06-05 10:00\tawaitingClose\n`);
    const exported = await runCliCaptured(['cases', 'export', '--on', '2026-07-02'], env);
    const outcomes = Object.fromEntries(exported.out.split('\r\n').slice(1).filter(Boolean).map((row) => [row.split(',')[0]!, row.split(',').at(-1)!]));
    expect(Object.fromEntries(Object.entries(codes).map(([name, code]) => [name, outcomes[code]]))).toEqual({
      repliedOnTime: 'awaitingClose', repliedLate: 'late', closedLate: 'onTime', unreachable: 'openOverdue', withdrawn: 'ended',
      openPastDeadline: 'openOverdue', extended: 'open', correctionPending: 'open',
    });
    const bad = await runCliCaptured(['cases', 'list', 'overdue', '--on', '2026-13-45'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--on must be a date such as 2026-12-07');
  });
});
