import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { createKnowledgeService, type ReloadReport } from '../../src/knowledge/service.js';
import { formatProblem } from '../../src/knowledge/schema.js';
import { silentLogger } from '../../src/logger.js';
import { CORPUS, entry, writeKnowledge } from './fixtures.js';

/**
 * Review 18b, B2: YAML whose aliases expand past the parser's limit ("billion laughs") made the YAML library throw
 * out of the loader: the bot did not start, a live reload dropped every other edit without telling the admins, and
 * `kb check` printed a stack trace. Now it is that file's problem, like any other broken file.
 */
const aliasBomb = (): string => {
  const lines = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 8; i++) lines.push(`b${i}: &b${i} [${Array(10).fill(i === 1 ? '*a' : `*b${i - 1}`).join(',')}]`);
  return lines.join('\n');
};
const bombEntry = entry(`id: bomb\ntitle: 炸弹\ncategory: faq\n${aliasBomb()}`, '正文\n');
const newEntry = entry('id: new-entry\ntitle: 新增的条目\ncategory: faq\nquestions: [校车几点发车]', '校车每天7点发车。\n');

describe('a knowledge file whose YAML aliases exceed the limit', () => {
  it('on a live reload: that file is reported to the admins with its line, the other edits go live', async () => {
    const dir = writeKnowledge(CORPUS);
    const reports: ReloadReport[] = [];
    const kb = createKnowledgeService({ dir, logger: silentLogger(), onReload: (r) => reports.push(r), today: () => '2026-11-28' });
    const before = (await kb.reload()).entries;

    writeFileSync(join(dir, 'faq-new.md'), newEntry);
    writeFileSync(join(dir, 'bomb.md'), bombEntry);
    const report = await kb.reload();

    expect(kb.entries().map((e) => e.id)).toContain('new-entry');
    expect(kb.entries()).toHaveLength(before + 1);
    expect(reports).toHaveLength(2);
    expect(reports[1]!.problems.map(formatProblem)).toEqual([
      `${join(dir, 'bomb.md')}:6: too many YAML aliases (*name, at most 50 uses): write the values out instead of using anchors and aliases`,
    ]);
    expect(report.problems).toEqual(reports[1]!.problems);
  });

  it('at start: the bot starts without that file and says why', async () => {
    const dir = writeKnowledge({ ...CORPUS, 'bomb.md': bombEntry });
    const kb = createKnowledgeService({ dir, logger: silentLogger(), today: () => '2026-11-28' });
    const report = await kb.reload();
    expect(kb.entries().map((e) => e.id)).not.toContain('bomb');
    expect(kb.entries().length).toBeGreaterThan(0);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringContaining('too many YAML aliases')]);
  });

  it('in _synonyms.yaml: the synonyms loaded before stay live and the admins are told', async () => {
    const dir = writeKnowledge({ ...CORPUS, '_synonyms.yaml': 'synonyms:\n  - [教师资格, 老师证]\n' });
    const kb = createKnowledgeService({ dir, logger: silentLogger(), today: () => '2026-11-28' });
    await kb.reload();
    writeFileSync(join(dir, '_synonyms.yaml'), `synonyms:\n  - [教师资格, 老师证]\n${aliasBomb()}\n`);
    const report = await kb.reload();
    expect(report.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/_synonyms\.yaml:4: too many YAML aliases .*loaded before stay live until the file is fixed/),
    ]);
    const decision = kb.current().decide('办老师证要带什么');
    expect(decision.kind === 'answer' ? decision.best.id : decision.kind).toBe('guide-teacher-certification');
  });

  it('kb check prints path:line: message and exits 1, with no stack trace', async () => {
    const dir = writeKnowledge({ ...CORPUS, 'bomb.md': bombEntry });
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    err.on('data', (c) => chunks.push(String(c)));
    const code = await runCli(['kb', 'check', '--knowledge', dir], { stdin: Readable.from(['']), stdout: out, stderr: err, env: {} });
    const text = chunks.join('');
    expect(code).toBe(1);
    expect(text).toContain(`${join(dir, 'bomb.md')}:6: too many YAML aliases`);
    expect(text).toMatch(/6 entries loaded, 1 error\(s\)/);
    expect(text).not.toMatch(/\bat .*node_modules|ReferenceError/);
  });
});
