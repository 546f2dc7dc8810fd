import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { listAudit } from '../../../src/storage/audit-repo.js';
import { insertMessage, setMessageFeedback } from '../../../src/storage/messages-repo.js';
import { blockAction, slashCommand } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { KB_FILES, folderKnowledge, md, writeFolder } from '../../helpers/slack-knowledge.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';

const NOW = new Date('2026-11-28T02:00:00Z');
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * 86_400_000);
type Block = { type: string; text?: { text: string } };
type Response = { text: string; blocks?: Block[] };

describe('/kb admin subcommands', () => {
  let h: SlackHarness;
  let dir: string;
  let knowledge: Awaited<ReturnType<typeof folderKnowledge>>;
  let seq = 0;
  beforeEach(async () => {
    dir = writeFolder(KB_FILES);
    knowledge = await folderKnowledge(dir);
    h = await startSlackHarness({ knowledge, now: () => NOW });
  });
  afterEach(async () => {
    await h.close();
  });

  /** Runs a command and returns every response_url message it sent (waits for `count`). */
  const command = async (text: string, user = 'UADMIN', count = 1): Promise<Response[]> => {
    const id = `k${(seq += 1)}`;
    const res = await postCommand(h.url, slashCommand({ command: '/kb', text, user_id: user, response_url: h.stub.responseUrl(id) }));
    expect(res.status).toBe(200);
    await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}` && h.stub.calls.filter((x) => x.path === c.path).length >= count);
    return h.stub.calls.filter((c) => c.path === `/response/${id}`).map((c) => c.body as unknown as Response);
  };
  const shown = (r: Response) => (r.blocks ?? []).map((b) => b.text?.text ?? '').join('\n');

  const served = async (entryId: string, section: string | null, daysAgo: number, feedback?: boolean) => {
    const id = await insertMessage(h.db, { channel: 'telegram', chatId: '1', text: null, intent: 'kb', answered: true, confident: true, entryId, section }, at(daysAgo));
    if (feedback !== undefined) await setMessageFeedback(h.db, id, feedback, null);
  };
  const refused = (text: string, daysAgo = 1) =>
    insertMessage(h.db, { channel: 'telegram', chatId: '2', text, intent: 'kb', answered: false, confident: false }, at(daysAgo));

  it('refuses staff who are not admins, politely, and changes nothing', async () => {
    await refused('户口和房子不在一起，孩子去哪上学？');
    const refusal = '抱歉，这项操作仅限管理员使用。';
    for (const text of ['stats', 'gaps', 'gaps mark 0123456789 ignored', 'reload'])
      for (const user of ['USTAFF1', 'USTAFF2']) expect((await command(text, user))[0]).toEqual({ response_type: 'ephemeral', text: refusal });
    expect(knowledge.reloads).toBe(0);
    expect(await h.db.all('SELECT * FROM gap_groups')).toEqual([]);
    expect(h.stub.callsOf('chat.postMessage')).toEqual([]);
    expect((await command('reload', 'USTRANGER'))[0]?.text).toBe(refusal);
    expect(knowledge.reloads).toBe(0);
  });

  it('/kb stats shows served, 👍/👎 per entry and section, last updated, past review_by and unused entries', async () => {
    await served('enrollment-age', '年龄规定', 3, true);
    await served('enrollment-age', '年龄规定', 2, false);
    await served('enrollment-age', '年龄规定', 1);
    await served('enrollment-age', '不满6周岁能否提前入学', 1);
    await served('faq-school-meals', '收费', 100); // outside the window and longer ago than 90 days
    const [reply] = await command('stats');
    expect(reply?.text).toBe('*知识库使用情况*（近 30 天）：答复 4 次，👍 有帮助 1，👎 没帮助 1');
    expect(shown(reply!)).toBe(
      [
        '*知识库使用情况*（近 30 天）：答复 4 次，👍 有帮助 1，👎 没帮助 1',
        '• *小学一年级入学年龄* `enrollment-age`：答复 4 次 · 👍 1 · 👎 1 · 有帮助 50% · 最近答复 2026-11-27 · 更新 2026-03-01',
        '      ↳ 年龄规定：3 次 · 👍 1 · 👎 1',
        '      ↳ 不满6周岁能否提前入学：1 次 · 👍 0 · 👎 0',
        '另有 2 条在这段时间没有答复。',
        '',
        '*已过复核日期*（1 条）：`enrollment-hukou-house`',
        '*90 天内未使用*（2 条）：`enrollment-hukou-house`, `faq-school-meals`',
      ].join('\n'),
    );
    const [wide] = await command('stats 365');
    expect(wide?.text).toBe('*知识库使用情况*（近 365 天）：答复 5 次，👍 有帮助 1，👎 没帮助 1');
    expect(shown(wide!)).toContain('• *学校食堂收费* `faq-school-meals`：答复 1 次 · 👍 0 · 👎 0 · 有帮助 – · 最近答复 2026-08-20 · 更新 –  ⚠ 90 天未使用');
    expect((await command('stats 0'))[0]?.text).toBe('天数须为 1 到 3650 之间的整数（收到“0”）。');
  });

  it('/kb stats and /kb gaps date answers and questions by the bureau\'s day (TIMEZONE), not UTC\'s, around midnight', async () => {
    // 2026-11-27 16:30 UTC is 2026-11-28 00:30 in Beijing; 2026-11-24 23:59 UTC is 2026-11-25 07:59.
    await insertMessage(h.db, { channel: 'telegram', chatId: '1', text: null, intent: 'kb', answered: true, confident: true, entryId: 'enrollment-age', section: '年龄规定' }, new Date('2026-11-27T16:30:00Z'));
    await insertMessage(h.db, { channel: 'telegram', chatId: '2', text: '食堂饭费一个月多少钱', intent: 'kb', answered: false, confident: false }, new Date('2026-11-24T23:59:00Z'));
    const stats = shown((await command('stats'))[0]!);
    expect(stats).toContain('· 最近答复 2026-11-28 ·');
    expect(stats).not.toContain('2026-11-27');
    const gaps = shown((await command('gaps'))[0]!);
    expect(gaps).toMatch(/ · 最近 2026-11-25\n/);
    expect(gaps).not.toContain('2026-11-24');
  });

  it('/kb gaps groups real paraphrases largest first with the best match; mark resolved shows whether the gap closed', async () => {
    for (const q of ['户口和房子不在一起，孩子去哪上学？', '户口跟房子不在一起孩子去哪上学', '户口和房子不在一起孩子去哪上学呢']) await refused(q, 5);
    await refused('食堂饭费一个月多少钱 <!channel>', 4);
    const [list] = await command('gaps');
    const text = shown(list!);
    expect(list?.text).toBe('*未答复的问题*（近 30 天）：2 组待处理，0 组已标记');
    const first = text.split('\n').slice(1, 4);
    expect(first[0]).toMatch(/^\*1\.\* ×3 {2}户口(和|跟)房子不在一起/);
    expect(first[1]).toMatch(/^ {6}键 `[0-9a-f]{10}` · 拒答 3 · 低置信 0 · 没帮助 0 · 最近 2026-11-23$/);
    expect(first[2]).toMatch(/^ {6}当前最佳匹配：户口与房产不一致如何入学 `enrollment-hukou-house` \(\d+\.\d\d\)$/);
    expect(text).toContain('×1  食堂饭费一个月多少钱 &lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    const key = /键 `([0-9a-f]{10})`/.exec(first[1]!)![1]!;

    expect((await command(`gaps mark ${key} resolved`))[0]?.text).toBe(`标记为已解决时请写明答复它的条目 ID：\`/kb gaps mark ${key} resolved 条目ID\``);
    expect((await command(`gaps mark ${key} resolved no-such-entry`))[0]?.text).toBe('知识库中没有 ID 为“no-such-entry”的条目。');
    expect((await command('gaps mark ffffffffff ignored'))[0]?.text).toBe('近 30 天内没有键为“ffffffffff”的问题组。请先用 `/kb gaps 30` 查看键。');
    const [marked] = await command(`gaps mark ${key} resolved enrollment-hukou-house`);
    expect(marked?.text).toMatch(new RegExp(`^问题组 \`${key}\`（户口.+ ×3）已标记为已解决（由 \`enrollment-hukou-house\` 答复）。$`));
    expect(await h.db.all('SELECT key, status, entry_id, marked_by FROM gap_groups')).toEqual([
      { key, status: 'resolved', entry_id: 'enrollment-hukou-house', marked_by: 'slack:UADMIN' },
    ]);
    expect((await listAudit(h.db, { subject: key })).map((a) => [a.actor, a.action])).toEqual([['slack:UADMIN', 'kb.gaps.resolved']]);

    const [after] = await command('gaps');
    expect(after?.text).toBe('*未答复的问题*（近 30 天）：1 组待处理，1 组已标记');
    expect(shown(after!)).toContain('（已解决：`enrollment-hukou-house`）');
    expect(shown(after!)).toContain('*问题解决了吗？*（能有把握答复的比例：修复前 → 修复后）');
    expect(shown(after!)).toContain(`• \`${key}\` → \`enrollment-hukou-house\`（2026-11-28）：0%（3 条）→ –（0 条）`);

    const other = /\*2\.\* ×1 {2}食堂[^\n]*\n {6}键 `([0-9a-f]{10})`/.exec(shown(after!))![1]!;
    expect((await command(`gaps mark ${other} ignored 7`))[0]?.text).toBe(`问题组 \`${other}\`（食堂饭费一个月多少钱 &lt;!channel&gt; ×1）已标记为忽略。`);
    expect((await command('gaps 7'))[0]?.text).toBe('*未答复的问题*（近 7 天）：0 组待处理，2 组已标记');
  });

  it('"归入…" in /kb gaps files a group under the picked entry: one added line in its file, reload, group resolved', async () => {
    for (const q of ['孩子户口在奶奶家能在哪上学', '孩子户口在奶奶家 能去哪上学']) await refused(q, 3);
    const sent = await command('gaps', 'UADMIN', 2);
    expect(sent).toHaveLength(2);
    type Select = { type: string; action_id: string; options: { text: { text: string }; value: string }[] };
    const picker = (sent[1]!.blocks ?? []) as (Block & { block_id?: string; accessory?: Select })[];
    expect(picker[0]!.text!.text).toContain('*归入…*');
    const select = picker[1]!.accessory!;
    expect(picker[1]!.text!.text).toMatch(/^×2 {2}孩子户口在奶奶家/);
    expect(select.action_id).toBe('kb_teach');
    expect(select.options).toHaveLength(3);
    expect(select.options[0]!.text.text).toBe('户口与房产不一致如何入学 (enrollment-hukou-house)');
    const key = /^teach:([0-9a-f]{10})$/.exec(picker[1]!.block_id!)![1]!;
    const before = readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8');
    const taught = picker[1]!.text!.text.replace(/^×2 {2}/, '');

    const pick = async (user: string, id: string) => {
      const payload = blockAction({ actionId: 'kb_teach', value: '', user, responseUrl: h.stub.responseUrl(id) }) as { actions: Record<string, unknown>[] };
      payload.actions = [{ ...payload.actions[0], type: 'static_select', value: undefined, selected_option: select.options[0] }];
      expect((await postInteraction(h.url, payload)).status).toBe(200);
      await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}`);
      return (h.stub.calls.find((c) => c.path === `/response/${id}`)!.body as unknown as Response).text;
    };
    expect(await pick('USTAFF1', 'teach-staff')).toBe('抱歉，这项操作仅限管理员使用。');
    expect(readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8')).toBe(before);

    const reply = await pick('UADMIN', 'teach-admin');
    expect(reply).toBe(
      `已把“${taught}”归入 \`enrollment-hukou-house\`（户口与房产不一致如何入学），写入 \`enrollment/hukou.md\`；知识库已重新加载（3 条），问题组 \`${key}\` 已标记为已解决。`,
    );
    expect(readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8')).toBe(before.replace('questions: [户口和房子不在一起去哪个学校上学]', `questions: [户口和房子不在一起去哪个学校上学, ${taught}]`));
    expect(knowledge.reloads).toBe(1);
    expect(await h.db.all('SELECT key, status, entry_id, marked_by FROM gap_groups')).toEqual([
      { key, status: 'resolved', entry_id: 'enrollment-hukou-house', marked_by: 'slack:UADMIN' },
    ]);
    expect(knowledge.bestMatch!(taught)?.id).toBe('enrollment-hukou-house');
    const [after] = await command('gaps');
    expect(after?.text).toBe('*未答复的问题*（近 30 天）：0 组待处理，1 组已标记');
  });

  it('"归入…" of a message with a parent\'s name, address and phone writes only the asking part and says what was left out (review 18b B5)', async () => {
    await refused('我是王小明妈妈，住彩屯街道幸福小区3号楼2单元501，电话13912345678，孩子户口在奶奶家能在哪上学', 3);
    const sent = await command('gaps', 'UADMIN', 2);
    type Select = { type: string; action_id: string; options: { text: { text: string }; value: string }[] };
    const picker = (sent[1]!.blocks ?? []) as (Block & { block_id?: string; accessory?: Select })[];
    const select = picker[1]!.accessory!;
    const before = readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8');
    const payload = blockAction({ actionId: 'kb_teach', value: '', user: 'UADMIN', responseUrl: h.stub.responseUrl('teach-pii') }) as { actions: Record<string, unknown>[] };
    payload.actions = [{ ...payload.actions[0], type: 'static_select', value: undefined, selected_option: select.options[0] }];
    expect((await postInteraction(h.url, payload)).status).toBe(200);
    await h.stub.waitFor('response_url', (c) => c.path === '/response/teach-pii');
    const reply = (h.stub.calls.find((c) => c.path === '/response/teach-pii')!.body as unknown as Response).text;
    expect(reply).toMatch(/^已把“孩子户口在奶奶家能在哪上学”归入 `enrollment-hukou-house`/);
    expect(reply.split('\n')[1]).toBe('消息中含个人信息的3处内容（姓名、住址、电话或证件号码）未写入知识文件。');
    const after = readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8');
    expect(after).toBe(before.replace('questions: [户口和房子不在一起去哪个学校上学]', 'questions: [户口和房子不在一起去哪个学校上学, 孩子户口在奶奶家能在哪上学]'));
    expect(after).not.toMatch(/王小明|幸福小区|5678/);
  });

  it('/kb gaps pages a long queue within Block Kit limits and at most 5 messages', async () => {
    const pool = Array.from('学校教师课程作业考试成绩班级校车食堂宿舍操场图书馆补课收费转学休学复学学籍档案证明户口房产租房社保居住证体检疫苗近视午休延时托管社团竞赛奖学金助学金营养餐校服教材辅导心理安全欺凌');
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) % pool.length;
    for (let i = 0; i < 400; i++) await refused(Array.from({ length: 24 }, () => pool[rand()]).join(''), 2);
    const sent = await command('gaps', 'UADMIN', 5);
    expect(sent).toHaveLength(5);
    expect(shown(sent[4]!)).toContain('内容较多，只显示了前 5 页。完整清单请运行 `npm run cli -- kb gaps --format csv`。');
    for (const page of sent) {
      expect(page.blocks!.length).toBeLessThanOrEqual(50);
      expect(page.blocks!.reduce((n, b) => n + Array.from(b.text?.text ?? '').length, 0)).toBeLessThanOrEqual(11_200);
      for (const b of page.blocks!) expect(Array.from(b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    }
    const heading = sent[0]!.text.replace(/ \(1\/5\)$/, '');
    expect(heading).toMatch(/^\*未答复的问题\*（近 30 天）：\d{3} 组待处理，0 组已标记$/);
    expect(sent.map((p) => p.text)).toEqual([1, 2, 3, 4, 5].map((n) => `${heading} (${n}/5)`));
  });

  it('/kb reload reloads, answers the admin, and posts the problems once to the staff channel for the admins', async () => {
    const [clean] = await command('reload');
    expect(clean?.text).toMatch(/^知识库已重新加载：3 条，用时 \d+ 毫秒，问题 0 个。$/);
    expect(h.stub.callsOf('chat.postMessage')).toEqual([]);

    // An admin breaks a live entry: the old version stays live and the admins hear about it once.
    writeFileSync(join(dir, 'faq/meals.md'), md('id: faq-school-meals\ntitle: 学校食堂收费\ncategory: faq\nreview_by: 明年', '## 收费\n\n按新标准收取。\n'));
    const [report] = await command('reload');
    expect(report?.text).toMatch(/^知识库已重新加载：3 条，用时 \d+ 毫秒，问题 1 个。问题清单已发到工作群并提醒了管理员。$/);
    expect(knowledge.reloads).toBe(2);
    expect(knowledge.bestMatch?.('食堂饭费多少钱')?.id).toBe('faq-school-meals');
    const posts = h.stub.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.channel).toBe('CSTAFF01');
    const path = join(dir, 'faq/meals.md');
    expect(String(posts[0]?.body.text)).toMatch(/^<@UADMIN> 知识库重新加载时发现 1 个问题（出问题的条目继续使用旧版本）：\n/);
    expect(String(posts[0]?.body.text)).toContain(`${path}:5: `);
    const blocks = JSON.stringify(posts[0]?.body.blocks);
    expect(blocks).toContain(`${path}:5: `);
    expect(blocks).toContain('继续使用旧版本的条目：`faq-school-meals`');
  });

  it('/kb reload leaves the post to the service when its onReload already notifies', async () => {
    await h.close();
    h = await startSlackHarness({ knowledge, now: () => NOW, reloadProblemsPostedByService: true });
    writeFileSync(join(dir, 'faq/broken.md'), md('id: Bad Id\ntitle: 坏条目\ncategory: faq', '正文'));
    const [report] = await command('reload');
    expect(report?.text).toMatch(/^知识库已重新加载：3 条，用时 \d+ 毫秒，问题 1 个。问题清单已发到工作群并提醒了管理员。$/);
    expect(h.stub.callsOf('chat.postMessage')).toEqual([]);
  });

  it('/kb reload that fails tells the admin why and posts nothing', async () => {
    knowledge.reload = async () => {
      throw new AppError('config_invalid', 'cannot read the knowledge folder /srv/knowledge: permission denied');
    };
    const [reply] = await command('reload');
    expect(reply?.text).toBe('处理失败：cannot read the knowledge folder /srv/knowledge: permission denied');
    expect(h.stub.callsOf('chat.postMessage')).toEqual([]);
  });
});
