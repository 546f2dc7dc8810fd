import { loadKnowledge } from '../../../knowledge/loader.js';

/**
 * 办事指南: knowledge entries with `category: service-guide`, Chinese entries only (an English
 * translation is not another guide). The one counter for the annual report's 一（一）, the monthly
 * counts and the running bot. Entries that fail to load are not counted; `kb check` reports them.
 */
export function serviceGuideCount(entries: readonly { category: string; lang: string }[]): number {
  return entries.filter((e) => e.category === 'service-guide' && e.lang === 'zh').length;
}

/** {@link serviceGuideCount} over the knowledge folder as it is now. @example await countServiceGuides('knowledge') */
export async function countServiceGuides(knowledgeDir: string): Promise<number> {
  return serviceGuideCount((await loadKnowledge(knowledgeDir)).entries);
}
