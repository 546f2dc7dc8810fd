import { createTelegramChannel, type TelegramChannel, type TelegramChannelOptions } from '../../src/channels/telegram/create-bot.js';
import type { EngineLike } from '../../src/channels/shared/engine-like.js';
import { parseConfig } from '../../src/config.js';
import { createCaseDesk, type CaseDeskImpl } from '../../src/core/cases/index.js';
import { createEngine, createEngineStore, type Engine } from '../../src/core/engine/index.js';
import type { KnowledgeAlternative, KnowledgeIndexLike } from '../../src/core/engine/types.js';
import { loadIntents } from '../../src/core/intents/index.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Db } from '../../src/storage/db.js';
import type { Incoming, Reply } from '../../src/core/types.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { telegramTestDb } from './telegram-db.js';

export const TEST_BOT_TOKEN = '123456:TEST-civicdesk-token';
/** What getMe returns, for tests that feed updates without starting the bot. */
export const TEST_BOT_INFO = {
  id: 666,
  is_bot: true as const,
  first_name: '溪湖教育',
  username: 'TestNameBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/**
 * The real stack behind the Telegram adapter: real engine over the sample
 * knowledge base and intents, real case desk, real SQLite file. Pacing is
 * sped up (50 ms per chat instead of 1 s) so end-to-end tests stay fast;
 * the real limits are tested in sender.test.ts with a fake clock.
 */
export interface TelegramStack {
  db: Db;
  engine: Engine;
  cases: CaseDeskImpl;
  channel: TelegramChannel;
  close(): Promise<void>;
}

/**
 * The sample knowledge base is being tuned, so whether a question also gets
 * "您是不是想问" alternatives changes with it. Channel tests that press an
 * alternative pin one here; ranking itself is tested in tests/knowledge.
 */
function withAlternative(index: KnowledgeIndexLike, alternative: KnowledgeAlternative): KnowledgeIndexLike {
  return {
    decide(text) {
      const decision = index.decide(text);
      if (decision.kind !== 'answer' || decision.alternatives.length > 0 || decision.best.id === alternative.entryId) return decision;
      return { ...decision, alternatives: [alternative] };
    },
    entry: (id) => index.entry?.(id),
  };
}

let shared: Promise<{ index: ReturnType<typeof buildIndex>; intents: Awaited<ReturnType<typeof loadIntents>> }> | undefined;
async function loadShared() {
  const knowledge = await loadKnowledge('knowledge');
  return { index: buildIndex(knowledge.entries, knowledge.synonyms), intents: await loadIntents() };
}

export async function createTelegramStack(
  options: Partial<TelegramChannelOptions> & {
    wrapEngine?: (engine: Engine) => EngineLike;
    /** Every message the channel hands the engine is pushed here (what the parent's text became). */
    record?: Incoming[];
    /** Adds this "您是不是想问" alternative to answers that have none (see withAlternative). */
    forceAlternative?: KnowledgeAlternative;
    /** A migrated database to use instead of a fresh SQLite file (closed with the stack). */
    db?: Db;
    /** The engine's and the channel's logger (default: silent). */
    logger?: Logger;
  } = {},
): Promise<TelegramStack> {
  const { wrapEngine, record, forceAlternative, db: givenDb, logger = silentLogger(), ...channelOptions } = options;
  const db = givenDb ?? (await telegramTestDb());
  const config = parseConfig({});
  const { index, intents } = await (shared ??= loadShared());
  // Given a clock, the desk files on it too: the outbox rows it queues are due on the sender's clock, and no
  // case code or deadline depends on the day the suite runs.
  const clock = channelOptions.clock;
  const cases = createCaseDesk({ db, ...(clock ? { now: () => new Date(clock.now()) } : {}) });
  const engine = createEngine({
    store: createEngineStore(db),
    knowledge: { current: () => (forceAlternative ? withAlternative(index, forceAlternative) : index) },
    cases,
    intents,
    config,
    logger,
  });
  const channel = createTelegramChannel({
    token: TEST_BOT_TOKEN,
    db,
    engine: wrapEngine ? wrapEngine(engine) : record ? recording(engine, record) : engine,
    cases,
    logger,
    pacing: { perChatIntervalMs: 50, globalPerSecond: 200 },
    outboxPollMs: 200,
    ...channelOptions,
  });
  return {
    db,
    engine,
    cases,
    channel,
    async close() {
      await channel.stop();
      await db.close();
    },
  };
}

/** The engine as the channel sees it, pushing every incoming message to `seen` first. */
function recording(engine: Engine, seen: Incoming[]): EngineLike {
  return {
    handle: (incoming, ...rest) => {
      seen.push(incoming);
      return engine.handle(incoming, ...rest);
    },
  };
}

/** The replies queued for a Telegram chat, in order: what the sender will deliver. */
export async function queuedTelegramReplies(db: Db, chatId: number | string): Promise<Reply[]> {
  const rows = await db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'telegram' AND address = ? ORDER BY id", [String(chatId)]);
  return rows.flatMap((r) => JSON.parse(r.payload) as Reply[]);
}
