import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Jieba } from '@node-rs/jieba';
import { generateEntries } from '../../bench/kb.js';
import { exactLn } from '../../src/knowledge/exact-log.js';
import { OUT_OF_SCOPE_TERMS } from '../../src/knowledge/lexicon.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { createNormalizer } from '../../src/knowledge/normalize.js';
import type { KnowledgeEntry, SynonymGroups } from '../../src/knowledge/schema.js';
import { createSegmenter, type Segmenter } from '../../src/knowledge/segmenter.js';
import { createSynonyms, withShippedLexicon } from '../../src/knowledge/synonyms.js';

/**
 * The segmenter must cut exactly as the native @node-rs/jieba (kept installed as the reference) after both
 * got the same dictionary and the same added words: on every text we have and on random strings.
 */
const require = createRequire(import.meta.url);
const dictionary = readFileSync(require.resolve('@node-rs/jieba/dict.txt'));
const KNOWLEDGE_DIRS = ['knowledge', 'bench/other-bureau/knowledge', 'bench/third-bureau/knowledge', 'bench/fourth-bureau/knowledge'];
/** A bureau's own words, as a `_synonyms.yaml` would add them (school names, local places). */
const BUREAU: SynonymGroups = {
  groups: [
    ['溪湖区第一小学', '溪湖一小', '一小'],
    ['明山区第二中学', '明山二中'],
    ['彩屯街道', '彩屯'],
    ['火连寨', '火连寨镇'],
  ],
  typos: [['溪胡区', '溪湖区']],
};

let jieba: Jieba;
let segmenter: Segmenter;
/** The texts of every knowledge file, raw and normalised as the analyzer sees them. */
const entries: KnowledgeEntry[] = [];

/** The words tokenize.ts adds for a lexicon, as `word 200000` lines. */
function lexiconLines(extra: SynonymGroups | undefined, has: (w: string) => boolean, added: Set<string>): string {
  const lexicon = withShippedLexicon(extra);
  const words = [...createSynonyms(lexicon.groups, createNormalizer(lexicon.typos)).words, ...OUT_OF_SCOPE_TERMS];
  const fresh = words.filter((w) => (w.length > 2 || (w.length === 2 && !has(w))) && !added.has(w));
  fresh.forEach((w) => added.add(w));
  return fresh.map((w) => `${w} 200000`).join('\n');
}

const entryTexts = (e: KnowledgeEntry): string[] =>
  [e.title, ...e.questions, ...e.tags, e.body, ...e.sections.flatMap((s) => [s.heading, s.text])].filter((t): t is string => typeof t === 'string' && t !== '');

function expectSameCuts(texts: readonly string[]): void {
  const differ = texts.filter((t) => JSON.stringify(segmenter.cut(t)) !== JSON.stringify(jieba.cut(Buffer.from(t), false)));
  expect(differ.slice(0, 3).map((t) => ({ t, ours: segmenter.cut(t), jieba: jieba.cut(Buffer.from(t), false) }))).toEqual([]);
}

beforeAll(async () => {
  const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
  jieba = JiebaClass.withDict(dictionary);
  segmenter = createSegmenter(dictionary);
  const added = new Set<string>();
  // Two batches, as two analyzers (shipped lexicon, then a bureau's) add them.
  for (const extra of [undefined, BUREAU]) {
    const lines = lexiconLines(extra, (w) => segmenter.has(w), added);
    jieba.loadDict(Buffer.from(lines));
    segmenter.addWords(lines);
  }
  for (const dir of KNOWLEDGE_DIRS) entries.push(...(await loadKnowledge(dir)).entries);
}, 20_000);

