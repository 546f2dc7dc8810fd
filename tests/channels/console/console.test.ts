import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/storage/open-store.js';
import { testDatabaseEnv } from '../../helpers/postgres.js';

/** `printf '…' | npm start` in a real child process with a real database in a temp dir. */
function runConsole(input: string, dbPath: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, ...testDatabaseEnv, DATABASE_PATH: dbPath, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false' },
  });
}

describe('console channel (piped stdin)', { timeout: 90_000 }, () => {
  it('answers every line, files a case, lets staff act, and exits 0 at end of input', () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'console-')), 'civicdesk.db');
    const first = runConsole(
      '你好\n娃8月30号生的能上一年级吗\n我要投诉彩屯小学乱收费，每人多收200元资料费\n1\n1\n' +
        '/case claim XH-2026-000001\n/case reply XH-2026-000001 已责成学校退还资料费\n查询 XH-2026-000001\n',
      dbPath,
    );
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('您：你好\n助手：您好！这里是本溪市溪湖区教育局咨询助手');
    expect(first.stdout).toContain('【小学一年级入学年龄要求');
    expect(first.stdout).toContain('[1] 有帮助   [2] 没帮助');
    expect(first.stdout).toMatch(/助手：已登记，编号 XH-2026-000001（投诉）。/);
    expect(first.stdout).toMatch(/\[工作人员频道\] 新诉求 XH-2026-000001（投诉，控制台）/);
    expect(first.stderr).toContain('TELEGRAM_BOT_TOKEN');
    expect(first.stdout).toContain('XH-2026-000001：办理中');
    expect(first.stdout).toContain('最新答复：已责成学校退还资料费');
  });

  it('prints nothing but the chat on stdout and keeps the database consistent', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'console-')), 'civicdesk.db');
    const run = runConsole('转人工\n孩子8月31号出生\n', dbPath);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/"level":/);
    const db = await openStore(dbPath);
    expect(await db.get("SELECT COUNT(*) AS n FROM case_events WHERE kind = 'followup'")).toEqual({ n: 1 });
    expect(await db.get("SELECT COUNT(*) AS n FROM outbox WHERE target IN ('console', 'staff') AND state = 'pending'")).toEqual({ n: 0 });
    await db.close();
  });
});
