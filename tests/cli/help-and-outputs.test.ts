import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { openStore } from '../../src/storage/open-store.js';
import { CORPUS, writeKnowledge } from '../knowledge/fixtures.js';

async function run(argv: string[], env: Record<string, string> = {}, stdin = '') {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += String(c)));
  err.on('data', (c) => (stderr += String(c)));
  const code = await runCli(argv, { stdin: Readable.from([stdin]), stdout: out, stderr: err, env });
  return { code, stdout, stderr };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-help-'));
  env = { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: writeKnowledge(CORPUS) };
  const db = await openStore(env.DATABASE_PATH!);
  await db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--help on every command and subcommand', () => {
  const commands: [string[], RegExp][] = [
    [['report', 'monthly', '--help'], /report monthly --month YYYY-MM .*--format text\|json\|csv\|png.*--out FILE/],
    [['report', 'annual', '--help'], /report annual --year YYYY/],
    [['report', '--help'], /report monthly[\s\S]*report annual/],
    [['jobs', 'run', '--help'], /jobs run NAME .*--out DIR/],
    [['kb', 'search', '-h'], /kb search \[TEXT\]/],
    [['kb', 'gaps', '--help'], /kb gaps/],
    [['kb', 'stats', '--help'], /kb stats/],
    [['db', 'backup', '--help'], /db backup FILE/],
    [['deadline', 'explain', '--help'], /deadline explain --type TYPE/],
    [['disclosures', 'import', '--help'], /disclosures import FILE\.csv/],
    [['cases', 'export', '--help'], /cases export/],
    [['cases', 'rate', '--help'], /^Usage: npm run cli -- cases rate CODE --stars/],
    [['cases', 'add', '--help'], /^Usage: npm run cli -- cases add --type TYPE/],
    [['cases', 'review', '--help'], /^Usage: npm run cli -- cases review CODE --level/],
    [['cases', 'appeals', '--help'], /^Usage: npm run cli -- cases appeal CODE[\s\S]*cases appeals CODE/],
    [['registers', '--help'], /Usage/],
  ];
  it.each(commands)('%j prints its usage and exits 0', async (argv, expected) => {
    const { code, stdout, stderr } = await run(argv, env);
    expect(stderr).toBe('');
    expect(stdout).toMatch(expected);
    expect(code).toBe(0);
  });
});

describe('the command list', () => {
  it.each([[['--help']], [['-h']], [['help']], [[]]])('%j prints every command on stdout and exits 0', async (argv) => {
    const { code, stdout, stderr } = await run(argv, env);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: npm run cli -- <command> \.\.\.\n\nCommands:\n {2}kb [\s\S]*\n {2}registers /);
    expect(stdout).toContain('Every command and subcommand answers --help');
    expect(code).toBe(0);
  });

  it('an unknown command: says so on stderr with the list, exit 2', async () => {
    const { code, stdout, stderr } = await run(['kbb', 'search'], env);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Unknown command "kbb"\.\nUsage: npm run cli -- <command>/);
    expect(code).toBe(2);
  });
});

describe('kb search TEXT', () => {
  it('answers the text on the command line instead of waiting for stdin', async () => {
    const { code, stdout } = await run(['kb', 'search', '教资认定要交什么材料'], env, '私立学校摇号咋弄\n');
    expect(code).toBe(0);
    expect(stdout).toContain('> 教资认定要交什么材料\n【教师资格认定办事指南 · 申请材料】');
    expect(stdout).not.toContain('摇号');
  });
});

describe('monthly chart from the CLI', () => {
  it('report monthly --format png --out FILE writes the PNG and prints its path', async () => {
    const file = join(dir, 'charts', 'm.png');
    const { code, stdout } = await run(['report', 'monthly', '--month', '2026-10', '--format', 'png', '--out', file], env);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(file);
    expect(readFileSync(file).subarray(0, 8)).toEqual(PNG);
  });

  it('jobs run monthly-report --out DIR writes the chart into DIR and prints where', async () => {
    const out = join(dir, 'job-out');
    const { code, stdout } = await run(['jobs', 'run', 'monthly-report', '--at', '2026-11-01T09:00:00+08:00', '--out', out], env);
    expect(code).toBe(0);
    const path = join(out, 'monthly-2026-10.png');
    expect(stdout).toContain(`已写入文件 ${path}`);
    expect(readFileSync(path).subarray(0, 8)).toEqual(PNG);
  });

  it('jobs run --at without an offset is read in TIMEZONE, not the server zone (review 18b M6)', async () => {
    // 23:30 on 12-31 in Beijing: December is not over, so the monthly report is still November's.
    const { code, stdout } = await run(['jobs', 'run', 'monthly-report', '--dry-run', '--at', '2026-12-31T23:30'], { ...env, TIMEZONE: 'Asia/Shanghai' });
    expect(code).toBe(0);
    expect(stdout).toContain('月度报告 2026-11');
    expect(stdout).not.toContain('月度报告 2026-12');
  });

  it('jobs run --dry-run writes no file', async () => {
    const out = join(dir, 'dry-out');
    const { code, stdout } = await run(['jobs', 'run', 'monthly-report', '--dry-run', '--at', '2026-11-01T09:00:00+08:00', '--out', out], env);
    expect(code).toBe(0);
    expect(stdout).toContain('[文件：monthly-2026-10.png');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('jobs run prints the report for staff in English with STAFF_LOCALE=en', async () => {
    const { code, stdout } = await run(['jobs', 'run', 'monthly-report', '--dry-run', '--at', '2026-11-01T09:00:00+08:00'], { ...env, STAFF_LOCALE: 'en' });
    expect(code).toBe(0);
    expect(stdout).toContain('Monthly report 2026-10');
    expect(stdout).toContain('[file: monthly-2026-10.png — Cases and disclosures per month (last 12 months) 2026-10');
    expect(stdout).not.toContain('月度报告');
  });
});
