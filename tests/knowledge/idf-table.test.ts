import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseIdfTable } from '../../src/knowledge/idf-table.js';

describe('parseIdfTable', () => {
  it('reads "word value" lines like a Map would, the last value of a repeated word winning', () => {
    const table = parseIdfTable('入学 7.25\n户口本 9.5\n\n坏行\n入学 6.5\nwi fi 3\n');
    expect(table.size).toBe(3);
    expect(table.get('入学')).toBe(6.5);
    expect(table.get('户口本')).toBe(9.5);
    expect(table.get('wi fi')).toBe(3);
    expect(table.get('户口')).toBeUndefined();
    expect(table.get('坏行')).toBeUndefined();
    expect(table.get('')).toBeUndefined();
  });

  it("holds every word of jieba's IDF list with its value", () => {
    const require = createRequire(import.meta.url);
    const { idf } = require('@node-rs/jieba/dict.js') as { idf: Uint8Array };
    const text = Buffer.from(idf).toString('utf8');
    const table = parseIdfTable(text);
    const expected = new Map<string, number>();
    for (const line of text.split('\n')) {
      const space = line.lastIndexOf(' ');
      if (space > 0) expected.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    expect(table.size).toBe(expected.size);
    let mismatches = 0;
    for (const [word, value] of expected) if (table.get(word) !== value) mismatches += 1;
    expect(mismatches).toBe(0);
  });
});
