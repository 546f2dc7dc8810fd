import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand } from '../../helpers/slack-signer.js';
import { deskFixture } from '../../core/cases/setup.js';

const fullWidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/**
 * review18 R3: staff typing with a Chinese input method in full-width mode (２, ｍｉｎｅ, ５) or pasting a code with a
 * zero-width space got the usage text (or "没有找到案件") for a correct command. The words are read as typed in half
 * width; a reason typed in Chinese keeps its own punctuation.
 */
describe('Slack slash commands typed in full width (signed requests, real Bolt, SQLite)', () => {
  let h: SlackHarness;
  let f: Awaited<ReturnType<typeof deskFixture>>;
  beforeEach(async () => {
    f = await deskFixture({ now: '2026-11-02T03:00:00Z' }); // Mon 2 Nov 2026, 11:00 Beijing
    h = await startSlackHarness({ now: () => f.clock.now }, { db: f.db, desk: f.desk });
  });
  afterEach(async () => {
    await h.close();
    await f.close();
  });

  const command = async (cmd: string, text: string) => {
    const mark = h.stub.calls.length;
    const res = await postCommand(h.url, slashCommand({ command: cmd, text, response_url: h.stub.responseUrl(`r${mark}`) }));
    expect(res.status).toBe(200);
    return (await h.stub.waitFor('response_url', () => true, { since: mark })).body as { text: string; blocks?: unknown[] };
  };

  it('/cases ２, /cases ｍｉｎｅ and /cases ＯＶＥＲＤＵＥ　１ list as their half-width forms do', async () => {
    for (let i = 0; i < 25; i++) await f.desk.file({ type: 'inquiry', channel: 'telegram', chatId: `c${i}`, text: `第${i}号咨询：学区划分`, actor: 'citizen' });
    expect((await command('/cases', '２')).text).toBe('*待办案件*：共 25 件（第 2/2 页）');
    expect((await command('/cases', 'ｍｉｎｅ')).text).toBe('*我的案件*：共 0 件');
    expect((await command('/cases', 'ＯＶＥＲＤＵＥ\u3000１')).text).toBe('*已超期案件（期限已过仍未答复）*：共 0 件');
  });

  it('/case rate CODE ５ records the rating; a code pasted with a zero-width space is found', async () => {
    const c = await f.desk.file({ type: 'complaint', channel: 'phone', chatId: null, text: '家长来电反映校车超载', contact: '024-42841234', actor: 'slack:USTAFF1' });
    await f.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await f.desk.act(c.code, { kind: 'reply', text: '已责令校车公司整改。', via: '电话' }, 'slack:USTAFF1');
    await f.desk.act(c.code, { kind: 'close', note: '' }, 'slack:USTAFF1');
    expect((await command('/case', `rate ${c.code} ５`)).text).toBe(`已记录 ${c.code} 的评价：★★★★★ 非常满意（电话回访，2026-11-02）。`);
    expect((await command('/case', `rate ${fullWidth(c.code)}\u200b ４`)).text).toContain(`已记录 ${c.code} 的评价：★★★★☆`);
    const detail = await command('/case', `${c.code}\u200b`);
    expect(JSON.stringify(detail.blocks)).toContain(c.code);
    expect(detail.text).not.toContain('没有找到');
  });

  it('a reason typed in Chinese keeps its full-width punctuation', async () => {
    const c = await f.desk.file({ type: 'complaint', channel: 'phone', chatId: null, text: '家长来电反映校车超载', contact: '024-42841234', actor: 'slack:USTAFF1' });
    const answer = await command('/case', `return ${fullWidth(c.code)} 不属于本局职责，已告知家长向交通局反映（电话：１２３２８）。 方式＝电话`);
    expect(answer.text).toBe(`已退回案件 ${c.code}，退单理由已告知诉求人（聊天来件由系统发送）。`);
    const returned = (await f.desk.history(c.code)).find((e) => e.toState === 'returned');
    expect(returned?.note).toBe('不属于本局职责，已告知家长向交通局反映（电话：１２３２８）。');
    expect(returned?.via).toBe('电话');
  });
});
