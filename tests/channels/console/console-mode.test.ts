import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsole as runConsoleChannel } from '../../../src/channels/console/console-channel.js';
import { silentLogger } from '../../../src/logger.js';
import { makeEngine, tempDbPath } from '../../core/engine/harness.js';
import { testDatabaseEnv } from '../../helpers/postgres.js';

/** `printf '…' | npm start` in a real child process with a real database in a temp dir. */
function start(input: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'console-mode-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, ...testDatabaseEnv, DATABASE_PATH: join(dir, 'civicdesk.db'), JOBS_ENABLED: 'false', ...env },
  });
  return { ...run, dir };
}

// Each case starts the real bot in a child process (tsx, SQLite): slow on a busy 2-core machine.
describe('console mode (issue 15, item 9)', { timeout: 90_000 }, () => {
  it('answers a farewell as a farewell and an emoji-only message with a short help, not a case offer', () => {
    const run = start('再见\n谢谢，拜拜\n😀👍🙏\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('您：再见\n助手：再见！祝您和孩子一切顺利');
    expect(run.stdout).toContain('您：谢谢，拜拜\n助手：再见！');
    expect(run.stdout).not.toContain('不客气');
    const emoji = run.stdout.slice(run.stdout.indexOf('您：😀👍🙏'));
    expect(emoji).toContain('我没看懂这条消息。请直接用文字提问');
    expect(emoji).not.toMatch(/咨询件|提交|登记/);
  });

  it('keeps info logs out of the terminal: they go to a file next to the database', () => {
    const run = start('你好\n', { LOG_LEVEL: 'info' });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/INFO|"level":30/);
    expect(run.stdout).not.toMatch(/"level":|INFO/);
    const log = join(run.dir, 'civicdesk.log');
    expect(existsSync(log)).toBe(true);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.some((l) => l.level === 30)).toBe(true);
  });

  it('piped runs honour LOG_FORMAT=pretty', () => {
    const script = "import { createLogger } from './src/logger.ts'; createLogger({ level: 'info', format: 'pretty' }).info({ n: 1 }, 'pretty please');";
    const pretty = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(pretty.stderr).toContain('INFO');
    expect(pretty.stderr).toContain('pretty please');
    expect(pretty.stderr).not.toMatch(/^\{"level"/m);
    const json = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script.replace("'pretty' }", "'json' }")], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(JSON.parse(json.stderr.trim())).toMatchObject({ level: 30, msg: 'pretty please' });
  });

  it('shows the 您： prompt on a terminal while waiting for a line', async () => {
    const { engine, cases, db } = await makeEngine(tempDbPath());
    const output = new PassThrough();
    let out = '';
    output.on('data', (c) => (out += String(c)));
    await runConsoleChannel({
      engine,
      cases,
      db,
      logger: silentLogger(),
      locale: 'zh',
      bureau: '本溪市溪湖区教育局',
      input: Readable.from(['你好\n']),
      output,
      staffDesk: true,
      echo: false,
      prompt: true,
    });
    const afterIntro = out.slice(out.indexOf('\n') + 1);
    expect(afterIntro.startsWith('您：')).toBe(true); // before the first line is typed
    expect(out.trimEnd().endsWith('您：')).toBe(true); // and again after the answer
    await db.close();
  });
});
