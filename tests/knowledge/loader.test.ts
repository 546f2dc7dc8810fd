import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { formatProblem } from '../../src/knowledge/schema.js';
import { CORPUS, entry, writeKnowledge } from './fixtures.js';

const good = entry('id: ok-entry\ntitle: 正常条目\ncategory: faq', '正文。\n');

describe('loadKnowledge', () => {
  it('loads every entry with its sections and ignores _ files and folders', async () => {
    const dir = writeKnowledge({ ...CORPUS, '_drafts/draft.md': 'not an entry', '_synonyms.yaml': 'synonyms:\n  - [溪湖一小, 溪湖区第一小学]\n' });
    const kb = await loadKnowledge(dir);
    expect(kb.problems).toEqual([]);
    expect(kb.entries.map((e) => e.id).sort()).toEqual([
      'contact-bureau',
      'enrollment-age',
      'enrollment-materials-primary',
      'enrollment-private-lottery',
      'guide-student-transfer',
      'guide-teacher-certification',
    ]);
    const materials = kb.entries.find((e) => e.id === 'enrollment-materials-primary')!;
    expect(materials.sections).toEqual([
      { heading: null, text: '报名时请携带以下材料。' },
      { heading: '基本材料', text: '户口簿、房产证、出生医学证明。' },
      { heading: '租房家庭', text: '房屋租赁合同和居住证。' },
    ]);
    expect(materials.lang).toBe('zh');
    expect(kb.synonyms.groups).toEqual([['溪湖一小', '溪湖区第一小学']]);
  });

  it('reports every problem as path:line: message and skips only the bad files', async () => {
    const dir = writeKnowledge({
      'ok.md': good,
      'yaml.md': '---\nid: bad-yaml\ntitle: [unclosed\ncategory: faq\n---\n正文\n',
      'noid.md': entry('title: 没有编号\ncategory: faq', '正文\n'),
      'badid.md': entry('id: Bad_Id\ntitle: 编号不对\ncategory: faq', '正文\n'),
      'cat.md': entry('id: cat\ntitle: 分类不对\ncategory: news', '正文\n'),
      'date.md': entry('id: date\ntitle: 日期不对\ncategory: faq\nupdated: 2026-13-01', '正文\n'),
      'link.md': entry('id: link\ntitle: 链接不对\ncategory: faq\nsource: javascript:alert(1)', '正文\n'),
      'empty.md': entry('id: empty\ntitle: 没有正文\ncategory: faq', '\n\n'),
      'zz-dup.md': entry('id: ok-entry\ntitle: 重复\ncategory: faq', '正文\n'),
      // 0xFF starts no UTF-8 sequence and no GBK/GB18030 one.
      'binary.md': Buffer.concat([Buffer.from('---\nid: binary\ntitle: x\ncategory: faq\n---\n'), Buffer.from([0xff, 0x20, 0xba, 0xc3])]),
      'nofront.md': '# 标题\n正文\n',
    });
    const kb = await loadKnowledge(dir);
    const lines = kb.problems.map((p) => formatProblem({ ...p, path: p.path.slice(dir.length + 1) })).sort();
    expect(lines).toEqual([
      'badid.md:2: id "Bad_Id" must use only a-z, 0-9 and "-"',
      'binary.md:6: not UTF-8 (invalid byte 0xFF), nor GBK: save the file as UTF-8',
      'cat.md:4: category "news" must be one of enrollment, service-guide, policy, contact, faq',
      'date.md:5: updated "2026-13-01" must be a date YYYY-MM-DD',
      'empty.md:6: body is empty: write the answer below the front matter',
      'link.md:5: source "javascript:alert(1)" must be an http(s) URL such as https://example.gov.cn/page',
      'nofront.md:1: front matter is missing: the file must start with a line "---"',
      'noid.md:1: id is required',
      'yaml.md:4: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      `zz-dup.md:2: duplicate id "ok-entry" (also in ${dir}/ok.md)`,
    ]);
    expect(kb.entries.map((e) => e.id)).toEqual(['ok-entry']);
    expect(kb.skipped.map((p) => p.slice(dir.length + 1)).sort()).toEqual(
      ['badid.md', 'binary.md', 'cat.md', 'date.md', 'empty.md', 'link.md', 'nofront.md', 'noid.md', 'yaml.md', 'zz-dup.md'],
    );
  });

  it('warns on unknown keys and past review_by without skipping the entry', async () => {
    const dir = writeKnowledge({ 'a.md': entry('id: a\ntitle: 条目\ncategory: faq\nauthor: 张三\nreview_by: 2026-01-31', '正文\n') });
    const kb = await loadKnowledge(dir, { today: '2026-11-28' });
    expect(kb.problems).toEqual([]);
    expect(kb.entries).toHaveLength(1);
    expect(kb.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      '5: unknown front-matter key "author" (ignored)',
      '6: review_by 2026-01-31 has passed: review this entry and set a new date',
    ]);
  });

  it('reports a missing folder instead of throwing', async () => {
    const kb = await loadKnowledge('/nonexistent/knowledge-dir');
    expect(kb.entries).toEqual([]);
    expect(kb.problems[0]?.message).toMatch(/^cannot read the knowledge folder: /);
  });
});
