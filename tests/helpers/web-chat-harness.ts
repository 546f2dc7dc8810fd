import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createWebChannel, webOptionsFromConfig, type WebChannel, type WebChannelOptions } from '../../src/channels/web/create-web-channel.js';
import { parseConfig } from '../../src/config.js';
import { createCaseDesk, type CaseDeskImpl } from '../../src/core/cases/index.js';
import { createEngine, createEngineStore, type Engine } from '../../src/core/engine/index.js';
import { loadIntents } from '../../src/core/intents/index.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { silentLogger } from '../../src/logger.js';
import { startHttpServer } from '../../src/ops/http-server.js';
import type { Db } from '../../src/storage/db.js';
import { telegramTestDb } from './telegram-db.js';

/**
 * The real stack behind the web chat: engine over the sample knowledge base
 * and intents, case desk, a real SQLite file, and the web channel's routes on
 * the plain HTTP server at 127.0.0.1 (random port). The clock starts on a
 * fixed working day and runs at real speed, so no verdict depends on today.
 */
export const WEB_TEST_START = Date.UTC(2026, 10, 24, 1, 30, 0); // Tuesday 2026-11-24 09:30 in Asia/Shanghai

export interface WebStack {
  db: Db;
  engine: Engine;
  cases: CaseDeskImpl;
  channel: WebChannel;
  metrics: Registry;
  server: Server;
  /** http://localhost:PORT (the page's origin in tests). */
  origin: string;
  port: number;
  now: () => Date;
  close(): Promise<void>;
}

let shared: Promise<{ index: ReturnType<typeof buildIndex>; intents: Awaited<ReturnType<typeof loadIntents>> }> | undefined;
async function loadShared() {
  const knowledge = await loadKnowledge('knowledge');
  return { index: buildIndex(knowledge.entries, knowledge.synonyms), intents: await loadIntents() };
}

export async function createWebStack(env: Record<string, string> = {}, overrides: Partial<WebChannelOptions> = {}): Promise<WebStack> {
  const db = await telegramTestDb();
  const config = parseConfig(env);
  const started = Date.now();
  // A test may set the clock (overrides.now): the desk and the engine then run on it too.
  const now = overrides.now ?? (() => new Date(WEB_TEST_START + (Date.now() - started)));
  const { index, intents } = await (shared ??= loadShared());
  const cases = createCaseDesk({ db, now });
  const engine = createEngine({
    store: createEngineStore(db),
    knowledge: { current: () => index },
    cases,
    intents,
    config,
    logger: silentLogger(),
    now,
  });
  const metrics = new Registry();
  const channel = createWebChannel({
    ...webOptionsFromConfig(config),
    db,
    engine,
    logger: silentLogger(),
    now,
    metrics,
    outboxPollMs: 100,
    cases,
    ...overrides,
  });
  const server = await startHttpServer(0, channel.routes, '127.0.0.1');
  await channel.start();
  const port = (server.address() as AddressInfo).port;
  return {
    db,
    engine,
    cases,
    channel,
    metrics,
    server,
    port,
    origin: `http://localhost:${port}`,
    now,
    async close() {
      await channel.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await engine.flush();
      await db.close();
    },
  };
}
