import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webChatPort } from '../helpers/listening-port.js';

/**
 * Local mode (no tokens) with the web chat on: the console chat ends with its
 * piped input, the page keeps being served on PORT and its URL is printed.
 * (In a terminal WEB_CHAT_ENABLED=auto does the same; a test has no terminal.)
 */
let child: ChildProcess;
let port: number;
let stderr = '';


beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'civicdesk-web-local-')), 'local.db'),
      PORT: '0', // the OS picks the port; main prints the URL with it
      LOG_LEVEL: 'warn',
      WEB_CHAT_ENABLED: 'true',
      JOBS_ENABLED: 'false',
      TELEGRAM_BOT_TOKEN: '',
      SLACK_BOT_TOKEN: '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end();
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  port = await webChatPort(child, () => stderr);
}, 60_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start in local mode with the web chat', () => {
  it('prints the page URL and serves it after the console input ended; SIGTERM stops it', async () => {
    expect(port).toBeGreaterThan(0); // the printed URL names the port taken, not PORT=0; the page is served there
    const page = await fetch(`http://127.0.0.1:${port}/chat/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('在线咨询');
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ telegram: 'disabled', slack: 'disabled', web: 'connected' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
