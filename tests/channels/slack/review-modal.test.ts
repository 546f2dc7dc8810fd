import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { openStore } from '../../../src/storage/open-store.js';
import type { Db } from '../../../src/storage/db.js';
import { blockAction, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';

/**
 * The 复查 / 复核 modal, through signed requests to the real Bolt app with its Web API on a local stub: opened from the
 * card of a closed 信访 case (the only cards with the button) or by `/case review CODE`, its fields are checked under
 * each field (Chinese, English by locale), and it records through the same desk call as the text command — a request
 * whose decision is still to come (due 30 日 after the request) and, later, its decision.
 */
type View = { callback_id: string; private_metadata: string; blocks: { type: string; block_id?: string; optional?: boolean; element?: Record<string, unknown>; elements?: { text: string }[] }[] };

describe('Slack: the 复查 / 复核 modal', () => {
  let h: SlackHarness;
  let db: Db;
  const clock = { now: new Date('2026-06-01T02:00:00Z') };
  afterEach(async () => {
    await h.close();
    await db.close();
  });
  async function start(locale: 'zh' | 'en' = 'zh') {
    clock.now = new Date('2026-06-01T02:00:00Z');
    db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-review-modal-')), 'test.db'));
    const desk = createCaseDesk({ db, now: () => clock.now, config: { BUREAU_SUPERIOR: '本溪市教育局' } });
    h = await startSlackHarness({ now: () => clock.now, locale }, { db, desk });
  }

  let seq = 0;
  const command = async (text: string) => {
    const id = `m${(seq += 1)}`;
    await postCommand(h.url, slashCommand({ command: '/case', text, user_id: 'USTAFF1', response_url: h.stub.responseUrl(id) }));
    return (await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}`)).body as { text: string };
  };
  const lastCard = () => JSON.stringify(h.stub.callsOf('chat.update').at(-1)?.body.blocks ?? h.stub.callsOf('chat.postMessage').at(-1)?.body.blocks);
  const reviewButton = (code: string) => `{"type":"button","action_id":"${CASE_ACTIONS.review}","value":"${code}"`;
  const submit = (code: string, values: Record<string, unknown>) =>
    postInteraction(h.url, viewSubmission({ callbackId: VIEWS.review, privateMetadata: code, values: values as never }));
  const picked = (v: string) => ({ selected_option: { value: v } });
  const date = (d: string) => ({ selected_date: d });

  /** A phone petition answered in writing and closed on Wed 1 Jul 2026. */
  async function closedPetition() {
    const c = await h.desk.file({ type: 'petition', channel: 'phone', chatId: null, text: '来电反映学校强制购买校服', actor: 'slack:USTAFF1' });
    await h.desk.act(c.code, { kind: 'claim', via: '电话' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    expect(lastCard()).not.toContain(reviewButton(c.code)); // open: no review button
    clock.now = new Date('2026-07-01T02:00:00Z');
    await h.desk.act(c.code, { kind: 'close', note: '经调查，学校已停止统一购买校服。', via: '书面' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    return c;
  }

  it('records a request from the card button, shows its due date, then its decision from /case review CODE', async () => {
    await start();
    const c = await closedPetition();
    expect(lastCard()).toContain(reviewButton(c.code));
    // A closed complaint (no 复查 right) has no such button, and /case review on it says why.
    const other = await h.desk.file({ type: 'complaint', channel: 'phone', chatId: null, text: '来电投诉食堂', actor: 'slack:USTAFF1' });
    await h.desk.act(other.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.desk.act(other.code, { kind: 'close', note: '已处理', via: '电话' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    expect(lastCard()).not.toContain(reviewButton(other.code));
    expect((await command(`review ${other.code}`)).text).toContain('不是信访事项');

    clock.now = new Date('2026-07-27T02:00:00Z');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.review, value: c.code }));
    const view = (await h.stub.waitFor('views.open')).body.view as View;
    expect(view.callback_id).toBe(VIEWS.review);
    expect(view.private_metadata).toBe(c.code);
    const block = (id: string) => view.blocks.find((b) => b.block_id === id)!;
    expect(block('level').element).toMatchObject({ type: 'static_select', initial_option: { value: 'review' } });
    expect((block('outcome').element as { options: { value: string }[] }).options.map((o) => o.value)).toEqual(['维持', '撤销', '变更', '不予受理', '撤回']);
    expect(block('outcome').optional).toBe(true);
    expect(block('requested').element).toMatchObject({ type: 'datepicker' });
    expect(block('decided')).toMatchObject({ optional: true, element: { type: 'datepicker' } });
    expect(block('body').element).toMatchObject({ initial_value: '本溪市教育局' });

    // Checked under each field, in Chinese; nothing is recorded.
    const base = { level: picked('review'), body: '本溪市教育局' };
    const halfDecided = await submit(c.code, { ...base, outcome: picked('维持'), requested: date('2026-07-23') });
    expect(await halfDecided.json()).toEqual({ response_action: 'errors', errors: { decided: '请写明复查意见的作出日期（意见书落款日期，如 2026-08-10）。' } });
    const noResult = await submit(c.code, { ...base, requested: date('2026-07-23'), decided: date('2026-07-25') });
    expect(await noResult.json()).toEqual({
      response_action: 'errors', errors: { outcome: '填写了意见作出日，请选择结果；尚未作出意见则两项都不填。' },
    });
    const shortBody = await submit(c.code, { level: picked('review'), requested: date('2026-07-23'), body: '市' });
    expect(await shortBody.json()).toEqual({
      response_action: 'errors', errors: { body: '请填写此项。' },
    });
    const later = await submit(c.code, { ...base, requested: date('2026-07-28') });
    expect(await later.json()).toEqual({ response_action: 'errors', errors: { requested: '请求日期 2026-07-28 还没有到（今天是 2026-07-27），请核对日期。' } });
    const backwards = await submit(c.code, { ...base, outcome: picked('维持'), requested: date('2026-07-23'), decided: date('2026-07-22') });
    expect((await backwards.json()).errors.decided).toContain('日期顺序不对');
    expect(await h.desk.reviews(c.code)).toHaveLength(0);

    // No result, no decision date: the request is recorded pending, due Sat 22 Aug → Mon 24 Aug (30 calendar days).
    let mark = h.stub.calls.length;
    await submit(c.code, { ...base, requested: date('2026-07-23'), note: { value: '市局来函调取材料' } });
    const told = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    const pendingLine = '复查（本溪市教育局）：尚未作出意见；请求 2026-07-23，本局获知 2026-07-27；在期限内（2026-07-01起 30 日，至 2026-07-31）；复查意见应于 2026-08-24 前作出（收到请求之日起30日内）';
    expect(told.body.text).toBe(`已记录 ${c.code}：${pendingLine}`);
    await h.slack.staffDesk.drainOnce();
    const card = JSON.stringify((await h.stub.waitFor('chat.update', undefined, { since: mark })).body.blocks);
    expect(card).toContain(pendingLine);
    expect(card).toContain(reviewButton(c.code));

    // The decision arrives: /case review CODE opens the modal on the pending request, its day and body prefilled.
    clock.now = new Date('2026-08-21T02:00:00Z');
    mark = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/case', text: `review ${c.code}`, user_id: 'USTAFF1' }));
    const again = (await h.stub.waitFor('views.open', undefined, { since: mark })).body.view as View;
    const at = (id: string) => again.blocks.find((b) => b.block_id === id)!;
    expect(at('level').element).toMatchObject({ initial_option: { value: 'review' } });
    expect(at('requested').element).toMatchObject({ initial_date: '2026-07-23' });
    expect(JSON.stringify(again.blocks)).toContain('待决定：复查（本溪市教育局）：尚未作出意见');
    await submit(c.code, { ...base, outcome: picked('维持'), requested: date('2026-07-23'), decided: date('2026-08-20') });
    const decided = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(decided.body.text).toBe(
      `已记录 ${c.code}：复查（本溪市教育局）：维持；请求 2026-07-23，意见 2026-08-20，本局收到 2026-08-21；在期限内（2026-07-01起 30 日，至 2026-07-31）`,
    );
    const [pending, decision] = await h.desk.reviews(c.code);
    expect(decision).toMatchObject({ decidesId: pending!.id, actor: 'slack:USTAFF1', outcome: '维持' });

    // The next stage is now 复核; a modal submission replayed (same view id) records once.
    mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.review, value: c.code }));
    const third = (await h.stub.waitFor('views.open', undefined, { since: mark })).body.view as View;
    expect(third.blocks.find((b) => b.block_id === 'level')?.element).toMatchObject({ initial_option: { value: 'recheck' } });
    expect(third.blocks.find((b) => b.block_id === 'body')?.element?.initial_value).toBeUndefined(); // the 复核 body is named by staff
    const recheck = viewSubmission({ callbackId: VIEWS.review, privateMetadata: c.code, viewId: 'VRECHECK', values: { level: picked('recheck'), body: '本溪市人民政府', requested: date('2026-08-21') } as never });
    await postInteraction(h.url, recheck);
    await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    await postInteraction(h.url, recheck);
    await h.slack.staffDesk.drainOnce();
    expect((await h.desk.reviews(c.code)).filter((r) => r.level === 'recheck')).toHaveLength(1);
  });

  it('the text command records the same entry; refusals of the desk reach the user; English staff read English', async () => {
    await start('en');
    const c = await closedPetition();
    clock.now = new Date('2026-07-27T02:00:00Z');
    expect((await command(`review ${c.code} 复查 请求=2026-07-23`)).text).toContain('the 复查 (review) decision is due by 2026-08-24');
    // A second pending 复查 from the modal: the desk refuses it, and says so to the user.
    const mark = h.stub.calls.length;
    await submit(c.code, { level: picked('review'), body: '本溪市教育局', requested: date('2026-07-23') });
    const refused = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(refused.body.text).toContain('the 复查 (review) request is already recorded (requested 2026-07-23, decision due by 2026-08-24)');
    const errors = (await (await submit(c.code, { level: picked('review'), body: '本溪市教育局', outcome: picked('维持'), requested: date('2026-07-23') })).json()).errors;
    expect(errors).toEqual({ decided: 'Give the date of the 复查 (review) decision (the date on the decision letter, YYYY-MM-DD).' });
    // An open case: no modal, the reason instead.
    const open = await h.desk.file({ type: 'petition', channel: 'phone', chatId: null, text: '来电反映校车问题', actor: 'slack:USTAFF1' });
    expect((await command(`review ${open.code}`)).text).toContain('has no written reply yet');
  });

  it('a posted request (机关收到请求日) and its withdrawal (撤回) from the modal: shown on the card, the request ends', async () => {
    await start();
    const c = await closedPetition();
    clock.now = new Date('2026-08-05T02:00:00Z');
    const base = { level: picked('review'), body: '本溪市教育局' };
    const before = await submit(c.code, { ...base, requested: date('2026-07-30'), requestReceived: date('2026-07-29') });
    expect(await before.json()).toEqual({ response_action: 'errors', errors: { requestReceived: '机关收到请求日 2026-07-29 不能早于请求日 2026-07-30，请核对日期。' } });
    let mark = h.stub.calls.length;
    await submit(c.code, { ...base, requested: date('2026-07-30'), requestReceived: date('2026-08-03') });
    expect((await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark })).body.text)
      .toContain('请求 2026-07-30（机关 2026-08-03 收到），本局获知 2026-08-05；在期限内（2026-07-01起 30 日，至 2026-07-31）；复查意见应于 2026-09-02 前作出');
    // Withdrawn: 撤回 needs its day; recorded, the card says so and offers the button again.
    clock.now = new Date('2026-08-10T02:00:00Z');
    const noDay = await submit(c.code, { ...base, requested: date('2026-07-30'), outcome: picked('撤回') }); // the modal prefills the request day
    expect(await noDay.json()).toEqual({ response_action: 'errors', errors: { decided: '请写明复查请求的撤回日期（信访人撤回请求之日，如 2026-08-03）。' } });
    mark = h.stub.calls.length;
    await submit(c.code, { ...base, requested: date('2026-07-30'), outcome: picked('撤回'), decided: date('2026-08-07') });
    await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    await h.slack.staffDesk.drainOnce();
    const card = lastCard(); // the last update: the earlier request's notice may have been posted in between
    expect(card).toContain('复查（本溪市教育局）：信访人已于 2026-08-07 撤回请求，未作出意见');
    expect(card).toContain(reviewButton(c.code));
    const [pending, withdrawal] = await h.desk.reviews(c.code);
    expect(withdrawal).toMatchObject({ outcome: '撤回', decidesId: pending!.id, requestReceivedOn: '2026-08-03' });
  });
});
