import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';

/**
 * `kb teach` on two valid front-matter layouts `kb check` accepts: a `questions` list written at
 * column 0, and an entry without `questions` whose title runs over several lines. Each gets one added
 * line and keeps every other byte; the entry then loads with the new question.
 */
const COLUMN0 = '---\nid: faq-a\ntitle: 转学手续\ncategory: faq\nquestions:\n- 怎么转学\n- 转学要什么材料\ntags: [转学]\n---\n\n## 答\n\n到学校办理。\n';
const FOLDED = '---\nid: faq-b\ntitle: >-\n  外地学生转入本区\n  需要的手续\ncategory: faq\n---\n\n## 答\n\n到教育局办理。\n';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbteach-layouts-'));
  const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge') };
  mkdirSync(env.KNOWLEDGE_DIR);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'a.md'), COLUMN0);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'b.md'), FOLDED);
  return { env, file: (name: string) => readFileSync(join(env.KNOWLEDGE_DIR, name), 'utf8') };
}

describe('cli: kb teach on other valid front-matter layouts', () => {
  it('appends to a questions list written at column 0 with the same indentation', async () => {
    const { env, file } = setup();
    const { code, out, err } = await runCliCaptured(['kb', 'teach', '孩子转学去哪办', 'faq-a'], env);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('(questions): 孩子转学去哪办\n');
    expect(file('a.md')).toBe(COLUMN0.replace('- 转学要什么材料\n', '- 转学要什么材料\n- 孩子转学去哪办\n'));
    expect(file('b.md')).toBe(FOLDED);
    const check = await runCliCaptured(['kb', 'check'], env);
    expect(check.out).toContain('2 entries loaded, 0 error(s), 0 warning(s)');
  });

  it('adds the questions key after the last line of a multi-line title', async () => {
    const { env, file } = setup();
    const { code, out } = await runCliCaptured(['kb', 'teach', '外地转入要什么', 'faq-b'], env);
    expect(code).toBe(0);
    expect(out).toContain('(questions): 外地转入要什么\n');
    expect(out).toContain('Best match now: faq-b');
    expect(file('b.md')).toBe(FOLDED.replace('  需要的手续\n', '  需要的手续\nquestions:\n  - 外地转入要什么\n'));
  });
});
