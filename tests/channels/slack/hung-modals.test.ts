import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseDesk, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { VIEWS } from '../../../src/channels/slack/types.js';
import { findRating } from '../../../src/storage/cases-repo.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';
import { hangingDb, type HangingDb } from '../../helpers/hanging-db.js';
import { phoneComplaintSubmission, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';
import { manualTimer } from '../../helpers/manual-timer.js';

/**
 * The 记录评价 and 行政复议/诉讼 modals (and 重新办理) of staff in Slack, while a database call HANGS — never answers
 * — at the boundary every repository function goes through (hanging-db.ts), through signed requests to the real Bolt
 * app with its Web API on the local stub. Before, both modals read the database before their ack with no bound: a
 * hung read held the ack past Slack's 3 s (the modal showed an error, nothing said what happened). Now the read before
 * the ack is bounded (2 s: acked, nothing done, staff told), the work after it too (15 s: staff told its outcome is
 * not known), and a bounded-out action gives up the case's lock, so the next action on the case is not stuck behind
 * it. The bounds run on a timer the test fires by hand, only once the statement is known to hang.
 */

const CASE_BY_CODE = /FROM cases WHERE code = \?/;

describe('Slack: the rating and appeal modals while a database call hangs', () => {
  let h: SlackHarness;
  let real: Db;
  let hang: HangingDb;
  let desk: CaseDeskImpl;
  const now = new Date('2026-11-02T03:00:00Z'); // Mon 2 Nov 2026, 11:00 Beijing
  afterEach(async () => {
    await h.close();
    await real.close();
  });
  async function start() {
    const clock = manualTimer();
    real = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-hung-modals-')), 'test.db'));
    hang = hangingDb(real);
    desk = createCaseDesk({ db: hang.db, now: () => now });
    h = await startSlackHarness({ now: () => now, bounds: { timer: clock.timer } }, { db: hang.db, desk });
    return clock;
  }
  const closedPhoneCase = async () => {
    const c = await desk.file({ type: 'complaint', channel: 'phone', chatId: null, text: '家长来电反映校车超载', contact: '024-42841234', actor: 'slack:USTAFF1' });
    await desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await desk.act(c.code, { kind: 'reply', text: '已责令校车公司整改。', via: '电话' }, 'slack:USTAFF1');
    await desk.act(c.code, { kind: 'close', note: '' }, 'slack:USTAFF1');
    return c.code;
  };
  const rate = (code: string, stars: string) =>
    viewSubmission({ callbackId: VIEWS.rate, privateMetadata: code, values: {
      stars: { selected_option: { value: stars } }, via: { selected_option: { value: '电话回访' } }, on: { selected_date: '2026-11-02' } } });
  const ratingOf = async (code: string) => findRating(real, (await desk.get(code))!.id);

  it('记录评价: the case read before the ack hangs → acked within the bound, nothing recorded, staff told the form was not taken', async () => {
    const clock = await start();
    const code = await closedPhoneCase();
    const { reached } = hang.hangNext(CASE_BY_CODE);
    const sent = postInteraction(h.url, rate(code, '5'));
    await reached;
    clock.fire();
    const res = await sent;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(''); // the modal closes; no error shown by Slack
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(told.body.user).toBe('USTAFF1');
    expect(told.body.text).toBe('操作未完成：数据库在 2 秒内没有回应，表单内容没有提交，案件没有改变。请稍后再提交一次。');
    expect(await ratingOf(code)).toBeNull();
  });

  it('记录评价: the desk\'s read after the ack hangs → told the outcome is unknown; the case\'s lock is released, so submitting again records', async () => {
    const clock = await start();
    const code = await closedPhoneCase();
    // The first read of the case is the one before the ack; the second, under the case's lock, hangs.
    const { reached } = hang.hangNext(CASE_BY_CODE, 1);
    const first = await postInteraction(h.url, rate(code, '4'));
    expect(first.status).toBe(200);
    await reached;
    clock.fire();
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(told.body.text).toBe('这次操作在 15 秒内没有完成（数据库或 Slack 没有回应），是否已经生效不能确定：请稍后查看案件或记录，再决定是否重试；如持续出现，请联系管理员。');
    expect(await ratingOf(code)).toBeNull();

    // The hung call never answers; the next submission on the same case is not queued behind it.
    const mark = h.stub.calls.length;
    await postInteraction(h.url, rate(code, '5'));
    const again = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    expect(again.body.text).toBe(`已记录 ${code} 的评价：★★★★★ 非常满意（电话回访，2026-11-02）。`);
    expect((await ratingOf(code))?.value).toBe(5);
  });

  it('重新办理 after a hung action on the same case goes ahead (the lock was given up at the bound)', async () => {
    const clock = await start();
    const code = await closedPhoneCase();
    const { reached } = hang.hangNext(CASE_BY_CODE, 1);
    await postInteraction(h.url, rate(code, '2'));
    await reached;
    clock.fire();
    await h.stub.waitFor('chat.postEphemeral');
    const mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reopen, privateMetadata: code, values: { reason: '家长来电：超载仍未解决' } }));
    const told = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    expect(String(told.body.text)).toMatch(new RegExp(`^已重新办理 ${code}`));
    expect((await desk.get(code))?.state).toBe('reopened');
  });

  it('行政复议/诉讼: the appeals read before the ack hangs → acked within the bound, nothing recorded, typed note given back', async () => {
    const clock = await start();
    const c = await desk.file({ type: 'disclosure', channel: 'telegram', chatId: '9001', text: '申请公开2025年学区划分依据', actor: 'citizen', applicantType: '自然人' });
    await desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await desk.act(c.code, { kind: 'close', note: '经检索，该信息不存在。', disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息' }, 'slack:USTAFF1');
    const { reached } = hang.hangNext(/FROM disclosure_appeals/);
    const sent = postInteraction(h.url, viewSubmission({ callbackId: VIEWS.appeal, privateMetadata: c.code, values: {
      category: { selected_option: { value: '行政复议' } }, filed: { selected_date: '2026-11-02' }, note: '申请人不服答复' } as never }));
    await reached;
    clock.fire();
    const res = await sent;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(String(told.body.text)).toMatch(/^操作未完成：数据库在 2 秒内没有回应，表单内容没有提交，案件没有改变。请稍后再提交一次。/);
    expect(String(told.body.text)).toContain('申请人不服答复');
    expect(await real.all('SELECT id FROM disclosure_appeals')).toEqual([]);
  });
});

