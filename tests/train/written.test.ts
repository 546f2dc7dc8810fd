import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readWritten } from '../../train/written.js';

/** The written messages (train/written/<bureau>.jsonl) are read with their bureau and intent label, or refused with the line. */
describe('readWritten', () => {
  const dirs: string[] = [];
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'written-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('labels intent_* rows with their intent and every other kind kb, the bureau from the file name', () => {
    const dir = folder({
      'yanta.jsonl': '{"q":"领导您好，学校门口天天堵车，请问谁来管？","expect":[],"kind":"intent_petition","intent":"petition"}\n\n',
      'dadong.jsonl': '{"q":"报名要带啥","expect":["a"],"kind":"fact"}\n{"q":"北京的学校怎么报名","expect":[],"kind":"elsewhere"}\n',
      'notes.md': 'not read',
    });
    expect(readWritten(dir)).toEqual([
      { bureau: 'dadong', q: '报名要带啥', kind: 'fact', label: 'kb', source: 'written' },
      { bureau: 'dadong', q: '北京的学校怎么报名', kind: 'elsewhere', label: 'kb', source: 'written' },
      { bureau: 'yanta', q: '领导您好，学校门口天天堵车，请问谁来管？', kind: 'intent_petition', label: 'petition', source: 'written' },
    ]);
  });

  it('reads narratives/<bureau>.jsonl after the top-level files, with the bureau from the file name', () => {
    const dir = folder({ 'yanta.jsonl': '{"q":"报名要带啥","expect":["a"],"kind":"fact"}\n' });
    mkdirSync(join(dir, 'narratives'));
    writeFileSync(join(dir, 'narratives', 'dadong.jsonl'), '{"q":"孩子转学过来两个月了学籍还没转，请领导督促","expect":[],"kind":"intent_petition","intent":"petition"}\n{"q":"我们家刚搬来，孩子转学要带什么材料","expect":["a"],"kind":"long"}\n');
    expect(readWritten(dir)).toEqual([
      { bureau: 'yanta', q: '报名要带啥', kind: 'fact', label: 'kb', source: 'written' },
      { bureau: 'dadong', q: '孩子转学过来两个月了学籍还没转，请领导督促', kind: 'intent_petition', label: 'petition', source: 'narrative' },
      { bureau: 'dadong', q: '我们家刚搬来，孩子转学要带什么材料', kind: 'long', label: 'kb', source: 'narrative' },
    ]);
  });

  it('names the file and line of a row it cannot use', () => {
    const dir = folder({ 'xihu.jsonl': '{"q":"你好","kind":"intent_greeting","intent":"greeting"}\n{"q":"转人工","kind":"intent_human"}\n' });
    expect(() => readWritten(dir)).toThrow(/xihu\.jsonl:2: .*needs its intent/);
    const broken = folder({ 'xihu.jsonl': '{"q":"你好",\n' });
    expect(() => readWritten(broken)).toThrow(/xihu\.jsonl:1: not JSON/);
  });

  it('reads nothing when the folder does not exist', () => {
    expect(readWritten(join(tmpdir(), 'no-such-written-folder'))).toEqual([]);
  });
});
