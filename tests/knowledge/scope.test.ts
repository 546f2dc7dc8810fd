import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/knowledge/index.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { projectPath } from '../../src/project-root.js';

/**
 * The scope check (src/knowledge/scope.ts) on the repository's own knowledge base: off by default (its measured
 * trade-off is in docs/BENCHMARKS.md), and when switched on it declines a message whose subject no entry knows
 * while it still answers one the base covers. Messages written for this test.
 */
let entries: KnowledgeEntry[];

describe('scope check', () => {
  it('declines with scope on, and only then, a message about something no entry knows', async () => {
    entries = (await loadKnowledge(projectPath('knowledge'))).entries;
    const on = buildIndex(entries, undefined, { scope: true });
    const off = buildIndex(entries, undefined);
    const offTopic = '驾校科目三考试预约怎么操作';
    expect(on.decide(offTopic).kind).toBe('none');
    const covered = '转学需要什么材料';
    expect(on.decide(covered).kind).toBe(off.decide(covered).kind);
    expect(off.decide(covered).kind).not.toBe('none');
  });
});
