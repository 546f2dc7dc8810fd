/**
 * Child for resend-after-kill.browser.test.ts: the real web chat (routes, engine, case desk, outbox, sender) over the
 * database at DB_PATH, on 127.0.0.1:PORT (0: any; the port is printed as "listening PORT"). With KILL_AT it kills
 * itself with SIGKILL once a petition is committed, before the parent has the reply:
 *   filed  right after the case desk committed the case (the turn's replies not queued, its state not saved)
 *   saved  right after the conversation state of that turn was saved
 * The clock starts at START_MS and runs at real speed, so no case code or deadline depends on the day.
 *
 * Usage: node --import tsx killed-server-child.ts DB_PATH PORT START_MS [filed|saved]
 */
import type { AddressInfo } from 'node:net';
import { createWebChannel, webOptionsFromConfig } from '../../../src/channels/web/create-web-channel.js';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../../../src/core/engine/index.js';
import { loadIntents } from '../../../src/core/intents/index.js';
import { silentLogger } from '../../../src/logger.js';
import { startHttpServer } from '../../../src/ops/http-server.js';
import { openStore } from '../../../src/storage/open-store.js';

const [dbPath, portArg = '0', startArg, killAt] = process.argv.slice(2);
if (!dbPath || !startArg || (killAt !== undefined && killAt !== 'filed' && killAt !== 'saved')) throw new Error('usage: killed-server-child.ts DB_PATH PORT START_MS [filed|saved]');
const started = Date.now();
const now = () => new Date(Number(startArg) + (Date.now() - started));

const db = await openStore(dbPath);
const config = parseConfig({});
const cases = createCaseDesk({ db, now });
const store = createEngineStore(db);
let filed = false;
const die = () => process.kill(process.pid, 'SIGKILL');
if (killAt) {
  const file = cases.file.bind(cases);
  cases.file = async (...args: Parameters<typeof file>) => {
    const record = await file(...args);
    filed = true;
    if (killAt === 'filed') die();
    return record;
  };
  const save = store.saveConversation.bind(store);
  store.saveConversation = async (...args: Parameters<typeof save>) => {
    await save(...args);
    if (filed && killAt === 'saved') die();
  };
}
const engine = createEngine({
  store,
  knowledge: { current: () => ({ decide: () => ({ kind: 'none' as const }) }) },
  cases,
  intents: await loadIntents(),
  config,
  logger: silentLogger(),
  now,
});
const channel = createWebChannel({ ...webOptionsFromConfig(config), db, engine, logger: silentLogger(), now, outboxPollMs: 100, cases });
const server = await startHttpServer(Number(portArg), channel.routes, '127.0.0.1');
await channel.start();
process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
