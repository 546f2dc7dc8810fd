import { loadKnowledge } from '../../../knowledge/loader.js';

/**
 * 办事指南 for 一（一）: knowledge entries with `category: service-guide`, Chinese
 * entries only (an English translation is not another guide). Entries that
 * fail to load are not counted; `kb check` reports them.
 *
 * @example const guides = await countServiceGuides('knowledge');
 */
export async function countServiceGuides(knowledgeDir: string): Promise<number> {
  const { entries } = await loadKnowledge(knowledgeDir);
  return entries.filter((e) => e.category === 'service-guide' && e.lang === 'zh').length;
}
