import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { filterDictionary, loadJiebaDictionary, MIN_WORD_FREQUENCY } from '../../src/knowledge/jieba-dictionary.js';

const SAMPLE = ['户口 4 n', '户口簿 3 n', '溪湖 3 ns', '学区 120 n', 'AA 5 n', '𠮷 9 n', '上学期 7 t', '划片', '阿 2'].join('\n');

describe('filterDictionary', () => {
  it('keeps the lines at or above the frequency (and those without one), in order, each ending in a newline', () => {
    const kept = filterDictionary(Buffer.from(SAMPLE), 4);
    expect(kept.dict.toString('utf8')).toBe('户口 4 n\n学区 120 n\nAA 5 n\n𠮷 9 n\n上学期 7 t\n划片\n');
    expect(kept.words).toBe(6);
    expect(filterDictionary(Buffer.from(SAMPLE), 2).dict.toString('utf8')).toBe(`${SAMPLE}\n`);
    expect(filterDictionary(Buffer.from(SAMPLE), 100).dict.toString('utf8')).toBe('学区 120 n\n划片\n');
  });
});

describe('loadJiebaDictionary (the shipped dict.txt)', () => {
  const require = createRequire(import.meta.url);
  const file = readFileSync(require.resolve('@node-rs/jieba/dict.txt'));

  it('keeps every word at MIN_WORD_FREQUENCY, byte for byte', () => {
    const full = loadJiebaDictionary();
    expect(MIN_WORD_FREQUENCY).toBe(2);
    expect(full.words).toBe(349_045);
    expect(full.dict.toString('utf8').trimEnd()).toBe(file.toString('utf8').trimEnd());
  });

  it('trims by the frequency column', () => {
    expect(loadJiebaDictionary(5).words).toBe(136_547);
    expect(loadJiebaDictionary(20).words).toBe(79_746);
  });
});

describe('the analyzer on the loaded dictionary', () => {
  afterEach(() => {
    vi.doUnmock('../../src/knowledge/jieba-dictionary.js');
    vi.resetModules();
  });

  it('cuts a parent’s question as it did with @node-rs/jieba/dict.js', async () => {
    vi.resetModules();
    const { createAnalyzer } = await import('../../src/knowledge/tokenize.js');
    expect(createAnalyzer().terms('孩子的户口不在学区怎么办')).toEqual(['孩子', '户籍', '划片']);
    expect(createAnalyzer().terms('从沈阳转到溪湖读书要啥手续')).toEqual(['沈阳', '转', '溪湖', '入学', '材料']);
  });

  it('adds back a trimmed word that a lexicon needs, and only then', async () => {
    // 溪湖 has frequency 3: a dictionary trimmed at 4 cuts it into 溪 + 湖 until a bureau's synonyms name it.
    vi.resetModules();
    vi.doMock('../../src/knowledge/jieba-dictionary.js', async (importOriginal) => {
      const original = await importOriginal<typeof import('../../src/knowledge/jieba-dictionary.js')>();
      const { dictionaryTable } = await import('../../src/knowledge/segmenter.js');
      // The segmenter's table is normally the precompiled one: build it from the trimmed text instead.
      return { ...original, loadJiebaTable: () => dictionaryTable(original.loadJiebaDictionary(4).dict) };
    });
    const { createAnalyzer } = await import('../../src/knowledge/tokenize.js');
    expect(createAnalyzer().terms('从沈阳转到溪湖读书要啥手续')).toEqual(['沈阳', '转学', '溪', '湖', '入学', '材料']);
    expect(createAnalyzer().terms('孩子的户口不在学区怎么办')).toEqual(['孩子', '户籍', '划片']);
    const own = createAnalyzer({ groups: [['溪湖', '溪湖区']], typos: [] });
    expect(own.terms('从沈阳转到溪湖读书要啥手续')).toEqual(['沈阳', '转学', '溪湖', '入学', '材料']);
  });
});
