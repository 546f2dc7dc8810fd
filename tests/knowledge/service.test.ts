import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createKnowledgeService, type ReloadReport } from '../../src/knowledge/service.js';
import { CORPUS, entry, writeKnowledge } from './fixtures.js';

describe('createKnowledgeService', () => {
  it('swaps in edits, keeps the previous version of a broken entry live, and reports the problem', async () => {
    const dir = writeKnowledge(CORPUS);
    const reports: ReloadReport[] = [];
    const kb = createKnowledgeService({ dir, logger: silentLogger(), onReload: (r) => reports.push(r), today: () => '2026-11-28' });
    expect(kb.current().size).toBe(0);
    await kb.reload();
    expect(kb.current().size).toBe(6);

    // Good edit goes live.
    writeFileSync(
      join(dir, 'contact/bureau.md'),
      entry('id: contact-bureau\ntitle: 溪湖区教育局联系方式\ncategory: contact\nquestions: [教育局电话是多少]', '咨询电话：024-88888888。\n'),
    );
    // Broken edit: the old teacher-certification entry stays live.
    writeFileSync(join(dir, 'service-guides/teacher.md'), entry('id: guide-teacher-certification\ntitle: 教师资格认定办事指南\ncategory: guide', '正文\n'));
    const report = await kb.reload();
    expect(report.entries).toBe(6);
    expect(report.keptPrevious).toEqual(['guide-teacher-certification']);
    expect(report.problems.map((p) => `${p.path.slice(dir.length + 1)}:${p.line}: ${p.message}`)).toEqual([
      'service-guides/teacher.md:4: category "guide" must be one of enrollment, service-guide, policy, contact, faq',
    ]);
    expect(kb.current().entry('contact-bureau')?.body).toBe('咨询电话：024-88888888。');
    const d = kb.current().decide('教资认定要交什么材料');
    expect(d.kind === 'answer' && d.best.id).toBe('guide-teacher-certification');
    expect(reports).toHaveLength(2);
  });

  it('answers every query during repeated reloads (no error, no empty results)', async () => {
    const dir = writeKnowledge(CORPUS);
    const kb = createKnowledgeService({ dir, logger: silentLogger() });
    await kb.reload();
    const reloads = Promise.all(Array.from({ length: 5 }, () => kb.reload()));
    const answers: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = kb.current().search('教育局热线多少', 1);
      answers.push(r[0]?.id ?? 'none');
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await reloads;
    expect(new Set(answers)).toEqual(new Set(['contact-bureau']));
  });

  it('reloads when a file under the folder changes (watch)', async () => {
    const dir = writeKnowledge(CORPUS);
    const kb = createKnowledgeService({ dir, logger: silentLogger(), debounceMs: 20 });
    await kb.reload();
    const stop = kb.watch();
    await stop.ready;
    try {
      writeFileSync(join(dir, 'faq-new.md'), entry('id: faq-new\ntitle: 校车接送安排\ncategory: faq', '本区学校不统一提供校车。\n'));
      await vi.waitFor(() => expect(kb.current().entry('faq-new')?.title).toBe('校车接送安排'), { timeout: 8000, interval: 50 });
      expect(kb.current().size).toBe(7);
    } finally {
      await stop();
    }
  });

  it('collects the garbage of a rebuild at once after the swap when node exposes gc (--expose-gc in the start script)', async () => {
    const dir = writeKnowledge(CORPUS);
    const kb = createKnowledgeService({ dir, logger: silentLogger() });
    const sizes: number[] = [];
    const holder = globalThis as { gc?: () => void };
    const previous = holder.gc;
    holder.gc = () => sizes.push(kb.current().size); // which index is live when the collection runs
    try {
      await kb.reload();
    } finally {
      holder.gc = previous;
    }
    expect(sizes).toEqual([6]);
  });
});
