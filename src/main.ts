import { runConsole } from './channels/console/console-channel.js';
import { enabledChannels, parseConfig, type Config } from './config.js';
import { createCaseDesk } from './core/cases/index.js';
import { createEngine, createEngineStore, type Engine } from './core/engine/index.js';
import { loadIntents } from './core/intents/index.js';
import { createKnowledgeService, type KnowledgeService } from './knowledge/service.js';
import { createLogger, type Logger } from './logger.js';
import type { Db } from './storage/db.js';
import { openStore } from './storage/open-store.js';

/**
 * Composition root: configuration → logger → database → knowledge → case desk
 * → engine → channels. Chat goes to stdout, logs and start-up notes to stderr.
 * With no tokens the citizen side and the staff desk both run in the terminal.
 */
function printChannelHelp(config: Config, err: NodeJS.WritableStream): void {
  const on = enabledChannels(config);
  err.write(
    [
      `Telegram: ${on.telegram ? 'on' : 'off (set TELEGRAM_BOT_TOKEN to serve parents on Telegram; the console is the citizen chat meanwhile)'}`,
      `Slack: ${on.slack ? 'on' : 'off (set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_STAFF_CHANNEL for the staff desk; staff notices print here meanwhile)'}`,
      '',
    ].join('\n'),
  );
}

async function startKnowledge(config: Config, logger: Logger): Promise<KnowledgeService> {
  const knowledge = createKnowledgeService({ dir: config.KNOWLEDGE_DIR, logger });
  const report = await knowledge.reload();
  for (const p of report.problems) logger.warn({ path: p.path, line: p.line }, p.message);
  return knowledge;
}

export async function main(env: Record<string, string | undefined> = process.env): Promise<number> {
  const config = parseConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, format: process.stderr.isTTY ? config.LOG_FORMAT : 'json' });
  printChannelHelp(config, process.stderr);
  const db: Db = await openStore(config.DATABASE_PATH);
  const stoppers: (() => Promise<void>)[] = [];
  let stopping = false;
  const engineRef: { current?: Engine } = {};
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const stop of stoppers.reverse()) await stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
    await engineRef.current?.flush().catch((err: unknown) => logger.error({ err }, 'saving conversations failed'));
    await db.close().catch((err: unknown) => logger.error({ err }, 'closing the database failed'));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void shutdown(signal).then(() => process.exit(0)));
  }

  const knowledge = await startKnowledge(config, logger);
  const channels = enabledChannels(config);
  // Live reload when the process keeps running; a piped console session ends with its input.
  if (channels.telegram || process.stdin.isTTY) {
    const stopWatching = knowledge.watch();
    stoppers.push(stopWatching);
  }
  const cases = createCaseDesk({ db, config });
  const intents = await loadIntents(config.INTENTS_DIR);
  const engine = createEngine({
    store: createEngineStore(db, { onError: (err) => logger.error({ err }, 'saving conversations failed') }),
    knowledge,
    cases,
    intents,
    config,
    logger,
    calendar: cases.calendar,
  });
  engineRef.current = engine;

  // LEAD: wire Telegram here when channels.telegram (createBot + sender draining outbox target 'telegram').
  // LEAD: wire Slack here when channels.slack (staff desk draining outbox target 'staff').
  // LEAD: wire jobs (JOBS_ENABLED) and the HTTP server (PORT: /healthz, /metrics, webhooks) here; push their stop()s onto `stoppers`.

  if (!channels.telegram) {
    await runConsole({
      engine,
      cases,
      db,
      logger,
      locale: config.DEFAULT_LOCALE,
      bureau: config.BUREAU_NAME,
      input: process.stdin,
      output: process.stdout,
      staffDesk: !channels.slack,
      echo: !process.stdin.isTTY,
      pollMs: process.stdin.isTTY ? 1000 : 0,
    });
    await shutdown('end of input');
    return 0;
  }
  return new Promise<number>(() => undefined); // servers run until a signal
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
