import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { projectPath } from '../../project-root.js';

/**
 * The page's static files (src/channels/web/public), read once at start and
 * kept gzipped, so every byte the browser loads comes from this server (no
 * CDN). Served with an ETag and a short cache, since they change only with a
 * new release.
 */
export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

export function loadAsset(name: string): Asset {
  const body = readFileSync(projectPath('src', 'channels', 'web', 'public', name));
  const ext = name.slice(name.lastIndexOf('.') + 1);
  return {
    type: TYPES[ext] ?? 'application/octet-stream',
    body,
    gzip: gzipSync(body, { level: 9 }),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
  };
}

export function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/** Sends a text body, gzipped when the browser takes it. */
export function sendText(req: IncomingMessage, res: ServerResponse, status: number, type: string, text: string | Buffer, headers: Record<string, string>): void {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  const gzip = acceptsGzip(req);
  res.writeHead(status, { 'content-type': type, vary: 'accept-encoding', ...(gzip ? { 'content-encoding': 'gzip' } : {}), ...headers });
  res.end(gzip ? gzipSync(body) : body);
}

export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: Asset, headers: Record<string, string> = {}): void {
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, { etag: asset.etag });
    res.end();
    return;
  }
  const gzip = acceptsGzip(req);
  res.writeHead(200, {
    'content-type': asset.type,
    'cache-control': 'public, max-age=300',
    etag: asset.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...headers,
  });
  res.end(gzip ? asset.gzip : asset.body);
}
