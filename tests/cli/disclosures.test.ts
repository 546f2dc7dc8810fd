import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
import { insertDisclosure, listDisclosures } from '../../src/storage/disclosures-repo.js';
import { openStore } from '../../src/storage/open-store.js';

const ADDED_AT = new Date('2026-08-20T02:00:00Z');

let dir: string;
let env: Record<string, string>;

const cli = (args: string[]) => runCliCaptured(args, env);

async function titles(): Promise<string[]> {
  const db = await openStore(env.DATABASE_PATH!);
  try {
    return (await listDisclosures(db)).map((d) => d.title);
  } finally {
    await db.close();
  }
}

function csvFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-disc-'));
  env = { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: join(dir, 'kb') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = `\uFEFFtitle,category,channel,published_on,url
2026年秋季学期招生公告,招生入学,政府网站,2026-08-20,https://www.xihu.gov.cn/zs/2026
义务教育学区划分说明,招生入学,微信公众号,2026-08-25,
2026年部门预算,财政预决算,政府网站,2026-03-10,https://www.xihu.gov.cn/ys/2026
`;

describe('cli: disclosures import', () => {
  it('imports valid rows (BOM header), then skips and counts duplicates by url or by title and date', async () => {
    const first = await cli(['disclosures', 'import', csvFile('a.csv', GOOD)]);
    expect(first.code).toBe(0);
    expect(first.out).toBe(`Imported 3 disclosure(s) from ${join(dir, 'a.csv')}; skipped 0 duplicate(s).\n`);
    const again = csvFile(
      'b.csv',
      `title,category,channel,published_on,url
招生公告（重发）,招生入学,政府网站,2026-08-21,https://www.xihu.gov.cn/zs/2026
义务教育学区划分说明,招生入学,政府网站,2026-08-25,
教师招聘公告,人事信息,政府网站,2026-09-01,
`,
    );
    const second = await cli(['disclosures', 'import', again]);
    expect(second.out).toBe(`Imported 1 disclosure(s) from ${again}; skipped 2 duplicate(s).\n`);
    expect(await titles()).toEqual(['2026年部门预算', '2026年秋季学期招生公告', '义务教育学区划分说明', '教师招聘公告']);
  });

  it('reports every bad row with its line number and imports nothing', async () => {
    const file = csvFile(
      'bad.csv',
      `title,category,channel,published_on,url
2026年秋季学期招生公告,招生入学,政府网站,2026-08-20,
,招生入学,政府网站,2026-08-21,
学区划分,招生入学,政府网站,2026-02-30,
预算公开,财政预决算,政府网站,03/10/2026,ftp://x
`,
    );
    const result = await cli(['disclosures', 'import', file]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `Nothing was imported: 4 problem(s):\n` +
        `  ${file}:3: title: is empty\n` +
        `  ${file}:4: published_on: is not a real date\n` +
        `  ${file}:5: published_on: must be a date such as 2026-03-05, 2026/3/5 or 2026年3月5日\n` +
        `  ${file}:5: url: must be an http(s) URL or empty\n`,
    );
    expect(await titles()).toEqual([]);
  });

  it('reads the dates and URL schemes Excel writes back after the file was opened and saved', async () => {
    const file = csvFile(
      'excel.csv',
      `title,category,channel,published_on,url
招生公告,招生入学,政府网站,2026/3/5,HTTP://WWW.XIHU.GOV.CN/a
学区划分说明,招生入学,政府网站,2026-3-6,
部门预算,财政预决算,政府网站,2026年3月7日,
部门决算,财政预决算,政府网站,46090,
教师招聘公告,人事信息,政府网站,2026/3/10 0:00,
`,
    );
    const result = await cli(['disclosures', 'import', file]);
    expect(result.err).toBe('');
    expect(result.out).toBe(`Imported 5 disclosure(s) from ${file}; skipped 0 duplicate(s).\n`);
    const db = await openStore(env.DATABASE_PATH!);
    try {
      const rows = (await listDisclosures(db)).map((d) => [d.title, d.publishedOn, d.url]);
      expect(rows).toEqual(
        expect.arrayContaining([
          ['招生公告', '2026-03-05', 'http://WWW.XIHU.GOV.CN/a'],
          ['学区划分说明', '2026-03-06', null],
          ['部门预算', '2026-03-07', null],
          ['部门决算', '2026-03-09', null],
          ['教师招聘公告', '2026-03-10', null],
        ]),
      );
      expect(rows).toHaveLength(5);
    } finally {
      await db.close();
    }
  });

  it('names missing columns', async () => {
    const result = await cli(['disclosures', 'import', csvFile('cols.csv', 'title,category\n公告,招生入学\n')]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(':1: missing column(s) channel, published_on; the header must be title,category,channel,published_on,url');
  });
});

describe('cli: disclosures export and cases export', () => {
  it('writes UTF-8 CSV with a BOM that round-trips through import', async () => {
    await cli(['disclosures', 'import', csvFile('a.csv', GOOD)]);
    const out = join(dir, 'out.csv');
    const result = await cli(['disclosures', 'export', '--out', out]);
    expect(result.code).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    // created_at in the bureau's time zone (named in the header); the item's id last, for `disclosures remove`.
    expect(lines[0]).toBe('title,category,channel,published_on,url,created_by,created_at (Asia/Shanghai),id');
    expect(lines[1]).toMatch(/^2026年部门预算,财政预决算,政府网站,2026-03-10,https:\/\/www\.xihu\.gov\.cn\/ys\/2026,cli,\d{4}-\d{2}-\d{2} \d{2}:\d{2},3$/);
    // Imported into another database, the export gives back the same register.
    env = { ...env, DATABASE_PATH: join(dir, 'copy.db') };
    expect((await cli(['disclosures', 'import', out])).out).toBe(`Imported 3 disclosure(s) from ${out}; skipped 0 duplicate(s).\n`);
    expect(await titles()).toEqual(['2026年部门预算', '2026年秋季学期招生公告', '义务教育学区划分说明']);
  });

  it('writes a title a spreadsheet would run as a formula as text, and reads it back without the apostrophe', async () => {
    const file = csvFile('f.csv', 'title,category,channel,published_on,url\n"=HYPERLINK(""http://evil.example"",""招生"")",招生入学,政府网站,2026-08-20,\n-2026年预算调整说明,财政预决算,政府网站,2026-08-21,\n');
    expect((await cli(['disclosures', 'import', file])).code).toBe(0);
    const out = join(dir, 'f-out.csv');
    await cli(['disclosures', 'export', '--out', out]);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""招生"")",招生入学`);
    expect(text).toContain(`'-2026年预算调整说明,财政预决算`);
    env = { ...env, DATABASE_PATH: join(dir, 'copy.db') };
    await cli(['disclosures', 'import', out]);
    expect(await titles()).toEqual(['=HYPERLINK("http://evil.example","招生")', '-2026年预算调整说明']);
  });

  it('removes a wrongly logged item by id with a reason kept in the audit log; a wrong id or no reason changes nothing', async () => {
    await cli(['disclosures', 'import', csvFile('a.csv', GOOD)]);
    const noReason = await cli(['disclosures', 'remove', '2']);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('disclosures remove needs --reason (kept in the audit log).');
    const unknown = await cli(['disclosures', 'remove', '99', '--reason', '重复登记']);
    expect(unknown.err).toContain('No logged publication has id 99; run `disclosures export` to see the ids.');
    expect(await titles()).toHaveLength(3);
    const removed = await cli(['disclosures', 'remove', '2', '--reason', '重复登记']);
    expect(removed.code).toBe(0);
    expect(removed.out).toBe('Removed disclosure 2: 义务教育学区划分说明 (2026-08-25, 招生入学).\n');
    expect(await titles()).toEqual(['2026年部门预算', '2026年秋季学期招生公告']);
    const db = await openStore(env.DATABASE_PATH!);
    try {
      const audit = await db.all<{ actor: string; action: string; subject: string; detail: string }>("SELECT actor, action, subject, detail FROM audit_log WHERE action = 'disclosure.remove'");
      expect(audit).toEqual([{ actor: 'cli', action: 'disclosure.remove', subject: '2', detail: JSON.stringify({ title: '义务教育学区划分说明', publishedOn: '2026-08-25', category: '招生入学', reason: '重复登记' }) }]);
    } finally {
      await db.close();
    }
  });

  it('exports one row per case with contacts masked', async () => {
    const db = await openStore(env.DATABASE_PATH!);
    await db.run(
      `INSERT INTO cases (code, type, channel, state, text, contact, citizen_name, received_at, created_at, updated_at)
       VALUES ('XH-2026-000001', 'complaint', 'minxin', 'received', '我的身份证号210502198801011234，电话13812345678', '13812345678', '王小明',
               '2026-11-02T01:00:00.000Z', '2026-11-02T01:00:00.000Z', '2026-11-02T01:00:00.000Z')`,
    );
    await db.close();
    const result = await cli(['cases', 'export', '--on', '2026-12-01']);
    expect(result.code).toBe(0);
    expect(result.out.startsWith('\uFEFFcode,type,channel,state,')).toBe(true);
    const row = result.out.split('\r\n')[1]!;
    expect(row).toBe('XH-2026-000001,complaint,minxin,received,2026-11-02 09:00,,,0,,,,0,,王**,138****5678,我的身份证号210502********1234，电话138****5678,,,0,,,,,,,,open');
    expect(result.out).not.toContain('13812345678');
  });
});

describe('cli: jobs', () => {
  it('jobs run daily-digest --dry-run on an empty database prints the one-line quiet digest', async () => {
    const result = await cli(['jobs', 'run', 'daily-digest', '--dry-run', '--at', '2026-11-30T08:30:00+08:00']); // before CALENDAR_WARN_FROM: no calendar line
    expect(result.code).toBe(0);
    // A Monday, and no digest posted yet: it covers from the previous working day (Friday) at its time of day.
    expect(result.out).toBe('📋 2026-11-30 每日摘要：2026-11-27 08:30 以来无新案件，无临近期限或逾期案件，2026-11-27 至 2026-11-29 无办结（在办 0 件）。\n');
  });

  it('report monthly --format csv prints a BOM CSV; a bad month is a usage error', async () => {
    const csv = await cli(['report', 'monthly', '--month', '2026-10', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.out.split('\r\n')[0]).toBe('\uFEFFsection,key,label,this_month,previous_month,same_month_last_year,year_to_date');
    const bad = await cli(['report', 'monthly', '--month', '2026-13']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--month must be YYYY-MM, e.g. 2026-10 (got "2026-13").');
  });
});

describe('insertDisclosure (Slack /disclose)', () => {
  it('returns the new id, or the existing id with duplicate: true for the same url or the same title and date', async () => {
    const db = await openStore(env.DATABASE_PATH!);
    try {
      const first = await insertDisclosure(db, { title: '2026年秋季学期招生公告', category: '招生入学', channel: '政府网站', publishedOn: '2026-08-20', url: 'https://www.xihu.gov.cn/zs/2026', createdBy: 'slack:U1' }, ADDED_AT);
      expect(first).toEqual({ id: 1, duplicate: false });
      expect(await insertDisclosure(db, { title: '另一个标题', category: '招生入学', channel: '微信公众号', publishedOn: '2026-08-21', url: 'https://www.xihu.gov.cn/zs/2026' }, ADDED_AT)).toEqual({ id: 1, duplicate: true });
      expect(await insertDisclosure(db, { title: '2026年秋季学期招生公告', category: '招生入学', channel: '微信公众号', publishedOn: '2026-08-20', url: null }, ADDED_AT)).toEqual({ id: 1, duplicate: true });
      expect(await insertDisclosure(db, { title: '2026年秋季学期招生公告', category: '招生入学', channel: '微信公众号', publishedOn: '2026-08-22' }, ADDED_AT)).toEqual({ id: 2, duplicate: false });
    } finally {
      await db.close();
    }
  });
});
