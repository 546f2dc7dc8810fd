import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appealRecordedText, appealText } from '../../../src/core/cases/appeals.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../../src/core/reports/annual/index.js';
import { listAudit } from '../../../src/storage/audit-repo.js';
import { createAnnualSource } from '../../../src/storage/annual-report-repo.js';
import { insertRegisterItems } from '../../../src/storage/registers-repo.js';
import { complaint, count, disclosureFixture, refusal } from './setup.js';

/**
 * A 行政复议 / 行政诉讼 against the answer to one disclosure request, recorded against the request's code: checked,
 * shown in the request's history, append-only (a later entry supersedes), and counted in the annual report's table 四
 * together with register entries (appeals about no single request). Runs on SQLite and, under test:pg, PostgreSQL.
 */
let fx: Awaited<ReturnType<typeof disclosureFixture>>;
afterEach(async () => fx?.close());

const templates = loadAnnualTemplates(join(process.cwd(), 'reports/annual'));
const draft = (year: number) =>
  draftAnnualReport({
    year, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2027-01-10T02:00:00Z'), serviceGuides: 0,
    source: createAnnualSource(fx.db), templates,
  });
const table4 = async (year: number) => (await draft(year)).report.table4;

describe('行政复议 / 行政诉讼 linked to a disclosure request', () => {
  it('is recorded against the closed request, shown in its history, and counted in table 四 with the registers', async () => {
    fx = await disclosureFixture(); // filed Tue 2026-02-10
    const code = fx.filed.code;
    expect(await refusal(fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-02-11' }, 'cli'))).toContain('还没有答复办结');
    await fx.desk.act(code, { kind: 'claim' }, 'cli');
    fx.at('2026-03-02T02:00:00Z');
    await fx.desk.act(code, { kind: 'close', note: '经检索，该信息不存在。', disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息' }, 'cli');

    fx.at('2026-04-20T02:00:00Z');
    expect(await refusal(fx.desk.recordAppeal(code, { category: '上访', filedOn: '2026-04-15' }, 'cli'))).toContain('“上访”不是');
    expect(await refusal(fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-04-21' }, 'cli'))).toContain('还没有到');
    expect(await refusal(fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-04-15', outcome: '维持' }, 'cli'))).toContain('审结日期');
    const { appeal } = await fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-04-15', caseRef: '溪政复〔2026〕3号', note: '区政府来函' }, 'cli');
    expect(appealText(appeal, 'zh')).toBe('行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结');
    const history = await fx.desk.history(code);
    expect(history.find((e) => e.id === appeal.eventId)).toMatchObject({ kind: 'appeal', actor: 'cli', note: '行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结；区政府来函' });
    expect((await listAudit(fx.db, { subject: code })).map((a) => a.action)).toContain('case.appeal');

    // Pending on 31 December... then decided: the latest entry counts.
    expect((await table4(2026)).reconsideration).toEqual([0, 0, 0, 1, 1]);
    fx.at('2026-06-20T02:00:00Z');
    await fx.desk.recordAppeal(code, { category: '行政复议', filedOn: '2026-04-15', outcome: '纠正', decidedOn: '2026-06-18' }, 'cli');
    expect(await fx.desk.appeals(code)).toHaveLength(2);
    // The register path stays: an appeal about no single request is entered there and counted too.
    await insertRegisterItems(fx.db, 'review', [
      { title: '某申请人诉区教育局主动公开案', category: '未经复议直接起诉', dateOn: '2026-05-01', outcome: '维持', endOn: '2026-09-01' },
    ], 'test', new Date('2026-11-20T02:00:00Z'));
    fx.at('2026-07-02T02:00:00Z');
    await fx.desk.recordAppeal(code, { category: '复议后起诉', filedOn: '2026-07-01' }, 'cli');
    const t = await table4(2026);
    expect(t.reconsideration).toEqual([0, 1, 0, 0, 1]);
    expect(t.directSuit).toEqual([1, 0, 0, 0, 1]);
    expect(t.suitAfterReview).toEqual([0, 0, 0, 1, 1]);
    expect((await table4(2025)).reconsideration).toEqual([0, 0, 0, 0, 0]);
    expect(await count(fx.db, 'disclosure_appeals')).toBe(3);
  });

  it('refuses a request that is not a disclosure request', async () => {
    fx = await disclosureFixture();
    const petition = await fx.desk.file(complaint({ type: 'petition' }));
    expect(await refusal(fx.desk.recordAppeal(petition.code, { category: '复议', filedOn: '2026-02-10' }, 'cli'))).toContain('不是政府信息公开申请');
  });

  it('one appeal entered in the register and linked to the request is counted once; the register refuses a new twin', async () => {
    fx = await disclosureFixture();
    const code = fx.filed.code;
    await fx.desk.act(code, { kind: 'claim' }, 'cli');
    fx.at('2026-03-02T02:00:00Z');
    await fx.desk.act(code, { kind: 'close', note: '予以公开。', disclosureResult: '（一）予以公开' }, 'cli');
    // Entered in the register first (as staff did before requests could carry appeals), without a 案号.
    const [registerId] = await insertRegisterItems(fx.db, 'review', [{ title: '王某申请公开学区划分依据复议案', category: '行政复议', dateOn: '2026-04-15' }], 'cli', new Date('2026-11-20T02:00:00Z'));
    // A 复议 of another kind the same day, and a 复议 with another 案号 the same day: other cases.
    await insertRegisterItems(fx.db, 'review', [
      { title: '李某诉区教育局案', category: '未经复议直接起诉', dateOn: '2026-04-15' },
      { title: '赵某申请公开招生计划复议案', category: '行政复议', ref: '溪政复〔2026〕9号', dateOn: '2026-04-15' },
    ], 'cli', new Date('2026-11-20T02:00:00Z'));
    fx.at('2026-04-20T02:00:00Z');
    const recorded = await fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-04-15', caseRef: '溪政复〔2026〕3号' }, 'cli');
    // Same kind, same 收到日期, the register entry has no 案号: the same case. Recorded, and staff are told.
    expect(recorded.sameInRegister.map((e) => e.id)).toEqual([registerId]);
    expect(appealRecordedText(recorded, 'zh')).toBe(
      `${code} 已记录行政复议/行政诉讼：行政复议（溪政复〔2026〕3号）：收到 2026-04-15；尚未审结\n` +
      `注意：行政复议/行政诉讼登记 #${registerId}「王某申请公开学区划分依据复议案」（行政复议，收到 2026-04-15）是同一案件，年度报告表四只按本申请的记录计一次。`,
    );
    const { report, warnings } = await draft(2026);
    expect(report.table4.reconsideration).toEqual([0, 0, 0, 2, 2]); // this request's 复议 and 赵某's (another 案号)
    expect(report.table4.directSuit).toEqual([0, 0, 0, 1, 1]);
    expect(warnings).toContain(`行政复议/行政诉讼登记 #${registerId}「王某申请公开学区划分依据复议案」（行政复议，收到 2026-04-15）与申请 ${code} 的行政复议（收到 2026-04-15）是同一案件，表四只按申请的记录计一次。`);

    // The register refuses an entry that is the request's appeal: the same 案号 (brackets written differently)…
    const before = await count(fx.db, 'register_items');
    await expect(insertRegisterItems(fx.db, 'review', [{ title: '复议案', category: '行政复议', ref: '溪政复[2026]3号', dateOn: '2026-04-16' }], 'cli', new Date('2026-11-20T02:00:00Z')))
      .rejects.toThrow(`「复议案」与政府信息公开申请 ${code} 已记录的行政复议（收到 2026-04-15，案号 溪政复〔2026〕3号）是同一案件`);
    // … or one naming the request's code; a CSV batch with such a row imports nothing.
    await expect(insertRegisterItems(fx.db, 'review', [
      { title: '孙某诉区教育局案', category: '复议后起诉', dateOn: '2026-05-01' },
      { title: `申请 ${code} 的复议`, category: '行政复议', dateOn: '2026-04-17' },
    ], 'cli', new Date('2026-11-20T02:00:00Z'))).rejects.toThrow(/^第 2 条：/);
    expect(await count(fx.db, 'register_items')).toBe(before);
    // The result recorded later on the request: still one 复议 of this request, now decided.
    fx.at('2026-06-20T02:00:00Z');
    await fx.desk.recordAppeal(code, { category: '复议', outcome: '维持', decidedOn: '2026-06-18' }, 'cli');
    expect((await table4(2026)).reconsideration).toEqual([1, 0, 0, 1, 2]);
    // A register row of another year with the request's 案号 (written before the register refused twins, here
    // directly): counted in neither year a second time; the 2027 report names it.
    await fx.db.run(
      `INSERT INTO register_items (kind, title, ref, category, date_on, count, created_by, created_at)
       VALUES ('review', '旧登记的复议案', '溪政复〔2026〕3号', '行政复议', '2027-01-05', 1, 'cli', '2027-01-06T00:00:00.000Z')`,
    );
    const next = await draft(2027);
    expect(next.report.table4.reconsideration).toEqual([0, 0, 0, 0, 0]);
    expect(next.warnings.join('\n')).toContain(`「旧登记的复议案」（行政复议，案号 溪政复〔2026〕3号，收到 2027-01-05）与申请 ${code} 的行政复议（收到 2026-04-15）是同一案件`);
  });

  it('a second appeal of the same kind received another day is a second appeal; a result names which one', async () => {
    fx = await disclosureFixture();
    const code = fx.filed.code;
    await fx.desk.act(code, { kind: 'claim' }, 'cli');
    fx.at('2026-03-02T02:00:00Z');
    await fx.desk.act(code, { kind: 'close', note: '予以公开。', disclosureResult: '（一）予以公开' }, 'cli');
    fx.at('2026-09-20T02:00:00Z');
    await fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-04-15' }, 'cli');
    await fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-09-01' }, 'cli');
    expect(await refusal(fx.desk.recordAppeal(code, { category: '复议', outcome: '维持', decidedOn: '2026-09-10' }, 'cli')))
      .toBe(`政府信息公开申请 ${code} 有多件行政复议（收到 2026-04-15、2026-09-01）：请用 收到= 写明是哪一件。`);
    const { updated } = await fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-09-01', outcome: '维持', decidedOn: '2026-09-10' }, 'cli');
    expect(updated).toBe(true);
    expect(await refusal(fx.desk.recordAppeal(code, { category: '复议', appealId: 999 }, 'cli'))).toContain('没有编号为 999');
    expect(await refusal(fx.desk.recordAppeal(code, { category: '复议', filedOn: '2026-04-15', decidedOn: '2026-09-10' }, 'cli')))
      .toBe('填写了审结日期 2026-09-10，请写明结果（维持、纠正或其他）；尚未审结的不填审结日期。');
    expect((await table4(2026)).reconsideration).toEqual([1, 0, 0, 1, 2]);
  });
});
