import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';
import { buttonsOf } from '../../helpers/slack-blocks.js';
import { complaint, deskFixture, outbox } from '../../core/cases/setup.js';

const parentTexts = async (h: SlackHarness, caseId: number) =>
  (await outbox(h.db, caseId)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);

/**
 * 退单 and a withdrawal the citizen made by phone, from Slack (review17 #5): buttons on the card, modals with the
 * required fields checked under them, and `/case return|withdraw` as text. Before, only the console could do either,
 * so in production a case that was not the bureau's had to be faked as 办结.
 */
describe('Slack: 退单 and 撤回 (signed Bolt requests, stub Web API, real desk on SQLite)', () => {
  let h: SlackHarness;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;
  let n = 0;

  beforeEach(async () => {
    fixture = await deskFixture({ now: '2026-03-02T02:00:00Z' }); // Monday 10:00 Beijing
    h = await startSlackHarness({ now: () => fixture.clock.now }, { db: fixture.db, desk: fixture.desk });
  });
  afterEach(async () => {
    await h.close();
    await fixture.close();
  });

  const command = async (text: string) => {
    const id = `r${n++}`;
    const mark = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/case', text, response_url: h.stub.responseUrl(id) }));
    const r = await h.stub.waitFor('response_url', (c) => c.path?.endsWith(id) ?? false, { since: mark });
    return String((r.body as { text?: string }).text);
  };
  const submit = async (callbackId: string, code: string, values: Record<string, string | { selected_option: { value: string } }>) => {
    const mark = h.stub.calls.length;
    const res = await postInteraction(h.url, viewSubmission({ callbackId, privateMetadata: code, values }));
    const body = await res.text();
    return { body, mark };
  };

  it('the card offers 退单 and 撤回 (no 退单 on a 政府信息公开申请); 退单 asks a reason and the parent is told it', async () => {
    const c = await h.desk.file(complaint({ chatId: '9001', citizenRef: '9001', text: '投诉区人社局社保窗口态度差' }));
    const d = await h.desk.file(complaint({ type: 'disclosure', chatId: '9002', citizenRef: '9002', text: '申请公开2025年学区划分依据' }));
    await h.slack.staffDesk.drainOnce();
    const cards = h.stub.callsOf('chat.postMessage').filter((p) => !p.body.thread_ts);
    expect(buttonsOf(cards[0]!)).toEqual(expect.arrayContaining([CASE_ACTIONS.return, CASE_ACTIONS.withdraw]));
    expect(JSON.stringify(cards[0]!.body.blocks)).toContain('"退单"');
    expect(buttonsOf(cards[1]!)).not.toContain(CASE_ACTIONS.return);
    expect(buttonsOf(cards[1]!)).toContain(CASE_ACTIONS.withdraw);

    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.return, value: c.code }));
    const open = await h.stub.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEWS.return);
    expect(JSON.stringify(open.body.view)).toContain('退单理由（诉求人可见');

    const empty = await submit(VIEWS.return, c.code, { reason: ' ' });
    expect(JSON.parse(empty.body)).toEqual({ response_action: 'errors', errors: { reason: '请填写此项。' } });
    expect((await h.desk.get(c.code))?.state).toBe('received');

    const done = await submit(VIEWS.return, c.code, { reason: '不属于本局职责，请向区人社局反映' });
    expect((await h.stub.waitFor('chat.postEphemeral', undefined, { since: done.mark })).body.text).toContain(`已退回案件 ${c.code}`);
    const returned = (await h.desk.get(c.code))!;
    expect(returned.state).toBe('returned');
    expect(returned.closedAt).toBeNull();
    expect((await parentTexts(h, c.id)).at(-1)).toBe(`您的诉求 ${c.code} 已退回，原因：不属于本局职责，请向区人社局反映。如有疑问请致电 024-42842001。`);

    // A tampered 退单 click on the disclosure request is refused with the 第三十六条（五） reason.
    expect(await command(`return ${d.code} 不属于本局`)).toContain(`政府信息公开申请 ${d.code} 不能退单`);
    expect((await h.desk.get(d.code))?.state).toBe('received');
  });

  it('a phone case: 退单 needs the way the citizen was told; 撤回 records how the citizen withdrew', async () => {
    const phone = await h.desk.file({ type: 'complaint', channel: 'phone', text: '来电反映区人社局社保窗口态度差', contact: '13812345678', actor: 'slack:USTAFF1' });
    const noWay = await submit(VIEWS.return, phone.code, { reason: '不属于本局职责' });
    expect(JSON.parse(noWay.body)).toEqual({ response_action: 'errors', errors: { via: '请填写此项。' } });
    const told = await submit(VIEWS.return, phone.code, { reason: '不属于本局职责，已告知向区人社局反映', via: { selected_option: { value: '电话' } } });
    await h.stub.waitFor('chat.postEphemeral', undefined, { since: told.mark });
    const history = await h.desk.history(phone.code);
    expect(history.at(-1)).toMatchObject({ kind: 'transition', toState: 'returned', via: '电话', note: '不属于本局职责，已告知向区人社局反映' });

    const other = await h.desk.file({ type: 'complaint', channel: 'phone', text: '来电反映彩屯小学收资料费', contact: '13912345678', actor: 'slack:USTAFF1' });
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.withdraw, value: other.code }));
    expect(JSON.stringify((await h.stub.waitFor('views.open')).body.view)).toContain('诉求人撤回的方式');
    const missing = await submit(VIEWS.withdraw, other.code, { note: '家长来电说学校已退费' });
    expect(JSON.parse(missing.body)).toEqual({ response_action: 'errors', errors: { via: '请填写此项。' } });
    const ok = await submit(VIEWS.withdraw, other.code, { note: '家长来电说学校已退费', via: { selected_option: { value: '电话' } } });
    expect((await h.stub.waitFor('chat.postEphemeral', undefined, { since: ok.mark })).body.text).toBe(`已登记案件 ${other.code} 撤回，不再办理。`);
    expect((await h.desk.get(other.code))?.state).toBe('withdrawn');
    expect((await h.desk.history(other.code)).at(-1)).toMatchObject({ toState: 'withdrawn', via: '电话', note: '家长来电说学校已退费' });
  });

  it('`/case return|退单|withdraw|撤回` as text, and an unknown word answers with the usage', async () => {
    const a = await h.desk.file(complaint({ chatId: '9011', citizenRef: '9011', text: '投诉区人社局社保窗口态度差' }));
    const b = await h.desk.file({ type: 'complaint', channel: 'phone', text: '来电反映彩屯小学收资料费', contact: '13912345678', actor: 'slack:USTAFF1' });
    expect(await command(`退单 ${a.code} 不属于本局职责，请转区人社局`)).toContain(`已退回案件 ${a.code}`);
    expect((await parentTexts(h, a.id)).at(-1)).toContain('已退回，原因：不属于本局职责，请转区人社局');
    expect(await command(`return ${b.code} 不属于本局职责`)).toContain('请先告知诉求人（或退回来件平台），再登记退单并注明告知方式');
    expect(await command(`withdraw ${b.code}`)).toContain('用法：`/case withdraw 编号 方式=电话');
    expect(await command(`撤回 ${b.code} 方式=电话 家长来电撤回`)).toBe(`已登记案件 ${b.code} 撤回，不再办理。`);
    expect((await h.desk.get(b.code))?.state).toBe('withdrawn');
    expect(await command('foo')).toContain('用法：`/case 编号`');
    expect(await command('return')).toContain('用法：`/case return 编号 退单理由`');
  });
});
