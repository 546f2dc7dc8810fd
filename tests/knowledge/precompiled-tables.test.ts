import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readArrays, writeArrays } from '../../src/knowledge/binary-cache.js';
import { parseEvalFile } from '../../src/knowledge/evaluate.js';
import { idfArrays, idfTable, parseIdfTable } from '../../src/knowledge/idf-table.js';
import { loadJiebaDictionary } from '../../src/knowledge/jieba-dictionary.js';
import { createSegmenter, dictionaryTable } from '../../src/knowledge/segmenter.js';
import { createWordTable } from '../../src/knowledge/word-table.js';

/**
 * `npm run build` saves jieba's dictionary and IDF list as binary tables that a start reads without parsing.
 * A table read back from such a file must cut and weigh exactly as the one parsed from the text.
 */
const dir = mkdtempSync(join(tmpdir(), 'civicdesk-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const messages = parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'devset').map((c) => c.q);

describe('binary tables', () => {
  it('reads back typed arrays and meta, and refuses a file made for another source or format', () => {
    const path = join(dir, 'a.bin');
    writeArrays(path, { format: 1, source: { size: 3 }, n: 7 }, [Uint16Array.from([1, 2, 3]), Float64Array.from([0.5, -1]), Int32Array.from([-1])]);
    const read = readArrays(path, { format: 1, source: { size: 3 } })!;
    expect(read.meta.n).toBe(7);
    expect(read.arrays.map((a) => [a.constructor.name, [...a]])).toEqual([
      ['Uint16Array', [1, 2, 3]],
      ['Float64Array', [0.5, -1]],
      ['Int32Array', [-1]],
    ]);
    expect(readArrays(path, { format: 2 })).toBeNull();
    expect(readArrays(path, { source: { size: 4 } })).toBeNull();
    expect(readArrays(join(dir, 'missing.bin'), {})).toBeNull();
    writeFileSync(join(dir, 'junk.bin'), 'not a table');
    expect(readArrays(join(dir, 'junk.bin'), {})).toBeNull();
  });

  it('reads each array into its own buffer with the room asked for, and refuses a truncated file', () => {
    const path = join(dir, 'b.bin');
    writeArrays(path, { format: 1 }, [Uint32Array.from([7, 8]), Float64Array.from([1.5])]);
    const [ints, floats] = readArrays(path, { format: 1 }, [3, 0])!.arrays;
    expect([...ints!]).toEqual([7, 8, 0, 0, 0]);
    expect([...floats!]).toEqual([1.5]);
    // Not views on one file buffer: growing one array later must not keep the others' bytes twice.
    expect(ints!.buffer).not.toBe(floats!.buffer);
    expect(ints!.buffer.byteLength).toBe(5 * 4);
    writeFileSync(join(dir, 'cut.bin'), readFileSync(path).subarray(0, readFileSync(path).length - 4));
    expect(readArrays(join(dir, 'cut.bin'), { format: 1 })).toBeNull();
  });

  it("restores jieba's dictionary: the same cuts, also after the lexicon adds words", () => {
    const parsed = dictionaryTable(loadJiebaDictionary().dict);
    const { units, starts, logFreqs, slots, ...counts } = parsed.state();
    writeArrays(join(dir, 'dict.bin'), counts, [units, starts, logFreqs, slots]);
    const read = readArrays(join(dir, 'dict.bin'), {})!;
    const [u, s, l, sl] = read.arrays as [Uint16Array, Uint32Array, Float64Array, Int32Array];
    const restored = createWordTable(counts.count, { units: u, starts: s, logFreqs: l, slots: sl, ...(read.meta as typeof counts) });
    const fresh = createSegmenter(parsed);
    const loaded = createSegmenter(restored);
    expect(loaded.size).toBe(fresh.size);
    for (const q of messages) expect(loaded.cut(q), q).toEqual(fresh.cut(q));
    for (const seg of [fresh, loaded]) seg.addWords('溪湖区教育局 200000\n能上一年级 200000\n上学期 5');
    for (const q of messages) expect(loaded.cut(q), q).toEqual(fresh.cut(q));
  });

  it('restores the IDF table: the same weight for every word of the list', () => {
    const text = readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt'), 'utf8');
    const a = idfArrays(text);
    writeArrays(join(dir, 'idf.bin'), { size: a.size }, [a.units, a.starts, a.slots, a.values, a.palette!]);
    const read = readArrays(join(dir, 'idf.bin'), {})!;
    const [units, starts, slots, values, palette] = read.arrays as [Uint16Array, Uint32Array, Int32Array, Uint16Array, Float64Array];
    const restored = idfTable({ units, starts, slots, values, palette, size: read.meta.size as number });
    const parsed = parseIdfTable(text);
    expect(restored.size).toBe(parsed.size);
    const words = text.split('\n').map((line) => line.slice(0, line.lastIndexOf(' ')));
    for (let i = 0; i < words.length; i += 97) expect(restored.get(words[i]!), words[i]).toBe(parsed.get(words[i]!));
    expect(restored.get('不在表里的词语')).toBeUndefined();
  });
});
