import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { runCliCaptured as cli } from '../helpers/cli.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
const packageDays = (kind: 'holidays' | 'workdays', year: number) => Object.keys(data[kind]).filter((d) => d.startsWith(`${year}-`)).sort();
const SHIPPED = 'rules/calendar-overrides.yaml';

function tempOverrides(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-cal-import-')), 'calendar-overrides.yaml');
  copyFileSync(SHIPPED, path);
  return path;
}

describe('cli: calendar import', () => {
  it('--dry-run --json on the 2025 and 2026 notices prints exactly the official rest and make-up days and writes nothing', async () => {
    const shipped = readFileSync(SHIPPED, 'utf8');
    for (const year of [2025, 2026]) {
      const { code, out } = await cli(['calendar', 'import', `tests/fixtures/holiday-notices/${year}.txt`, '--dry-run', '--json']);
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual({ year, holidays: packageDays('holidays', year), workdays: packageDays('workdays', year) });
    }
    expect(readFileSync(SHIPPED, 'utf8')).toBe(shipped);
  });

  it('writes the year into the override file with its source; deadlines into that year are then exact', async () => {
    const overrides = tempOverrides();
    // A made-up 2027 notice for the test (the real one is not out): 元旦 1–3 January, 春节 5–11 February.
    const notice = join(mkdtempSync(join(tmpdir(), 'civicdesk-notice-')), '2027.txt');
    const text = '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月5日（周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。\n';
    writeFileSync(notice, text);
    const before = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2027-01-20', '--overrides', overrides]);
    expect(before.out).toContain('Estimated: YES');
    const imported = await cli(['calendar', 'import', notice, '--overrides', overrides]);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('2027: 10 rest days in 2 blocks, 1 make-up working days (国务院办公厅关于2027年部分节假日安排的通知)');
    expect(imported.err).toBe(`Added 2027 in ${overrides}.\n`);
    const file = readFileSync(overrides, 'utf8');
    expect(file).toContain('# Local working-day calendar'); // the header comments survive
    expect(file).toContain('  "2027":\n    source: 国务院办公厅关于2027年部分节假日安排的通知\n    holidays:\n      - { date: "2027-01-01", name: 元旦 }\n');
    expect(file).toContain('    workdays:\n      - { date: "2027-02-20", name: 春节 }\n');
    const after = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2027-01-20', '--overrides', overrides]);
    expect(after.out).toContain('  counted   2027-02-20 Sat 春节 as working day #18\n');
    expect(after.out).toContain('Deadline:  2027-02-23 Tue\n');
    expect(after.out).toContain('Estimated: no (official calendar known up to 2027)');
    const again = await cli(['calendar', 'import', notice, '--overrides', overrides]);
    expect(again.err).toBe(`Replaced 2027 in ${overrides}.\n`);
    expect(readFileSync(overrides, 'utf8').match(/"2027":/g)).toHaveLength(1);
  });

  it('reads the notice from stdin with -, and keeps a day the notice fixes in the previous December with it', async () => {
    const overrides = tempOverrides();
    const stdin = new PassThrough();
    stdin.end(readFileSync('tests/fixtures/holiday-notices/2023.txt'));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await runCli(['calendar', 'import', '-', '--overrides', overrides], { stdin, stdout, stderr, env: {} });
    expect(code).toBe(0);
    expect(err).toContain('Kept with the 2023 notice, which fixes these days of December 2022 (deadlines count them): 2022-12-31');
    expect(readFileSync(overrides, 'utf8')).toContain('    holidays:\n      - { date: "2022-12-31", name: 元旦 }\n');
  });

  it('the real 2019 notice: its 2018-12-29 上班 is written under 2019 and counted, 2018 stays the package year', async () => {
    const overrides = tempOverrides();
    const imported = await cli(['calendar', 'import', 'tests/fixtures/holiday-notices/2019.txt', '--overrides', overrides]);
    expect(imported.code).toBe(0);
    expect(imported.err).toContain('Kept with the 2019 notice, which fixes these days of December 2018 (deadlines count them): 2018-12-29, 2018-12-30, 2018-12-31');
    const file = readFileSync(overrides, 'utf8');
    expect(file).toContain('    workdays:\n      - { date: "2018-12-29", name: 元旦 }\n');
    const explained = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2018-12-27', '--overrides', overrides]);
    expect(explained.out).toContain('  counted   2018-12-29 Sat 元旦 as working day #2\n');
    expect(explained.out).toContain('Estimated: no');
  });

  it('a 2027 notice that makes 2026-12-26 a working day moves a deadline received 2026-12-24 to the official 20th working day', async () => {
    const overrides = tempOverrides();
    const notice = join(mkdtempSync(join(tmpdir(), 'civicdesk-notice-')), '2027.txt');
    writeFileSync(notice, '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：2027年1月1日至3日放假，共3天。2026年12月26日（星期六）上班。\n');
    expect((await cli(['calendar', 'import', notice, '--overrides', overrides])).code).toBe(0);
    const explained = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2026-12-24', '--overrides', overrides]);
    expect(explained.out).toContain('  counted   2026-12-26 Sat 元旦 as working day #2\n');
    expect(explained.out).toContain('Deadline:  2027-01-21 Thu\n');
    expect(explained.out).toContain('Estimated: no (official calendar known up to 2027)');
  });

  it('refuses malformed text with the line and writes nothing', async () => {
    const overrides = tempOverrides();
    const before = readFileSync(overrides, 'utf8');
    const notice = join(mkdtempSync(join(tmpdir(), 'civicdesk-notice-')), 'bad.txt');
    writeFileSync(notice, '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共4天。\n');
    const { code, err } = await cli(['calendar', 'import', notice, '--overrides', overrides]);
    expect(code).toBe(1);
    expect(err).toBe('line 2: says 4 days but 2027-01-01 to 2027-01-03 is 3 days: 一、元旦：1月1日（周五）至3日（周日）放假，共4天。\n');
    expect(readFileSync(overrides, 'utf8')).toBe(before);
    const usage = await cli(['calendar', 'import']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('Give one notice file (or - for stdin).');
  });
});
