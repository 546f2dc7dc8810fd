import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEntries } from '../../bench/kb.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { PackedEntry, entryData, packEntry, sectionCount, sectionHeading, sectionText } from '../../src/knowledge/packed-entry.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';

/** Every field as plain data, read through the entry's getters. */
const plain = (e: KnowledgeEntry): KnowledgeEntry => ({
  id: e.id,
  title: e.title,
  category: e.category,
  questions: [...e.questions],
  tags: [...e.tags],
  updated: e.updated,
  reviewBy: e.reviewBy,
  source: e.source,
  lang: e.lang,
  path: e.path,
  body: e.body,
  sections: e.sections.map((s) => ({ heading: s.heading, text: s.text })),
});

/** Read by index (what scoring uses), each section is what `sections` gives; past either end, nothing. */
const expectSectionsByIndex = (e: KnowledgeEntry): void => {
  const n = sectionCount(e);
  expect(Array.from({ length: n }, (_, i) => ({ heading: sectionHeading(e, i), text: sectionText(e, i) }))).toEqual(e.sections);
  for (const i of [-1, n, n + 1]) {
    expect(sectionHeading(e, i)).toBeUndefined();
    expect(sectionText(e, i)).toBeUndefined();
  }
};

const base: KnowledgeEntry = {
  id: 'hand-made',
  title: '手写条目',
  category: 'faq',
  questions: ['孩子几岁能上一年级', '正文里有这句', '孩子几岁能上一年级'],
  tags: ['入学', '年龄'],
  updated: '2026-03-10',
  reviewBy: null,
  source: 'https://example.gov.cn/page',
  lang: 'zh',
  path: '/k/hand-made.md',
  body: '开头一段，正文里有这句。\n\n## 年龄\n\n年满6周岁 😀 可以入学。\n\n## 空的',
  sections: [
    { heading: null, text: '开头一段，正文里有这句。' },
    { heading: '年龄', text: '年满6周岁 😀 可以入学。' },
    { heading: '空的', text: '' },
    // Not in the body (an entry made in code, not parsed from a file): kept after it.
    { heading: '不在正文', text: '这段话不在正文里。' },
  ],
};

describe('PackedEntry', () => {
  it('gives back every field of a hand-made entry, texts found in the body or not', () => {
    const packed = packEntry(base);
    expect(packed).toBeInstanceOf(PackedEntry);
    expect(plain(packed)).toEqual(base);
    expectSectionsByIndex(packed);
    expectSectionsByIndex(base);
    expect(sectionHeading(packed, 0)).toBeNull();
    expect(sectionText(packed, 2)).toBe('');
    expect(JSON.parse(JSON.stringify(packed))).toEqual(base);
    expect(packEntry(packed)).toBe(packed);
    expect({ ...entryData(packed), id: 'copy' }).toEqual({ ...base, id: 'copy' });
  });

  it('handles entries longer than 65,535 UTF-16 units (two units a header number)', () => {
    const long = '长'.repeat(70_000);
    const entry = { ...base, body: `${long}\n\n## 末节\n\n最后`, sections: [{ heading: null, text: long }, { heading: '末节', text: '最后' }], questions: ['问'.repeat(40)] };
    expect(plain(packEntry(entry))).toEqual(entry);
    expectSectionsByIndex(packEntry(entry));
  });

  it('handles an entry with no questions, tags or sections', () => {
    const entry = { ...base, questions: [], tags: [], sections: [], body: '只有正文' };
    expect(plain(packEntry(entry))).toEqual(entry);
    expect(sectionCount(packEntry(entry))).toBe(0);
    expectSectionsByIndex(packEntry(entry));
  });

  it('gives back the 3,000 generated entries of a bench base exactly', async () => {
    const kb = await loadKnowledge('knowledge');
    const entries = generateEntries(kb.entries.map(plain), 3_000);
    for (const e of entries) {
      expect(plain(packEntry(e))).toEqual(plain(e));
      expectSectionsByIndex(packEntry(e));
    }
  });

  it('loads every team knowledge file packed, with sections that are slices of the body as the loader cut them', async () => {
    const dirs = ['knowledge', ...readdirSync('bench').map((d) => join('bench', d, 'knowledge'))].filter((d) => existsSync(d));
    expect(dirs.length).toBeGreaterThan(3);
    for (const dir of dirs) {
      const kb = await loadKnowledge(dir);
      for (const e of kb.entries) {
        expect(e).toBeInstanceOf(PackedEntry);
        for (const s of e.sections) expect(e.body.includes(s.text)).toBe(true);
        expect(plain(packEntry(plain(e)))).toEqual(plain(e));
        expectSectionsByIndex(e);
      }
    }
  });
});
