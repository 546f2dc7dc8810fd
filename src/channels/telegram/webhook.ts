import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { z } from 'zod';
import type { Logger } from '../../logger.js';

/**
 * Webhook mode. `createWebhookHandler` returns a plain Node HTTP handler for
 * the app's server to mount (e.g. at /telegram/webhook). Every request must
 * carry `X-Telegram-Bot-Api-Secret-Token` equal to TELEGRAM_WEBHOOK_SECRET:
 * missing → 401, wrong → 403, and in both cases no update handler runs.
 * Telegram redelivers on any non-2XX answer, so a handled update always gets
 * 200 (dedupe by update_id happens inside the bot).
 */
export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const MAX_BODY_BYTES = 1_000_000;

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Constant-time comparison of the header with the secret (hashes make the lengths equal). */
export function secretMatches(given: string, secret: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b) && given.length === secret.length;
}

function finish(res: ServerResponse, status: number): void {
  if (!res.headersSent) res.statusCode = status;
  if (!res.writableEnded) res.end();
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createWebhookHandler(deps: {
  secret: string;
  handleUpdate: (update: Update, res: ServerResponse) => Promise<unknown>;
  logger: Logger;
}): WebhookHandler {
  return async (req, res) => {
    if (req.method !== 'POST') return finish(res, 405);
    const header = req.headers[SECRET_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    if (given === undefined || given === '') {
      deps.logger.warn({ ip: req.socket.remoteAddress }, 'telegram webhook: request without secret token rejected');
      return finish(res, 401);
    }
    if (!secretMatches(given, deps.secret)) {
      deps.logger.warn({ ip: req.socket.remoteAddress }, 'telegram webhook: wrong secret token rejected');
      return finish(res, 403);
    }
    const requestId = randomUUID();
    const refuse = (status: number, problem: string) => {
      deps.logger.warn({ requestId, problem }, `telegram webhook: malformed request refused (${status})`);
      finish(res, status);
    };
    let body: string | null;
    try {
      body = await readBody(req);
    } catch (error) {
      return refuse(400, `body could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (body === null) return refuse(413, 'body too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return refuse(400, 'body is not JSON');
    }
    if (!updateSchema.safeParse(parsed).success) return refuse(400, 'body is not an update object');
    try {
      await deps.handleUpdate(parsed as Update, res);
      finish(res, 200);
    } catch (error) {
      // Non-2xx: Telegram redelivers the update (e.g. it could not be recorded while the database refused writes).
      deps.logger.error({ err: error, requestId, updateId: (parsed as Update).update_id }, 'telegram webhook: update failed');
      finish(res, 500);
    }
  };
}

/** Registers the webhook with Telegram. A plain http:// URL is allowed for local Bot API servers. */
export async function registerWebhook(bot: Telegraf, url: string, secret: string): Promise<void> {
  await bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'edited_message', 'callback_query'] });
}
