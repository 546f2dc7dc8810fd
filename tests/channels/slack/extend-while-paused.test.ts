import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';
import { buttonsOf } from '../../helpers/slack-blocks.js';
import { complaint, deskFixture, outbox } from '../../core/cases/setup.js';

const parentTexts = async (h: SlackHarness, caseId: number) =>
  (await outbox(h.db, caseId)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);

/**
 * 《政府信息公开条例》第三十条、第三十三条: while a 补正 is awaited (or a consultation runs) no answer period runs, so there is
 * nothing to extend: the applicant must never read "新的答复期限为 —", and the one extension is kept for after the restart.
 */
describe('Slack: 延期 of a 政府信息公开申请 while its clock is paused (review17 #9)', () => {
  let h: SlackHarness;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;
  const at = (iso: string) => (fixture.clock.now = new Date(iso));

  beforeEach(async () => {
    fixture = await deskFixture({ now: '2026-02-10T02:00:00Z' }); // Tuesday 10:00 Beijing
    h = await startSlackHarness({ now: () => fixture.clock.now }, { db: fixture.db, desk: fixture.desk });
  });
  afterEach(async () => {
    await h.close();
    await fixture.close();
  });

  it('is refused with the reason while the 补正 is awaited, and works with a real date once the 补正 arrived', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9003', citizenRef: '9003', text: '申请公开2025年学区划分依据' }));
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    expect(buttonsOf(h.stub.callsOf('chat.update').at(-1) ?? h.stub.callsOf('chat.postMessage').find((p) => !p.body.thread_ts)!)).toContain(CASE_ACTIONS.extend);
    at('2026-02-12T02:00:00Z');
    await h.desk.requestCorrection(c.code, '请补充身份证明', 'slack:USTAFF1');
    const mark = h.stub.calls.length;
    await h.slack.staffDesk.drainOnce();
    // The card no longer offers 延期 while the clock is stopped.
    expect(buttonsOf(await h.stub.waitFor('chat.update', undefined, { since: mark }))).not.toContain(CASE_ACTIONS.extend);

    // Two months on, no 补正 yet: a 延期 click on an old card, and a submitted modal, are both refused.
    at('2026-04-20T02:00:00Z');
    const before = await parentTexts(h, c.id);
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.extend, value: c.code, responseUrl: h.stub.responseUrl('ext') }));
    const clickRefusal = await h.stub.waitFor('response_url', undefined, { since: mark });
    expect(String((clickRefusal.body as { text?: string }).text)).toContain('正在等待申请人补正，答复期限暂停计算');
    expect(h.stub.callsOf('views.open').filter((v) => JSON.stringify(v.body).includes(VIEWS.extend))).toHaveLength(0);

    const sent = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.extend, privateMetadata: c.code, values: { reason: '需要调取档案', approver: '王科长' } }));
    const refusal = await h.stub.waitFor('chat.postEphemeral', undefined, { since: sent });
    expect(refusal.body.text).toContain(`申请 ${c.code} 正在等待申请人补正，答复期限暂停计算（《政府信息公开条例》第三十条），现在不能延期`);
    const paused = (await h.desk.get(c.code))!;
    expect(paused.extended).toBe(false);
    expect(await parentTexts(h, c.id)).toEqual(before);
    expect((await parentTexts(h, c.id)).join('\n')).not.toContain('新的答复期限为 —');

    // The 补正 arrives (the parent answers in the chat): 20 working days from 2026-04-21; the extension is still there.
    await h.desk.addFollowUp(c.code, '身份证明已补充', 'citizen');
    at('2026-05-06T02:00:00Z');
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.extend, privateMetadata: c.code, values: { reason: '需要调取档案', approver: '王科长' } }));
    await expect.poll(async () => (await h.desk.get(c.code))?.extended).toBe(true);
    const extended = (await h.desk.get(c.code))!;
    expect(extended.deadlineOn).toMatch(/^2026-06-\d\d$/);
    expect((await parentTexts(h, c.id)).at(-1)).toContain(`新的答复期限为 ${extended.deadlineOn!.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}`);
  });

  it('is refused while a third-party consultation runs', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9004', citizenRef: '9004', text: '申请公开某校食堂承包合同' }));
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.desk.startConsultation(c.code, '某餐饮公司', 'slack:USTAFF1');
    const mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.extend, privateMetadata: c.code, values: { reason: '需要调取档案', approver: '王科长' } }));
    const refusal = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(refusal.body.text).toContain('正在征求第三方意见，答复期限暂停计算');
    expect((await h.desk.get(c.code))!.extended).toBe(false);
  });
});
