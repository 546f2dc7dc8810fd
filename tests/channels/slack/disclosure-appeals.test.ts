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

/** `/case appeal CODE …` through signed requests to Bolt: recorded against the disclosure request, shown in `/case CODE`. */
describe('Slack: 行政复议 / 行政诉讼 against a disclosure answer', () => {
  let h: SlackHarness;
  let db: Db;
  const clock = { now: new Date('2026-02-10T02:00:00Z') };
  beforeEach(async () => {
    clock.now = new Date('2026-02-10T02:00:00Z');
    db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-appeal-')), 'test.db'));
    h = await startSlackHarness({ now: () => clock.now }, { db, desk: createCaseDesk({ db, now: () => clock.now }) });
  });
  afterEach(async () => {
    await h.close();
    await db.close();
  });

  let seq = 0;
  const command = async (text: string) => {
    const id = `a${(seq += 1)}`;
    await postCommand(h.url, slashCommand({ command: '/case', text, user_id: 'USTAFF1', response_url: h.stub.responseUrl(id) }));
    return (await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}`)).body as { text: string; blocks?: unknown[] };
  };

  it('records it, answers with its line, shows it in the history; bad input gets the usage or a Chinese reason', async () => {
    const c = await h.desk.file({ type: 'disclosure', channel: 'telegram', chatId: '9001', text: '申请公开2025年学区划分依据', actor: 'citizen', applicantType: '自然人' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    clock.now = new Date('2026-03-02T02:00:00Z');
    await h.desk.act(c.code, { kind: 'close', note: '经检索，该信息不存在。', disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息' }, 'slack:USTAFF1');
    clock.now = new Date('2026-04-20T02:00:00Z');
    expect((await command('appeal')).text).toContain('用法：`/case appeal 编号 复议|诉讼|复议后起诉');
    expect((await command(`appeal ${c.code} 复议 收到=2026-04-25`)).text).toContain('收到日期 2026-04-25 还没有到（今天是 2026-04-20）');
    expect((await command(`appeal ${c.code} 复议 收到=2026-04-15 案号=溪政复〔2026〕3号 区政府来函`)).text)
      .toBe(`${c.code} 已记录行政复议/行政诉讼：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结`);
    const detail = JSON.stringify((await command(c.code)).blocks);
    expect(detail).toContain('<@USTAFF1> 记录行政复议/行政诉讼：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结；区政府来函');
    expect(await h.desk.appeals(c.code)).toHaveLength(1);
    // Its result, later, by text: the same appeal is updated (no 收到= needed for the only 复议), not a second one.
    clock.now = new Date('2026-06-20T02:00:00Z');
    expect((await command(`appeal ${c.code} 复议 结果=维持 审结=2026-06-18`)).text)
      .toBe(`${c.code} 已更新行政复议/行政诉讼记录：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；结果维持，审结 2026-06-18`);
    expect((await command(`appeal ${c.code} 复议 结果=维持 审结=2026-06-18`)).text).toContain('本次没有新的内容，未重复记录');
    expect(await h.desk.appeals(c.code)).toHaveLength(2);
  });
});
