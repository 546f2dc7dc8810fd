import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';
import type { StubCall } from '../../helpers/slack-stub.js';
import { complaint, deskFixture } from '../../core/cases/setup.js';

const buttonsOf = (call: StubCall): string[] =>
  (call.body.blocks as { type: string; elements?: { action_id?: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));

const contextOf = (call: StubCall): string =>
  (call.body.blocks as { type: string; elements?: { text?: string }[] }[])
    .filter((b) => b.type === 'context')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ''))
    .join('\n');

describe('Slack: 补正 is asked for once (第三十条) and the third party\'s reply date is shown (第三十二条)', () => {
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

  it('after one answered 补正, the button is gone and a stale button or a modal submission is refused in Chinese', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9101', citizenRef: '9101', text: '申请公开2025年学区划分依据' }));
    at('2026-02-11T02:00:00Z');
    await h.desk.requestCorrection(c.code, '请补充申请人身份证明', 'slack:USTAFF1');
    at('2026-02-12T02:00:00Z');
    await h.desk.addFollowUp(c.code, '已补充身份证明材料', 'citizen');
    await h.slack.staffDesk.drainOnce();
    const latest = [...h.stub.callsOf('chat.update'), ...h.stub.callsOf('chat.postMessage').filter((p) => !p.body.thread_ts)].at(-1)!;
    expect(buttonsOf(latest)).not.toContain(CASE_ACTIONS.correct);
    expect(buttonsOf(latest)).toContain(CASE_ACTIONS.consult);

    const refusal =
      `案件 ${c.code} 现在不能这样处理：申请 ${c.code} 已于 2026-02-11 要求过补正。补正应当一次性告知（《政府信息公开条例》第三十条），不能再次要求补正；` +
      '请按现有申请内容答复，内容确实无法确定的，可在答复中说明（年报“补正后申请内容仍不明确”）。';
    // A click on the button of an older copy of the message: no modal, the refusal.
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.correct, value: c.code, responseUrl: h.stub.responseUrl('again') }));
    expect((await h.stub.waitFor('response_url')).body.text).toBe(refusal);
    expect(h.stub.callsOf('views.open')).toHaveLength(0);

    // A modal opened before the first 补正 and submitted now: refused, nothing recorded, the parent not asked.
    const mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.correct, privateMetadata: c.code, values: { missing: '再补充学籍证明' } }));
    expect((await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark })).body.text).toBe(refusal);
    expect((await h.desk.history(c.code)).map((e) => e.kind)).toEqual(['created', 'correction_requested', 'followup', 'correction_received']);
  });

  it('a running consultation shows the third party\'s reply date, and past it how many working days late', async () => {
    const c = await h.desk.file(complaint({ type: 'disclosure', chatId: '9102', citizenRef: '9102', text: '申请公开某校食堂承包合同' }));
    at('2026-03-02T02:00:00Z'); // Monday
    await h.desk.startConsultation(c.code, '某餐饮公司（第三方）', 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    const paused = [...h.stub.callsOf('chat.update'), ...h.stub.callsOf('chat.postMessage').filter((p) => !p.body.thread_ts)].at(-1)!;
    // 15 working days after 2026-03-02: 3–6, 9–13, 16–20, 23 March.
    expect(contextOf(paused)).toContain('第三方应于 2026-03-23 前提出意见（第三十二条：自收到征求意见书之日起15个工作日）。');

    at('2026-03-25T02:00:00Z'); // two working days later; claiming the case re-renders the message
    const mark = h.stub.calls.length;
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    const late = await h.stub.waitFor('chat.update', undefined, { since: mark });
    expect(contextOf(late)).toContain('第三方答复期限 2026-03-23 已过 2 个工作日（第三十二条：15个工作日）：请催办，或按条例规定自行决定是否公开');
  });
});
