import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore, type Engine } from '../../../src/core/engine/index.js';
import type { KnowledgeDecisionLike, KnowledgeSourceLike } from '../../../src/core/engine/types.js';
import { loadIntents, type IntentSet } from '../../../src/core/intents/index.js';
import type { ButtonPayload, Incoming, Reply } from '../../../src/core/types.js';
import { silentLogger } from '../../../src/logger.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';

export const tempDbPath = () => join(mkdtempSync(join(tmpdir(), 'engine-')), 'civicdesk.db');

/** A one-entry knowledge base: questions about 入学年龄 are answered, anything else refused. */
export const fakeKnowledge = {
  current: () => ({
    decide: (text: string): KnowledgeDecisionLike =>
      /一年级|入学/.test(text)
        ? {
            kind: 'answer',
            best: {
              id: 'enrollment-age',
              section: '出生日期范围',
              score: /能上一年级/.test(text) ? 0.9 : 0.55,
              entry: { id: 'enrollment-age', title: '小学一年级入学年龄要求', updated: '2026-04-20', source: null },
              sectionText: '2020年**8月31日**（含）以前出生的可以报名。',
            },
            alternatives: [],
            confident: /能上一年级/.test(text),
          }
        : { kind: 'none' },
  }),
};

let intents: IntentSet | undefined;
// Friday 2026-11-27 10:00 in Beijing: within office hours.
export const FRIDAY_MORNING = new Date('2026-11-27T02:00:00Z');

export async function makeEngine(
  path: string,
  now: () => Date = () => FRIDAY_MORNING,
  knowledge: KnowledgeSourceLike = fakeKnowledge,
  env: Record<string, string> = {},
): Promise<{ engine: Engine; db: Db; cases: ReturnType<typeof createCaseDesk> }> {
  intents ??= await loadIntents();
  const db = await openStore(path);
  const config = parseConfig(env);
  const cases = createCaseDesk({ db, config, now });
  const engine = createEngine({ store: createEngineStore(db), knowledge, cases, intents, config, logger: silentLogger(), now });
  return { engine, db, cases };
}

export function chat(engine: Engine, chatId = 'c1') {
  const base = { channel: 'console' as const, chatId, userId: `u-${chatId}` };
  return {
    say: (text: string, extra: Partial<Incoming> = {}) => engine.handle({ ...base, text, ...extra }),
    press: (reply: Reply[], label: string) => {
      const button = reply.flatMap((r) => r.buttons ?? []).flat().find((b) => b.label === label);
      if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(reply)}`);
      return engine.handle({ ...base, text: button.label, action: button.payload });
    },
    action: (payload: ButtonPayload) => engine.handle({ ...base, text: '', action: payload }),
  };
}

export const texts = (replies: Reply[]) => replies.map((r) => r.text).join('\n');
export const labels = (replies: Reply[]) => replies.flatMap((r) => r.buttons ?? []).flat().map((b) => b.label);
