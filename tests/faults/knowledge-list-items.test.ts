import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { tempDir } from './helpers/engine-stack.js';

/**
 * `questions` and `tags` lists as staff leave them: an item left empty ("  - " with nothing after it, which YAML reads
 * as null), or an item that is itself a list or a "key: value" pair. An empty item is no question: the entry loads
 * without it. A nested one is refused with the item named and what to write, never zod's bare "Invalid input".
 */
const entry = (front: string) => `---\n${front}\n---\n正文内容。\n`;

describe('knowledge lists as staff write them', () => {
  it('an empty item is dropped and the entry loads; a nested item is named with what to write', async () => {
    const dir = join(tempDir('civicdesk-kblists-'), 'knowledge');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'empty-item.md'), entry('id: faq-empty-item\ntitle: 空的问题行\ncategory: faq\nquestions:\n  - 孩子几岁上学\n  - \n  - 几岁能上一年级\ntags:\n  -'));
    writeFileSync(join(dir, 'nested-item.md'), entry('id: faq-nested\ntitle: 嵌套\ncategory: faq\nquestions:\n  - 转学要什么材料\n  - [户口本, 房产证]\n  - 材料: 户口本'));
    const result = await loadKnowledge(dir);
    expect(result.entries.map((e) => [e.id, e.questions])).toEqual([['faq-empty-item', ['孩子几岁上学', '几岁能上一年级']]]);
    const messages = result.problems.map((p) => `${p.path.split('/').pop()}:${p.line}: ${p.message}`);
    expect(messages).toEqual([
      'nested-item.md:5: questions item 2 is a list or a "key: value" pair: write each one as plain text on its own "  - " line (put one with ": " in quotes)',
      'nested-item.md:5: questions item 3 is a list or a "key: value" pair: write each one as plain text on its own "  - " line (put one with ": " in quotes)',
    ]);
    expect(messages.join('\n')).not.toContain('Invalid input');
  });
});
