import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { openStore } from '../../../src/storage/open-store.js';
import type { Db } from '../../../src/storage/db.js';
import { slashCommand } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand } from '../../helpers/slack-signer.js';

/**
 * 信访 复查 / 复核 on the Slack desk, through signed requests to Bolt: `/case review CODE …` records the decision,
 * the card and thread show it with its dates and timing, `/case CODE` lists it, and a 撤销 reopens the case.
 */
describe('Slack: 信访 复查 / 复核', () => {
  let h: SlackHarness;
  let db: Db;
  const clock = { now: new Date('2026-06-01T02:00:00Z') };
  beforeEach(async () => {
    clock.now = new Date('2026-06-01T02:00:00Z');
    db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-review-')), 'test.db'));
    const desk = createCaseDesk({ db, now: () => clock.now, config: { BUREAU_SUPERIOR: '本溪市教育局' } });
    h = await startSlackHarness({ now: () => clock.now }, { db, desk });
  });
  afterEach(async () => {
    await h.close();
    await db.close();
  });

  let seq = 0;
  const command = async (text: string) => {
    const id = `r${(seq += 1)}`;
    await postCommand(h.url, slashCommand({ command: '/case', text, user_id: 'USTAFF1', response_url: h.stub.responseUrl(id) }));
    return (await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}`)).body as { text: string; blocks?: unknown[] };
  };

  /** A phone petition answered in writing and closed on 1 Jul 2026. */
  async function closedPetition() {
    const c = await h.desk.file({ type: 'petition', channel: 'phone', chatId: null, text: '来电反映学校强制购买校服', actor: 'slack:USTAFF1' });
    await h.desk.act(c.code, { kind: 'claim', via: '电话' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    // No chat: the card gives staff the 复查 sentence their written answer must carry.
    const card = JSON.stringify(h.stub.callsOf('chat.update').at(-1)?.body.blocks);
    expect(card).toContain('书面答复须告知救济途径（请写入答复）：如对上述处理意见不服，您可以自收到本书面答复之日起30日内，向本溪市教育局（上一级行政机关）请求复查。');
    clock.now = new Date('2026-07-01T02:00:00Z');
    await h.desk.act(c.code, { kind: 'close', note: '经调查，学校已停止统一购买校服。', via: '书面' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    return c;
  }

  it('records a 复查, updates the card and thread, and lists it in /case CODE; bad input gets a Chinese answer', async () => {
    const c = await closedPetition();
    clock.now = new Date('2026-08-12T02:00:00Z');
    // Without a code: the usage; `/case review CODE` alone opens the modal (review-modal.test.ts).
    expect((await command('review')).text).toContain('用法：`/case review 编号`（打开填写窗口）或 `/case review 编号 复查|复核');
    expect((await command(`review ${c.code} 复查 结果=驳回 请求=2026-07-20 意见=2026-08-10`)).text)
      .toContain('复查结果只能是：维持/撤销/变更/不予受理/撤回（现为“驳回”）。');
    const line = '复查（本溪市教育局）：维持；请求 2026-07-20，意见 2026-08-10，本局收到 2026-08-12；在期限内（2026-07-01起 30 日，至 2026-07-31）';
    expect((await command(`review ${c.code} 复查 结果=维持 请求=2026-07-20 意见=2026-08-10 意见书已存档`)).text).toBe(`已记录 ${c.code}：${line}`);

    const mark = h.stub.calls.length;
    expect(await h.slack.staffDesk.drainOnce()).toBe(1);
    const update = await h.stub.waitFor('chat.update', () => true, { since: mark });
    expect(JSON.stringify(update.body.blocks)).toContain(line);
    const thread = h.stub.callsOf('chat.postMessage').map((p) => String(p.body.text ?? ''));
    expect(thread).toContain(`${line}\n2026-08-12 10:00 <@USTAFF1> 记录复查/复核意见：意见书已存档`);

    const detail = JSON.stringify((await command(c.code)).blocks);
    expect(detail).toContain(line);
    expect(detail).toContain('记录复查/复核意见：意见书已存档');
  });

  it('a 复查 that revokes reopens the case with a new deadline and says so', async () => {
    const c = await closedPetition();
    clock.now = new Date('2026-08-12T02:00:00Z');
    const answer = (await command(`review ${c.code} 复查 结果=撤销 请求=2026-07-20 意见=2026-08-10`)).text;
    expect(answer.split('\n')[1]).toBe('复查/复核撤销了原处理意见：案件已重新办理，新的办理期限 2026-10-12，已告知信访人。');
    expect(await h.desk.get(c.code)).toMatchObject({ state: 'reopened', deadlineOn: '2026-10-12' });
    await h.slack.staffDesk.drainOnce();
    const updates = h.stub.callsOf('chat.update').map((u) => JSON.stringify(u.body.blocks));
    expect(updates.at(-1)).toContain('复查（本溪市教育局）：撤销');
    expect(updates.at(-1)).toContain('已重新办理');
  });
});
