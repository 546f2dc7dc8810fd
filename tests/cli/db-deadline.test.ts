import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/postgres.js';
import { runCliCaptured } from '../helpers/cli.js';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { openStore } from '../../src/storage/open-store.js';

const cli = runCliCaptured;

describe('cli: deadline explain', () => {
  it('explains a disclosure deadline across the Spring Festival', async () => {
    const { code, out } = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2026-02-10']);
    expect(code).toBe(0);
    expect(out).toContain('Type:      disclosure (政府信息公开申请), 20 working days (工作日), one extension of 20; clock starts when received\n');
    expect(out).toContain('  holiday   2026-02-23 Mon 春节\n');
    expect(out).toContain('Make-up working days (调休上班) counted: 2\n  counted   2026-02-14 Sat 春节 as working day #4\n');
    expect(out).toContain('Deadline:  2026-03-16 Mon\n');
  });

  it('a request received before 2019-05-15 is explained under the 2007 条例: 15 working days, one extension of 15', async () => {
    const { code, out } = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2018-03-01', '--extended']);
    expect(code).toBe(0);
    expect(out).toContain('Type:      disclosure (政府信息公开申请), 15 working days (工作日), one extension of 15; clock starts when received\n');
    expect(out).toContain('第二十四条');
    expect(out).toContain('(in force 2008-05-01 to 2019-05-14; applies to what was received by then)');
    expect(out).toContain('Deadline:  2018-04-13 Fri\n');
    const current = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2019-05-15']);
    expect(current.out).toContain('20 working days (工作日), one extension of 20');
    expect(current.out).toContain('Deadline:  2019-06-13 Thu\n');
  });

  it('explains a petition deadline moved off National Day, and with its extension', async () => {
    const moved = await cli(['deadline', 'explain', '--type', 'petition', '--from', '2026-08-03']);
    expect(moved.out).toContain('Raw end:   2026-10-02 Fri is a rest day; moved to the next working day (民法典 第二百零三条)\n');
    expect(moved.out).toContain('Deadline:  2026-10-08 Thu\n');
    const extended = await cli(['deadline', 'explain', '--type', 'petition', '--from', '2026-08-03', '--extended']);
    expect(extended.out).toContain('Counted:   90 calendar days (日) (60 + 30 extension)\n');
  });

  it('estimates a deadline in a year without a published schedule from the statutory holidays, and says so', async () => {
    // chinese-days 1.5.7 stops at 2026; an empty override file keeps 2027 unpublished here.
    const overrides = join(mkdtempSync(join(tmpdir(), 'civicdesk-cal-')), 'none.yaml');
    writeFileSync(overrides, 'years: {}\n');
    const { code, out } = await cli(['deadline', 'explain', '--type', 'disclosure', '--from', '2027-01-20', '--overrides', overrides]);
    expect(code).toBe(0);
    expect(out).toContain('  holiday   2027-02-05 Fri 春节 (estimated)\n');
    expect(out).toContain('  holiday   2027-02-08 Mon 春节 (estimated)\n');
    expect(out).toContain('Deadline:  2027-02-19 Fri\n');
    expect(out).toContain('Estimated: YES: 2027年放假安排尚未发布，按法定节假日估算，未计调休');
  });

  it('rejects a bad type or date with usage', async () => {
    const bad = await cli(['deadline', 'explain', '--type', 'rumour', '--from', '2026-02-10']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--type must be one of inquiry, complaint, suggestion, help, disclosure, petition (got "rumour").');
    const date = await cli(['deadline', 'explain', '--type', 'inquiry', '--from', '2026-02-30']);
    expect(date.code).toBe(1);
    expect(date.err).toBe('--from must be a date written YYYY-MM-DD, e.g. 2026-02-10 (got "2026-02-30")\n');
  });
});

describe('cli: db backup', () => {
  // SQLite's online backup into a file. On PostgreSQL `db backup` prints the pg_dump command instead
  // (tests/cli/db-copy.test.ts, which runs in the PostgreSQL run).
  it.skipIf(onPostgres)('copies the live database with the online backup and refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-backup-'));
    const env = { DATABASE_PATH: join(dir, 'live.db') };
    const db = await openStore(env.DATABASE_PATH);
    const desk = createCaseDesk({ db });
    const record = await desk.file({ type: 'suggestion', channel: 'console', chatId: 'console', text: '建议增加校车线路', actor: 'citizen' });

    const target = join(dir, 'backups', 'copy.db');
    const first = await cli(['db', 'backup', target], env);
    expect(first).toEqual({ code: 0, out: `Backed up ${env.DATABASE_PATH} to ${target}.\n`, err: '' });
    const copy = await openStore(target);
    expect((await createCaseDesk({ db: copy }).get(record.code))?.text).toBe('建议增加校车线路');
    await copy.close();

    const again = await cli(['db', 'backup', target], env);
    expect(again).toMatchObject({ code: 2, err: `${target} already exists; choose another name or pass --force to overwrite it.\n` });
    expect((await cli(['db', 'backup', target, '--force'], env)).code).toBe(0);
    expect(await db.all('SELECT actor, action, subject FROM audit_log WHERE action = ?', ['db.backup'])).toEqual([
      { actor: 'cli', action: 'db.backup', subject: target },
      { actor: 'cli', action: 'db.backup', subject: target },
    ]);
    await db.close();
  });
});
