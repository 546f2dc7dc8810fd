import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listAudit } from '../../src/storage/audit-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured } from '../helpers/cli.js';

/**
 * Review 18b, B13: the annual report's registers took the same 提案 twice (published as "提案2件"), a fee dated 2062,
 * and had no way to take a wrong item out; nothing was audited. Now: a duplicate is refused by add and skipped (counted)
 * by import, a date after today is refused, `registers remove KIND ID --reason` takes an item out, and every add,
 * import and removal leaves an audit row. Clock: Mon 2026-12-07 10:00 Beijing.
 */
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-07T02:00:00Z') });
});
afterAll(() => {
  vi.useRealTimers();
});

const workspace = () => {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-registers-'));
  return { dir, env: { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: 'knowledge', LOG_LEVEL: 'silent' } };
};
const PROPOSAL = ['--category', '政协提案', '--title', '关于加强校园安全的提案', '--handled-on', '2026-06-10'];

describe('registers: duplicates, future dates, removal, audit', () => {
  it('refuses the same item twice and says which one it is; the report counts it once', async () => {
    const { env } = workspace();
    const first = await runCliCaptured(['registers', 'add', 'proposal', ...PROPOSAL], env);
    expect(first.out).toBe('建议提案 #1：关于加强校园安全的提案（2026-06-10）已登记\n');
    const again = await runCliCaptured(['registers', 'add', 'proposal', ...PROPOSAL], env);
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('「关于加强校园安全的提案」（2026-06-10）已登记为 #1，未重复登记。如需更正，请先删除原条目：`registers remove proposal 1 --reason 原因`');
    const report = await runCliCaptured(['report', 'annual', '--year', '2026', '--format', 'md'], env);
    expect(report.out).toContain('本年度共办理政协委员提案1件（《关于加强校园安全的提案》）');
  });

  it('prints its lines for staff in English with STAFF_LOCALE=en (the register names stay the legal ones)', async () => {
    const { env } = workspace();
    const en = { ...env, STAFF_LOCALE: 'en' };
    expect((await runCliCaptured(['registers', 'list', 'proposal'], en)).out).toBe('(建议提案: nothing recorded)\n');
    expect((await runCliCaptured(['registers', 'add', 'proposal', ...PROPOSAL], en)).out).toBe('建议提案 #1 recorded: 关于加强校园安全的提案 (2026-06-10)\n');
    expect((await runCliCaptured(['registers', 'remove', 'proposal', '2', '--reason', 'typo'], en)).err).toContain('建议提案 has no #2; see `registers list proposal` for the numbers.');
    expect((await runCliCaptured(['registers', 'remove', 'proposal', '1', '--reason', 'typo'], en)).out).toBe('建议提案 #1 removed: 关于加强校园安全的提案 (2026-06-10); reason: typo\n');
    expect((await runCliCaptured(['registers', 'list', 'proposal'], env)).out).toBe('（建议提案：无记录）\n');
  });

  it('words the duplicate and validation refusals in English with STAFF_LOCALE=en, in Chinese by default', async () => {
    const { dir, env } = workspace();
    const en = { ...env, STAFF_LOCALE: 'en' };
    await runCliCaptured(['registers', 'add', 'proposal', ...PROPOSAL], en);
    expect((await runCliCaptured(['registers', 'add', 'proposal', ...PROPOSAL], en)).err).toContain(
      '"关于加强校园安全的提案" (2026-06-10) is already recorded as #1; not recorded twice. To correct it, remove that entry first: `registers remove proposal 1 --reason REASON`',
    );
    const future = ['registers', 'add', 'fee', '--title', '考试费', '--collected-on', '2062-06-10', '--amount-yuan', 'abc'];
    const enFuture = (await runCliCaptured(future, en)).err;
    expect(enFuture).toContain('--collected-on: must not be after today (2026-12-07)');
    expect(enFuture).toContain('--amount-yuan: must be an amount in 元 (yuan) of 0 or more');
    const zhFuture = (await runCliCaptured(future, env)).err;
    expect(zhFuture).toContain('--collected-on: 不能晚于今天（2026-12-07）');
    expect(zhFuture).toContain('--amount-yuan: 须为 0 或以上的金额（元）');
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'category,title,handledOn\n政协提案,,2026-06-31\n');
    const enImport = (await runCliCaptured(['registers', 'import', 'proposal', csv], en)).err;
    expect(enImport).toContain('Nothing imported; fix these rows and import again:');
    expect(enImport).toContain(`${csv}:2: title: is required`);
    expect(enImport).toContain(`${csv}:2: handledOn: must be a date YYYY-MM-DD, e.g. 2018-06-30`);
    const zhImport = (await runCliCaptured(['registers', 'import', 'proposal', csv], env)).err;
    expect(zhImport).toContain('未导入任何条目；请修改以下各行后重新导入：');
    expect(zhImport).toContain(`${csv}:2: title: 必填`);
    expect(zhImport).toContain(`${csv}:2: handledOn: 须为日期 YYYY-MM-DD，如 2018-06-30`);
  });

  it('refuses a date after today (in the bureau’s time zone)', async () => {
    const { env } = workspace();
    const future = await runCliCaptured(['registers', 'add', 'fee', '--title', '考试费', '--collected-on', '2062-06-10', '--amount-yuan', '5000000'], env);
    expect(future.code).not.toBe(0);
    expect(future.err).toContain('--collected-on: 不能晚于今天（2026-12-07）');
    expect((await runCliCaptured(['registers', 'list', 'fee'], env)).out).toBe('（行政事业性收费：无记录）\n');
  });

  it('an import skips and counts items already registered (also twice in the file)', async () => {
    const { dir, env } = workspace();
    await runCliCaptured(['registers', 'add', 'proposal', ...PROPOSAL], env);
    const csv = join(dir, 'p.csv');
    writeFileSync(csv, 'category,title,handledOn\n政协提案,关于加强校园安全的提案,2026-06-10\n人大建议,关于增加学位的建议,2026-07-01\n人大建议,关于增加学位的建议,2026-07-01\n');
    const imported = await runCliCaptured(['registers', 'import', 'proposal', csv], env);
    expect(imported.out).toBe('建议提案：已导入 1 条，跳过已登记的重复条目 2 条（同名称、文号和日期）\n');
  });

  it('remove takes a wrong item out with the reason; every add and removal is audited', async () => {
    const { env } = workspace();
    await runCliCaptured(['registers', 'add', 'proposal', ...PROPOSAL], env);
    expect((await runCliCaptured(['registers', 'remove', 'proposal', '1'], env)).err).toContain('registers remove needs --reason');
    const removed = await runCliCaptured(['registers', 'remove', 'proposal', '1', '--reason', '日期录错，重新登记'], env);
    expect(removed.out).toBe('建议提案 #1：关于加强校园安全的提案（2026-06-10）已删除（原因：日期录错，重新登记）\n');
    expect((await runCliCaptured(['registers', 'remove', 'proposal', '1', '--reason', 'x'], env)).err).toContain('建议提案中没有 #1');
    expect((await runCliCaptured(['registers', 'list', 'proposal'], env)).out).toBe('（建议提案：无记录）\n');
    const db = await openStore(env.DATABASE_PATH);
    const audit = await listAudit(db, {});
    expect(audit.map((a) => [a.actor, a.action, a.subject])).toEqual(
      expect.arrayContaining([
        ['cli', 'register.add', 'proposal#1'],
        ['cli', 'register.remove', 'proposal#1'],
      ]),
    );
    expect(JSON.stringify(audit.find((a) => a.action === 'register.remove')?.detail)).toContain('日期录错，重新登记');
    await db.close();
  });
});
