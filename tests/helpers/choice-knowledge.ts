import { parseConfig } from '../../src/config.js';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../../src/core/engine/index.js';
import type { KnowledgeDecisionLike, KnowledgeIndexLike } from '../../src/core/engine/types.js';
import { loadIntents } from '../../src/core/intents/index.js';
import { silentLogger } from '../../src/logger.js';
import type { Db } from '../../src/storage/db.js';

/**
 * A three-entry knowledge base that is never sure: a question about 校服 gets "您是不是想问" with the
 * uniform and bus entries, one about 放学 the bus and meals entries (so two lists share the bus entry),
 * anything else nothing. For tests of the pressed choice and the gaps list it feeds.
 */
export const CHOICE_ENTRIES = [
  { id: 'school-uniform', title: '校服征订说明', body: '校服由家长自愿征订。' },
  { id: 'school-bus', title: '校车接送安排', body: '校车16:30从学校发车。' },
  { id: 'school-meals', title: '学生午餐收费', body: '午餐每餐8元，按月收取。' },
] as const;

const alt = (id: string) => {
  const e = CHOICE_ENTRIES.find((x) => x.id === id)!;
  return { entryId: e.id, section: null, title: e.title };
};

export const choiceKnowledge: { current(): KnowledgeIndexLike } = {
  current: () => ({
    decide: (text: string): KnowledgeDecisionLike =>
      /校服/.test(text)
        ? { kind: 'suggest', alternatives: [alt('school-uniform'), alt('school-bus')] }
        : /放学/.test(text)
          ? { kind: 'suggest', alternatives: [alt('school-bus'), alt('school-meals')] }
          : { kind: 'none' },
    entry: (id: string) => {
      const e = CHOICE_ENTRIES.find((x) => x.id === id);
      return e ? { id: e.id, title: e.title, body: e.body, sections: [], updated: '2026-04-20', source: null } : undefined;
    },
  }),
};

/** The entries as Markdown files, for the CLI and Slack (which load a knowledge directory). */
export const choiceEntryMarkdown = (e: (typeof CHOICE_ENTRIES)[number]) =>
  `---\nid: ${e.id}\ntitle: ${e.title}\ncategory: enrollment\nquestions:\n  - ${e.title}\nupdated: 2026-04-20\nreview_by: 2027-12-31\n---\n\n${e.body}\n`;

/** The engine with this knowledge base, real intents and case desk, on `db`, with its clock at `at`. */
export async function choiceEngine(db: Db, at: Date) {
  const config = parseConfig({});
  const now = () => at;
  return createEngine({
    store: createEngineStore(db),
    knowledge: choiceKnowledge,
    cases: createCaseDesk({ db, config, now }),
    intents: await loadIntents(),
    config,
    logger: silentLogger(),
    now,
  });
}
