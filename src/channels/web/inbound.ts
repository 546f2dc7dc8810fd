import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { ButtonPayload, Incoming, Locale, Reply } from '../../core/types.js';
import type { Db } from '../../storage/db.js';
import { getWebMessage } from '../../storage/web-repo.js';
import { sanitizeText } from '../shared/inbound-guard.js';
import { parseButtonRef } from './render.js';

/**
 * What the page may POST, validated with zod, and its translation into the
 * engine's `Incoming`. A button press names a stored bot line and the
 * button's place in it; the payload is read from the stored line.
 */
export const BODY_LIMIT_BYTES = 16 * 1024;
/** The page's textarea allows 2,000 characters; the engine is given at most this many. */
export const TEXT_MAX = 2000;

const base = {
  /** Browser-generated id of this message, so a retried POST is handled once. */
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  /** The last transcript id the page shows; the answer carries everything after it. */
  after: z.number().int().min(0).optional(),
  embed: z.boolean().optional(),
};

export const postSchema = z.union([
  // No length cap here: the body limit bounds it, and an over-long text gets its own answer (textTooLong).
  z.object({ ...base, text: z.string().min(1) }).strict(),
  z.object({ ...base, button: z.string().max(40) }).strict(),
  z.object({ ...base, menu: z.enum(['help', 'file', 'status', 'privacy', 'human']) }).strict(),
  z.object({ ...base, lang: z.enum(['zh', 'en']) }).strict(),
]);
export type PostBody = z.infer<typeof postSchema>;

/** A text over TEXT_MAX characters once cleaned: refused with the limit named, never cut (the rest would be lost). */
export function textTooLong(body: PostBody): boolean {
  return 'text' in body && Array.from(sanitizeText(body.text, Number.POSITIVE_INFINITY)).length > TEXT_MAX;
}

/** The browser's preferred language among ours: the first Accept-Language tag we speak. */
export function browserLocale(req: IncomingMessage): Locale | undefined {
  const header = String(req.headers['accept-language'] ?? '');
  const tags = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}

export type Decoded = { incoming: Incoming; shown: string } | { stale: true } | { empty: true };

export async function toIncoming(
  db: Db,
  body: PostBody,
  session: { id: string },
  facts: { at: Date; platformLocale?: Locale },
): Promise<Decoded> {
  const common = {
    channel: 'web' as const,
    chatId: session.id,
    userId: session.id,
    receivedAt: facts.at,
    ...(facts.platformLocale ? { platformLocale: facts.platformLocale } : {}),
  };
  if ('text' in body) {
    const text = sanitizeText(body.text, TEXT_MAX);
    if (!text) return { empty: true };
    const command = /^\/([a-z]+)\b/i.exec(text)?.[1]?.toLowerCase();
    return { incoming: { ...common, text, ...(command ? { command } : {}) }, shown: text };
  }
  let action: ButtonPayload;
  let label: string;
  if ('button' in body) {
    const ref = parseButtonRef(body.button);
    const row = ref ? await getWebMessage(db, session.id, ref.messageId) : undefined;
    const button = row && row.role === 'bot' && ref ? (JSON.parse(row.payload) as Reply).buttons?.[ref.row]?.[ref.col] : undefined;
    if (!button) return { stale: true };
    action = button.payload;
    label = button.label;
  } else if ('menu' in body) {
    action = { kind: 'menu', item: body.menu };
    label = body.menu;
  } else {
    action = { kind: 'lang', locale: body.lang };
    label = body.lang === 'zh' ? '中文' : 'English';
  }
  return { incoming: { ...common, text: label, action }, shown: label };
}
