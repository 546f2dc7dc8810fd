import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKnowledgeService } from '../../src/knowledge/service.js';
import { runCliCaptured } from '../helpers/cli.js';
import { captureLogger } from './helpers/capture-logger.js';
import { createEngineStack, parent, tempDir } from './helpers/engine-stack.js';

/**
 * Knowledge files as a bureau's staff write them, outside the team: keys typed with a Chinese input method's
 * full-width colon, tabs for indentation, `questions` as one line, a body of headings only, a file far too large,
 * a folder linked back into itself, files that are not Markdown. `kb check` names each file and line with what to
 * do; a reload that meets one of them keeps serving the entry's last good version.
 */
const entry = (front: string, body = '正文。\n') => `---\n${front}\n---\n${body}`;

const FILES: Record<string, string> = {
  'fullwidth.md': entry('id：faq-fullwidth\ntitle：全角冒号\ncategory: faq'),
  'tabs.md': entry('id: faq-tabs\ntitle: 制表符\ncategory: faq\nquestions:\n\t- 有制表符吗'),
  'one-question.md': entry('id: faq-one\ntitle: 一个问题\ncategory: faq\nquestions: 孩子几岁上学'),
  'headings.md': entry('id: faq-headings\ntitle: 只有标题\ncategory: faq', '## 条件\n## 材料\n'),
  'empty.md': '',
  'notes.txt': '这是备注',
};

describe('knowledge files as staff write them: kb check', () => {
  it('names each file and line with what to do, reads a one-line questions, and does not follow a folder link', async () => {
    const dir = join(tempDir('civicdesk-kbstaff-'), 'knowledge');
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'huge.md'), entry('id: faq-huge\ntitle: 很大\ncategory: faq', '很长的正文。'.repeat(200_000)));
    writeFileSync(join(dir, 'nested', 'deeper', 'deep.md'), entry('id: faq-deep\ntitle: 子文件夹\ncategory: faq'));
    // A link back up the tree: followed, it would list the folder without end.
    symlinkSync('..', join(dir, 'nested', 'loop'));
    // A link to a file is read like the file.
    symlinkSync(join(dir, 'nested', 'deeper', 'deep.md'), join(dir, 'linked.md'));

    const { code, out } = await runCliCaptured(['kb', 'check'], { KNOWLEDGE_DIR: dir, DATABASE_PATH: join(dir, '..', 'c.db') });
    const at = (name: string) => join(dir, name);
    expect(out).toContain(`${at('fullwidth.md')}:2: "id：" has a full-width colon: write "id: " with the ASCII colon ":" and a space`);
    expect(out).toContain(`${at('fullwidth.md')}:3: "title：" has a full-width colon`);
    expect(out).toContain(`${at('tabs.md')}:6: a tab indents this line: YAML front matter is indented with spaces only; replace the tab with two spaces`);
    expect(out).toContain(`${at('one-question.md')}:5: warning: questions is one value, not a list: read as one item`);
    expect(out).toContain(`${at('headings.md')}:6: body has headings but no text under them: write the answer under the headings`);
    expect(out).toContain(`${at('empty.md')}:1: the file is empty: write the entry (front matter, then the answer) or remove the file`);
    expect(out).toMatch(new RegExp(`${at('huge.md')}:1: the file is \\d+\\.\\d MB; an entry may be at most 1 MB: split it into several entries`));
    expect(out).toContain(`${at('nested/loop')}:0: symbolic link to a folder: folders behind links are not read`);
    expect(out).toContain(`${at('notes.txt')}:0: warning: not a .md file: not read; if it is an entry, save it as Markdown with a .md name`);
    // faq-one, nested/deeper/deep.md; the linked file is the same id again: a duplicate, named as such.
    expect(out).toContain(`${at('nested/deeper/deep.md')}:2: duplicate id "faq-deep" (also in ${at('linked.md')})`);
    expect(out).toMatch(/2 entries loaded, 8 error\(s\), 2 warning\(s\)/);
    expect(code).toBe(1);
  });
});

describe('knowledge files as staff write them: live reload', () => {
  it('keeps answering from the last good version while the file is broken in each of these ways', async () => {
    const dir = join(tempDir('civicdesk-kbstaff-live-'), 'knowledge');
    cpSync('knowledge', dir, { recursive: true });
    const log = captureLogger();
    const service = createKnowledgeService({ dir, logger: log.logger, today: () => '2026-11-28' });
    const first = await service.reload();
    const { engine } = await createEngineStack({ knowledge: service });
    const file = join(dir, 'contact', 'contact-bureau.md');
    const good = readFileSync(file, 'utf8');
    const broken: Record<string, string> = {
      'full-width colon': good.replace('id: contact-bureau', 'id：contact-bureau'),
      tab: good.replace('  - 教育局电话是多少？', '\t- 教育局电话是多少？'),
      'half-written (editor saving)': good.slice(0, 40),
      'headings only': `${good.slice(0, good.indexOf('\n---\n') + 5)}## 电话\n## 地址\n`,
      'too large': good + '补充说明。'.repeat(120_000),
      empty: '',
    };
    for (const [how, text] of Object.entries(broken)) {
      writeFileSync(file, text);
      const report = await service.reload();
      expect(report.problems.map((p) => p.path), how).toEqual([file]);
      expect(report.keptPrevious, how).toEqual(['contact-bureau']);
      expect(report.entries, how).toBe(first.entries);
      const answer = await parent(engine, `kb-staff-${how}`).say('教育局电话是多少？');
      expect(answer[0]?.text, how).toContain('024-42842001');
    }
    writeFileSync(file, good);
    const back = await service.reload();
    expect(back.problems).toEqual([]);
    expect(back.keptPrevious).toEqual([]);
  });
});
