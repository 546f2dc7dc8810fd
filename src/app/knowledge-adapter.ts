import type { KbHit, SlackKnowledge } from '../channels/slack/types.js';
import type { KnowledgeService } from '../knowledge/service.js';

/** The live knowledge service as the Slack desk's `/kb` commands see it. */
export function slackKnowledge(service: KnowledgeService): SlackKnowledge {
  return {
    reload: () => service.reload(),
    entries: () =>
      service.entries().map((e) => ({
        id: e.id,
        title: e.title,
        updated: e.updated,
        reviewBy: e.reviewBy,
        sections: e.sections.map((s) => s.heading),
      })),
    entryFiles: () => service.entries().map((e) => ({ id: e.id, title: e.title, path: e.path, questions: e.questions })),
    bestMatch: (text) => {
      const index = service.current();
      const [hit] = index.search(text, 1);
      const entry = hit ? index.entry(hit.id) : undefined;
      return hit && entry ? { id: hit.id, title: entry.title, score: hit.score } : null;
    },
  };
}

/** `/kb search TEXT` over the live index. */
export function kbSearch(service: KnowledgeService): (text: string, limit: number) => KbHit[] {
  return (text, limit) => {
    const index = service.current();
    return index.search(text, limit).map((hit) => ({
      entryId: hit.id,
      title: index.entry(hit.id)?.title ?? hit.id,
      section: hit.section,
      score: hit.score,
    }));
  };
}
