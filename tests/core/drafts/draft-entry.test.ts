import { mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftEntry, draftTitle, writeDraft } from '../../../src/core/drafts/draft-entry.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';

const input = {
  caseCode: 'XH-2026-000123',
  question: '孩子在外地上的幼儿园，回溪湖上小学要开什么证明？我电话13812345678',
  reply: '无需幼儿园学籍证明。请携带户口簿、房产证明和出生医学证明，到划片学校现场核验。\n\n如有疑问请致电024-42842001。',
  today: '2026-11-28',
};

describe('draft entries from closed cases', () => {
  it('writes a draft under _drafts/ that is not indexed until an admin moves it, and then passes kb check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-draft-'));
    const path = writeDraft(dir, draftEntry(input));
    expect(path).toBe(join(dir, '_drafts', 'draft-xh-2026-000123.md'));

    const hidden = await loadKnowledge(dir);
    expect(hidden.entries).toEqual([]);

    renameSync(path, join(dir, 'draft-xh-2026-000123.md'));
    const live = await loadKnowledge(dir, { today: '2026-11-28' });
    expect(live.problems).toEqual([]);
    expect(live.entries).toHaveLength(1);
    expect(live.entries[0]).toMatchObject({
      id: 'draft-xh-2026-000123',
      title: '孩子在外地上的幼儿园，回溪湖上小学要开什么证明',
      category: 'faq',
      updated: '2026-11-28',
      reviewBy: '2027-02-26',
    });
    expect(live.entries[0]?.sections.map((s) => s.heading)).toContain('答复');
  });

  it('masks the parent phone in the question and keeps the reply text', () => {
    const { markdown } = draftEntry(input);
    expect(markdown).not.toContain('13812345678');
    expect(markdown).toContain('138****5678');
    expect(markdown).toContain('无需幼儿园学籍证明。');
  });

  it('never overwrites an existing draft', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-draft-'));
    const first = writeDraft(dir, draftEntry(input));
    const second = writeDraft(dir, draftEntry({ ...input, reply: '第二稿' }));
    expect(second).toBe(join(dir, '_drafts', 'draft-xh-2026-000123-2.md'));
    expect(readFileSync(first, 'utf8')).toContain('无需幼儿园学籍证明');
  });

  it('cuts long questions into a short title', () => {
    expect(draftTitle('请问一下我们家孩子今年九月份就要上一年级了但是户口和房子都不在一个地方该怎么办呢')).toHaveLength(30);
  });
});
