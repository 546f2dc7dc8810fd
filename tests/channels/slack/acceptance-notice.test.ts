import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { openStore } from '../../../src/storage/open-store.js';
import type { Db } from '../../../src/storage/db.js';
import { blockAction, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';

/**
 * 信访 受理告知 (《信访条例》第二十二条) on the Slack desk, through signed requests to Bolt: the case card shows when
 * the notice is due (TIMEZONE), `/case notified CODE 电话` records how a phone petitioner was told, and the card and
 * thread then say so.
 */
describe('Slack: 信访 受理告知', () => {
  let h: SlackHarness;
  let db: Db;
  const clock = { now: new Date('2026-11-02T16:30:00Z') }; // 00:30 on Tue 3 Nov in Beijing
  beforeEach(async () => {
    clock.now = new Date('2026-11-02T16:30:00Z');
    db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-notice-')), 'test.db'));
    const desk = createCaseDesk({ db, now: () => clock.now });
    h = await startSlackHarness({ now: () => clock.now }, { db, desk });
  });
  afterEach(async () => {
    await h.close();
    await db.close();
  });

  let seq = 0;
  const command = async (text: string) => {
    const id = `n${(seq += 1)}`;
    await postCommand(h.url, slashCommand({ command: '/case', text, user_id: 'USTAFF1', response_url: h.stub.responseUrl(id) }));
    return (await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}`)).body as { text: string };
  };

  it('the card shows the due day; /case notified records the way; the card and the thread show it', async () => {
    const c = await h.desk.file({ type: 'petition', channel: 'phone', chatId: null, text: '来电反映学校强制购买校服', actor: 'slack:USTAFF1' });
    await h.slack.staffDesk.drainOnce();
    const posted = h.stub.callsOf('chat.postMessage').find((p) => JSON.stringify(p.body.blocks ?? []).includes(c.code));
    expect(JSON.stringify(posted?.body.blocks)).toContain('受理告知：应于 2026-11-18 前书面告知信访人（尚未记录）');

    expect((await command(`notified ${c.code} 短信`)).text).toContain('受理告知方式只能是 电话/书面/当面/民心网');
    clock.now = new Date('2026-11-05T02:00:00Z');
    expect((await command(`notified ${c.code} 电话`)).text).toBe(`已记录 ${c.code} 的信访受理告知（电话）。`);
    expect(await h.desk.get(c.code)).toMatchObject({ acceptanceNoticeVia: '电话', acceptanceNoticeAt: '2026-11-05T02:00:00.000Z' });
    expect((await h.desk.history(c.code)).at(-1)).toMatchObject({ kind: 'acceptance_notice', actor: 'slack:USTAFF1', via: '电话' });

    const mark = h.stub.calls.length;
    expect(await h.slack.staffDesk.drainOnce()).toBe(1);
    const update = await h.stub.waitFor('chat.update', () => true, { since: mark });
    expect(JSON.stringify(update.body.blocks)).toContain('受理告知：已于 2026-11-05 10:00 告知（电话）');
    const thread = h.stub.callsOf('chat.postMessage').map((p) => String(p.body.text ?? ''));
    expect(thread).toContain('2026-11-05 10:00 <@USTAFF1> 记录信访受理告知（电话告知）');

    expect((await command(`notified ${c.code} 书面`)).text).toContain(`信访事项 ${c.code} 已于 2026-11-05 10:00 记录受理告知。`);
  });

  it('认领 of a phone petition asks how the 受理告知 was given: claiming with 电话 records both in one step', async () => {
    const c = await h.desk.file({ type: 'petition', channel: 'phone', chatId: null, text: '来电反映学校午休收费', actor: 'slack:USTAFF1' });
    await h.slack.staffDesk.drainOnce();
    clock.now = new Date('2026-11-04T01:30:00Z');
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: c.code }));
    const open = await h.stub.waitFor('views.open');
    const view = open.body.view as { callback_id: string; blocks: { block_id?: string; optional?: boolean; label?: { text: string } }[] };
    expect(view.callback_id).toBe(VIEWS.claim);
    const way = view.blocks.find((b) => b.block_id === 'via');
    expect(way?.label?.text).toContain('受理告知方式');
    expect(way?.optional).toBe(true);
    expect((await h.desk.get(c.code))?.assignee).toBeNull(); // nothing happens until the modal is submitted

    const mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.claim, privateMetadata: c.code, values: { via: { selected_option: { value: '电话' } } } }));
    const told = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(told.body.text).toBe(`已认领 ${c.code}，并记录信访受理告知（电话）。`);
    expect(await h.desk.get(c.code)).toMatchObject({ state: 'claimed', assignee: 'slack:USTAFF1', acceptanceNoticeVia: '电话', acceptanceNoticeAt: '2026-11-04T01:30:00.000Z' });
    await h.slack.staffDesk.drainOnce();
    const update = await h.stub.waitFor('chat.update', undefined, { since: mark });
    expect(JSON.stringify(update.body.blocks)).toContain('受理告知：已于 2026-11-04 09:30 告知（电话）');
    // /case notified stays for a notice given after the claim, and says it was recorded already.
    expect((await command(`notified ${c.code} 书面`)).text).toContain(`信访事项 ${c.code} 已于 2026-11-04 09:30 记录受理告知。`);
  });

  it('认领 with the way left empty claims only; /case notified records the notice later; a chat petition claims at once', async () => {
    const c = await h.desk.file({ type: 'petition', channel: 'letter', chatId: null, text: '来信反映校车路线不合理', actor: 'slack:USTAFF1' });
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: c.code }));
    await h.stub.waitFor('views.open');
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.claim, privateMetadata: c.code, values: {} }));
    await h.slack.staffDesk.drainOnce();
    expect(await h.desk.get(c.code)).toMatchObject({ state: 'claimed', acceptanceNoticeAt: null });
    expect((await command(`notified ${c.code} 书面`)).text).toBe(`已记录 ${c.code} 的信访受理告知（书面）。`);

    // On Telegram the claim message is the notice: no modal, the button claims.
    const chat = await h.desk.file({ type: 'petition', channel: 'telegram', chatId: '7001', text: '反映学校食堂问题', actor: 'citizen' });
    const opened = h.stub.callsOf('views.open').length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.claim, value: chat.code }));
    await h.slack.staffDesk.drainOnce();
    expect((await h.desk.get(chat.code))?.state).toBe('claimed');
    expect(h.stub.callsOf('views.open')).toHaveLength(opened);
  });
});
