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
});
