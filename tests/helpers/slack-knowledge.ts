import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SlackKnowledge } from '../../src/channels/slack/types.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { createKnowledgeService } from '../../src/knowledge/service.js';
import { silentLogger } from '../../src/logger.js';

/**
 * A SlackKnowledge over a real knowledge folder, adapted from the real
 * knowledge service as the composition root does: `reload()` is the service's
 * (atomic swap, broken files keep their previous version), best matches come
 * from its live index, and the entry list is read along with each reload.
 */
export async function folderKnowledge(dir: string, today = '2026-11-28'): Promise<SlackKnowledge & { reloads: number }> {
  const service = createKnowledgeService({ dir, logger: silentLogger(), today: () => today });
  let entries: KnowledgeEntry[] = [];
  const readEntries = async () => {
    const loaded = await loadKnowledge(dir, { today });
    const live = new Set(loaded.entries.map((e) => e.id));
    // Entries whose file broke stay live in the service; keep listing them too.
    entries = [...loaded.entries, ...entries.filter((e) => !live.has(e.id) && service.current().entry(e.id))];
  };
  await service.reload();
  await readEntries();
  const knowledge = {
    reloads: 0,
    async reload() {
      knowledge.reloads += 1;
      const report = await service.reload();
      await readEntries();
      return report;
    },
    entries: () => entries.map((e) => ({ id: e.id, title: e.title, updated: e.updated, reviewBy: e.reviewBy, sections: e.sections.map((s) => s.heading) })),
    entryFiles: () => entries.map((e) => ({ id: e.id, title: e.title, path: e.path, questions: e.questions })),
    bestMatch: (text: string) => {
      const index = service.current();
      const [hit] = index.search(text, 1);
      const entry = hit ? index.entry(hit.id) : undefined;
      return hit && entry ? { id: hit.id, title: entry.title, score: hit.score } : null;
    },
  };
  return knowledge;
}

export const md = (front: string, body: string) => `---\n${front.trim()}\n---\n${body}`;

/** A small knowledge base: one entry past review_by, one never served. */
export const KB_FILES: Record<string, string> = {
  'enrollment/age.md': md(
    'id: enrollment-age\ntitle: 小学一年级入学年龄\ncategory: enrollment\nquestions: [孩子多大可以上一年级]\nupdated: 2026-03-01\nreview_by: 2027-03-31',
    '## 年龄规定\n\n凡年满6周岁（8月31日前出生）的适龄儿童应当入学。\n\n## 不满6周岁能否提前入学\n\n不能提前入学。\n',
  ),
  'enrollment/hukou.md': md(
    'id: enrollment-hukou-house\ntitle: 户口与房产不一致如何入学\ncategory: enrollment\nquestions: [户口和房子不在一起去哪个学校上学]\nupdated: 2025-06-01\nreview_by: 2026-06-30',
    '## 人户分离\n\n户口与房产不一致的，按房产所在学区登记，学位紧张时依次安排。\n',
  ),
  'faq/meals.md': md('id: faq-school-meals\ntitle: 学校食堂收费\ncategory: faq\nquestions: [食堂饭费多少钱]', '## 收费\n\n按核定标准收取伙食费。\n'),
};

export function writeFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-slack-kb-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}