/**
 * `/case new` and `/disclose`: their work after the ack (filing the case, recording the publication) is bounded as the
 * case modals' is (15 s, view-steps.ts withinWork). Before, a database that hung there left the staff member with no
 * answer at all. Neither holds a case lock (no case exists yet): there is none to give up.
 */
describe('Slack: /case new and /disclose while a database call hangs after the ack', () => {
  let h: SlackHarness;
  let real: Db;
  let hang: HangingDb;
  let release = (): void => undefined;
  const now = new Date('2026-11-02T03:00:00Z'); // Mon 2 Nov 2026, 11:00 Beijing
  afterEach(async () => {
    release(); // a statement hung inside a transaction holds the connection until it runs
    await h.close();
    await real.close();
  });
  async function start() {
    const clock = manualTimer();
    real = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-hung-new-')), 'test.db'));
    hang = hangingDb(real);
    h = await startSlackHarness({ now: () => now, bounds: { timer: clock.timer } }, { db: hang.db, desk: createCaseDesk({ db: hang.db, now: () => now }) });
    return clock;
  }
  const newCase = phoneComplaintSubmission(VIEWS.newCase);

  it('/case new: filing hangs → staff told within the bound that its outcome is not known, with the text they typed; a late answer files it once and says so', async () => {
    const clock = await start();
    const held = hang.hangNext(/INSERT INTO cases \(/);
    release = held.release;
    const res = await postInteraction(h.url, newCase);
    expect(res.status).toBe(200);
    await held.reached;
    clock.fire();
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(told.body.user).toBe('USTAFF1');
    const text = String(told.body.text);
    expect(text).toMatch(/^这次操作在 15 秒内没有完成（数据库或 Slack 没有回应），是否已经生效不能确定/);
    expect(text).toContain('您在表单中填写的内容如下，可复制后重新提交：');
    expect(text).toContain('家长来电反映校车超载');
    // The database answers at last: the case is filed (once), and the staff member is told its number after all.
    const mark = h.stub.calls.length;
    release();
    const late = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    expect(String(late.body.text)).toMatch(/XH-2026-000001/);
    expect(await real.all('SELECT code, text FROM cases')).toEqual([{ code: 'XH-2026-000001', text: '家长来电反映校车超载' }]);
  });

  it('/disclose: recording hangs → staff told within the bound that its outcome is not known, with the title they typed; a late answer records it once', async () => {
    const clock = await start();
    const held = hang.hangNext(/FROM disclosures/);
    release = held.release;
    const res = await postInteraction(h.url, viewSubmission({
      callbackId: VIEWS.disclose,
      values: {
        title: '2026年溪湖区义务教育招生工作方案',
        category: { selected_option: { value: '招生政策' } },
        channel: { selected_option: { value: '本溪市教育网' } },
        date: { selected_date: '2026-11-02' },
        url: 'https://www.bxedu.gov.cn/2026/zs.html',
      },
    }));
    expect(res.status).toBe(200);
    await held.reached;
    clock.fire();
    const told = await h.stub.waitFor('chat.postEphemeral');
    const text = String(told.body.text);
    expect(text).toMatch(/^这次操作在 15 秒内没有完成/);
    expect(text).toContain('2026年溪湖区义务教育招生工作方案');
    // The database answers at last: recorded once, and said so.
    const mark = h.stub.calls.length;
    release();
    const late = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    expect(late.body.text).toBe('已登记公开信息：2026年溪湖区义务教育招生工作方案（2026-11-02）');
    expect(await real.all('SELECT title FROM disclosures')).toEqual([{ title: '2026年溪湖区义务教育招生工作方案' }]);
  });
});
