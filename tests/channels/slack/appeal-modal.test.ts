import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentAppeals } from '../../../src/core/cases/appeals.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { openStore } from '../../../src/storage/open-store.js';
import type { Db } from '../../../src/storage/db.js';
import { blockAction, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';

/**
 * The 行政复议 / 行政诉讼 modal of a disclosure request, through signed requests to the real Bolt app with its Web API on
 * a local stub: opened from the card of a closed disclosure request (the only cards with the button) or by
 * `/case appeal CODE`, checked under each field (Chinese; English by locale), recorded once per submission, and
 * announced on the card and in its thread — the appeal, then its result recorded on the same appeal.
 */
type View = { callback_id: string; private_metadata: string; blocks: { type: string; block_id?: string; optional?: boolean; element?: Record<string, unknown> }[] };

describe('Slack: the 行政复议 / 行政诉讼 modal', () => {
  let h: SlackHarness;
  let db: Db;
  const clock = { now: new Date('2026-02-10T02:00:00Z') };
  afterEach(async () => {
    await h.close();
    await db.close();
  });
  async function start(locale: 'zh' | 'en' = 'zh') {
    clock.now = new Date('2026-02-10T02:00:00Z');
    db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-appeal-modal-')), 'test.db'));
    h = await startSlackHarness({ now: () => clock.now, locale }, { db, desk: createCaseDesk({ db, now: () => clock.now }) });
  }

  const appealButton = (code: string) => `{"type":"button","action_id":"${CASE_ACTIONS.appeal}","value":"${code}"`;
  const lastCard = () => JSON.stringify(h.stub.callsOf('chat.update').at(-1)?.body.blocks ?? h.stub.callsOf('chat.postMessage').at(-1)?.body.blocks);
  const submit = (code: string, values: Record<string, unknown>, viewId?: string) =>
    postInteraction(h.url, viewSubmission({ callbackId: VIEWS.appeal, privateMetadata: code, values: values as never, ...(viewId ? { viewId } : {}) }));
  const picked = (v: string) => ({ selected_option: { value: v } });
  const date = (d: string) => ({ selected_date: d });

  /** A disclosure request answered and closed on Mon 2 Mar 2026. */
  async function closedRequest() {
    const c = await h.desk.file({ type: 'disclosure', channel: 'telegram', chatId: '9001', text: '申请公开2025年学区划分依据', actor: 'citizen', applicantType: '自然人' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    expect(lastCard()).not.toContain(appealButton(c.code)); // open: no appeal button
    clock.now = new Date('2026-03-02T02:00:00Z');
    await h.desk.act(c.code, { kind: 'close', note: '经检索，该信息不存在。', disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    return c;
  }

  it('records an appeal from the card button, announces it on the card and in the thread, then its result on the same appeal', async () => {
    await start();
    const c = await closedRequest();
    expect(lastCard()).toContain(appealButton(c.code));

    clock.now = new Date('2026-04-20T02:00:00Z');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.appeal, value: c.code }));
    const view = (await h.stub.waitFor('views.open')).body.view as View;
    expect(view).toMatchObject({ callback_id: VIEWS.appeal, private_metadata: c.code });
    const block = (v: View, id: string) => v.blocks.find((b) => b.block_id === id);
    expect(block(view, 'appeal')).toBeUndefined(); // nothing recorded yet: no appeal to choose
    expect((block(view, 'category')!.element as { options: { value: string }[] }).options.map((o) => o.value)).toEqual(['行政复议', '未经复议直接起诉', '复议后起诉']);
    expect(block(view, 'filed')).toMatchObject({ optional: false, element: { type: 'datepicker' } });
    expect(block(view, 'outcome')?.optional).toBe(true);

    // Each problem under its field, in Chinese; nothing recorded.
    const early = await submit(c.code, { category: picked('行政复议'), filed: date('2026-04-21') });
    expect(await early.json()).toEqual({ response_action: 'errors', errors: { filed: '收到日期 2026-04-21 还没有到（今天是 2026-04-20），请核对日期。' } });
    const halfDecided = await submit(c.code, { category: picked('行政复议'), filed: date('2026-04-15'), outcome: picked('维持') });
    expect(await halfDecided.json()).toEqual({
      response_action: 'errors', errors: { decided: '结果为“维持”时请写明审结日期（如 审结=2026-06-18）；尚未审结的可不写结果。' },
    });
    const backwards = await submit(c.code, { category: picked('行政复议'), filed: date('2026-04-15'), outcome: picked('维持'), decided: date('2026-04-14') });
    expect(await backwards.json()).toEqual({ response_action: 'errors', errors: { decided: '审结日期 2026-04-14 早于收到日期 2026-04-15，请核对日期。' } });
    expect(await h.desk.appeals(c.code)).toHaveLength(0);

    // Recorded; the same submission replayed (same view id) records nothing more.
    let mark = h.stub.calls.length;
    const values = { category: picked('行政复议'), filed: date('2026-04-15'), ref: '溪政复〔2026〕3号', note: '区政府来函' };
    await submit(c.code, values, 'VAPPEAL1');
    const told = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(told.body.text).toBe(`${c.code} 已记录行政复议/行政诉讼：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结`);
    await submit(c.code, values, 'VAPPEAL1');
    await h.slack.staffDesk.drainOnce();
    expect(await h.desk.appeals(c.code)).toHaveLength(1);
    // The staff channel: the card shows the appeal, its thread says who recorded what.
    const card = JSON.stringify((await h.stub.waitFor('chat.update', undefined, { since: mark })).body.blocks);
    expect(card).toContain('行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结');
    const thread = await h.stub.waitFor('chat.postMessage', (call) => Boolean(call.body.thread_ts), { since: mark });
    expect(thread.body.text).toContain('<@USTAFF1> 记录行政复议/行政诉讼：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结；区政府来函');

    // Decided: /case appeal CODE opens the modal listing the appeal; choosing it records the result on it.
    clock.now = new Date('2026-06-20T02:00:00Z');
    mark = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/case', text: `appeal ${c.code}`, user_id: 'USTAFF1' }));
    const again = (await h.stub.waitFor('views.open', undefined, { since: mark })).body.view as View;
    const [first] = await h.desk.appeals(c.code);
    expect(lastCard()).toContain(`#${first!.id} 行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结`); // the number 编号= and the modal use
    expect((block(again, 'appeal')!.element as { options: { value: string }[] }).options.map((o) => o.value)).toEqual([String(first!.id)]);
    expect(block(again, 'category')?.optional).toBe(true); // taken from the chosen appeal
    // No appeal chosen: a new one, which needs its kind and date received.
    const noneChosen = await submit(c.code, { outcome: picked('纠正'), decided: date('2026-06-18') });
    expect(await noneChosen.json()).toEqual({
      response_action: 'errors', errors: { category: '请填写此项。', filed: '新的行政复议/诉讼请填写收到日期；记录已有案件的结果请在上方选择该案件。' },
    });
    await submit(c.code, { appeal: picked(String(first!.id)), outcome: picked('纠正'), decided: date('2026-06-18') }, 'VAPPEAL2');
    const result = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(result.body.text).toBe(`${c.code} 已更新行政复议/行政诉讼记录：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；结果纠正，审结 2026-06-18`);
    await h.slack.staffDesk.drainOnce();
    const updated = await h.stub.waitFor('chat.postMessage', (call) => Boolean(call.body.thread_ts), { since: mark });
    expect(updated.body.text).toContain('记录行政复议/行政诉讼：更新：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；结果纠正，审结 2026-06-18');
    expect(lastCard()).toContain('结果纠正，审结 2026-06-18');
    expect(lastCard()).not.toContain('尚未审结');
    // Two entries, one appeal (table 四 counts its latest entry).
    const entries = await h.desk.appeals(c.code);
    expect(entries).toHaveLength(2);
    expect(currentAppeals(entries)).toHaveLength(1);

    // The same result again (another view): the desk refuses it and says so; nothing recorded.
    mark = h.stub.calls.length;
    await submit(c.code, { appeal: picked(String(first!.id)), outcome: picked('纠正'), decided: date('2026-06-18') }, 'VAPPEAL3');
    const refused = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(refused.body.text).toContain('本次没有新的内容，未重复记录');
    expect(await h.desk.appeals(c.code)).toHaveLength(2);
  });

  it('English staff read the fields and errors in English; an open request or a petition gets the reason, not a modal', async () => {
    await start('en');
    const c = await closedRequest();
    clock.now = new Date('2026-04-20T02:00:00Z');
    const errors = (await (await submit(c.code, { filed: date('2026-04-15'), outcome: picked('维持') })).json()).errors;
    expect(errors).toEqual({
      category: 'Please fill this in.',
      decided: 'Give the decision date for the result "维持" (e.g. 审结=2026-06-18); leave the result out while undecided.',
    });
    const open = await h.desk.file({ type: 'disclosure', channel: 'telegram', chatId: '9002', text: '申请公开招生计划', actor: 'citizen', applicantType: '自然人' });
    const mark = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/case', text: `appeal ${open.code}`, user_id: 'USTAFF1', response_url: h.stub.responseUrl('o1') }));
    const said = await h.stub.waitFor('response_url', (call) => call.path === '/response/o1', { since: mark });
    expect((said.body as { text: string }).text).toContain('not answered yet');
    expect(h.stub.callsOf('views.open')).toHaveLength(0);
  });
});
