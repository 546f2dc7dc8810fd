import { z } from 'zod';
import { buttonPayloadSchema } from './callback-codec.js';

// What the sender needs to know about a failed Bot API call, read from
// telegraf's TelegramError (`response.error_code`, `response.parameters.retry_after`)
// without depending on its class, and the shape of a Telegram outbox payload.

/** An outbox payload for target telegram: Reply[] (validated before sending). */
export const replyListSchema = z.array(
  z.object({
    text: z.string(),
    heading: z.string().optional(),
    source: z
      .object({ entryId: z.string(), title: z.string(), section: z.string().nullable(), updated: z.string().nullable(), url: z.string().nullable() })
      .optional(),
    buttons: z.array(z.array(z.object({ label: z.string(), payload: buttonPayloadSchema }))).optional(),
    caseCode: z.string().optional(),
    locale: z.enum(['zh', 'en']).optional(),
  }),
);

/** Code and retry_after (seconds) of a Bot API error; nulls for network errors. */
export function telegramErrorInfo(error: unknown): { code: number | null; retryAfter: number | null; description: string } {
  const e = error as { response?: { error_code?: unknown; parameters?: { retry_after?: unknown } }; message?: unknown };
  const code = typeof e?.response?.error_code === 'number' ? e.response.error_code : null;
  const ra = e?.response?.parameters?.retry_after;
  return { code, retryAfter: typeof ra === 'number' && ra >= 0 ? ra : null, description: String(e?.message ?? error) };
}

/**
 * The chat cannot receive messages from the bot: 403 (blocked, never started, kicked, deactivated) or
 * 400 "chat not found" / "user not found" (the account is gone). Retrying would fail the same way.
 */
export function chatUnreachable(info: { code: number | null; description: string }): boolean {
  return info.code === 403 || (info.code === 400 && /chat not found|user not found|PEER_ID_INVALID/i.test(info.description));
}
