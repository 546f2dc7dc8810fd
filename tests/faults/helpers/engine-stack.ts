import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk, type CaseDeskDeps, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore, type Engine } from '../../../src/core/engine/index.js';
import type { KnowledgeSourceLike } from '../../../src/core/engine/types.js';
import { loadIntents, type IntentSet } from '../../../src/core/intents/index.js';
import type { Incoming, Reply } from '../../../src/core/types.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';
import { buildIndex, type KnowledgeIndex } from '../../../src/knowledge/index.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';

/**
 * The real engine over the real knowledge/ folder, the real intents and case
 * desk, and a real SQLite file in a temp folder: what the fault tests feed.
 */
export interface EngineStack {
  db: Db;
  engine: Engine;
  cases: CaseDeskImpl;
  index: KnowledgeIndex;
  intents: IntentSet;
}

let shared: Promise<{ index: KnowledgeIndex; intents: IntentSet }> | undefined;

/** The sample knowledge base and intents, loaded once per test file. */
export function sharedKnowledge(): Promise<{ index: KnowledgeIndex; intents: IntentSet }> {
  shared ??= (async () => {
    const kb = await loadKnowledge('knowledge');
    return { index: buildIndex(kb.entries, kb.synonyms), intents: await loadIntents() };
  })();
  return shared;
}

export const tempDir = (prefix = 'civicdesk-faults-') => mkdtempSync(join(tmpdir(), prefix));

// Friday 2026-11-27 10:00 in Beijing: office hours, a known calendar year.
export const FRIDAY_MORNING = new Date('2026-11-27T02:00:00Z');

export async function createEngineStack(
  options: {
    path?: string;
    db?: Db;
    now?: () => Date;
    knowledge?: KnowledgeSourceLike;
    logger?: Logger;
    desk?: Partial<Omit<CaseDeskDeps, 'db'>>;
  } = {},
): Promise<EngineStack> {
  const { index, intents } = await sharedKnowledge();
  const db = options.db ?? (await openStore(options.path ?? join(tempDir(), 'civicdesk.db')));
  const now = options.now ?? (() => FRIDAY_MORNING);
  const config = parseConfig({});
  const cases = createCaseDesk({ db, config, now, ...options.desk });
  const engine = createEngine({
    store: createEngineStore(db, { cacheMs: 0 }),
    knowledge: options.knowledge ?? { current: () => index },
    cases,
    intents,
    config,
    logger: options.logger ?? silentLogger(),
    now,
  });
  return { db, engine, cases, index, intents };
}

/** A parent in one chat: `say` a text, `press` a button by its payload kind. */
export function parent(engine: Pick<Engine, 'handle'>, chatId: string) {
  const base = { channel: 'console' as const, chatId, userId: `u-${chatId}` };
  return {
    say: (text: string, extra: Partial<Incoming> = {}) => engine.handle({ ...base, text, ...extra }),
    command: (command: string) => engine.handle({ ...base, text: `/${command}`, command }),
    press: (replies: Reply[], kind: string, match: (p: Record<string, unknown>) => boolean = () => true) => {
      const button = replies
        .flatMap((r) => r.buttons ?? [])
        .flat()
        .find((b) => b.payload.kind === kind && match(b.payload as unknown as Record<string, unknown>));
      if (!button) throw new Error(`no "${kind}" button in ${JSON.stringify(replies).slice(0, 400)}`);
      return engine.handle({ ...base, text: button.label, action: button.payload });
    },
  };
}

export const allText = (replies: Reply[]) => replies.map((r) => [r.heading, r.text].filter(Boolean).join('\n')).join('\n');
