import { afterEach, describe, expect, it } from 'vitest';
import type { AnnualReport } from '../../../src/core/reports/annual/model.js';
import type { CaseDeskImpl } from '../../../src/core/cases/index.js';
import { blockAction, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { form, postCommand, postInteraction, postSigned } from '../../helpers/slack-signer.js';
import { manualTimer } from '../../helpers/manual-timer.js';

/**
 * A staff check (conversations.members) or a database call that HANGS — never answers, rather than fails — through
 * signed requests to the real Bolt app, its Web API a stub that can leave a method unanswered. Before, /report and
 * /register held their ack on the staff check past Slack's 3 s (dispatch_failed), and the other commands and buttons
 * left the staff member with no answer at all. Now every ack comes back while the check still hangs, and the bound
 * gives a Chinese message saying what was not done. The bounds run on a timer the test fires by hand (no waiting):
 * each test fires it only once the stub has the hanging call, so the request is known to be stuck there.
 */

let h: SlackHarness;
afterEach(async () => {
  await h?.close();
});

async function start(overrides: Parameters<typeof startSlackHarness>[0] = {}) {
  const clock = manualTimer();
  h = await startSlackHarness({
    bounds: { timer: clock.timer },
    annual: {
      draftDocx: async (year) => ({ report: { title: `本溪市溪湖区教育局${year}年政府信息公开工作年度报告` } as AnnualReport, bytes: Buffer.from('PK docx') }),
      saveRegisterItem: async () => 1,
    },
    ...overrides,
  });
  return clock;
}

const STAFF_CHECK_HUNG = /^操作未完成：Slack 在 2 秒内没有回应工作人员身份核对，“\/(report|register)”命令没有执行。请稍后再试一次；如持续出现，请联系管理员。$/;

describe('Slack: a staff check that never answers', () => {
  it('/report: the ack comes back within the bound and says the report was not made; nothing drafted', async () => {
    const clock = await start();
    h.stub.hang('conversations.members');
    const sent = postCommand(h.url, slashCommand({ command: '/report', text: 'annual 2025', user_id: 'USTAFF2' }));
    await h.stub.waitFor('conversations.members');
    clock.fire();
    const res = await sent;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { text: string };
    expect(body.text).toMatch(STAFF_CHECK_HUNG);
    expect(body.text).toContain('/report');
    expect(h.stub.callsOf('files.getUploadURLExternal')).toEqual([]);
  });

  it('/register: the ack says the form was not opened; no views.open with a trigger_id that expired meanwhile', async () => {
    const clock = await start();
    h.stub.hang('conversations.members');
    const sent = postCommand(h.url, slashCommand({ command: '/register', text: 'proposal', user_id: 'USTAFF2' }));
    await h.stub.waitFor('conversations.members');
    clock.fire();
    expect(((await (await sent).json()) as { text: string }).text).toMatch(STAFF_CHECK_HUNG);
    expect(h.stub.callsOf('views.open')).toEqual([]);
  });

  it('/cases: acked at once, then told through response_url that the command did not run', async () => {
    const clock = await start();
    h.stub.hang('conversations.members');
    const res = await postCommand(h.url, slashCommand({ command: '/cases', text: '', user_id: 'USTAFF2', response_url: h.stub.responseUrl('cases') }));
    expect(res.status).toBe(200); // the ack, while the check still hangs
    await h.stub.waitFor('conversations.members');
    expect(h.stub.callsOf('response_url')).toEqual([]);
    clock.fire();
    const told = await h.stub.waitFor('response_url');
    expect(told.body.text).toBe('操作未完成：Slack 在 15 秒内没有回应工作人员身份核对，“/cases”命令没有执行。请稍后再试一次；如持续出现，请联系管理员。');
  });

  it('a case button (认领): acked at once, then told the action was not carried out; the case is not claimed', async () => {
    const clock = await start();
    const code = (await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: 'c1', text: '投诉：学校乱收费', actor: 'citizen' })).code;
    h.stub.hang('conversations.members');
    const res = await postInteraction(h.url, blockAction({ actionId: 'case_claim', value: code, user: 'USTAFF2', responseUrl: h.stub.responseUrl('b1') }));
    expect(res.status).toBe(200);
    await h.stub.waitFor('conversations.members');
    clock.fire();
    expect((await h.stub.waitFor('response_url')).body.text).toBe('操作未完成：Slack 在 15 秒内没有回应工作人员身份核对，这次操作没有执行。请稍后再试一次；如持续出现，请联系管理员。');
    expect((await h.desk.get(code))?.state).toBe('received');
  });
});

