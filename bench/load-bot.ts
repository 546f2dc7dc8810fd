import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import sqlite3 from 'sqlite3';
import { AppError } from '../src/core/errors.js';
import type { Db, Params } from '../src/storage/db.js';
import { parseStartScript, readStartScript } from '../tests/helpers/start-command.js';

/**
 * The bot as its own process for the load benchmark: started exactly as `npm start` runs it
 * (`package.json` scripts.start, after `npm run build` when there is a build script), its
 * memory read from /proc, its JSON log lines counted, its SQLite file read read-only.
 */
export interface BotProcess {
  child: ChildProcess;
  /** The command line, for the report. */
  command: string;
  /** Error-level log lines (level ≥ 50) by message and error text. */
  errors: Record<string, number>;
  /** Last lines the process wrote that were not JSON log lines (start-up notes, a crash message). */
  tail: string[];
  /** Exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

interface LogLine {
  level?: number;
  msg?: string;
  err?: { message?: string };
}

/** A pino JSON line, or null for anything else (start-up notes, a crash message). */
function logLine(line: string): LogLine | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return null;
  }
}

/**
 * `scripts.start` as `[execPath, args]`: `node a b` → its args; `tsx x.ts` → `--import tsx x.ts`.
 * BENCH_START_SCRIPT replaces the script (to compare start flags without editing package.json), e.g.
 * `BENCH_START_SCRIPT='MALLOC_ARENA_MAX=2 node --max-semi-space-size=4 dist/src/main.js' npm run bench -- load`.
 */
export function startCommand(root = '.'): { args: string[]; env: Record<string, string>; build: boolean; start: string } {
  const read = readStartScript(root);
  const script = process.env.BENCH_START_SCRIPT || read.script;
  const hasBuild = read.hasBuild;
  const { env, nodeArgs } = parseStartScript(script);
  const words = script.trim().split(/\s+/).filter((w) => w && !/^[A-Z_][A-Z0-9_]*=/.test(w));
  const args = nodeArgs ?? ['--import', 'tsx', ...(words[0] === 'tsx' && words.length > 1 ? words.slice(1) : ['src/main.ts'])];
  return { args, env, build: hasBuild, start: script };
}

/** Runs `npm run build` once (the start script may run compiled code). */
export function runBuild(): void {
  const res = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (res.status !== 0) throw new AppError('internal', `npm run build failed (exit ${res.status}): ${(res.stderr || res.stdout).slice(-2000)}`);
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Spawns `process.execPath args` in the repo root with exactly `env` (plus PATH/HOME); `logFile` copies its output. */
export function spawnBot(args: string[], env: Record<string, string>, logFile?: string): BotProcess {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) base[name] = process.env[name];
  const child = spawn(process.execPath, args, { cwd: process.cwd(), env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: Record<string, number> = {};
  const tail: string[] = [];
  const copy = logFile ? createWriteStream(logFile) : null;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      copy?.write(`${line}\n`);
      const entry = logLine(line);
      if (entry && typeof entry.level === 'number') {
        if (entry.level < 50) return;
        const key = `${entry.msg ?? ''}: ${(entry.err?.message ?? '').slice(0, 90)}`;
        errors[key] = (errors[key] ?? 0) + 1;
        return;
      }
      tail.push(line);
      if (tail.length > 40) tail.shift();
    });
  }
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => (copy?.end(), resolve({ code, signal }))),
  );
  return { child, command: `${process.execPath} ${args.join(' ')}`, errors, tail, exited };
}

/** Polls /healthz until every channel in `channels` is 'connected'; throws with the bot's last lines otherwise. */
export async function waitHealthy(bot: BotProcess, port: number, channels: string[], timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (bot.child.exitCode !== null) throw new AppError('internal', `The bot exited (${bot.child.exitCode}) before it was healthy:\n${bot.tail.join('\n')}`);
    try {
      const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { channels?: Record<string, string> };
      if (channels.every((c) => body.channels?.[c] === 'connected')) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new AppError('internal', `The bot did not report ${channels.join(' + ')} connected on /healthz within ${timeoutMs / 1000} s:\n${bot.tail.join('\n')}`);
}

/** VmRSS / VmHWM of `pid` in bytes (null once the process is gone). */
export function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    return Number.isFinite(rss) && Number.isFinite(hwm) ? { rss, hwm } : null;
  } catch {
    return null;
  }
}

/**
 * Where a process's resident memory is, from /proc/PID/smaps, MB by kind of mapping: the node binary
 * (code, read-only data, ICU's data is compiled in), native addons (`.node`), other shared libraries,
 * glibc's main malloc arena (`[heap]`), anonymous mappings (V8's heap pages, V8 and sqlite3 allocations
 * mmapped by malloc, thread stacks) and other files (SQLite's `-shm`). `jsHeap`/`external` are not
 * from smaps: pass `process.memoryUsage()`-like figures to split the anonymous part.
 */
