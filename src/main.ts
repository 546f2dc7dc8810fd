import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreTopGaps } from '../jobs/context.js';
import { createJobScheduler } from '../jobs/start.js';
import { createConsolePoster } from '../jobs/console-poster.js';
import { announceCalendarAtStart, calendarGap } from './app/calendar-notice.js';
import { createChannelStatus } from './app/channel-status.js';
import { mountWebChat, webChatEnabled } from './app/web-chat.js';
import { webChatUrl } from './channels/web/create-web-channel.js';
import { createInstancePresence } from './app/instance.js';
import { leadPolling } from './app/poll-leader.js';
import { shareKnowledgeReloads, type KnowledgeSync } from './app/knowledge-sync.js';
import { installProcessGuard } from './app/process-guard.js';
import { projectPath } from './project-root.js';
import { kbSearch, slackKnowledge } from './app/knowledge-adapter.js';
import { runConsole } from './channels/console/console-channel.js';
import { startStaffConsole } from './channels/console/staff-console.js';
import type { CaseLinks } from './channels/slack/case-links.js';
import type { SlackDesk } from './channels/slack/create-slack-app.js';
import { enabledChannels, parseConfig, type Config } from './config.js';
import { createCaseDesk } from './core/cases/index.js';
import { createEngine, createEngineStore, type Engine } from './core/engine/index.js';
import { loadIntents } from './core/intents/index.js';
import type { StaffPoster } from './core/staff-post.js';
import { createJurisdiction } from './knowledge/jurisdiction.js';
import { AppError } from './core/errors.js';
import { createKnowledgeService, type KnowledgeService } from './knowledge/service.js';
import { createLogger, type Logger } from './logger.js';
import { opsRoutes, type Route } from './ops/http-routes.js';
import { startHttpServer } from './ops/http-server.js';
import { serviceGuideCount } from './core/reports/annual/service-guides.js';
import { createMetrics } from './ops/metrics.js';
import type { Db } from './storage/db.js';
import { ensureDatabaseFolder, ensureLogFile } from './app/writable-paths.js';
import { envFilePath, loadWorkingEnvFile } from './app/env-file.js';
import { portError } from './app/port-error.js';
import { acquireInstanceLock } from './storage/instance-lock.js';
import { openStore } from './storage/open-store.js';
import { pendingOutboxCounts } from './storage/outbox-repo.js';

/**
 * Composition root: configuration → logger → database → knowledge → case desk
 * → engine → channels → jobs. Chat goes to stdout, logs and start-up notes to
 * stderr. With no tokens the citizen side and the staff desk both run in the
 * terminal; Telegram and Slack switch on with their tokens.
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

/**
 * SIGTERM/SIGINT drain, in this order: `first` steps stop taking new input (web chat answers "restarting",
 * Telegram polling ends after the batch in hand); then the stop functions run in reverse start order: senders
 * finish the messages in flight, the channels wait for the turns they took, the conversation state and message
 * log batches are flushed, the database closes last. `note` adds to the one "shutdown: drained" line logged
 * before the database closes. Past `boundMs` the process exits with code 1, naming the step that hung.
 */
function createShutdown(logger: Logger, boundMs: number) {
  const firsts: { name: string; run: () => Promise<unknown> }[] = [];
  const stoppers: { name: string; stop: () => Promise<unknown> }[] = [];
  const report: Record<string, unknown> = {};
  let stopping: Promise<void> | null = null;
  return {
    first(name: string, run: () => Promise<unknown>) {
      firsts.push({ name, run });
    },
    add(name: string, stop: () => Promise<unknown>) {
      stoppers.push({ name, stop });
    },
    note(key: string, value: unknown) {
      report[key] = value;
    },
    report: () => report,
    run(reason: string): Promise<void> {
      stopping ??= (async () => {
        logger.info({ reason }, 'shutting down');
        let step = 'start';
        const bound = setTimeout(() => {
          logger.error({ step, boundMs }, `shutdown: "${step}" did not finish within SHUTDOWN_TIMEOUT_MS; exiting without it`);
          process.exit(1);
        }, boundMs);
        bound.unref();
        const steps = [...firsts.map((f) => ({ name: f.name, stop: f.run })), ...[...stoppers].reverse()];
        for (const { name, stop } of steps) {
          step = name;
          await stop().catch((err: unknown) => logger.error({ err, step: name }, 'shutdown step failed'));
        }
        clearTimeout(bound);
      })();
      return stopping;
    },
  };
}

