import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { collectMonthly } from '../../../src/core/reports/monthly/collect.js';
import { renderMonthly } from '../../../src/core/reports/monthly/render.js';
import { collectAnnualFacts } from '../../../src/core/reports/annual/gather.js';
import { createAnnualSource } from '../../../src/storage/annual-report-repo.js';
import { findRating } from '../../../src/storage/cases-repo.js';
import { buttonsOf } from '../../helpers/slack-blocks.js';
import { blockAction, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';
import { deskFixture } from '../../core/cases/setup.js';

/**
 * review17 #15: a phone / 民心网 / letter / visit case is rated on 民心网 or on the 回访 call, never in a chat. Its closed
 * card offers 记录评价 (and 重新办理 within REOPEN_DAYS); `/case rate` is the text form. The rating is stored with the
 * way it was given and counted in the monthly and annual figures; a chat case's rating stays the parent's.
 */
describe('Slack: recording the rating of a case without a chat', () => {
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

  const lastCard = (code: string) => {
    const posts = [...h.stub.callsOf('chat.postMessage'), ...h.stub.callsOf('chat.update')]
      .filter((c) => Array.isArray(c.body.blocks) && JSON.stringify(c.body.blocks).includes(`"${code} · `));
    return posts.sort((a, b) => h.stub.calls.indexOf(a) - h.stub.calls.indexOf(b)).at(-1)!;
  };
  const closedOffline = async (channel: 'phone' | 'minxin', text: string) => {
    const c = await f.desk.file({ type: 'complaint', channel, chatId: null, text, contact: '024-42841234', actor: 'slack:USTAFF1' });
    await f.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await f.desk.act(c.code, { kind: 'reply', text: '已责令校车公司整改，增派车辆。', via: channel === 'minxin' ? '民心网' : '电话' }, 'slack:USTAFF1');
    await f.desk.act(c.code, { kind: 'close', note: '' }, 'slack:USTAFF1');
    await h.slack.staffDesk.drainOnce();
    return c.code;
  };
  const command = async (text: string) => {
    const mark = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/case', text, response_url: h.stub.responseUrl(`r${mark}`) }));
    return String((await h.stub.waitFor('response_url', () => true, { since: mark })).body.text);
  };

  it('a phone case: 记录评价 on the closed card records ★★★★★ given on the 回访 call, shown in the thread and counted in the reports', async () => {
    const code = await closedOffline('phone', '家长来电反映校车超载');
    expect(buttonsOf(lastCard(code))).toEqual(expect.arrayContaining([CASE_ACTIONS.rate, CASE_ACTIONS.reopen]));

    let mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.rate, value: code }));
    const view = (await h.stub.waitFor('views.open', () => true, { since: mark })).body.view as {
      callback_id: string; blocks: { block_id?: string; element?: { options?: { value: string; text: { text: string } }[]; initial_option?: { value: string }; initial_date?: string } }[];
    };
    expect(view.callback_id).toBe(VIEWS.rate);
    const field = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(field('stars')?.options?.map((o) => o.text.text)).toEqual([
      '★☆☆☆☆ 1星', '★★☆☆☆ 2星', '★★★☆☆ 3星', '★★★★☆ 4星', '★★★★★ 5星', '6星（仅民心网）', '未评价（不参与评星）',
    ]);
    expect(field('via')?.options?.map((o) => o.value)).toEqual(['民心网', '电话回访', '书面', '当面']);
    expect(field('via')?.initial_option?.value).toBe('电话回访');
    expect(field('on')?.initial_date).toBe('2026-11-02');

    // A day still to come is refused under the field; nothing is recorded.
    const future = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.rate, privateMetadata: code, values: {
      stars: { selected_option: { value: '5' } }, via: { selected_option: { value: '电话回访' } }, on: { selected_date: '2026-11-03' } } }));
    expect(JSON.parse(await future.text())).toEqual({ response_action: 'errors', errors: {
      on: '评价日期 2026-11-03 不正确：请写年-月-日（如 2026-11-02），不晚于今天（2026-11-02），不早于办结日（2026-11-02）。' } });
    expect(await findRating(f.db, (await f.desk.get(code))!.id)).toBeNull();

    mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.rate, privateMetadata: code, values: {
      stars: { selected_option: { value: '5' } }, via: { selected_option: { value: '电话回访' } }, on: { selected_date: '2026-11-02' } } }));
    const told = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    expect(told.body.text).toBe(`已记录 ${code} 的评价：★★★★★ 非常满意（电话回访，2026-11-02）。`);
    await h.slack.staffDesk.drainOnce();
    const thread = h.stub.callsOf('chat.postMessage').slice(0).map((p) => String(p.body.text ?? ''));
    expect(thread.some((t) => t.includes('评价（电话回访，<@USTAFF1> 记录）：★★★★★ 非常满意'))).toBe(true);
    expect(await findRating(f.db, (await f.desk.get(code))!.id)).toMatchObject({ scale: 'stars5', value: 5, label: '非常满意', via: '电话回访' });

    const report = await collectMonthly(f.db, { month: '2026-11', timezone: 'Asia/Shanghai', today: '2026-11-30', isWorkingDay: () => true, serviceGuides: 0 });
    expect(report.periods.month.ratings.byLabel).toEqual({ '非常满意（电话回访）': 1 });
    expect(renderMonthly(report, 'zh').map((p) => p.text).join('\n')).toContain('非常满意（电话回访）');
  });

  it('`/case rate CODE 9` on a case still open names the 1–5 scale first, not "办结后才能评价" (review18)', async () => {
    const c = await f.desk.file({ type: 'complaint', channel: 'phone', chatId: null, text: '家长来电反映校车超载', contact: '024-42841234', actor: 'slack:USTAFF1' });
    const answer = await command(`rate ${c.code} 9`);
    expect(answer).toContain(`诉求 ${c.code} 的评价 9 不在`);
    expect(answer).toContain('（可选：1, 2, 3, 4, 5）');
    expect(await findRating(f.db, c.id)).toBeNull();
  });

  it('a 民心网 case: `/case rate CODE 6 民心网` records its 六星级, told apart from the bot\'s stars in both reports', async () => {
    const code = await closedOffline('minxin', '民心网反映彩屯小学食堂卫生问题');
    expect(await command(`rate ${code} 6`)).toBe(`已记录 ${code} 的评价：六星级（民心网，2026-11-02）。`);
    expect(await findRating(f.db, (await f.desk.get(code))!.id)).toMatchObject({ scale: 'minxin', value: 6, label: '六星级', via: '民心网' });
    // A bot-rated chat case alongside: its stars stay on their own.
    const chat = await f.desk.file({ type: 'complaint', channel: 'telegram', chatId: '7001', citizenRef: '7001', text: '投诉学校收费', actor: 'citizen' });
    await f.desk.act(chat.code, { kind: 'claim' }, 'slack:USTAFF1');
    await f.desk.act(chat.code, { kind: 'close', note: '已退费。' }, 'slack:USTAFF1');
    await f.desk.rate(chat.code, { scale: 'stars', value: 5 }, 'citizen');

    const monthly = await collectMonthly(f.db, { month: '2026-11', timezone: 'Asia/Shanghai', today: '2026-11-30', isWorkingDay: () => true, serviceGuides: 0 });
    expect(monthly.periods.month.ratings.byLabel).toEqual({ '六星级（民心网）': 1, 非常满意: 1 });
    const { facts } = await collectAnnualFacts({ year: 2026, bureau: '溪湖区教育局', serviceGuides: 0, timezone: 'Asia/Shanghai', now: f.clock.now, source: createAnnualSource(f.db) });
    expect(facts.petitions.ratings).toEqual([{ label: '六星级', count: 1 }, { label: '5星评价', count: 1 }]);

    // The parent's own rating of the chat case cannot be recorded over, nor recorded for them.
    expect(await command(`rate ${chat.code} 1 电话回访`)).toContain('由家长在对话中评价；工作人员不能代为记录或更改家长的评价');
    expect(await findRating(f.db, chat.id)).toMatchObject({ value: 5, via: null });
    await h.slack.staffDesk.drainOnce();
    expect(buttonsOf(lastCard(chat.code))).not.toContain(CASE_ACTIONS.rate);
  });

  it('重新办理 on the closed card of a phone case within REOPEN_DAYS takes a reason; past the window the card no longer offers it', async () => {
    const code = await closedOffline('phone', '家长来电反映校车超载');
    f.clock.now = new Date('2026-11-05T03:00:00Z');
    let mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.reopen, value: code }));
    const view = (await h.stub.waitFor('views.open', () => true, { since: mark })).body.view as { callback_id: string };
    expect(view.callback_id).toBe(VIEWS.reopen);
    const empty = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reopen, privateMetadata: code, values: {} }));
    expect(JSON.parse(await empty.text()).errors.reason).toBeTruthy();
    mark = h.stub.calls.length;
    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.reopen, privateMetadata: code, values: { reason: '家长来电：校车仍然超载。' } }));
    const told = await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark });
    const record = (await f.desk.get(code))!;
    expect(record.state).toBe('reopened');
    expect(told.body.text).toBe(`已重新办理 ${code}，新的办理期限：${record.deadlineOn}。`);
    expect((await f.desk.history(code)).at(-1)).toMatchObject({ kind: 'transition', toState: 'reopened', note: '家长来电：校车仍然超载。', actor: 'slack:USTAFF1' });

    // Closed again, then 16 days on: no 重新办理 on the card (REOPEN_DAYS 15), 记录评价 still there.
    await f.desk.act(code, { kind: 'reply', text: '已再次督促整改。', via: '电话' }, 'slack:USTAFF1');
    await f.desk.act(code, { kind: 'close', note: '' }, 'slack:USTAFF1');
    f.clock.now = new Date('2026-11-21T03:00:00Z');
    await f.desk.addNote(code, '回访中', 'slack:USTAFF1');
    await command(`rate ${code} 未评价`);
    await h.slack.staffDesk.drainOnce();
    const buttons = buttonsOf(lastCard(code));
    expect(buttons).toContain(CASE_ACTIONS.rate);
    expect(buttons).not.toContain(CASE_ACTIONS.reopen);
  });

  it('`/case` with a word it does not know answers the usage, not "没有找到案件"', async () => {
    // 退单 is a subcommand since fixclose17 (/case return|退单); 催办 is one this desk does not have.
    const usage = await command('催办 XH-2026-000001 请尽快');
    expect(usage).toContain('用法：`/case 编号`');
    expect(usage).not.toContain('没有找到案件');
    expect(await command('rate XH-2026-000001')).toContain('用法：`/case rate 编号 1-5|未评价');
  });
});
