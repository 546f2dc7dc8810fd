import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appealText } from '../../../src/core/cases/appeals.js';
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
const table4 = async (year: number) =>
  (await draftAnnualReport({
    year, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2027-01-10T02:00:00Z'), serviceGuides: 0,
    source: createAnnualSource(fx.db), templates,
  })).report.table4;

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
    ], 'test');
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
});
