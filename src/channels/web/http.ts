import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Small HTTP helpers for the web chat: who is asking (IP, HTTPS), whether a
 * state-changing request comes from the chat page itself, bodies with a size
 * limit, and JSON answers that no cache keeps.
 */

export interface RequestFacts {
  /** Trust X-Forwarded-For / X-Forwarded-Proto (a reverse proxy terminates HTTPS). */
  trustProxy: boolean;
  /**
   * How many proxies of the bureau's own stand in front of the chat (WEB_CHAT_TRUSTED_PROXIES, default 1): each appends
   * the address it saw to X-Forwarded-For, so the client is that many entries from the right. Used when trustProxy.
   */
  trustedProxies?: number;
  /** Origins that count as the chat's own besides the Host header's (WEB_CHAT_PUBLIC_URL). */
  ownOrigins: string[];
}

/**
 * The address the per-IP limit counts. Behind `trustedProxies` proxies, X-Forwarded-For ends with what those proxies saw:
 * the entry `trustedProxies` from the right is the client as the outermost trusted proxy saw it. Entries left of it
 * are whatever the client wrote itself (a proxy that appends, as nginx's $proxy_add_x_forwarded_for and most load
 * balancers do, keeps them), so they never count: taking the first entry let any client escape the limit or get
 * someone else's address refused. A header shorter than the chain (a request that bypassed a proxy) gives its left-most
 * entry. Without trustProxy (or with 0 proxies) the socket's address is the client.
 */
export function clientIp(req: IncomingMessage, trustedProxies: number): string {
  const entries = trustedProxies > 0 ? String(req.headers['x-forwarded-for'] ?? '').split(',').map((e) => e.trim()).filter(Boolean) : [];
  const forwarded = entries.length > 0 ? entries[Math.max(0, entries.length - trustedProxies)] : '';
  return forwarded || req.socket.remoteAddress || 'unknown';
}

export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  return trustProxy && String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https';
}

/** Browsers treat loopback as a secure context, so a Secure cookie works there over plain HTTP. */
export function isLoopbackHost(req: IncomingMessage): boolean {
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

export function ownOrigin(req: IncomingMessage, trustProxy: boolean): string {
  return `${isHttps(req, trustProxy) ? 'https' : 'http'}://${String(req.headers.host ?? '')}`;
}

/**
 * CSRF guard for POST: the browser's Origin must be the chat's own (the page
 * and its iframe embed both run on the chat's origin), the body must be JSON
 * (a cross-site form cannot send that without a CORS preflight, which is
 * never granted), and Sec-Fetch-Site, when sent, must say same-origin.
 * Returns why a POST is refused, or null: 'origin' for another site (403), 'content_type' for the
 * chat's own origin sending something other than JSON (415: an old or broken page, told to reload).
 */
export function postRefusal(req: IncomingMessage, facts: RequestFacts): 'origin' | 'content_type' | null {
  const origin = req.headers.origin;
  if (!origin) return 'origin';
  if (origin !== ownOrigin(req, facts.trustProxy) && !facts.ownOrigins.includes(origin)) return 'origin';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'origin';
  return String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json' ? null : 'content_type';
}

export class BodyTooLarge extends Error {}
/** The body is not UTF-8: refused rather than decoded with U+FFFD in place of what the parent wrote. */
export class BodyNotUtf8 extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the body up to `limit` bytes; throws BodyTooLarge beyond it (without buffering the rest), BodyNotUtf8 on bad bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  try {
    return utf8.decode(Buffer.concat(chunks));
  } catch {
    throw new BodyNotUtf8();
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** A query parameter as a non-negative integer (a cursor); 0 when absent or malformed. */
export function queryInt(req: IncomingMessage, name: string): number {
  const value = new URL(req.url ?? '/', 'http://x').searchParams.get(name);
  return value && /^\d{1,15}$/.test(value) ? Number(value) : 0;
}
