import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enqueueOutbox } from '../src/storage/outbox-repo.js';
import { openDb } from '../src/storage/db.js';
import { launchBrowser } from '../tests/helpers/browser.js';
import { freePort, procMemory, runBuild, spawnBot, startCommand, stopBot, waitHealthy } from './load-bot.js';
import type { BenchModule } from './run.js';

/**
 * The web chat (issue 18), against the bot as its own process started with
 * `npm start`'s command (local mode, WEB_CHAT_ENABLED=true):
 * 1. transfer size of the page (HTML + script + style, gzipped, as served);
 * 2. page load to first answer in Debian's chromium, WEB_BENCH_LOADS (20)
 *    fresh browser contexts (no cache), each asking one question of
 *    bench/kb-fresh-xihu.jsonl (written apart from the knowledge base);
 * 3. WEB_BENCH_STREAMS (500) sessions each holding one Server-Sent Events
 *    stream: the bot's RSS before and with them open, then every session
 *    asks a question (answer pushed on its stream) and then gets a staff-style
 *    reply queued in the outbox (pushed by the sender's poll), with latencies.
 */
const LOADS = Number(process.env.WEB_BENCH_LOADS ?? 20);
const STREAMS = Number(process.env.WEB_BENCH_STREAMS ?? 500);
const CONCURRENCY = 25;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Bytes on the wire of a GET's body (not decoded). */
function wireSize(url: string): Promise<{ wire: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let wire = 0;
      res.on('data', (chunk: Buffer) => (wire += chunk.length));
      res.on('end', () => resolve({ wire, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
    }).on('error', reject);
  });
}

async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  }));
}

interface Stream {
  cookie: string;
  token: string;
  received: string;
  opened: Promise<void>;
  waiters: { test: (s: string) => boolean; resolve: () => void }[];
}

function openStream(base: string, cookie: string, agent: Agent): Stream {
  const stream: Stream = { cookie, token: cookie.split('=')[1]!, received: '', opened: Promise.resolve(), waiters: [] };
  stream.opened = new Promise<void>((resolve, reject) => {
    const req = request(`${base}/chat/api/events`, { agent, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        stream.received += chunk;
        if (stream.received.includes('retry:')) resolve();
        stream.waiters = stream.waiters.filter((w) => (w.test(stream.received) ? (w.resolve(), false) : true));
      });
    });
    req.on('error', reject);
    req.end();
  });
  return stream;
}

const waitFor = (stream: Stream, test: (s: string) => boolean) =>
  new Promise<void>((resolve) => (test(stream.received) ? resolve() : stream.waiters.push({ test, resolve })));