export function smapsBreakdown(pid: number): Record<string, number> | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return null;
  }
  const out: Record<string, number> = { binary: 0, addons: 0, libs: 0, mallocHeap: 0, anon: 0, files: 0, stack: 0 };
  let kind = 'anon';
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const path = head[1]!.trim();
      kind = !path ? 'anon'
        : path === '[heap]' ? 'mallocHeap'
        : path.startsWith('[stack') ? 'stack'
        : path.startsWith('[') ? 'anon'
        : path.endsWith('.node') ? 'addons'
        : /\.so(\.|$)/.test(path) ? 'libs'
        : /\/node$/.test(path) ? 'binary'
        : 'files';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind]! += Number(rss[1]) / 1024;
  }
  const icu = icuResidentMb(pid);
  if (icu !== null) out.binaryIcu = icu;
  return out;
}

let icuData: { start: number; size: number; node: string } | null | undefined;

/**
 * MB of ICU's data (compiled into the node binary as `icudt*_dat`) resident in `pid`: the part of `binary` that
 * Intl (DateTimeFormat, NumberFormat, toLocaleString, localeCompare, Segmenter) maps in. Read from the symbol
 * table (`readelf`) and /proc/PID/pagemap (needs root); null when either is unavailable or node is a
 * position-independent executable (symbol values are then not addresses).
 */
export function icuResidentMb(pid: number): number | null {
  if (icuData === undefined) {
    icuData = null;
    const res = spawnSync('readelf', ['-W', '--dyn-syms', '-h', process.execPath], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const symbol = /^\s*\d+:\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+\S+\s+\S+\s+\S+\s+icudt\d+_dat$/m.exec(res.stdout ?? '');
    if (res.status === 0 && symbol && /Type:\s+EXEC/.test(res.stdout)) icuData = { start: parseInt(symbol[1]!, 16), size: Number(symbol[2]), node: process.execPath };
  }
  if (!icuData) return null;
  try {
    const fd = openSync(`/proc/${pid}/pagemap`, 'r');
    try {
      const first = Math.floor(icuData.start / 4096);
      const pages = Math.ceil((icuData.start + icuData.size) / 4096) - first;
      const entries = Buffer.alloc(pages * 8);
      for (let done = 0; done < entries.length; ) {
        const n = readSync(fd, entries, done, entries.length - done, first * 8 + done);
        if (n <= 0) return null;
        done += n;
      }
      let present = 0;
      for (let i = 0; i < pages; i++) if (entries.readBigUInt64LE(i * 8) >> 63n === 1n) present++;
      return (present * 4096) / 2 ** 20;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** Samples the child's VmRSS (and VmHWM) and this process's RSS every `everyMs`. */
export function sampleMemory(pid: number, everyMs = 100) {
  const peak = { childRss: 0, childHwm: 0, benchRss: process.memoryUsage().rss, samples: 0 };
  const tick = () => {
    const m = procMemory(pid);
    if (m) {
      peak.childRss = Math.max(peak.childRss, m.rss);
      peak.childHwm = Math.max(peak.childHwm, m.hwm);
      peak.samples += 1;
    }
    peak.benchRss = Math.max(peak.benchRss, process.memoryUsage().rss);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return { peak, tick, stop: () => clearInterval(timer) };
}

/** SIGTERM, then wait for the exit; SIGKILL after `timeoutMs` (`killed: true`). */
export async function stopBot(bot: BotProcess, timeoutMs = 30_000): Promise<{ code: number | null; signal: string | null; killed: boolean }> {
  if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([bot.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
  clearTimeout(timer);
  if (done !== 'timeout') return { ...done, killed: false };
  bot.child.kill('SIGKILL');
  return { ...(await bot.exited), killed: true };
}

/** The bot's database opened read-only (WAL lets it read while the bot writes); only get/all/close work. */
export async function openReadOnly(path: string): Promise<Db> {
  const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
    const db = new sqlite3.Database(path, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(db)));
  });
  raw.configure('busyTimeout', 5000);
  const refuse = () => Promise.reject(new AppError('internal', `${path} is open read-only in the load benchmark`));
  return {
    path,
    dialect: 'sqlite',
    get: <T>(sql: string, params: Params = []) =>
      new Promise<T | undefined>((resolve, reject) => raw.get(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(err) : resolve(row)))),
    all: <T>(sql: string, params: Params = []) =>
      new Promise<T[]>((resolve, reject) => raw.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)))),
    run: refuse,
    exec: refuse,
    transaction: refuse,
    backup: refuse,
    close: () => new Promise<void>((resolve, reject) => raw.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Polls the bot's outbox (read-only) until nothing is pending or sending, for at most `timeoutMs`. */
export async function waitDrained(dbPath: string, timeoutMs: number): Promise<boolean> {
  const db = await openReadOnly(dbPath);
  try {
    for (const until = performance.now() + timeoutMs; performance.now() < until; ) {
      const open = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending')");
      if (open?.n === 0) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  } finally {
    await db.close();
  }
}
