import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../src/channels/slack/types.js';
import { blockAction, viewSubmission } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { postInteraction } from '../helpers/slack-signer.js';
import { refuseWrites } from './helpers/refuse-writes.js';

const ANSWER = '家长您好：经核查，彩屯小学收取的教辅资料费不符合规定，我局已责令学校于本周五前全额退还，并在全区通报。\n如有疑问请拨打 024-42841234（工作日 8:30-17:00）。';

/**
 * review18 R8: a reply typed in a modal was thrown away when the submission failed after the modal had closed (the
 * database refusing writes): staff were told to "retry" and had to retype several paragraphs from memory. The failure
 * notice now gives back what they typed, under the field's label, whole.
 */
describe('a Slack modal submission that fails after the modal closed (signed requests, real Bolt)', () => {
  let h: SlackHarness;
  let code: string;
  beforeEach(async () => {
    h = await startSlackHarness();
    code = (await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: 'c1', text: '投诉：学校乱收资料费', actor: 'citizen' })).code;
    await h.desk.act(code, { kind: 'claim' }, 'slack:USTAFF1');
  });
  afterEach(async () => {
    await refuseWrites(h.db, false);
    await h.close();
  });

  /** The modal as the button opened it (its blocks carry the labels), submitted with `values`. */
  const openAndSubmit = async (actionId: string, callbackId: string, values: Record<string, string>, meanwhile: () => Promise<unknown>) => {
    const mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId, value: code, responseUrl: h.stub.responseUrl(`o${mark}`) }));
    const opened = (await h.stub.waitFor('views.open', undefined, { since: mark })).body.view as { blocks: unknown[] };
    await meanwhile();
    const payload = viewSubmission({ callbackId, privateMetadata: code, values });
    (payload.view as { blocks: unknown[] }).blocks = opened.blocks;
    const sent = h.stub.calls.length;
    const res = await postInteraction(h.url, payload);
    return { res, told: async () => String((await h.stub.waitFor('chat.postEphemeral', undefined, { since: sent })).body.text) };
  };

  it('回复 while the database refuses writes: told it was not saved, with the answer given back whole to copy', async () => {
    const { res, told } = await openAndSubmit(CASE_ACTIONS.reply, VIEWS.reply, { reply: ANSWER }, () => refuseWrites(h.db, true));
    expect(res.status).toBe(200);
    const text = await told();
    expect(text).toMatch(/^操作未完成：数据库暂时无法写入（read-only），您的操作没有保存。请稍后重试；如持续出现，请联系管理员（请求号 [^）]+）。\n\n您在表单中填写的内容如下，可复制后重新提交：\n/);
    expect(text.endsWith(`回复内容（提交后发送给市民）：\n\`\`\`\n${ANSWER}\n\`\`\``)).toBe(true);
    await refuseWrites(h.db, false);
    expect((await h.desk.history(code)).filter((e) => e.kind === 'reply')).toEqual([]);
  });

  it('退单 the desk refuses (the case closed meanwhile): the reason typed is given back with the refusal', async () => {
    const { res, told } = await openAndSubmit(CASE_ACTIONS.return, VIEWS.return, { reason: '不属于本局职责，请向区市场监管局反映 & 投诉' }, async () => {
      await h.desk.act(code, { kind: 'reply', text: '已处理。' }, 'slack:USTAFF1');
      await h.desk.act(code, { kind: 'close', note: '' }, 'slack:USTAFF1');
    });
    expect(res.status).toBe(200);
    const text = await told();
    expect(text).toContain(`案件 ${code} 现在不能这样处理：`);
    expect(text).toContain('您在表单中填写的内容如下，可复制后重新提交：\n退单理由（诉求人可见，例如：不属于本局职责，请向区人社局反映）：\n```\n不属于本局职责，请向区市场监管局反映 &amp; 投诉\n```');
  });
});