export async function main(env: Record<string, string | undefined> = process.env): Promise<number> {
  const config = parseConfig(env);
  const channels = enabledChannels(config);
  // With no Telegram the chat runs in this terminal: logs go to a file and only warnings reach stderr.
  const consoleChat = !channels.telegram;
  // Checked before anything opens them, so an unusable path stops the start with a line naming its variable.
  if (!config.DATABASE_URL) ensureDatabaseFolder(config.DATABASE_PATH);
  // Beside the SQLite file; with DATABASE_URL (PostgreSQL) there is no local database folder, so data/.
  const logFile = config.LOG_FILE ?? (consoleChat ? (config.DATABASE_URL ? projectPath('data', 'civicdesk.log') : join(dirname(config.DATABASE_PATH), 'civicdesk.log')) : undefined);
  if (logFile) ensureLogFile(logFile, config.LOG_FILE === undefined);
  const logger = createLogger({
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
    timeZone: config.TIMEZONE,
    file: logFile,
    ...(consoleChat ? { stderrLevel: 'warn' } : {}),
  });
  installProcessGuard(logger);
  printChannelHelp(config, process.stderr);
  const interactive = Boolean(process.stdin.isTTY);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  const shutdownStarted = { at: 0, signal: '' };

  const release = acquireInstanceLock(config.DATABASE_PATH);
  const db: Db = await openStore(config.DATABASE_PATH);
  shutdown.add('database', async () => {
    await db.close();
    release();
  });
  // Registered after 'database', so it runs just before the database closes: what the drain did, and what waits.
  shutdown.add('drain report', async () => {
    const outboxPending = await pendingOutboxCounts(db);
    const report = shutdown.report();
    const turnsFinished = Number(report.telegramTurnsFinished ?? 0) + Number(report.webTurnsFinished ?? 0);
    logger.info(
      { signal: shutdownStarted.signal, turnsFinished, ...report, outboxPending: outboxPending.total, outboxPendingByTarget: outboxPending.byTarget, ms: Date.now() - shutdownStarted.at },
      'shutdown: drained',
    );
  });
  const instance = createInstancePresence({ db, name: config.INSTANCE_ID ?? 'civicdesk', logger });
  await instance.start();
  shutdown.add('instance', () => instance.stop());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      shutdownStarted.at = Date.now();
      shutdownStarted.signal = signal;
      void shutdown.run(signal).then(() => {
        // The log line goes to the log file in console mode; the person who pressed Ctrl-C reads this one.
        process.stderr.write(`CivicDesk stopped (${signal}): messages in hand finished, database closed.\n`);
        process.exit(0);
      });
    });
  }

  const webOn = webChatEnabled(config, { server: channels.telegram || channels.slack, interactive });
  const status = createChannelStatus({ ...channels, web: webOn });
  let slack: SlackDesk | null = null;
  let caseLinks: CaseLinks | null = null;
  let knowledgeSync: KnowledgeSync | null = null;
  const knowledge: KnowledgeService = createKnowledgeService({
    dir: config.KNOWLEDGE_DIR,
    logger,
    jurisdiction: createJurisdiction({ area: config.BUREAU_AREA, city: config.BUREAU_CITY, province: config.BUREAU_PROVINCE }),
    onReload: (report, cause) => {
      knowledgeSync?.announce(cause);
      for (const p of report.problems) logger.warn({ path: p.path, line: p.line }, p.message);
      if (slack && report.problems.length > 0)
        void slack.notifyReloadProblems(report).catch((err: unknown) => logger.error({ err }, 'could not post reload problems'));
    },
  });
  const firstLoad = await knowledge.reload();
  // A typo in KNOWLEDGE_DIR must not start a bot that knows nothing and offers every question as a case.
  if (firstLoad.folderUnreadable)
    throw new AppError(
      'config_invalid',
      `KNOWLEDGE_DIR: ${firstLoad.problems[0]?.message ?? 'cannot read the knowledge folder'}. Set KNOWLEDGE_DIR to the folder of the bureau's Markdown entries (default: knowledge).`,
    );
  knowledgeSync = await shareKnowledgeReloads({ db, knowledge, owner: instance.owner, logger });
  shutdown.add('knowledge sync', () => knowledgeSync!.stop());
  // Live reload while the process keeps running; a piped console session ends with its input.
  if (channels.telegram || channels.slack || interactive) {
    shutdown.add('knowledge watcher', knowledge.watch());
    const onHangup = () => void knowledge.reload().catch((err: unknown) => logger.error({ err }, 'reload failed'));
    process.on('SIGHUP', onHangup);
  }

  // A case change queued for a citizen (a staff reply, a state change) wakes the channel's sender once it committed.
  const citizenSenders: (() => void)[] = [];
  const cases = createCaseDesk({ db, config, queued: () => citizenSenders.forEach((wake) => wake()) });
  // A year's holiday schedule may have arrived since the last start (calendar import, newer chinese-days).
  const recomputed = await cases.reestimateDeadlines();
  if (recomputed.length > 0) logger.info({ cases: recomputed.length }, 'deadlines recomputed (estimated calendar dates, or queued by a migration)');
  const engine: Engine = createEngine({
    store: createEngineStore(db, { onError: (err) => logger.error({ err }, 'saving conversations failed') }),
    knowledge,
    cases,
    intents: await loadIntents(config.INTENTS_DIR),
    config,
    logger,
    calendar: cases.calendar,
  });
  shutdown.add('conversation state', () => engine.flush());

  // Filled in as the channels are built: why each one's outgoing messages fail right now (/healthz `problems`).
  const senders: { telegram?: () => string | null; slack?: () => string | null } = {};
  const metrics = createMetrics(db);
  const routes: Route[] = opsRoutes({
    db,
    metrics,
    knowledgeEntries: () => knowledge.current().size,
    channels: status.snapshot,
    instance,
    calendarGap: calendarGap({ calendar: cases.calendar, timeZone: config.TIMEZONE, warnFrom: config.CALENDAR_WARN_FROM }),
    channelProblems: () => ({ telegram: senders.telegram?.() ?? null, slack: senders.slack?.() ?? null }),
  });

  const web = webOn ? mountWebChat({ config, db, engine, logger, metrics, routes, instance, cases }) : null;

  // Channel libraries load only when their channel is on: telegraf and @slack/bolt (with the annual report's
  // docx/vega stack) cost ~0.4 s and ~35 MB at start, which the console and a one-channel bot do not need.
  const telegramModule = channels.telegram ? await import('./channels/telegram/create-bot.js') : null;
  const telegramOptions = telegramModule?.telegramOptionsFromConfig(config) ?? null;
  const telegram =
    telegramModule && telegramOptions
      ? telegramModule.createTelegramChannel({
          ...telegramOptions,
          db,
          engine,
          cases,
          logger,
          instance,
          pollingLeader: (poller) => leadPolling({ db, poller, logger, retryMs: config.POLL_LOCK_RETRY_MS }),
          // 'down' while the Bot API is unreachable or long polling has ended (and is being started again).
          onStatus: (value) => status.set('telegram', value),
        })
      : null;
  if (telegram) {
    citizenSenders.push(() => telegram.sender.wake());
    senders.telegram = () => telegram.sender.problem();
  }
  if (telegram?.webhookHandler && telegram.webhookPath) {
    const handler = telegram.webhookHandler;
    routes.push({ path: telegram.webhookPath, method: 'POST', handler: (req, res) => handler(req, res) });
  }

  if (channels.slack) {
    const [{ createSlackApp, slackBotIdentity }, { annualCommandDeps }, { createCaseLinks }] = await Promise.all([
      import('./channels/slack/create-slack-app.js'),
      import('./channels/slack/annual-commands.js'),
      import('./channels/slack/case-links.js'),
    ]);
    slack = createSlackApp({
      botToken: config.SLACK_BOT_TOKEN!,
      botIdentity: await slackBotIdentity(config.SLACK_BOT_TOKEN!, config.SLACK_API_URL),
      signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN,
      port: config.PORT,
      apiUrl: config.SLACK_API_URL,
      staffChannel: config.SLACK_STAFF_CHANNEL!,
      staffUserIds: config.SLACK_STAFF_USER_IDS,
      adminUserIds: config.SLACK_ADMIN_USER_IDS,
      locale: config.STAFF_LOCALE,
      timeZone: config.TIMEZONE,
      db,
      desk: cases,
      logger,
      instance,
      kbSearch: kbSearch(knowledge),
      knowledge: slackKnowledge(knowledge),
      knowledgeDir: config.KNOWLEDGE_DIR,
      reloadProblemsPostedByService: true,
      customRoutes: config.SLACK_APP_TOKEN ? [] : routes,
      annual: annualCommandDeps({
        db,
        bureau: config.BUREAU_NAME,
        timezone: config.TIMEZONE,
        knowledgeDir: config.KNOWLEDGE_DIR,
        templatesDir: 'reports/annual',
        staffChannel: config.SLACK_STAFF_CHANNEL!,
        isStaff: async () => false, // replaced by the desk's own staff check
        logger,
      }),
    });
    await slack.start().catch((error: unknown) => {
      throw portError(error, config.PORT);
    });
    status.set('slack', 'connected');
    const staffDesk = slack.staffDesk;
    senders.slack = () => staffDesk.problem();
    const links = createCaseLinks({ db, client: slack.app.client, logger });
    await links.start();
    caseLinks = links;
    shutdown.add('case links', async () => links.stop());
    shutdown.add('slack', async () => {
      status.set('slack', 'down');
      await slack?.stop();
    });
  }
  let httpPort = config.PORT;
  // The ops routes (and a Telegram webhook) need a server of their own when Bolt's HTTP receiver is not running.
  if ((channels.telegram || channels.slack || web) && (!channels.slack || config.SLACK_APP_TOKEN)) {
    const server: Server = await startHttpServer(config.PORT, routes).catch((error: unknown) => {
      throw portError(error, config.PORT);
    });
    // The port actually taken: with PORT=0 the OS picked it, and this line is how a supervisor (or a test) learns it.
    httpPort = (server.address() as AddressInfo).port;
    logger.info({ port: httpPort }, 'http: /healthz and /metrics listening');
    shutdown.add('http server', () => new Promise((resolve) => {
      // Keep-alive sockets: idle ones close now; one busy with a last request (a 503 "restarting") once it is answered.
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      server.close(() => {
        clearInterval(idle);
        resolve(undefined);
      });
      server.closeIdleConnections(); // the web chat's streams were ended when it stopped
    }));
  }
  if (web) {
    await web.channel.start();
    status.set('web', 'connected');
    process.stderr.write(`Web chat: ${config.PORT === httpPort ? web.url : webChatUrl({ ...config, PORT: httpPort })}\n`);
    shutdown.first('web chat: refuse new messages', async () => web.channel.refuseNew());
    shutdown.add('web chat', async () => {
      status.set('web', 'down');
      const { turnsFinished } = await web.channel.stop();
      shutdown.note('webTurnsFinished', turnsFinished);
    });
  }

  if (telegram) {
    // Rejects only when Telegram refuses the token; an unreachable API leaves the channel 'down' and retrying.
    await telegram.start();
    shutdown.first('telegram: stop taking updates', async () => {
      const { turnsFinished } = await telegram.stopTaking();
      shutdown.note('telegramTurnsFinished', turnsFinished);
    });
    shutdown.add('telegram', async () => {
      status.set('telegram', 'down');
      await telegram.stop();
    });
  }

  const poster: StaffPoster = slack?.poster ?? createConsolePoster(process.stdout, undefined, config.STAFF_LOCALE);
  await announceCalendarAtStart({
    calendar: cases.calendar,
    now: new Date(),
    timeZone: config.TIMEZONE,
    warnFrom: config.CALENDAR_WARN_FROM,
    logger,
    poster: slack?.poster ?? null,
    adminUserIds: config.SLACK_ADMIN_USER_IDS,
    locale: config.STAFF_LOCALE,
  }).catch((err: unknown) => logger.error({ err }, 'could not announce the calendar status'));
  if (config.JOBS_ENABLED && (channels.telegram || channels.slack || interactive)) {
    const scheduler = createJobScheduler({
      config,
      db,
      poster,
      logger,
      calendar: cases.calendar,
      owner: instance.owner,
      caseLink: (code) => caseLinks?.link(code) ?? null,
      // The live index's entries, not KNOWLEDGE_DIR parsed again at each digest and report.
      topGaps: coreTopGaps(db, async () => new Map(knowledge.entries().map((e) => [e.id, e.title]))),
      countServiceGuides: async () => serviceGuideCount(knowledge.entries()),
    });
    await scheduler.start();
    shutdown.add('jobs', () => scheduler.stop());
  }

  if (!channels.telegram) {
    await runConsole({
      engine,
      cases,
      db,
      logger,
      locale: config.DEFAULT_LOCALE,
      staffLocale: config.STAFF_LOCALE,
      timeZone: config.TIMEZONE,
      bureau: config.BUREAU_NAME,
      input: process.stdin,
      output: process.stdout,
      staffDesk: !channels.slack,
      echo: !interactive,
      prompt: interactive,
      pollMs: interactive ? 1000 : 0,
    });
    if (web && !interactive) return new Promise<number>(() => undefined); // piped input ended; the web chat keeps serving
    await shutdown.run('end of input');
    return 0;
  }
  if (!channels.slack) {
    const staffConsole = startStaffConsole({ cases, db, logger, locale: config.STAFF_LOCALE, timeZone: config.TIMEZONE, input: process.stdin, output: process.stdout });
    shutdown.add('staff console', () => staffConsole.stop());
  }
  return new Promise<number>(() => undefined); // servers run until a signal
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let fromFile: string[] = [];
  try {
    fromFile = loadWorkingEnvFile(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (fromFile.length > 0) process.stderr.write(`Settings: ${fromFile.length} variables from ${envFilePath(process.env)} (a variable set in the environment wins)\n`);
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
