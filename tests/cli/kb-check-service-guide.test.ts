import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { createKnowledgeService } from '../../src/knowledge/service.js';
import { silentLogger } from '../../src/logger.js';

/**
 * A 办事指南 must give the standard fields of government-rules.md §5: `kb check` (and every reload)
 * warns once per missing field, naming the file and the field; it stays a warning (exit 0). Headings,
 * their common synonyms and one-sheet "NAME：…" lines all count; an English translation is not checked.
 */
async function kbCheck(dir: string) {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c) => chunks.push(String(c)));
  const code = await runCli(['kb', 'check', '--knowledge', dir], { stdin: Readable.from(['']), stdout: out, stderr: new PassThrough(), env: {} });
  return { code, lines: chunks.join('').trim().split('\n') };
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-guide-'));
  mkdirSync(join(dir, 'kb'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'kb', name), text);
  return join(dir, 'kb');
}

const BARE = '---\nid: guide-x\ntitle: 教师资格认定\ncategory: service-guide\nquestions: [教师资格怎么认定]\n---\n\n## 说明\n\n请来教育局办理。\n';
const FIELDS = ['事项类型', '实施机构', '设定依据', '受理条件', '申请材料', '办理流程', '法定办结时限', '承诺办结时限', '收费标准', '办理地点', '办理时间', '咨询电话', '监督电话'];

const COMPLETE = `---
id: guide-y
title: 幼儿园、小学和初级中学教师资格认定
category: service-guide
questions: [教师资格怎么认定]
---

事项类型：行政许可
**实施机构**：区教育局

## 法律依据

《教师资格条例》第十三条至第十六条。

## 申请条件

户籍或任教学校在本区。

## 所需材料

申请表、身份证明、学历证书、体检证明。

## 办理程序

网上申报 → 确认材料 → 认定。

## 办理时限

法定时限：自受理期限终止之日起30日内；承诺时限：见本区公告。

## 是否收费

不收费。

## 办理地点与办理时间

区政务服务中心，工作日。

## 咨询电话

见本局网站。

| 监督投诉电话 | 见本局网站 |
`;

const ENGLISH = '---\nid: guide-y-en\ntitle: Teacher qualification certification\ncategory: service-guide\nlang: en\nquestions: [How do I get a teacher qualification]\n---\n\n## Conditions\n\nApply in spring or autumn.\n';

describe('kb check: service guides (办事指南) without the standard fields', () => {
  it('warns once per missing field for a guide that has none of them, and still exits 0', async () => {
    const { code, lines } = await kbCheck(folder({ 'g.md': BARE }));
    expect(code).toBe(0);
    expect(lines).toEqual([
      ...FIELDS.map((f) => expect.stringMatching(new RegExp(`g\\.md:7: warning: service guide \\(办事指南\\) lacks ${f}: add a "## ${f}" section or a "${f}：…" line`))),
      `1 entries loaded, 0 error(s), ${FIELDS.length} warning(s)`,
    ]);
  });

  it('accepts headings, their synonyms, one-sheet "NAME：…" lines and table rows; English translations are not checked', async () => {
    const { code, lines } = await kbCheck(folder({ 'y.md': COMPLETE, 'y-en.md': ENGLISH }));
    expect(code).toBe(0);
    expect(lines).toEqual(['2 entries loaded, 0 error(s), 0 warning(s)']);
  });

  it('names only the fields still missing, and a reload reports them too', async () => {
    const dir = folder({ 'y.md': COMPLETE.replace('## 法律依据', '## 其他').replace('| 监督投诉电话 | 见本局网站 |\n', '') });
    const { lines } = await kbCheck(dir);
    expect(lines.filter((l) => l.includes(': warning: ')).map((l) => /lacks (\S+):/.exec(l)![1])).toEqual(['设定依据', '监督电话']);
    const report = await createKnowledgeService({ dir, logger: silentLogger(), today: () => '2026-12-07' }).reload();
    expect(report.entries).toBe(1);
    expect(report.warnings.map((w) => w.message)).toEqual([
      'service guide (办事指南) lacks 设定依据: add a "## 设定依据" section or a "设定依据：…" line (standard fields: knowledge/_README.md)',
      'service guide (办事指南) lacks 监督电话: add a "## 监督电话" section or a "监督电话：…" line (standard fields: knowledge/_README.md)',
    ]);
  });
});
