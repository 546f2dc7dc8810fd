import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call (or response_url POST, or file upload) the stub received. */
export interface StubCall {
  method: string;
  /** The request path, e.g. /api/chat.postMessage or /response/r1. */
  path: string;
  body: Record<string, unknown>;
  at: number;
}

type Responder = (body: Record<string, unknown>) => { status?: number; headers?: Record<string, string>; json?: unknown };

/**
 * A stand-in for the Slack Web API on 127.0.0.1: answers the methods the staff
 * desk uses, records every call, and lets a test wait for a call (no sleeping).
 * Point Bolt at `apiUrl` (clientOptions.slackApiUrl). `responseUrl(id)` gives
 * a response_url that is recorded as method 'response_url'.
 */
export interface SlackStub {
  apiUrl: string;
  base: string;
  calls: StubCall[];
  members: string[];
  responseUrl(id?: string): string;
  /** Answer the next call of `method` with this instead (e.g. a 429). */
  override(method: string, responder: Responder, times?: number): void;
  /**
   * The next `times` calls of `method` are carried out (a post is kept in the channel) but their answer is lost:
   * the caller gets `status` (a proxy's 502/503/504) instead.
   */
  loseAnswers(method: string, times?: number, status?: number): void;
  /** Every later call of `method` is recorded and never answered (a connection Slack never answers); closed with the stub. */
  hang(method: string): void;
  /**
   * What the channel holds, as Slack keeps it: every chat.postMessage carried out, with its ts, thread_ts and
   * metadata. conversations.history (top-level posts, newest first) and conversations.replies (a thread, oldest first)
   * answer from it, a page of `limit` at a time with Slack's cursor. A test may push messages others posted.
   */
  posted: { channel: string; ts: string; thread_ts?: string; text: unknown; metadata?: unknown }[];
  callsOf(method: string): StubCall[];
  /**
   * Resolves with the first call (counting from `since`) that matches; rejects after `timeoutMs` (default 25 s: only a
   * guard against a call that never comes, which fails with the calls made so far just before the test's own 30 s;
   * the work before the call — /kb gaps grouping the questions, say — is CPU-bound and slows with the machine's load).
   */
  waitFor(method: string, match?: (call: StubCall) => boolean, options?: { since?: number; timeoutMs?: number }): Promise<StubCall>;
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSlackStub(options: { members?: string[] } = {}): Promise<SlackStub> {
  const calls: StubCall[] = [];
  const waiters = new Set<() => void>();
  const overrides = new Map<string, { responder: Responder; times: number }>();
  const lost = new Map<string, { times: number; status: number }>();
  const hanging = new Set<string>();
  const posted: SlackStub['posted'] = [];
  const withMetadata = (m: (typeof posted)[number], body: Record<string, unknown>) => {
    const { metadata, ...rest } = m;
    const replies = posted.filter((r) => r.thread_ts === m.ts).length;
    return { type: 'message', ...rest, ...(replies > 0 ? { reply_count: replies } : {}), ...(body.include_all_metadata && metadata ? { metadata } : {}) };
  };
  /**
   * One page of messages as Slack pages them: at most `limit` (default `defaultLimit`, at most 1000), from the opaque
   * `cursor` of the page before; `has_more` and `response_metadata.next_cursor` tell whether more are left.
   */
  const page = (messages: typeof posted, body: Record<string, unknown>, defaultLimit: number) => {
    const limit = Math.min(Number(body.limit) || defaultLimit, 1000);
    const start = body.cursor ? Number(Buffer.from(String(body.cursor), 'base64').toString().replace('offset:', '')) : 0;
    const next = start + limit < messages.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
    const shown = messages.slice(start, start + limit).map((m) => withMetadata(m, body));
    return { ok: true, messages: shown, has_more: next !== '', response_metadata: { next_cursor: next } };
  };
  let seq = 100;
  let base = '';

  const answer = (method: string, body: Record<string, unknown>): ReturnType<Responder> => {
    const o = overrides.get(method);
    if (o && o.times > 0) {
      o.times -= 1;
      return o.responder(body);
    }
    const ts = () => `1764300000.${String((seq += 1)).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return { json: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'civicdesk', user: 'civicdesk' } };
      case 'chat.postMessage': {
        const message = { channel: String(body.channel), ts: ts(), text: body.text, ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}), ...(body.metadata ? { metadata: body.metadata } : {}) };
        posted.push(message);
        return { json: { ok: true, channel: body.channel, ts: message.ts, message: { text: body.text } } };
      }
      case 'conversations.history':
        return { json: page(posted.filter((m) => m.channel === body.channel && !m.thread_ts).reverse(), body, 100) };
      case 'conversations.replies': {
        const thread = posted.filter((m) => m.channel === body.channel && (m.ts === body.ts || m.thread_ts === body.ts));
        return { json: page(thread, body, 1000) };
      }
      case 'chat.update':
        return { json: { ok: true, channel: body.channel, ts: body.ts } };
      case 'chat.postEphemeral':
        return { json: { ok: true, message_ts: ts() } };
      case 'views.open':
        return { json: { ok: true, view: { id: `V${(seq += 1)}` } } };
      case 'conversations.members':
        return { json: { ok: true, members: stub.members, response_metadata: { next_cursor: '' } } };
      case 'files.getUploadURLExternal':
        return { json: { ok: true, upload_url: `${base}/upload/F${seq}`, file_id: `F${seq}` } };
      case 'files.completeUploadExternal':
        return { json: { ok: true, files: [{ id: `F${seq}`, title: 'file' }] } };
      default:
        return { json: { ok: true } };
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const method = path.startsWith('/api/')
        ? path.slice(5)
        : path.startsWith('/response/')
          ? 'response_url'
          : path.startsWith('/upload/')
            ? 'file.upload'
            : path;
      const body = method === 'file.upload' ? { bytes: raw.length, raw } : parseBody(raw, req.headers['content-type']);
      calls.push({ method, path, body, at: Date.now() });
      for (const w of waiters) w();
      if (hanging.has(method)) return;
      const carried = method === 'file.upload' ? { json: 'OK' } : answer(method, body);
      const losing = lost.get(method);
      const out = losing && losing.times > 0 ? ((losing.times -= 1), { status: losing.status, json: { ok: false, error: 'bad_gateway' } }) : carried;
      res.writeHead(out?.status ?? 200, { 'content-type': 'application/json', ...(out?.headers ?? {}) });
      res.end(JSON.stringify(out?.json ?? { ok: true }));
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const stub: SlackStub = {
    base,
    apiUrl: `${base}/api/`,
    calls,
    members: options.members ?? [],
    responseUrl: (id = 'r1') => `${base}/response/${id}`,
    override(method, responder, times = 1) {
      overrides.set(method, { responder, times });
    },
    loseAnswers(method, times = 1, status = 502) {
      lost.set(method, { times, status });
    },
    hang(method) {
      hanging.add(method);
    },
    posted,
    callsOf: (method) => calls.filter((c) => c.method === method),
    waitFor(method, match = () => true, { since = 0, timeoutMs = 25_000 } = {}) {
      const find = () => calls.slice(since).find((c) => c.method === method && match(c));
      return new Promise<StubCall>((resolve, reject) => {
        const hit = find();
        if (hit) return resolve(hit);
        const check = () => {
          const found = find();
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          // Each call with its path and the start of its text: an answer that came instead (an error) is named.
          const made = calls.map((c) => `${c.path} ${String((c.body as { text?: unknown }).text ?? '').slice(0, 120)}`.trim());
          reject(new Error(`slack stub: no ${method} call within ${timeoutMs} ms; calls: ${made.join(' | ')}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return stub;
}
