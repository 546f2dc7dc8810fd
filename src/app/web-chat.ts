import type { Registry } from 'prom-client';
import { createWebChannel, webChatUrl, webOptionsFromConfig, type WebChannel } from '../channels/web/create-web-channel.js';
import type { Config } from '../config.js';
import type { Engine } from '../core/engine/index.js';
import type { Logger } from '../logger.js';
import type { Route } from '../ops/http-routes.js';
import type { Db } from '../storage/db.js';
import type { OutboxInstance } from '../channels/shared/outbox-takeover.js';
import type { UndeliveredDesk } from '../channels/shared/undelivered.js';

/**
 * Whether this process serves the web chat: WEB_CHAT_ENABLED=true/false, or
 * (auto) whenever it runs as a server (Telegram or Slack on) or in a terminal,
 * where a newcomer can chat in a browser beside the console.
 */
export function webChatEnabled(config: Pick<Config, 'WEB_CHAT_ENABLED'>, running: { server: boolean; interactive: boolean }): boolean {
  if (config.WEB_CHAT_ENABLED !== 'auto') return config.WEB_CHAT_ENABLED === 'true';
  return running.server || running.interactive;
}

/** Builds the web chat and adds its routes; the caller starts the HTTP server, then `start()`s the channel. */
export function mountWebChat(deps: { config: Config; db: Db; engine: Engine; logger: Logger; metrics: Registry; routes: Route[]; instance?: OutboxInstance; cases?: UndeliveredDesk }): {
  channel: WebChannel;
  url: string;
} {
  const channel = createWebChannel({ ...webOptionsFromConfig(deps.config), db: deps.db, engine: deps.engine, logger: deps.logger, metrics: deps.metrics, instance: deps.instance, cases: deps.cases });
  deps.routes.push(...channel.routes);
  return { channel, url: webChatUrl(deps.config) };
}
