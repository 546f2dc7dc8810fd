import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEWS } from '../../../src/channels/slack/types.js';
import { slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';
import { deskFixture } from '../../core/cases/setup.js';

/**
 * review18 R10: a phone / letter petition logged with a date picked years back (one click on the picker's year) got
 * that year's number, a deadline long past and a place in a closed year's counts, without a question. A received date
 * whose legal deadline is already over is refused under the date field, saying what it would mean, until staff tick
 * 补录历史来件; a recent late entry is logged as before.
 */
describe('Slack /case new with a received date long past (signed requests, real Bolt, SQLite)', () => {
  let h: SlackHarness;
  let f: Awaited<ReturnType<typeof deskFixture>>;
  beforeEach(async () => {
    f = await deskFixture({ now: '2026-12-07T03:00:00Z' }); // Mon 7 Dec 2026, 11:00 Beijing
    h = await startSlackHarness({ now: () => f.clock.now }, { db: f.db, desk: f.desk });
  });
  afterEach(async () => {
    await h.close();
    await f.close();
  });

  const submit = (date: string, backfill = false) =>
    postInteraction(
      h.url,
      viewSubmission({
        callbackId: VIEWS.newCase,
        values: {
          channel: { selected_option: { value: 'phone' } },
          type: { selected_option: { value: 'petition' } },
          text: '家长来电反映彩屯小学强制补课',
          contact: '024-42841234',
          date: { selected_date: date },
          time: { selected_time: '09:00' },
          ...(backfill ? { backfill: { selected_options: [{ value: 'backfill' }] } } : {}),
        },
      }),
    );

  it('the modal offers the 补录 box; 2016-12-07 is refused under the date field and nothing is logged', async () => {
    await postCommand(h.url, slashCommand({ command: '/case', text: 'new' }));
    const open = await h.stub.waitFor('views.open');
    expect(JSON.stringify(open.body.view)).toContain('补录历史来件（办理期限已过）');

    const res = await submit('2016-12-07');
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(answer.errors.date).toBe('收到日期 2016-12-07 的来件，办理期限 2017-02-06 在登记前就已届满：登记后即为超期，编号和统计都算在 2016 年，且不能删除。请核对年份；确是补录的历史来件，请勾选下方“补录历史来件”后再提交。');
    expect(await f.desk.list({})).toEqual([]);
  });

  it('ticked 补录, the same date is logged; a call from last week is logged without a question', async () => {
    expect((await submit('2016-12-07', true)).status).toBe(200);
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(told.body.text).toBe('已登记案件 XH-2016-000001，办理期限 2017-02-06。');

    const mark = h.stub.calls.length;
    const res = await submit('2026-12-01');
    expect(await res.text()).toBe('');
    expect((await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark })).body.text).toMatch(/^已登记案件 XH-2026-000001，办理期限 2027-0\d-\d\d。$/);
  });
});
