import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectPath } from '../../../src/project-root.js';

/**
 * One CivicDesk instance as a child process: `src/main.ts` itself (the composition root, the HTTP
 * server with /healthz and the Telegram webhook, the outbox sender, the job scheduler), started the
 * way `npm start` starts it, with the clock shifted (shifted-clock.mjs). Its stdout (the staff
 * posts of the console poster: Slack is off) is kept.
 */
export interface BotInstance {
  name: string;
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startInstance(name: string, port: number, env: Record<string, string>): BotInstance {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(import.meta.dirname, 'shifted-clock.mjs'), projectPath('src', 'main.ts')], {
    cwd: projectPath(),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env, INSTANCE_ID: name, PORT: String(port), NODE_ENV: 'production' },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, url: `http://127.0.0.1:${port}`, child, stdout: () => out, stderr: () => err, exited };
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Resolves once the instance's /healthz answers 200 (it is serving); rejects if it exits first. */
export async function ready(instance: BotInstance, timeoutMs = 30_000): Promise<void> {
  let gone = false;
  void instance.exited.then(() => (gone = true));
  await waitFor(
    `${instance.name} /healthz`,
    async () => {
      if (gone) throw new Error(`${instance.name} exited before it was ready:\n${instance.stderr()}`);
      const res = await fetch(`${instance.url}/healthz`).catch(() => null);
      return res?.status === 200 ? true : undefined;
    },
    timeoutMs,
    50,
  );
}
