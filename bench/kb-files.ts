import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadKnowledge } from '../src/knowledge/loader.js';
import type { KnowledgeEntry } from '../src/knowledge/schema.js';
import { generateEntries } from './kb.js';

/**
 * Knowledge entries written back as Markdown files in the format `src/knowledge/loader.ts`
 * reads (front matter + `## heading` sections), so a benchmark can point a real process's
 * KNOWLEDGE_DIR at a generated base (`generateEntries` from bench/kb.ts).
 *
 * @example
 *   writeKnowledgeFiles(generateEntries(seed.entries, 10_000), dir);
 *   copyKnowledgeExtras('knowledge', dir); // _synonyms.yaml and the like
 */
export function entryMarkdown(e: KnowledgeEntry): string {
  const front = stringify({
    id: e.id,
    title: e.title,
    category: e.category,
    questions: e.questions,
    tags: e.tags,
    ...(e.updated ? { updated: e.updated } : {}),
    ...(e.reviewBy ? { review_by: e.reviewBy } : {}),
    ...(e.source ? { source: e.source } : {}),
    ...(e.lang !== 'zh' ? { lang: e.lang } : {}),
  }).trimEnd();
  const body = e.sections.map((s) => (s.heading ? `## ${s.heading}\n\n${s.text}` : s.text)).join('\n\n');
  return `---\n${front}\n---\n\n${body}\n`;
}

/** Writes `g0.md` … `g{n-1}.md` into `dir` (created if missing). */
export function writeKnowledgeFiles(entries: readonly KnowledgeEntry[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  entries.forEach((e, i) => writeFileSync(join(dir, `g${i}.md`), entryMarkdown(e)));
}

/** Copies the top-level non-entry files of a knowledge folder (`_synonyms.yaml`, …) that the loader reads. */
export function copyKnowledgeExtras(from: string, to: string): string[] {
  if (!existsSync(from)) return [];
  const extras = readdirSync(from, { withFileTypes: true }).filter((d) => d.isFile() && d.name.startsWith('_') && /\.ya?ml$/i.test(d.name));
  mkdirSync(to, { recursive: true });
  for (const d of extras) copyFileSync(join(from, d.name), join(to, d.name));
  return extras.map((d) => d.name);
}

/**
 * A knowledge folder for a bot process: the sample knowledge/ itself (size 0), or `size` entries
 * generated from it (`generateEntries`) written into `dir` with its extras. Returns the entries too.
 */
export async function knowledgeFolder(size: number, dir: string): Promise<{ dir: string; entries: KnowledgeEntry[] }> {
  const kb = await loadKnowledge('knowledge');
  if (size === 0) return { dir: resolve('knowledge'), entries: kb.entries };
  const entries = generateEntries(kb.entries, size);
  writeKnowledgeFiles(entries, dir);
  copyKnowledgeExtras('knowledge', dir);
  return { dir, entries };
}
