import type { KnowledgeEntry } from '../src/knowledge/schema.js';

/** A large base made from the real entries with varied titles, questions and bodies (bench/kb.ts, scale, load). */
export function generateEntries(seed: KnowledgeEntry[], n: number): KnowledgeEntry[] {
  const places = ['溪湖', '明山', '平山', '南芬', '桓仁', '本溪', '彩屯', '东风', '河西', '火连寨'];
  return Array.from({ length: n }, (_, i) => {
    const base = seed[i % seed.length]!;
    const tag = `${places[i % places.length]}${Math.floor(i / seed.length)}号`;
    const sections = base.sections.map((s) => ({ heading: s.heading, text: `${tag}：${s.text}` }));
    // Field by field, not `...base`: a loaded entry is a PackedEntry, whose texts are getters (packed-entry.ts).
    const { category, tags, updated, reviewBy, source, lang, path } = base;
    return {
      id: `${base.id}-${i}`,
      title: `${base.title}（${tag}）`,
      category,
      questions: base.questions.map((q) => `${tag}${q}`),
      tags,
      updated,
      reviewBy,
      source,
      lang,
      path,
      sections,
      body: sections.map((s) => s.text).join('\n'),
    };
  });
}
