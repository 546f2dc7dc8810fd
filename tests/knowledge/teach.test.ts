import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addQuestion, teachFile } from '../../src/knowledge/teach.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';

const BLOCK = `---
id: enrollment-renters
title: 租房家庭的孩子怎么上学
category: enrollment
questions:
  - 租房子住孩子能在附近上学吗？
  - 没有房产证只有租房合同可以报名吗？
tags: [租房, 租赁合同]
updated: 2026-04-20
---

## 租赁合同要求

合同须备案。  
`;

describe('addQuestion: one added line, every other byte unchanged', () => {
  it('appends to a block list, after its last item', () => {
    const { text, added } = addQuestion(BLOCK, '租的房子能上哪个学校');
    expect(added).toBe(true);
    expect(text).toBe(BLOCK.replace('  - 没有房产证只有租房合同可以报名吗？\n', '  - 没有房产证只有租房合同可以报名吗？\n  - 租的房子能上哪个学校\n'));
  });

  it('keeps the list indentation the author used and CRLF line ends', () => {
    const crlf = BLOCK.replace(/ {2}- /g, '    - ').replace(/\n/g, '\r\n');
    const { text } = addQuestion(crlf, '租房能报名吗');
    expect(text).toBe(crlf.replace('可以报名吗？\r\n', '可以报名吗？\r\n    - 租房能报名吗\r\n'));
  });

  it('changes one line of a flow list, and fills an empty one', () => {
    const flow = BLOCK.replace(/questions:\n {2}- (.+)\n {2}- (.+)\n/, 'questions: [$1, $2]\n');
    expect(addQuestion(flow, '租房咋上学').text).toBe(flow.replace('可以报名吗？]', '可以报名吗？, 租房咋上学]'));
    const empty = BLOCK.replace(/questions:\n {2}- (.+)\n {2}- (.+)\n/, 'questions: []\n');
    expect(addQuestion(empty, '租房咋上学').text).toBe(empty.replace('questions: []', 'questions: [租房咋上学]'));
  });

  it('adds the key after the title when the entry has no questions', () => {
    const none = BLOCK.replace(/questions:\n {2}- (.+)\n {2}- (.+)\n/, '');
    expect(addQuestion(none, '租房咋上学').text).toBe(none.replace('title: 租房家庭的孩子怎么上学\n', 'title: 租房家庭的孩子怎么上学\nquestions:\n  - 租房咋上学\n'));
  });

  it('quotes a wording YAML would misread, so the file still says exactly what the parent wrote', () => {
    const { text } = addQuestion(BLOCK, 'Q: 租房 #能上学吗');
    expect(text).toContain('  - "Q: 租房 #能上学吗"\n');
    const flow = addQuestion(BLOCK.replace(/questions:\n {2}- (.+)\n {2}- (.+)\n/, 'questions: [a]\n'), '租房, 能上学吗').text;
    expect(flow).toContain('questions: [a, "租房, 能上学吗"]');
  });

  it('leaves the file alone when the entry already lists the wording', () => {
    const { text, added } = addQuestion(BLOCK, '租房子住孩子能在附近上学吗？');
    expect(added).toBe(false);
    expect(text).toBe(BLOCK);
  });
});

describe('teachFile', () => {
  it('writes the edit in place, keeps the file mode, leaves personal numbers out, and the entry loads with the new question', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teach-'));
    const path = join(dir, 'renters.md');
    writeFileSync(path, BLOCK);
    chmodSync(path, 0o640);
    const edit = await teachFile(path, '  租房  能上学吗 电话13812345678 ');
    expect(edit.question).toBe('租房 能上学吗');
    expect(edit.leftOut).toEqual({ parts: 1, kinds: ['number'] });
    expect(readFileSync(path, 'utf8')).toBe(BLOCK.replace('可以报名吗？\n', '可以报名吗？\n  - 租房 能上学吗\n'));
    expect(statSync(path).mode & 0o777).toBe(0o640);
    const { entries, problems } = await loadKnowledge(dir, { today: '2026-09-01' });
    expect(problems).toEqual([]);
    expect(entries[0]!.questions.at(-1)).toBe('租房 能上学吗');
  });

  it('refuses an empty message with a clear error and leaves the file unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teach-'));
    const path = join(dir, 'renters.md');
    writeFileSync(path, BLOCK);
    await expect(teachFile(path, '   ')).rejects.toThrow('The message to teach is empty.');
    expect(readFileSync(path, 'utf8')).toBe(BLOCK);
  });

  it('serialises concurrent edits of one file: every question lands, nothing else changes, no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teach-'));
    const path = join(dir, 'renters.md');
    writeFileSync(path, BLOCK);
    const asked = ['孩子转学要什么手续', '外地转回来怎么办', '租房能上哪个学校'];
    const edits = await Promise.all(asked.map((q) => teachFile(path, q)));
    expect(edits.map((e) => e.added)).toEqual([true, true, true]);
    const tail = asked.map((q) => `  - ${q}\n`).join('');
    expect(readFileSync(path, 'utf8')).toBe(BLOCK.replace('可以报名吗？\n', `可以报名吗？\n${tail}`));
    expect(readdirSync(dir)).toEqual(['renters.md']);
  });
});