const bench: BenchModule = {
  summary: 'web chat: page transfer size, page load to first answer (chromium), 500 concurrent SSE sessions (RSS)',
  async run(print) {
    const start = startCommand();
    if (start.build) runBuild();
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-web-bench-'));
    const dbPath = join(dir, 'bench.db');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = spawnBot(start.args, {
      ...start.env,
      DATABASE_PATH: dbPath,
      PORT: String(port),
      WEB_CHAT_ENABLED: 'true',
      WEB_CHAT_IP_PER_MINUTE: '1000000',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    const questions = readFileSync('bench/kb-fresh-xihu.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { q: string }).q);
    try {
      await waitHealthy(bot, port, ['web'], 60_000);
      const pid = bot.child.pid!;
      print(`Bot: \`${bot.command}\` (${start.start}), local mode, WEB_CHAT_ENABLED=true\n`);

      // 1. transfer size
      const files = ['/chat/', '/chat/chat.js', '/chat/chat.css'];
      const sizes = await Promise.all(files.map((f) => wireSize(`${base}${f}`)));
      const raw = await Promise.all(files.map(async (f) => (await (await fetch(`${base}${f}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()).byteLength));
      print('| file | bytes | gzipped on the wire |');
      print('|---|---:|---:|');
      files.forEach((f, i) => print(`| ${f} | ${raw[i]} | ${sizes[i]!.wire} (${sizes[i]!.encoding}) |`));
      print(`| **page total** | ${raw.reduce((a, b) => a + b, 0)} | **${sizes.reduce((a, s) => a + s.wire, 0)}** (bar: ≤ 102,400) |`);

      // 2. page load to first answer
      const browser = await launchBrowser();
      const timings: { dcl: number; load: number; answer: number; post: number; transfer: number }[] = [];
      try {
        for (let i = 0; i < LOADS; i++) {
          const context = await browser.browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'zh-CN' });
          const page = await context.newPage();
          await page.goto(`http://localhost:${port}/chat/`, { waitUntil: 'load' });
          await page.fill('#input', questions[i % questions.length]!);
          await page.click('#send');
          await page.locator('#log .msg.bot').first().waitFor();
          timings.push(
            await page.evaluate(() => {
              const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
              const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
              const post = resources.filter((r) => r.name.includes('/chat/api/messages')).at(-1);
              const assets = resources.filter((r) => /chat\.(js|css)$/.test(r.name));
              return {
                dcl: nav.domContentLoadedEventEnd,
                load: nav.loadEventEnd,
                answer: performance.now(),
                post: post ? post.duration : NaN,
                transfer: nav.transferSize + assets.reduce((n, r) => n + r.transferSize, 0),
              };
            }),
          );
          await context.close();
        }
      } finally {
        await browser.close();
      }
      const row = (name: string, xs: number[]) => print(`| ${name} | ${pct(xs, 50).toFixed(0)} | ${pct(xs, 95).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`);
      print(`\nPage load to first answer, ${LOADS} fresh contexts in chromium (375×667), ms since navigation start:\n`);
      print('| step | p50 | p95 | max |');
      print('|---|---:|---:|---:|');
      row('DOMContentLoaded', timings.map((t) => t.dcl));
      row('load event', timings.map((t) => t.load));
      row('question POST → answer (round trip)', timings.map((t) => t.post));
      row('**first answer shown**', timings.map((t) => t.answer));
      print(`\nBytes the browser transferred for page + script + style (headers included): ${pct(timings.map((t) => t.transfer), 50)}`);

      // 3. concurrent SSE sessions
      const before = procMemory(pid)!;
      const cookies: string[] = [];
      await pool(Array.from({ length: STREAMS }), CONCURRENCY, async () => {
        const res = await fetch(`${base}/chat/`);
        cookies.push(res.headers.get('set-cookie')!.split(';')[0]!);
        await res.arrayBuffer();
      });
      const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
      const streams = cookies.map((c) => openStream(base, c, agent));
      await Promise.all(streams.map((s) => s.opened));
      const open = procMemory(pid)!;
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const gauge = /civicdesk_web_chat_streams (\d+)/.exec(metrics)?.[1];

      const answerLatency: number[] = [];
      await pool(streams, CONCURRENCY, async (s, i) => {
        const t0 = performance.now();
        const arrived = waitFor(s, (text) => text.includes('"role":"bot"'));
        const res = await fetch(`${base}/chat/api/messages`, {
          method: 'POST',
          headers: { origin: base, 'content-type': 'application/json', cookie: s.cookie },
          body: JSON.stringify({ text: questions[i % questions.length] }),
        });
        await res.arrayBuffer();
        await arrived;
        answerLatency.push(performance.now() - t0);
      });

      const db = await openDb(dbPath);
      const ids = await Promise.all(
        streams.map(async (s) => (await db.get<{ id: string }>('SELECT id FROM web_sessions WHERE token_hash = ?', [createHash('sha256').update(s.token).digest('hex')]))!.id),
      );
      const t0 = performance.now();
      const pushLatency: number[] = [];
      const pushed = Promise.all(streams.map(async (s) => {
        await waitFor(s, (text) => text.includes('工作人员回复（基准测试）'));
        pushLatency.push(performance.now() - t0);
      }));
      await db.transaction(async (tx) => {
        for (const id of ids) await enqueueOutbox(tx, { target: 'web', address: id, payload: [{ text: '工作人员回复（基准测试）' }] }, new Date());
      });
      await pushed;
      await db.close();
      const after = procMemory(pid)!;
      agent.destroy();

      print(`\n${STREAMS} sessions, each holding one SSE stream on one bot process (/metrics civicdesk_web_chat_streams = ${gauge}):\n`);
      print('| | bot VmRSS MB |');
      print('|---|---:|');
      print(`| before the sessions | ${mb(before.rss)} |`);
      print(`| ${STREAMS} streams open | ${mb(open.rss)} (+${mb(open.rss - before.rss)}, ${((open.rss - before.rss) / STREAMS / 1024).toFixed(1)} KB a stream) |`);
      print(`| after ${STREAMS} answers and ${STREAMS} pushed replies | ${mb(after.rss)} |`);
      print(`| peak (VmHWM) | ${mb(after.hwm)} |`);
      print('\n| push | p50 ms | p95 ms | max ms | delivered |');
      print('|---|---:|---:|---:|---:|');
      print(`| question POST → answer on the stream (${CONCURRENCY} at a time) | ${pct(answerLatency, 50).toFixed(0)} | ${pct(answerLatency, 95).toFixed(0)} | ${Math.max(...answerLatency).toFixed(0)} | ${answerLatency.length}/${STREAMS} |`);
      print(`| ${STREAMS} outbox rows committed at once → shown on every stream (1 s outbox poll) | ${pct(pushLatency, 50).toFixed(0)} | ${pct(pushLatency, 95).toFixed(0)} | ${Math.max(...pushLatency).toFixed(0)} | ${pushLatency.length}/${STREAMS} |`);
    } finally {
      const exit = await stopBot(bot);
      print(`\nBot exit: code ${exit.code}${exit.killed ? ' (killed after timeout)' : ''}; error log lines: ${JSON.stringify(bot.errors)}`);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
