import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { openDb } from '../../../src/storage/db.js';
import { migrate } from '../../../src/storage/migrate.js';
import { LIMITS } from '../../../src/channels/slack/blocks.js';
import { VIEWS } from '../../../src/channels/slack/types.js';
import { listAudit } from '../../../src/storage/audit-repo.js';
import { phoneComplaintSubmission, slashCommand, viewSubmission } from '../../helpers/slack-payloads.js';
import { CREDIT_CODE, PERSON_ID, PERSON_ID_BAD, PERSON_ID_MASKED } from '../../helpers/identity-numbers.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';

type Block = { type: string; text?: { text: string }; fields?: { text: string }[] };

function checkLimits(blocks: Block[]) {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  for (const b of blocks) if (b.text) expect(Array.from(b.text.text).length).toBeLessThanOrEqual(LIMITS.sectionText);
}

describe('Slack slash commands', () => {
  let h: SlackHarness;
  let seq = 0;
  /**
   * The clock (case desk and Slack desk) where a test sets it: the /case new tests log a call received on 2026-11-02 at
   * 10:30 on that day (14:00 Beijing), so a received date stays within its deadline whatever day the suite runs.
   */
  let deskNow: Date | undefined;
  const clock = () => deskNow ?? new Date();
  const onLoggingDay = () => {
    deskNow = new Date('2026-11-02T06:00:00Z');
  };
  beforeEach(async () => {
    deskNow = undefined;
    const db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-')), 'test.db'));
    await migrate(db);
    const desk = createCaseDesk({ db, now: clock });
    h = await startSlackHarness({ now: clock, kbSearch: (text) => (text.includes('转学') ? [{ entryId: 'transfer', title: '转学办理', section: '所需材料', score: 12.5 }] : []) }, { db, desk });
  });
  afterEach(async () => {
    await h.close();
    await h.db.close();
  });

  const command = async (cmd: string, text: string, user = 'USTAFF1') => {
    const id = `r${(seq += 1)}`;
    const res = await postCommand(h.url, slashCommand({ command: cmd, text, user_id: user, response_url: h.stub.responseUrl(id) }));
    expect(res.status).toBe(200);
    return (await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}`)).body as { text: string; blocks?: Block[] };
  };

  it('/cases lists open cases and pages a long list within Block Kit limits', async () => {
    const codes: string[] = []; // as filed: the year in a code is the filing day's, not this test's business
    for (let i = 0; i < 30; i++)
      codes[i] = (await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: `c${i}`, text: `第${i}号咨询：学区划分${'很长的描述'.repeat(40)} <!channel>`, actor: 'citizen' })).code;
    const first = await command('/cases', '');
    expect(first.text).toBe('*待办案件*：共 30 件（第 1/2 页）');
    checkLimits(first.blocks ?? []);
    const json = JSON.stringify(first.blocks);
    expect(json).toContain(`*${codes[0]}*`);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain(codes[20]);
    const second = await command('/cases', '2');
    expect(second.text).toBe('*待办案件*：共 30 件（第 2/2 页）');
    expect(JSON.stringify(second.blocks)).toContain(`*${codes[29]}*`);
    checkLimits(second.blocks ?? []);
    expect((await command('/cases', 'mine')).text).toBe('*我的案件*：共 0 件');
  });

  it('/cases with a word it does not know (a typo) answers with the usage, not the whole open list', async () => {
    await h.desk.file({ type: 'inquiry', channel: 'telegram', chatId: 'c1', text: '学区划分咨询', actor: 'citizen' });
    const usage = '用法：`/cases`、`/cases mine`、`/cases overdue`（期限已过仍未答复）、`/cases to-close`（已答复待办结）、`/cases due-soon`，可在后面加页码（如 `/cases overdue 2`）';
    for (const typo of ['overdu', 'mine overdue', '2 3', '-1', 'overdue <!channel>']) {
      const answer = await command('/cases', typo);
      expect(answer.text).toBe(usage);
      expect(answer.blocks).toBeUndefined();
    }
    expect((await command('/cases', 'OVERDUE 1')).text).toBe('*已超期案件（期限已过仍未答复）*：共 0 件');
  });

  it('/case CODE shows the full contact and history, and audits the access', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '3003', text: '食堂卫生问题', contact: '13912345678', actor: 'citizen' });
    await h.desk.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    const detail = await command('/case', c.code.toLowerCase());
    const json = JSON.stringify(detail.blocks);
    expect(json).toContain('13912345678');
    expect(json).toContain('办理记录');
    expect(json).toContain('<@USTAFF1> → 办理中');
    checkLimits(detail.blocks ?? []);
    const audit = await listAudit(h.db, { subject: c.code });
    expect(audit.filter((a) => a.action === 'case.view_full').map((a) => a.actor)).toEqual(['slack:USTAFF1']);
    expect((await command('/case', 'XH-2026-999999')).text).toBe('没有找到案件 XH-2026-999999。');
  });

  it('/case finds a code typed with a Chinese input method: full width, an em dash, a trailing 。', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '3004', text: '食堂卫生问题', contact: '13912345678', actor: 'citizen' });
    const fullWidth = c.code.replace(/[0-9A-Z-]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    for (const typed of [fullWidth, c.code.replace(/-/g, '—'), `${c.code}。`, `「${c.code.toLowerCase()}」`]) {
      const detail = await command('/case', typed);
      expect(JSON.stringify(detail.blocks), typed).toContain('13912345678');
    }
    expect((await command('/case', `${c.code.slice(0, -1)}9。`)).text).toContain('没有找到案件');
  });

  it('/case CODE shows a call-back number the parent sent after filing in full, as the contact it became; the thread and the stored follow-up keep it masked', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '3005', citizenRef: '3005', text: '投诉彩屯小学乱收费', contact: null, actor: 'citizen' });
    await h.desk.addFollowUp(c.code, '白天打不通的话请打我爱人电话13987654321，身份证210502198001011234', 'citizen');
    const json = JSON.stringify((await command('/case', c.code)).blocks);
    expect(json).toContain('联系方式（完整，仅限本人查看，已记录查阅）*：13987654321');
    expect(json).toContain('市民追加留言：白天打不通的话请打我爱人电话139****4321');
    expect((await h.desk.get(c.code))!.contact).toBe('13987654321');
    expect(JSON.stringify(await h.db.all('SELECT note FROM case_events'))).not.toContain('13987654321');
    // ID numbers stay masked even here; the access is audited like the rest of the full detail.
    expect(json).not.toContain('210502198001011234');
    expect((await listAudit(h.db, { subject: c.code })).filter((a) => a.action === 'case.view_full')).toHaveLength(1);
    // The case's thread in the channel: the number stays masked.
    await h.slack.staffDesk.drainOnce();
    const posted = JSON.stringify(h.stub.callsOf('chat.postMessage').map((call) => call.body));
    expect(posted).toContain('139****4321');
    expect(posted).not.toContain('13987654321');
  });

  it('the same /case request delivered twice (a proxy retrying it) answers and audits the access once', async () => {
    const c = await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: '3004', text: '校服费用问题', contact: '13912345678', actor: 'citizen' });
    const request = slashCommand({ command: '/case', text: c.code, response_url: h.stub.responseUrl('twice') });
    expect((await postCommand(h.url, request)).status).toBe(200);
    expect((await postCommand(h.url, request)).status).toBe(200);
    await h.stub.waitFor('response_url', (call) => call.path === '/response/twice');
    // A later, different invocation is answered after both copies were taken in: bounds the wait without sleeping.
    await command('/case', c.code);
    expect(h.stub.callsOf('response_url').filter((call) => call.path === '/response/twice')).toHaveLength(1);
    const audit = await listAudit(h.db, { subject: c.code });
    expect(audit.filter((a) => a.action === 'case.view_full')).toHaveLength(2); // the copy's access is not recorded again
  });

  it('/case new logs a phone petition with its received time; the deadline counts from it', async () => {
    onLoggingDay();
    await postCommand(h.url, slashCommand({ command: '/case', text: 'new' }));
    const open = await h.stub.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEWS.newCase);
    const res = await postInteraction(
      h.url,
      phoneComplaintSubmission(VIEWS.newCase),
    );
    expect(res.status).toBe(200);
    const told = await h.stub.waitFor('chat.postEphemeral');
    const [c] = await h.desk.list({});
    expect(c).toMatchObject({ channel: 'phone', type: 'complaint', text: '家长来电反映校车超载', receivedAt: '2026-11-02T02:30:00.000Z' });
    expect(told.body.text).toBe(`已登记案件 ${c!.code}，办理期限 ${c!.deadlineOn}。`);
    const post = await h.stub.waitFor('chat.postMessage', (p) => !p.body.thread_ts);
    expect(JSON.stringify(post.body.blocks)).toContain('电话');
    expect(JSON.stringify(post.body.blocks)).toContain('024-****34');
    expect(JSON.stringify(post.body.blocks)).not.toContain('42841234');
  });

  it('/case new rejects a future received time in the form, filing nothing', async () => {
    const res = await postInteraction(
      h.url,
      viewSubmission({
        callbackId: VIEWS.newCase,
        values: { channel: { selected_option: { value: 'letter' } }, type: { selected_option: { value: 'petition' } }, text: '来信', date: { selected_date: '2099-01-01' }, time: { selected_time: '09:00' } },
      }),
    );
    expect(await res.json()).toEqual({ response_action: 'errors', errors: { time: '收到时间不能晚于现在。' } });
    expect(await h.desk.list({})).toEqual([]);
  });

  it('/case new refuses a contact that is no phone or e-mail (under the field, the number masked), then logs a landline typed with spaces normalised and masked', async () => {
    onLoggingDay();
    const base = {
      channel: { selected_option: { value: 'phone' } },
      type: { selected_option: { value: 'complaint' } },
      text: '家长来电反映食堂卫生差',
      date: { selected_date: '2026-11-02' },
      time: { selected_time: '10:30' },
    };
    const send = (contact: string) => postInteraction(h.url, viewSubmission({ callbackId: VIEWS.newCase, values: { ...base, contact } }));
    const submit = async (contact: string) => (await send(contact)).json();
    const refused = (masked: string) => ({
      response_action: 'errors',
      errors: {
        contact: `联系方式“${masked}”无法识别：请填写 11 位手机号（如 13812345678）、带区号的固定电话（如 024-42842001，分机写作 0414-4284123 转 801）或电子邮箱（如 name@example.com）；政府信息公开申请也可以填写邮寄地址（含街道门牌号）。`,
      },
    });
    expect(await submit('1381234567')).toEqual(refused('138*******')); // 10 digits
    expect(await submit('42841234')).toEqual(refused('428*****')); // a landline without its area code
    expect(await submit('找王老师')).toEqual(refused('找王老师'));
    expect(await submit('12345678901')).toEqual(refused('123********'));
    expect(await submit('13812345678 转 801')).toEqual(refused('138******** 转 ***')); // a mobile has no extension
    expect(await submit('zhang@')).toEqual(refused('zhang@'));
    // A postal address is a contact only for a 政府信息公开申请 (第二十九条 联系方式).
    expect(await submit('辽宁省本溪市溪湖区河东路12号')).toEqual(refused('辽宁省本溪市溪湖区河东路12号'));
    expect(await h.desk.list({})).toEqual([]);

    expect((await send('（0414）4284 1234')).status).toBe(200);
    await h.stub.waitFor('chat.postEphemeral');
    const [c] = await h.desk.list({});
    expect(c?.contact).toBe('0414-42841234');
    const post = await h.stub.waitFor('chat.postMessage', (p) => !p.body.thread_ts);
    expect(JSON.stringify(post.body.blocks)).toContain('0414-****34');
    expect(JSON.stringify(post.body)).not.toContain('42841234');
  });

  it('/case new refuses a 政府信息公开申请 without the applicant and 身份证明 (第二十九条), then logs it with them, masked in the post', async () => {
    onLoggingDay();
    const base = {
      channel: { selected_option: { value: 'phone' } },
      type: { selected_option: { value: 'disclosure' } },
      text: '来电申请公开2026年溪湖区学区划分方案',
      date: { selected_date: '2026-11-02' },
      time: { selected_time: '10:30' },
    };
    const submit = async (values: Record<string, unknown>) =>
      (await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.newCase, values: { ...base, ...values } }))).json();
    const needsApplicant = '政府信息公开申请须写明申请人的姓名或者名称、申请人类型和联系方式（《政府信息公开条例》第二十九条），请补全后再登记。';
    const needsIdentity = '政府信息公开申请须写明申请人的身份证明（《政府信息公开条例》第二十九条）：自然人填写证件类型和证件号码，法人或其他组织填写统一社会信用代码。';
    const needsDelivery = '政府信息公开申请须写明申请公开的政府信息的形式要求（《政府信息公开条例》第二十九条第三项）：信息形式（纸质/电子）和获取方式（邮寄/自取/电子邮件），请补全后再登记。';
    expect(await submit({})).toEqual({
      response_action: 'errors',
      errors: {
        name: needsApplicant, contact: needsApplicant, applicant: needsApplicant, idType: needsIdentity, idNumber: needsIdentity,
        form: needsDelivery, method: needsDelivery,
      },
    });
    const person = {
      name: '赵敏', contact: '13912345678', applicant: { selected_option: { value: '自然人' } },
      form: { selected_option: { value: '纸质' } }, method: { selected_option: { value: '自取' } },
    };
    expect(await submit(person)).toEqual({ response_action: 'errors', errors: { idType: needsIdentity, idNumber: needsIdentity } });
    const idOk = { idType: { selected_option: { value: '居民身份证' } }, idNumber: PERSON_ID };
    // 形式要求: the way must fit the form; a post needs the address, an e-mail a valid address.
    expect(await submit({ ...person, ...idOk, method: { selected_option: { value: '电子邮件' } } })).toEqual({
      response_action: 'errors', errors: { method: '纸质形式的信息不能以“电子邮件”方式提供，可选：邮寄/自取。' },
    });
    expect(await submit({ ...person, ...idOk, method: { selected_option: { value: '邮寄' } } })).toEqual({
      response_action: 'errors', errors: { address: '获取方式为邮寄时须写明申请人的邮寄地址（《政府信息公开条例》第二十九条），请补全后再登记。' },
    });
    expect(await submit({ ...person, ...idOk, form: { selected_option: { value: '电子' } }, method: { selected_option: { value: '电子邮件' } }, address: 'zhaomin' })).toEqual({
      response_action: 'errors', errors: { address: '获取方式为电子邮件时须写明有效的电子邮件地址（现为“zhaomin”），请核对后再登记。' },
    });
    const idCard = { idType: { selected_option: { value: '居民身份证' } } };
    expect(await submit({ ...person, ...idCard, idNumber: PERSON_ID_BAD })).toEqual({
      response_action: 'errors',
      errors: { idNumber: '证件号码 110105********0021 的校验位与号码不符，可能有一位输错了，请核对后重新输入。' },
    });
    expect(await submit({ ...person, idType: { selected_option: { value: '统一社会信用代码' } }, idNumber: CREDIT_CODE })).toEqual({
      response_action: 'errors',
      errors: { idType: '申请人类型为“自然人”，身份证明应为：居民身份证/港澳台居民居住证或通行证/护照/其他。' },
    });
    expect(await h.desk.list({})).toEqual([]);

    await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.newCase, values: { ...base, ...person, ...idCard, idNumber: '110105 19491231 002x' } }));
    await h.stub.waitFor('chat.postEphemeral');
    const [c] = await h.desk.list({});
    expect(c).toMatchObject({
      type: 'disclosure', citizenName: '赵敏', applicantType: '自然人', applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID,
      deliveryForm: '纸质', deliveryMethod: '自取',
    });
    const post = await h.stub.waitFor('chat.postMessage', (p) => !p.body.thread_ts);
    expect(JSON.stringify(post.body.blocks)).toContain(`*身份证明*：居民身份证 ${PERSON_ID_MASKED}`);
    expect(JSON.stringify(post.body)).not.toContain(PERSON_ID);
  });

  it('/case new takes a landline with its extension, an e-mail, and for a 政府信息公开申请 a postal address as the contact', async () => {
    onLoggingDay();
    const base = {
      channel: { selected_option: { value: 'letter' } },
      date: { selected_date: '2026-11-02' },
      time: { selected_time: '10:30' },
    };
    const complaint = { ...base, type: { selected_option: { value: 'complaint' } }, text: '来信反映校车超载' };
    const disclosure = {
      ...base, type: { selected_option: { value: 'disclosure' } }, text: '来信申请公开2026年溪湖区学区划分方案',
      name: '赵敏', applicant: { selected_option: { value: '自然人' } }, idType: { selected_option: { value: '居民身份证' } }, idNumber: PERSON_ID,
      form: { selected_option: { value: '纸质' } }, method: { selected_option: { value: '邮寄' } }, address: '辽宁省本溪市溪湖区河东路12号 赵敏 收',
    };
    const log = async (values: Parameters<typeof viewSubmission>[0]['values']) => {
      const since = h.stub.calls.length;
      const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.newCase, values }));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      // The case is logged after the modal closes; staff are told so in an ephemeral message.
      expect(JSON.stringify((await h.stub.waitFor('chat.postEphemeral', () => true, { since })).body)).toContain('XH-2026-');
    };
    await log({ ...complaint, contact: '0414-4284123 转 801' });
    await log({ ...complaint, contact: '（0414）4284123 ext. 801' });
    await log({ ...complaint, contact: 'zhaomin@example.com' });
    await log({ ...disclosure, contact: '辽宁省本溪市溪湖区河东路12号' });
    await log({ ...disclosure, contact: 'zhaomin@example.com' });
    const contacts = (await h.desk.list({})).map((c) => [c.type, c.contact]).sort();
    expect(contacts).toEqual([
      ['complaint', '0414-4284123 转 801'],
      ['complaint', '0414-4284123 转 801'],
      ['complaint', 'zhaomin@example.com'],
      ['disclosure', 'zhaomin@example.com'],
      ['disclosure', '辽宁省本溪市溪湖区河东路12号'],
    ]);
    // The channel post keeps an e-mail's name and the door of an address to the audited /case CODE detail.
    const posted = (code: string) => h.stub.waitFor('chat.postMessage', (c) => !c.body.thread_ts && JSON.stringify(c.body.blocks).includes(code));
    expect(JSON.stringify((await posted('XH-2026-000003')).body.blocks)).toContain('z***@example.com');
    expect(JSON.stringify((await posted('XH-2026-000004')).body.blocks)).toContain('辽宁省本溪市…');
    const posts = JSON.stringify(h.stub.callsOf('chat.postMessage').map((c) => c.body.blocks));
    expect(posts).not.toContain('zhaomin@example.com');
    expect(posts).not.toContain('河东路12号');
  });

  it('/disclose records a publication once', async () => {
    await postCommand(h.url, slashCommand({ command: '/disclose' }));
    const open = await h.stub.waitFor('views.open');
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEWS.disclose);
    const submit = () =>
      postInteraction(
        h.url,
        viewSubmission({
          callbackId: VIEWS.disclose,
          values: {
            title: '2026年溪湖区义务教育招生工作方案',
            category: { selected_option: { value: '招生政策' } },
            channel: { selected_option: { value: '本溪市教育网' } },
            date: { selected_date: '2026-11-20' },
            url: 'https://www.bxedu.gov.cn/2026/zs.html',
          },
        }),
      );
    await submit();
    expect((await h.stub.waitFor('chat.postEphemeral')).body.text).toBe('已登记公开信息：2026年溪湖区义务教育招生工作方案（2026-11-20）');
    const mark = h.stub.calls.length;
    await submit();
    expect((await h.stub.waitFor('chat.postEphemeral', () => true, { since: mark })).body.text).toBe('这条公开信息已经登记过了。');
    const rows = await h.db.all('SELECT title, category, channel, published_on, created_by FROM disclosures');
    expect(rows).toEqual([{ title: '2026年溪湖区义务教育招生工作方案', category: '招生政策', channel: '本溪市教育网', published_on: '2026-11-20', created_by: 'slack:USTAFF1' }]);
  });

  it('/disclose validates the fields and returns the errors to the modal', async () => {
    const res = await postInteraction(h.url, viewSubmission({ callbackId: VIEWS.disclose, values: { title: '', category: { selected_option: { value: '不存在' } }, date: { selected_date: '2026-11-20' }, url: 'ftp://x' } }));
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { title: '请填写此项。', category: '请填写此项。', channel: '请填写此项。', url: '请填写以 http:// 或 https:// 开头的链接。' },
    });
  });

  it('/kb search answers from the knowledge base; unknown subcommands show the usage', async () => {
    expect((await command('/kb', 'search 转学')).text).toBe('知识库检索“转学”：\n• *转学办理* › 所需材料 `transfer` (12.50)');
    expect((await command('/kb', 'search 火星')).text).toBe('知识库中没有找到与“火星”相关的条目。');
    expect((await command('/kb', 'dance')).text).toBe('用法：`/kb 子命令`，可用：search');
  });
});

describe('/disclose with the clock set (2026-11-20, 10:00 Beijing time)', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness({ now: () => new Date('2026-11-20T02:00:00Z') });
  });
  afterEach(async () => {
    await h.close();
  });
  const submit = (date: string) =>
    postInteraction(
      h.url,
      viewSubmission({
        callbackId: VIEWS.disclose,
        values: {
          title: '2026年溪湖区义务教育招生工作方案',
          category: { selected_option: { value: '招生政策' } },
          channel: { selected_option: { value: '本溪市教育网' } },
          date: { selected_date: date },
        },
      }),
    );

  it('refuses a publication date after today under the field, records nothing, and takes today', async () => {
    const res = await submit('2062-11-20');
    expect(await res.json()).toEqual({ response_action: 'errors', errors: { date: '发布日期不能晚于今天（2026-11-20）。' } });
    expect(await h.db.all('SELECT title FROM disclosures')).toEqual([]);
    await submit('2026-11-20');
    expect((await h.stub.waitFor('chat.postEphemeral')).body.text).toBe('已登记公开信息：2026年溪湖区义务教育招生工作方案（2026-11-20）');
    expect(await h.db.all('SELECT published_on FROM disclosures')).toEqual([{ published_on: '2026-11-20' }]);
  });
});
