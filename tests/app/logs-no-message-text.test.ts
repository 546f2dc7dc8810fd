import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webChatPort } from '../helpers/listening-port.js';
import { testDatabaseEnv } from '../helpers/postgres.js';

/**
 * "Never log message text at info level", end to end: `npm start` in local mode at LOG_LEVEL=info, a parent
 * conversation through the console chat (a question, a complaint with a phone and an ID number, filing,
 * status, an erase) and through the web chat, then the log file is read: it has the process's info lines,
 * and none of the parent's words or numbers.
 */
const MARK = '枫杨溪畔';
const PHONE = '13987650417';
const ID = '21050220190830417X';
const LINES = [
  `请问${MARK}小学转学手续怎么办`,
  `我要投诉，${MARK}小学食堂多收伙食费，孩子身份证${ID}，我的电话${PHONE}`,
  '不留',
  '确认',
  `${MARK}的投诉办到哪一步了`,
  '删除我的数据',
  '1', // the console chat presses a button by its number: 确认删除
];

describe('the log at info level', () => {
  it('holds no message text, phone or ID number after a conversation on the console and the web chat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-logs-'));
    const logFile = join(dir, 'civicdesk.log');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        ...testDatabaseEnv,
        DATABASE_PATH: join(dir, 'local.db'),
        PORT: '0', // the OS picks the port; main prints the web chat's URL with it
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        LOG_FILE: logFile,
        WEB_CHAT_ENABLED: 'true',
        JOBS_ENABLED: 'false',
        TELEGRAM_BOT_TOKEN: '',
        SLACK_BOT_TOKEN: '',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await webChatPort(child, () => stderr);
      // The console chat reads one parent message per line; the web chat gets one over HTTP.
      child.stdin?.end(`${LINES.join('\n')}\n`);
      const res = await fetch(`http://127.0.0.1:${port}/chat/api/messages`, {
        method: 'POST',
        headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `${MARK}附近的学校怎么划片，电话${PHONE}` }),
      });
      expect(res.status).toBe(200);
      // The console printed the bot's answer to the erase: the whole conversation ran.
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.includes('已删除')) resolve();
          else if (child.exitCode !== null) reject(new Error(`main exited: ${stdout}\n${stderr}`));
        };
        check();
        child.stdout?.on('data', check);
        child.once('exit', check);
      });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(existsSync(logFile)).toBe(true);
    const log = readFileSync(logFile, 'utf8');
    const levels = log
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { level: number }).level);
    expect(levels.filter((l) => l === 30).length).toBeGreaterThan(0); // info lines were written
    for (const secret of [MARK, PHONE, PHONE.slice(3, 7), ID, ID.slice(6, 14), '伙食费', '转学手续'])
      expect(`${log}\n${stderr}`, `"${secret}" is in the log`).not.toContain(secret);
  }, 90_000);
});
