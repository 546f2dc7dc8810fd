import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/cli.js';
import { parseRegisterItem } from '../../../../src/core/reports/annual/registers.js';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  return { io: { stdin: new PassThrough(), stdout, stderr, env }, out: () => out.join(''), err: () => err.join('') };
}

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-annual-cli-'));
  const kb = join(dir, 'knowledge');
  mkdirSync(kb);
  for (const i of [1, 2])
    writeFileSync(
      join(kb, `guide-${i}.md`),
      `---\nid: guide-${i}\ntitle: 办事指南${i}\ncategory: service-guide\nquestions: [如何办理${i}]\n---\n\n## 办理条件\n\n条件说明${i}。\n`,
    );
  return { dir, env: { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: kb, LOG_LEVEL: 'silent' } };
}

describe('registers and report annual on the command line', () => {
  it('validates register items field by field', () => {
    const review = { category: '行政复议', title: '复议案', filedOn: '2018-05-01', decidedOn: '2018-04-01', outcome: '胜诉' };
    expect(parseRegisterItem('review', review, { locale: 'en' })).toEqual({
      ok: false,
      problems: ['outcome: must be one of 维持 / 纠正 / 其他 / 尚未审结', 'decidedOn: must not be before filedOn (2018-05-01)'],
    });
    // In the staff's language: Chinese by default (STAFF_LOCALE zh).
    expect(parseRegisterItem('review', review)).toEqual({
      ok: false,
      problems: ['outcome: 须为以下之一：维持 / 纠正 / 其他 / 尚未审结', 'decidedOn: 不能早于 filedOn（2018-05-01）'],
    });
    expect(parseRegisterItem('proposal', { title: '提案', handledOn: '2018-02-30' }, { locale: 'en' })).toEqual({
      ok: false,
      problems: ['category: is required', 'handledOn: must be a date YYYY-MM-DD, e.g. 2018-06-30'],
    });
  });

  it('imports a CSV all or nothing, with line-numbered errors, then lists it', async () => {
    const { dir, env } = workspace();
    const csv = join(dir, 'proposals.csv');
    writeFileSync(csv, '类别,标题,handled-on\n政协提案,关于加强校园周边交通安全管理的提案,2018-06-28\n政协委员,关于增加学位的提案,2018-07-01\n人大建议,,2018-13-01\n');
    const bad = io(env);
    expect(await runCli(['registers', 'import', 'proposal', csv], bad.io)).toBe(1);
    expect(bad.err()).toBe(
      `未导入任何条目；请修改以下各行后重新导入：\n  ${csv}:3: category: 须为以下之一：政协提案 / 人大建议\n  ${csv}:4: title: 必填\n  ${csv}:4: handledOn: 须为日期 YYYY-MM-DD，如 2018-06-30\n`,
    );
    const empty = io(env);
    await runCli(['registers', 'list', 'proposal'], empty.io);
    expect(empty.out()).toBe('（建议提案：无记录）\n');

    writeFileSync(csv, '类别,标题,handled-on\n政协提案,关于加强校园周边交通安全管理的提案,2018-06-28\n人大建议,关于增加学位的建议,2019-07-01\n');
    const good = io(env);
    expect(await runCli(['registers', 'import', 'proposal', csv], good.io)).toBe(0);
    expect(good.out()).toBe('建议提案：已导入 2 条\n');
    const listed = io(env);
    await runCli(['registers', 'list', 'proposal', '--year', '2018'], listed.io);
    expect(listed.out()).toBe('#1\t2018-06-28\t关于加强校园周边交通安全管理的提案\t政协提案\n');
  });

  it('adds an item from flags and refuses an unknown kind or flag', async () => {
    const { env } = workspace();
    const ok = io(env);
    expect(await runCli(['registers', 'add', 'project', '--title', '实验小学校舍维修改造工程', '--completed-on', '2018-08-25'], ok.io)).toBe(0);
    expect(ok.out()).toBe('重大项目 #1：实验小学校舍维修改造工程（2018-08-25）已登记\n');
    const unknownKind = io(env);
    expect(await runCli(['registers', 'add', 'petition'], unknownKind.io)).toBe(2);
    expect(unknownKind.err()).toContain('Unknown register "petition". Kinds: normative-doc, license, enforcement, fee, proposal, review, info-fee, project.');
    const unknownFlag = io(env);
    expect(await runCli(['registers', 'add', 'project', '--name', 'x'], unknownFlag.io)).toBe(2);
    expect(unknownFlag.err()).toContain("Unknown option '--name'");
  });

  it('writes the annual report as Markdown to stdout and as a .docx file, counting service guides from the knowledge base', async () => {
    const { dir, env } = workspace();
    await runCli(['registers', 'add', 'proposal', '--category', '政协提案', '--title', '关于加强校园周边交通安全管理的提案', '--handled-on', '2018-06-28'], io(env).io);
    const md = io(env);
    expect(await runCli(['report', 'annual', '--year', '2018'], md.io)).toBe(0);
    expect(md.out()).toContain('# 本溪市溪湖区教育局2018年政府信息公开工作年度报告');
    expect(md.out()).toContain('梳理公开办事指南2项');
    expect(md.out()).toContain('本年度共办理政协委员提案1件（《关于加强校园周边交通安全管理的提案》）');
    const out = join(dir, 'r.docx');
    const docx = io(env);
    expect(await runCli(['report', 'annual', '--year', '2018', '--format', 'docx', '--out', out], docx.io)).toBe(0);
    expect(docx.err()).toBe(`本溪市溪湖区教育局2018年政府信息公开工作年度报告：已写入 ${out}\n`);
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(out)))['word/document.xml'] ?? new Uint8Array());
    expect(xml).toContain('六、其他需要报告的事项');
    const bad = io(env);
    expect(await runCli(['report', 'annual', '--year', '2018', '--format', 'pdf'], bad.io)).toBe(2);
    expect(bad.err()).toContain('--format must be md, docx or html (got "pdf").');
  });
});
