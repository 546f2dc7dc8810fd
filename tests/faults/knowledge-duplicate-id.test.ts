import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/knowledge/schema.js';
import { createKnowledgeService } from '../../src/knowledge/service.js';
import { silentLogger } from '../../src/logger.js';
import { createEngineStack, parent, tempDir } from './helpers/engine-stack.js';

/**
 * Issue 16, probe 3: an admin adds a file reusing an existing entry's id
 * (rejected as a duplicate), then breaks the original file. The reload served
 * the duplicate's body although the notice said broken entries keep their
 * previous version. An id belongs to the file that held it.
 */
const AGE_QUESTION = '孩子2020年8月30号出生，今年能上一年级吗？';
const IMPOSTOR_BODY = '冒名条目：所有孩子都可以随时入学。';

function impostor(id: string): string {
  return `---\nid: ${id}\ntitle: 冒名的入学条目\ncategory: enrollment\nquestions: [能上一年级吗]\n---\n\n${IMPOSTOR_BODY}\n`;
}

async function liveCopy() {
  const dir = join(tempDir('civicdesk-kb-dup-'), 'knowledge');
  cpSync('knowledge', dir, { recursive: true });
  const service = createKnowledgeService({ dir, logger: silentLogger(), today: () => '2026-11-28' });
  await service.reload();
  const { engine } = await createEngineStack({ knowledge: service });
  const ask = async (chat: string) => (await parent(engine, chat).say(AGE_QUESTION)).map((r) => r.text).join('\n');
  return { dir, service, ask, original: join(dir, 'enrollment', 'enrollment-age.md') };
}

describe('a duplicate entry id', () => {
  it.each([
    ['sorting after the owner', join('zz', 'zz-copy.md')],
    ['sorting before the owner', join('aa', 'aa-copy.md')],
  ])('(%s) never replaces the owner, not even when the owner breaks', async (_name, rel) => {
    const { dir, service, ask, original } = await liveCopy();
    const before = await ask('dup-1');
    expect(before).toContain('8月31日');

    const dup = join(dir, rel);
    cpSync(original, dup); // create the folder
    writeFileSync(dup, impostor('enrollment-age'));
    const added = await service.reload();
    expect(added.problems.map(formatProblem).join('\n')).toContain(`${dup}:2: duplicate id "enrollment-age" (also in ${original})`);
    expect(await ask('dup-2')).toBe(before);

    writeFileSync(original, readFileSync(original, 'utf8').replace(/^title: .*$/m, 'title: [坏掉的标题'));
    const broken = await service.reload();
    const lines = broken.problems.map(formatProblem);
    expect(lines.some((l) => l.startsWith(`${original}:`)), lines.join('\n')).toBe(true); // the owner's problem
    expect(lines.some((l) => l.startsWith(`${dup}:`) && l.includes('duplicate id "enrollment-age"')), lines.join('\n')).toBe(true);
    expect(broken.keptPrevious).toEqual(['enrollment-age']);
    const served = await ask('dup-3');
    expect(served).toBe(before);
    expect(served).not.toContain(IMPOSTOR_BODY);
  });

  it('the id is free again once the owner file is deleted', async () => {
    const { dir, service, original } = await liveCopy();
    const dup = join(dir, 'zz-copy.md');
    writeFileSync(dup, impostor('enrollment-age'));
    await service.reload();
    const { rmSync } = await import('node:fs');
    rmSync(original);
    const report = await service.reload();
    expect(report.problems).toEqual([]);
    expect(service.entries().find((e) => e.id === 'enrollment-age')?.body).toBe(IMPOSTOR_BODY);
  });
});
