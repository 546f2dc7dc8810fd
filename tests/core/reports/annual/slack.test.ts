import type { Server } from 'node:http';
import { join } from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annualCommandDeps, registerAnnualCommands } from '../../../../src/channels/slack/annual-commands.js';
import { silentLogger } from '../../../../src/logger.js';
import type { Db } from '../../../../src/storage/db.js';
import { listRegisterItems } from '../../../../src/storage/registers-repo.js';
import { createCaseDesk } from '../../../../src/core/cases/desk.js';
import { STAFF_CHANNEL, slashCommand, viewSubmission } from '../../../helpers/slack-payloads.js';
import { TEST_SIGNING_SECRET, postCommand, postSigned, form } from '../../../helpers/slack-signer.js';
import { startSlackStub, type SlackStub } from '../../../helpers/slack-stub.js';
import { insertCase, seedReference2018, tempStore } from './seed.js';

let db: Db;
let stub: SlackStub;
let app: App;
let url: string;
let enApp: App;
let enUrl: string;
const quietBolt = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

beforeAll(async () => {
  ({ db } = await tempStore());
  await seedReference2018(db);
  stub = await startSlackStub();
  [app, url] = await startApp('zh');
  [enApp, enUrl] = await startApp('en');
});

/** Bolt on a random port with the annual commands, in the staff language given (STAFF_LOCALE, as createSlackApp wires it). */
async function startApp(locale: 'zh' | 'en'): Promise<[App, string]> {
  const bolt = new App({
    token: 'xoxb-test',
    logger: quietBolt,
    clientOptions: { slackApiUrl: stub.apiUrl },
    receiver: new HTTPReceiver({ signingSecret: TEST_SIGNING_SECRET, port: 0, logger: quietBolt }),
  });
  registerAnnualCommands(bolt, {
    ...annualCommandDeps({
      db,
      bureau: '本溪市溪湖区教育局',
      timezone: 'Asia/Shanghai',
      knowledgeDir: join(process.cwd(), 'knowledge'),
      templatesDir: join(process.cwd(), 'reports/annual'),
      staffChannel: STAFF_CHANNEL,
      isStaff: async (id) => id === 'USTAFF1',
      logger: silentLogger(),
    }),
    locale,
    now: () => new Date('2026-11-28T08:00:00Z'),
  });
  const server = (await bolt.start(0)) as Server;
  const address = server.address();
  return [bolt, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slack/events`];
}
afterAll(async () => {
  await app.stop();
  await enApp.stop();
  await stub.close();
  await db.close();
});

describe('Slack /report annual and /register', () => {
  it('acks /report annual 2018 at once and uploads the .docx to the staff channel', async () => {
    const since = stub.calls.length;
    const res = await postCommand(url, slashCommand({ command: '/report', text: 'annual 2018', response_url: stub.responseUrl() }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_type: 'ephemeral',
      text: '正在生成 2018 年政府信息公开工作年度报告，完成后上传到工作群。',
    });
    // Drafting the .docx takes seconds of CPU; on a loaded machine (the full suite on 2 shared cores) it took over 5 s.
    const done = await stub.waitFor('files.completeUploadExternal', undefined, { since, timeoutMs: 25_000 });
    expect(done.body.channel_id).toBe(STAFF_CHANNEL);
    expect(done.body.initial_comment).toBe('本溪市溪湖区教育局2018年政府信息公开工作年度报告（草稿，请核对后发布）');
    expect(JSON.stringify(done.body.files)).toContain('本溪市溪湖区教育局2018年政府信息公开工作年度报告');
    const upload = stub.callsOf('file.upload').at(-1);
    expect(String(upload?.body.raw)).toContain('word/document.xml'); // a zip: the .docx
    const url2 = stub.callsOf('files.getUploadURLExternal').at(-1);
    expect(url2?.body.filename).toBe('政府信息公开工作年度报告-2018.docx');
  });

  it('tells the user why a year cannot be drafted, and uploads nothing', async () => {
    await insertCase(db, { type: 'disclosure', code: 'XH-2017-000042', receivedAt: '2017-03-01T02:00:00Z', closedAt: '2017-03-10T02:00:00Z' });
    const since = stub.calls.length;
    const res = await postCommand(url, slashCommand({ command: '/report', text: 'annual 2017', response_url: stub.responseUrl('r2') }));
    expect((await res.json()).text).toBe('正在生成 2017 年政府信息公开工作年度报告，完成后上传到工作群。');
    const answer = await stub.waitFor('response_url', undefined, { since });
    expect(answer.body.text).toBe(
      '2017 年度报告未生成：年度报告数据不完整，未生成报告：\n  1 件已办结的政府信息公开申请未记录办理结果（表三“三、本年度办理结果”），例如 XH-2017-000042；请在办结时选择办理结果后重新生成。',
    );
    expect(stub.calls.slice(since).filter((c) => c.method.startsWith('files.'))).toEqual([]);
  });

  it('answers a bad year or a non-staff user without drafting anything', async () => {
    const bad = await postCommand(url, slashCommand({ command: '/report', text: 'annual 18' }));
    expect((await bad.json()).text).toBe('用法：/report annual YYYY [`--service-guides N`]，例如 /report annual 2025；`--service-guides` 给出该年公开的办事指南数（不写则按当前知识库的中文办事指南计数）');
    const stranger = await postCommand(url, slashCommand({ command: '/report', text: 'annual 2018', user_id: 'UPARENT' }));
    expect((await stranger.json()).text).toBe('只有工作人员可以使用此命令。');
  });

  it('opens a modal for /register proposal and records a valid submission', async () => {
    const since = stub.calls.length;
    await postCommand(url, slashCommand({ command: '/register', text: 'proposal' }));
    const open = await stub.waitFor('views.open', undefined, { since });
    const view = open.body.view as { title: { text: string }; blocks: { block_id: string; element: { type: string } }[] };
    expect(view.title.text).toBe('登记：建议提案');
    expect(view.blocks.map((b) => `${b.block_id}:${b.element.type}`)).toEqual([
      'category:static_select',
      'title:plain_text_input',
      'ref:plain_text_input',
      'handledOn:datepicker',
    ]);

    const invalid = viewSubmission({
      callbackId: 'annual_register',
      privateMetadata: 'proposal',
      values: { category: { selected_option: { value: '人大建议' } }, title: '', handledOn: { selected_date: '2019-03-01' } },
    });
    const refused = await postSigned(url, form({ payload: JSON.stringify(invalid) }), 'application/x-www-form-urlencoded');
    expect(await refused.json()).toEqual({ response_action: 'errors', errors: { title: '必填' } });

    const valid = viewSubmission({
      callbackId: 'annual_register',
      privateMetadata: 'proposal',
      values: { category: { selected_option: { value: '人大建议' } }, title: '关于增加城区学位供给的建议', handledOn: { selected_date: '2019-03-01' } },
    });
    const before = stub.calls.length;
    await postSigned(url, form({ payload: JSON.stringify(valid) }), 'application/x-www-form-urlencoded');
    const posted = await stub.waitFor('chat.postMessage', undefined, { since: before });
    expect(posted.body.text).toMatch(/^建议提案 #\d+ 已登记：关于增加城区学位供给的建议（2019-03-01），登记人 <@USTAFF1>$/);
    const rows = await listRegisterItems(db, 'proposal', { year: 2019 });
    expect(rows.map((r) => [r.category, r.title, r.createdBy])).toEqual([['人大建议', '关于增加城区学位供给的建议', 'slack:USTAFF1']]);
  });

  it('refuses, under 收到日期, a 行政复议 the register would count a second time (already linked to a disclosure request)', async () => {
    const clock = { now: new Date('2025-03-01T02:00:00Z') };
    const desk = createCaseDesk({ db, now: () => clock.now });
    const request = await desk.file({ type: 'disclosure', channel: 'telegram', chatId: '9001', text: '申请公开2025年学区划分依据', actor: 'citizen', applicantType: '自然人' });
    await desk.act(request.code, { kind: 'claim' }, 'cli');
    await desk.act(request.code, { kind: 'close', note: '予以公开。', disclosureResult: '（一）予以公开' }, 'cli');
    clock.now = new Date('2025-05-20T02:00:00Z');
    await desk.recordAppeal(request.code, { category: '复议', filedOn: '2025-05-10' }, 'cli');
    const submission = viewSubmission({
      callbackId: 'annual_register',
      privateMetadata: 'review',
      values: { category: { selected_option: { value: '行政复议' } }, title: '王某复议案', filedOn: { selected_date: '2025-05-10' } },
    });
    const refused = await postSigned(url, form({ payload: JSON.stringify(submission) }), 'application/x-www-form-urlencoded');
    const { errors } = (await refused.json()) as { errors: Record<string, string> };
    expect(Object.keys(errors)).toEqual(['filedOn']);
    expect(errors.filedOn).toContain(`与政府信息公开申请 ${request.code} 已记录的行政复议（收到 2025-05-10）是同一案件`);
    expect((await listRegisterItems(db, 'review')).map((r) => r.title)).not.toContain('王某复议案');
  });

  it('words the duplicate and validation errors under the fields in the staff language (STAFF_LOCALE): Chinese by default, English with en', async () => {
    const submit = (target: string, values: Parameters<typeof viewSubmission>[0]['values']) =>
      postSigned(target, form({ payload: JSON.stringify(viewSubmission({ callbackId: 'annual_register', privateMetadata: 'proposal', values })) }), 'application/x-www-form-urlencoded');
    const item = { category: { selected_option: { value: '政协提案' } }, title: '关于规范课后服务收费的提案', handledOn: { selected_date: '2019-04-02' } };
    const before = stub.calls.length;
    await submit(url, item);
    await stub.waitFor('chat.postMessage', undefined, { since: before });
    const [id] = (await listRegisterItems(db, 'proposal', { year: 2019 })).filter((r) => r.title === item.title).map((r) => r.id);
    expect(await (await submit(url, item)).json()).toEqual({
      response_action: 'errors',
      errors: { title: `「关于规范课后服务收费的提案」（2019-04-02）已登记为 #${id}，未重复登记。如需更正，请先删除原条目：\`registers remove proposal ${id} --reason 原因\`` },
    });
    expect(await (await submit(enUrl, item)).json()).toEqual({
      response_action: 'errors',
      errors: { title: `"关于规范课后服务收费的提案" (2019-04-02) is already recorded as #${id}; not recorded twice. To correct it, remove that entry first: \`registers remove proposal ${id} --reason REASON\`` },
    });
    expect(await (await submit(enUrl, { ...item, title: '' })).json()).toEqual({ response_action: 'errors', errors: { title: 'is required' } });
    expect((await listRegisterItems(db, 'proposal', { year: 2019 })).filter((r) => r.title === item.title)).toHaveLength(1);
  });
});
