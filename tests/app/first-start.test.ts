import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvFile } from '../../src/app/env-file.js';
import { projectPath } from '../../src/project-root.js';
import { onPostgres } from '../helpers/postgres.js';

/**
 * What a bureau's IT person meets on a first `npm start`: the settings in `.env` (copied from .env.example) are
 * read, and a web chat port another program holds stops the start with one line saying what to do.
 */
const tsx = import.meta.resolve('tsx');
const main = projectPath('src', 'main.ts');

function start(env: Record<string, string | undefined>, cwd = projectPath()) {
  return spawnSync(process.execPath, ['--import', tsx, main], {
    cwd,
    env: { ...process.env, TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '', JOBS_ENABLED: 'false', LOG_FILE: '', ...env },
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('loadEnvFile', () => {
  it('fills only the variables the environment leaves unset, in dotenv syntax; a missing file is no error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-envfile-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# comment\nPORT=4000\nDIGEST_CRON=30 8 * * *\nBUREAU_NAME="测试 教育局"\nLOG_LEVEL=debug\nSLACK_BOT_TOKEN=\n');
    const env: Record<string, string | undefined> = { LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: '' };
    expect(loadEnvFile(file, env).sort()).toEqual(['BUREAU_NAME', 'DIGEST_CRON', 'PORT']);
    expect(env).toEqual({ LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: '', PORT: '4000', DIGEST_CRON: '30 8 * * *', BUREAU_NAME: '测试 教育局' });
    expect(loadEnvFile(join(dir, 'none.env'), env)).toEqual([]);
  });
});

describe.skipIf(onPostgres)('npm start on a fresh machine', () => {
  let holder: Server;
  let heldPort = 0;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    heldPort = (holder.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('reads .env from the folder it starts in and says so; the environment wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-dotenv-'));
    writeFileSync(
      join(dir, '.env'),
      [`BUREAU_NAME=文件里的教育局`, `KNOWLEDGE_DIR=${projectPath('knowledge')}`, `INTENTS_DIR=${projectPath('intents')}`, `DATABASE_PATH=${join(dir, 'data', 'c.db')}`, 'CASE_PREFIX=AB', ''].join('\n'),
    );
    // The suite sets ENV_FILE empty to keep a developer's .env out of the other tests' children; this child must read one.
    const run = start({ ENV_FILE: undefined, CASE_PREFIX: 'CD', WEB_CHAT_ENABLED: 'false' }, dir);
    expect(run.stderr).toContain('Settings: 4 variables from .env (a variable set in the environment wins)');
    expect(run.stdout).toContain('文件里的教育局咨询助手');
    expect(run.status).toBe(0);
  });

  it('a web chat port already in use: exits 1 with one line naming PORT and what to do, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-port-'));
    const run = start({ DATABASE_PATH: join(dir, 'c.db'), PORT: String(heldPort), WEB_CHAT_ENABLED: 'true' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `PORT: port ${heldPort} is already in use (another CivicDesk still running, or another program): stop it, or start on a free port, e.g. PORT=3000 npm start.`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
