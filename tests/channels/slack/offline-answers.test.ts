import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';

/**
 * A phone petition (or letter, visit, 民心网 case) has no chat: the Reply modal cannot send anything, so it asks
 * for the answer staff gave and how; the Close modal asks how the citizen was told. Nothing reaches 已办结 with an
 * answer nobody received.
 */
describe('Slack: answering a citizen the bot cannot reach', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  type View = { callback_id: string; blocks: { block_id?: string; label?: { text: string }; element?: { options?: { value: string }[] } }[] };
  const openedView = async (action: string, code: string, since: number) => {
    await postInteraction(h.url, blockAction({ actionId: action, value: code }));
    return (await h.stub.waitFor('views.open', () => true, { since })).body.view as View;
  };
  const submit = async (callbackId: string, code: string, values: Parameters<typeof viewSubmission>[0]['values']) =>
    (await postInteraction(h.url, viewSubmission({ callbackId, privateMetadata: code, values }))).text();

  it('a phone petition: the reply needs the way it was given, the close of an unanswered case too', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'phone', chatId: null, text: '来电反映校车超载', contact: '13912345678', actor: 'slack:USTAFF1' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');

    // Close first, with a closing answer but no way: refused under the field, the case stays open.
    const close = await openedView(CASE_ACTIONS.close, c.code, h.stub.calls.length);
    expect(close.blocks.find((b) => b.block_id === 'via')?.element?.options?.map((o) => o.value)).toEqual(['电话', '书面', '当面', '民心网']);
    const needsWay = `诉求 ${c.code} 不是通过聊天提交的，系统无法把办结答复或不予处理理由发给诉求人：请先告知诉求人，再办结并注明告知方式（电话/书面/当面/民心网）。`;
    expect(JSON.parse(await submit(VIEWS.close, c.code, { note: '已责令校车公司整改。' }))).toEqual({ response_action: 'errors', errors: { via: needsWay } });
    expect(JSON.parse(await submit(VIEWS.close, c.code, { note: '不属于本局职责。', basis: { selected_option: { value: 'not-processed' } } }))).toEqual({
      response_action: 'errors', errors: { via: needsWay },
    });
    expect((await h.desk.get(c.code))?.state).toBe('claimed');

    const reply = await openedView(CASE_ACTIONS.reply, c.code, h.stub.calls.length);
    expect(reply.blocks.find((b) => b.block_id === 'reply')?.label?.text).toBe('答复内容（此件不是聊天来件，系统无法发送：请先电话、书面、当面或在民心网答复诉求人，再在此登记）');
    const noWay = JSON.parse(await submit(VIEWS.reply, c.code, { reply: '已责令校车公司整改，下周起加开一趟车。' }));
    expect(noWay.errors.via).toContain(`诉求 ${c.code} 不是通过聊天提交的（电话、来信、来访或民心网等），系统无法把答复发给诉求人`);
    expect((await h.desk.get(c.code))?.repliedAt).toBeNull();

    const mark = h.stub.calls.length;
    await submit(VIEWS.reply, c.code, { reply: '已责令校车公司整改，下周起加开一趟车。', via: { selected_option: { value: '电话' } } });
    const told = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    expect(told.body.text).toBe(`已登记对案件 ${c.code} 的电话答复。`);
    expect((await h.desk.history(c.code)).find((e) => e.kind === 'reply')).toMatchObject({ via: '电话', actor: 'slack:USTAFF1' });
    await h.slack.staffDesk.drainOnce();
    const thread = h.stub.callsOf('chat.postMessage').map((p) => String(p.body.text ?? ''));
    expect(thread.some((text) => text.includes('<@USTAFF1> 已电话答复市民：已责令校车公司整改'))).toBe(true);

    // Answered by phone: it closes without a new note and without a way.
    const beforeClose = h.stub.calls.length;
    await submit(VIEWS.close, c.code, {});
    await h.stub.waitFor('chat.update', (u) => JSON.stringify(u.body).includes('已办结'), { since: beforeClose });
    expect(await h.desk.get(c.code)).toMatchObject({ state: 'closed', closeBasis: 'answered' });
  });

  it('a phone case: Extend asks the approving 负责人 and how the citizen was told', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'phone', chatId: null, text: '来电反映食堂卫生', actor: 'slack:USTAFF1' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    const view = await openedView(CASE_ACTIONS.extend, c.code, h.stub.calls.length);
    expect(view.blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining(['reason', 'approver', 'via']));
    expect(JSON.parse(await submit(VIEWS.extend, c.code, { reason: '需会同市场监管部门核查', approver: '王副局长' }))).toEqual({
      response_action: 'errors', errors: { via: '请填写此项。' },
    });
    const mark = h.stub.calls.length;
    await submit(VIEWS.extend, c.code, { reason: '需会同市场监管部门核查', approver: '王副局长', via: { selected_option: { value: '电话' } } });
    await h.stub.waitFor('chat.update', (u) => JSON.stringify(u.body).includes('已延期'), { since: mark });
    expect(await h.desk.get(c.code)).toMatchObject({ extended: true, extensionApprovedBy: '王副局长' });
    expect((await h.desk.history(c.code)).at(-1)).toMatchObject({ toState: 'extended', via: '电话' });
  });

  it('a Telegram case: the reply is sent by the bot, no way asked', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '8008', text: '校车超载', actor: 'citizen' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    const reply = await openedView(CASE_ACTIONS.reply, c.code, h.stub.calls.length);
    expect(reply.blocks.map((b) => b.block_id)).not.toContain('via');
    const mark = h.stub.calls.length;
    await submit(VIEWS.reply, c.code, { reply: '已责令校车公司整改。' });
    expect((await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark })).body.text).toBe(`已提交对案件 ${c.code} 的回复，将发送给市民。`);
    const row = await h.db.get<{ target: string }>("SELECT target FROM outbox WHERE target = 'telegram' ORDER BY id DESC LIMIT 1");
    expect(row).toEqual({ target: 'telegram' });
  });
});
