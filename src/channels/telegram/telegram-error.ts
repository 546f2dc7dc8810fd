import { z } from 'zod';

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
    // A button's payload is checked when the keyboard is built (buildKeyboard): one that no callback_data can carry is
    // left out there, not made the reason to drop the whole answer here.
    buttons: z.array(z.array(z.object({ label: z.string(), payload: z.looseObject({ kind: z.string() }) }))).optional(),
    caseCode: z.string().optional(),
    locale: z.enum(['zh', 'en']).optional(),
  }),
);

/**
 * Code, retry_after (seconds) and migrate_to_chat_id (a group upgraded to a supergroup: its new id) of a Bot API
 * error; nulls for network errors.
 */
export function telegramErrorInfo(error: unknown): { code: number | null; retryAfter: number | null; migrateTo: string | null; description: string } {
  const e = error as { response?: { error_code?: unknown; parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown } }; message?: unknown };
  const code = typeof e?.response?.error_code === 'number' ? e.response.error_code : null;
  const ra = e?.response?.parameters?.retry_after;
  const migrate = e?.response?.parameters?.migrate_to_chat_id;
  const migrateTo = typeof migrate === 'number' && Number.isSafeInteger(migrate) ? String(migrate) : null;
  return { code, retryAfter: typeof ra === 'number' && ra >= 0 ? ra : null, migrateTo, description: String(e?.message ?? error) };
}

/**
 * The chat cannot receive messages from the bot: 403 (blocked, never started, kicked, deactivated) or
 * 400 "chat not found" / "user not found" (the account is gone). Retrying would fail the same way.
 */
export function chatUnreachable(info: { code: number | null; description: string }): boolean {
  return info.code === 403 || (info.code === 400 && /chat not found|user not found|PEER_ID_INVALID/i.test(info.description));
}
