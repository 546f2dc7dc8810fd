import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createKnowledgeService, type ReloadReport } from '../../src/knowledge/service.js';
import { CORPUS, writeKnowledge } from './fixtures.js';

/**
 * Review 16, finding 9: a `_synonyms.yaml` saved with a typo made the reload drop every bureau synonym from the live
 * index, and the problem line did not say so. Now it is handled like a broken entry: the synonyms loaded before stay
 * live, and the problem the admins are sent says that.
 */
const QUESTION = '办老师证要带什么'; // answered only through the bureau's synonym 老师证 → 教师资格
const kind = (kb: ReturnType<typeof createKnowledgeService>) => {
  const decision = kb.current().decide(QUESTION);
  return decision.kind === 'answer' ? `answer ${decision.best.id}` : decision.kind;
};

describe('a broken _synonyms.yaml on reload', () => {
  it.each([
    ['malformed YAML', 'synonyms:\n  - [教师资格, 老师证\n', /malformed YAML/],
    ['a schema error', 'synonyms: 老师证\n', /synonyms/],
  ])('keeps the synonyms loaded before live and tells the admins so (%s)', async (_name, broken, problem) => {
    const dir = writeKnowledge({ ...CORPUS, '_synonyms.yaml': 'synonyms:\n  - [教师资格, 老师证]\n' });
    const reports: ReloadReport[] = [];
    const kb = createKnowledgeService({ dir, logger: silentLogger(), onReload: (r) => reports.push(r), today: () => '2026-11-28' });
    await kb.reload();
    expect(kind(kb)).toBe('answer guide-teacher-certification');

    writeFileSync(join(dir, '_synonyms.yaml'), broken);
    const report = await kb.reload();
    expect(kind(kb)).toBe('answer guide-teacher-certification');
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.path).toBe(join(dir, '_synonyms.yaml'));
    expect(report.problems[0]!.message).toMatch(problem);
    expect(report.problems[0]!.message).toContain('loaded before stay live until the file is fixed');

    // Fixed: the file's new content goes live.
    writeFileSync(join(dir, '_synonyms.yaml'), 'synonyms:\n  - [入学年龄, 几岁上学]\n');
    expect((await kb.reload()).problems).toEqual([]);
    expect(kind(kb)).toBe('none');
    expect(reports).toHaveLength(3);
  });

  it('at the first load says that none of its synonyms are in use', async () => {
    const dir = writeKnowledge({ ...CORPUS, '_synonyms.yaml': 'synonyms:\n  - [教师资格, 老师证\n' });
    const kb = createKnowledgeService({ dir, logger: silentLogger(), today: () => '2026-11-28' });
    const report = await kb.reload();
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringContaining('none of its synonyms are in use until the file is fixed')]);
    expect(kind(kb)).toBe('none');
  });
});
