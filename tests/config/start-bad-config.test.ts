import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';

/**
 * `npm start` with bad environment values as operators set them: each bad variable is one line naming it and
 * what is accepted, the process exits 1, and no stack trace is printed.
 */
const start = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: '', DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'civicdesk-cfg-')), 'c.db'), TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '', LOG_FILE: '', ...env },
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('npm start with bad environment values', () => {
  it('names each bad variable on its own line and exits 1 without a stack trace', () => {
    const run = start({ PORT: '0x10', TIMEZONE: 'UTC+8', OFFICE_HOURS: '8:30-17:00', RETENTION_MESSAGE_DAYS: '90天', TELEGRAM_API_ROOT: 'localhost:8081', WEB_CHAT_ENABLED: 'yes' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'PORT: must be an integer from 0 to 65535 (got "0x10")',
        'TIMEZONE: must be an IANA time zone such as Asia/Shanghai (got "UTC+8")',
        'OFFICE_HOURS: must be HH:MM-HH:MM, e.g. 08:30-17:00 (got "8:30-17:00")',
        'RETENTION_MESSAGE_DAYS: must be an integer from 1 to 3650 (got "90天")',
        'TELEGRAM_API_ROOT: must be an http(s) URL such as https://example.org/path (got "localhost:8081")',
        'WEB_CHAT_ENABLED: must be one of auto, true, false (got "yes")',
      ]),
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a token pasted with quotes around it without showing it, and exits 1', () => {
    const run = start({ TELEGRAM_BOT_TOKEN: '"123456789:AAHsecretpart"' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('TELEGRAM_BOT_TOKEN: remove the quotes around the value (got a value of 25 characters, not shown)');
    expect(run.stderr).not.toContain('AAHsecretpart');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('PostgreSQL refusing connections at start: one line with the redacted URL and what to do, exit 1', async () => {
    const port = await freePort();
    const run = start({ DATABASE_URL: `postgres://civicdesk:hunter2@127.0.0.1:${port}/civicdesk` });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `Cannot open database postgres://civicdesk:***@127.0.0.1:${port}/civicdesk: connect ECONNREFUSED 127.0.0.1:${port}. ` +
        'Is the PostgreSQL server running and reachable at that host and port? Start it (the service restarts CivicDesk after it), or correct the host and port in DATABASE_URL.',
    );
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