describe('createSegmenter cuts exactly like @node-rs/jieba cut(text, false)', () => {
  it('on the examples of jieba-rs and on a parent’s question', () => {
    expect(segmenter.cut('abc网球拍卖会def！！？\r\n\t')).toEqual(['abc', '网球', '拍卖会', 'def', '！', '！', '？', '\r\n', '\t']);
    expect(segmenter.cut('我们中出了一个叛徒')).toEqual(['我们', '中', '出', '了', '一个', '叛徒']);
    expect(segmenter.cut('娃今年能上一年级吗？C++ 3.5%')).toEqual(['娃', '今年', '能', '上', '一年级', '吗', '？', 'C++', ' ', '3', '.', '5', '%']);
    expectSameCuts(['娃今年能上一年级吗？C++ 3.5%']);
  });

  it('on every text of every knowledge base (raw, normalised, and joined by newlines as analyzeMany does)', () => {
    expect(entries.length).toBeGreaterThan(50);
    const lexicon = withShippedLexicon(BUREAU);
    const normalize = createNormalizer(lexicon.typos);
    const texts = entries.flatMap(entryTexts);
    expectSameCuts([...texts, ...texts.map(normalize), ...entries.map((e) => entryTexts(e).map(normalize).join('\n'))]);
  });

  it('on every message of the dev sets and fresh sets', () => {
    const files = [
      ...readdirSync('bench').filter((f) => f.endsWith('.jsonl')).map((f) => `bench/${f}`),
      ...['other-bureau', 'third-bureau', 'fourth-bureau'].flatMap((d) => readdirSync(`bench/${d}`).filter((f) => f.endsWith('.jsonl')).map((f) => `bench/${d}/${f}`)),
    ];
    const messages = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q));
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(messages.length).toBeGreaterThan(500);
    expectSameCuts(messages);
  });

  it('on the texts of 3,000 generated entries (bench/kb.ts), one at a time and all joined', { timeout: 120_000 }, () => {
    const texts = generateEntries(entries, 3000).flatMap(entryTexts);
    expectSameCuts(texts);
    expectSameCuts([texts.join('\n')]);
  });

  it('on random mixes of Han (common, rare, Ext-A/B/G, compatibility), ASCII, symbols, whitespace, emoji and zero-width characters', () => {
    const pieces = [
      ...'的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动',
      ...'户口簿籍学区划片入学转校招生报名幼儿园初中高中义务教育溪湖本溪彩屯', // the bureau's words
      '户口', '一年级', '上学期', '中华人民共和国', '溪湖区', '教育局', '能上一年', '网球拍卖会', '侵华日军南京大屠杀遇难同胞纪念馆',
      ...'龘齉靐䶯䶰㐀䶵', '𠀀', '𠮷', '𦡦', '𪚥', '𫠝', '𰀀', '𱍊', '豈', '﨎', '丽', // rare, Ext-A, Ext-B/C/E, Ext-G (not Han for jieba), compatibility
      ...'aZz09AB', 'T恤', 'B超', 'AA制', 'iPhone', 'C++', 'C#', '3.14', '100%', ...'+#&._%-',
      ' ', '\t', '\r\n', '\n', '\r', '　', '\u00a0',
      ...'，。？！：；、（）【】《》“”', '👪', '😀', '👍🏻', '\u200b', '\u200d', '\ufeff', '\u2060', 'é', 'ß', 'Ω', 'ㄅ', 'あ', '한',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(segmenter.cut(text)).toEqual(jieba.cut(Buffer.from(text), false));
      }),
      { numRuns: 3000, seed: 20261128 },
    );
  });

  it('turns a lone surrogate into U+FFFD, as Buffer.from does before jieba sees it', () => {
    const text = '户口\ud800簿\udc00a';
    expect(segmenter.cut(text)).toEqual(['户口', '\ufffd', '簿', '\ufffd', 'a']);
    expectSameCuts([text]);
  });
});

describe('createSegmenter dictionary updates (jieba-rs load_dict)', () => {
  const tiny = () => createSegmenter(Buffer.from('上 100\n一 100\n年 100\n级 100\n上一年 50\n一年级 10\n'));

  it('a new word with a high frequency changes the cut; the same word again only replaces its frequency', () => {
    const seg = tiny();
    expect(seg.cut('上一年级')).toEqual(['上一年', '级']);
    seg.addWords('一年级 200000');
    expect(seg.cut('上一年级')).toEqual(['上', '一年级']);
    seg.addWords('一年级 1');
    expect(seg.cut('上一年级')).toEqual(['上一年', '级']);
    expect(seg.size).toBe(6);
    expect(seg.has('一年')).toBe(false); // only the start of words
  });

  it('rejects a line whose frequency is not an integer, naming the line', () => {
    expect(() => tiny().addWords('户口 200000\n学区 lots')).toThrow('segmenter: line 2 "学区 lots": frequency lots is not a valid integer');
  });
});

describe('exactLn', () => {
  it('gives the C library’s log (what Rust’s f64::ln returns), where Math.log is one unit off', () => {
    // Values from Python's math.log (glibc); Math.log(3) is 1.0986122886681096.
    const glibc: [number, number][] = [
      [3, 1.0986122886681098],
      [48, 3.871201010907891],
      [74, 4.30406509320417],
      [5312, 8.57772369115627],
      [85101964, 18.259360672008196],
    ];
    for (const [n, ln] of glibc) expect(exactLn(n)).toBe(ln);
    expect(glibc.filter(([n, ln]) => Math.log(n) !== ln).length).toBeGreaterThan(0);
    expect(exactLn(1)).toBe(0);
    expect(exactLn(0)).toBe(-Infinity);
  });
});