describe('Slack: a database call that never answers', () => {
  it('/case CODE while the case lookup hangs: told the command did not finish and its outcome is unknown', async () => {
    let looked = (): void => undefined;
    const lookedUp = new Promise<void>((resolve) => (looked = resolve));
    const clock = manualTimer();
    h = await startSlackHarness({ bounds: { timer: clock.timer } });
    // The desk's reads hang from here on (a database connection that never answers).
    const desk = h.desk as CaseDeskImpl & { get: CaseDeskImpl['get'] };
    desk.get = () => {
      looked();
      return new Promise(() => undefined);
    };
    const res = await postCommand(h.url, slashCommand({ command: '/case', text: 'XH-2026-000001', response_url: h.stub.responseUrl('show') }));
    expect(res.status).toBe(200);
    await lookedUp;
    clock.fire();
    expect((await h.stub.waitFor('response_url')).body.text).toBe(
      '“/case”命令在 15 秒内没有完成（数据库或 Slack 没有回应），是否已经生效不能确定：请稍后查看案件或记录，再决定是否重试；如持续出现，请联系管理员。',
    );
  });

  it('/register\'s form submitted while the save hangs: acked (the modal closes), then told by ephemeral it may not be saved', async () => {
    let saving = (): void => undefined;
    const saveStarted = new Promise<void>((resolve) => (saving = resolve));
    const clock = await start({
      annual: {
        draftDocx: async () => ({ report: {} as AnnualReport, bytes: Buffer.from('') }),
        saveRegisterItem: () => {
          saving();
          return new Promise<number>(() => undefined);
        },
      },
    });
    const submission = viewSubmission({
      callbackId: 'annual_register',
      privateMetadata: 'proposal',
      values: { category: { selected_option: { value: '人大建议' } }, title: '关于增加城区学位供给的建议', handledOn: { selected_date: '2019-03-01' } },
    });
    const res = await postSigned(h.url, form({ payload: JSON.stringify(submission) }), 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await saveStarted;
    clock.fire();
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(told.body.user).toBe('USTAFF1');
    expect(told.body.text).toBe('建议提案“关于增加城区学位供给的建议”在 15 秒内没有保存完（数据库没有回应），是否已登记不能确定：请稍后在工作群查看登记消息，没有的话再登记一次。');
    expect(h.stub.callsOf('chat.postMessage')).toEqual([]);
  });
});

describe('Slack: a case modal submitted while the case lookup before its ack hangs', () => {
  it('is acked within the bound; nothing is done and the staff member gets what they typed back', async () => {
    let looked = (): void => undefined;
    const lookedUp = new Promise<void>((resolve) => (looked = resolve));
    const clock = manualTimer();
    h = await startSlackHarness({ bounds: { timer: clock.timer } });
    const code = (await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: 'c1', text: '投诉：学校乱收费', actor: 'citizen' })).code;
    const desk = h.desk as CaseDeskImpl & { get: CaseDeskImpl['get'] };
    const realGet = desk.get.bind(desk);
    desk.get = () => {
      looked();
      return new Promise(() => undefined);
    };
    const submission = viewSubmission({ callbackId: 'case_reply_view', privateMetadata: code, values: { text: '您好，学校已退还资料费。' } });
    const sent = postSigned(h.url, form({ payload: JSON.stringify(submission) }), 'application/x-www-form-urlencoded');
    await lookedUp;
    clock.fire();
    const res = await sent;
    expect(res.status).toBe(200);
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(String(told.body.text)).toMatch(/^操作未完成：数据库在 2 秒内没有回应，表单内容没有提交，案件没有改变。请稍后再提交一次。/);
    expect(String(told.body.text)).toContain('您好，学校已退还资料费。');
    desk.get = realGet;
    expect((await h.desk.get(code))?.state).toBe('received');
  });
});
