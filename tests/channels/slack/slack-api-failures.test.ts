import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnualReport } from '../../../src/core/reports/annual/model.js';
import { blockAction, messageEvent, slashCommand, STAFF_CHANNEL } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postEvent, postInteraction } from '../../helpers/slack-signer.js';

const SERVER_ERROR = () => ({ status: 500, json: { ok: false, error: 'internal_error' } });
const RATE_LIMITED = (seconds: number) => () => ({ status: 429, headers: { 'retry-after': String(seconds) }, json: { ok: false, error: 'ratelimited' } });

/**
 * review18 R7: with views.open failing (500, 429) a button press did nothing visible while Bolt's client retried a
 * trigger_id that expires after 3 s (or waited out the 429); with conversations.members failing, staff-channel members
 * got silence from every command and button, and /report timed out in Bolt (dispatch_failed). Staff are now told at
 * once what happened and when to try again; nothing is retried inside the client.
 */
describe('Slack Web API failures during an interactive request (signed requests, real Bolt, stub Web API)', () => {
  let h: SlackHarness;
  let code: string;
  beforeEach(async () => {
    h = await startSlackHarness({
      annual: {
        draftDocx: async (year) => ({ report: { title: `本溪市溪湖区教育局${year}年政府信息公开工作年度报告` } as AnnualReport, bytes: Buffer.from('PK docx') }),
        saveRegisterItem: async () => 1,
      },
    });
    code = (await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: 'c1', text: '投诉：学校乱收费', actor: 'citizen' })).code;
  });
  afterEach(async () => {
    await h.close();
  });

  const press = async (user = 'USTAFF1') => {
    const mark = h.stub.calls.length;
    const res = await postInteraction(h.url, blockAction({ actionId: 'case_reply', value: code, user, responseUrl: h.stub.responseUrl(`b${mark}`) }));
    expect(res.status).toBe(200);
    return String((await h.stub.waitFor('response_url', undefined, { since: mark })).body.text);
  };

  it('回复 while views.open answers 500: told the form did not open and to press again; one call, no retries', async () => {
    h.stub.override('views.open', SERVER_ERROR, 10);
    expect(await press()).toMatch(/^操作未完成：Slack 暂时无法处理这次请求（Slack 服务出错），表单没有打开。请稍后再点一次；如持续出现，请联系管理员（请求号 [^）]+）。$/);
    expect(h.stub.callsOf('views.open')).toHaveLength(1);
  });

  it('回复 while views.open is rate-limited (429, Retry-After 20): told at once when to press again', async () => {
    h.stub.override('views.open', RATE_LIMITED(20), 10);
    expect(await press()).toMatch(/^操作未完成：Slack 暂时无法处理这次请求（请求过多，被 Slack 限流），表单没有打开。请 20 秒后再点一次；/);
    expect(h.stub.callsOf('views.open')).toHaveLength(1);
  });

  it('a staff-channel member while conversations.members fails: told Slack could not confirm them, not "not staff" and not nothing', async () => {
    h.stub.override('conversations.members', SERVER_ERROR, 2);
    expect(await press('USTAFF2')).toMatch(/^操作未完成：暂时无法向 Slack 确认您是工作人员（Slack 服务出错），这次操作没有执行。请稍后再试一次；/);

    const mark = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/cases', text: '', user_id: 'USTAFF2', response_url: h.stub.responseUrl('cases') }));
    expect(String((await h.stub.waitFor('response_url', undefined, { since: mark })).body.text)).toContain('暂时无法向 Slack 确认您是工作人员（Slack 服务出错）');
    expect(h.stub.callsOf('conversations.members')).toHaveLength(2); // one call per request, no retries

    // Slack answers again: the same member is served.
    const after = h.stub.calls.length;
    await postCommand(h.url, slashCommand({ command: '/cases', text: '', user_id: 'USTAFF2', response_url: h.stub.responseUrl('cases2') }));
    expect(String((await h.stub.waitFor('response_url', undefined, { since: after })).body.text)).toBe('*待办案件*：共 1 件');
  });

  it('/report while conversations.members is rate-limited: the ack itself says so (no 3 s timeout, no dispatch_failed)', async () => {
    h.stub.override('conversations.members', RATE_LIMITED(10), 10);
    const res = await postCommand(h.url, slashCommand({ command: '/report', text: 'annual 2025', user_id: 'USTAFF2' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/^操作未完成：暂时无法向 Slack 确认您是工作人员（请求过多，被 Slack 限流），这次操作没有执行。请 10 秒后再试一次；/);
    expect(h.stub.callsOf('files.completeUploadExternal')).toEqual([]);
  });

  it('a thread note by a staff-channel member while conversations.members fails: not recorded, and its author is told to resend', async () => {
    await h.db.run("INSERT INTO slack_case_messages (case_code, channel, ts, posted_at, updated_at) VALUES (?, ?, '1764300000.000100', 'x', 'x')", [code, STAFF_CHANNEL]);
    h.stub.override('conversations.members', SERVER_ERROR, 10);
    await postEvent(h.url, messageEvent({ text: '已电话联系家长。', user: 'USTAFF2', threadTs: '1764300000.000100', eventId: 'EvMembersDown' }));
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(told.body).toMatchObject({ user: 'USTAFF2', thread_ts: '1764300000.000100' });
    expect(told.body.text).toMatch(new RegExp(`^⚠️ 您刚才在本帖发的消息\\*没有\\*记入案件 ${code} 的办理记录：暂时无法向 Slack 确认您是工作人员（Slack 服务出错）。消息仍在上方，请稍后复制并在本帖中重新发送；`));
  });
});
