import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { draftAnnualReport, loadAnnualTemplates, renderAnnualReport } from '../src/core/reports/annual/index.js';
import { APPLICANT_TYPES, RESULT_KEYS } from '../src/core/reports/annual/model.js';
import { createAnnualSource } from '../src/storage/annual-report-repo.js';
import type { Db } from '../src/storage/db.js';
import { openStore } from '../src/storage/open-store.js';
import { insertRegisterItems } from '../src/storage/registers-repo.js';
import type { BenchModule } from './run.js';

/**
 * Bar (issue 7): the annual report for a year with 100,000 cases and 100,000
 * disclosures in ≤ 2 s (draft = queries + checks + templates, then each format).
 * Data is generated in SQL into bench/out/annual.db once and reused: cases spread
 * over 2025 (one in six a 政府信息公开申请 with a result and applicant type, one in
 * ten still open, some received in late 2024), disclosures over 2025.
 */
const OUT = 'bench/out';
const N = 100_000;
const YEAR = 2025;
const CHANNELS = `'telegram','minxin','phone','visit','letter','console'`;
const TYPES = `'inquiry','complaint','suggestion','help','disclosure','petition'`;
const quote = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');

function pick(list: string, expr: string): string {
  const items = list.split(',');
  return `CASE (${expr}) % ${items.length} ${items.map((v, i) => `WHEN ${i} THEN ${v}`).join(' ')} END`;
}

async function seed(db: Db): Promise<void> {
  const span = 375 * 86400; // 2024-12-27 … 2025-12-31
  await db.exec(`
    BEGIN;
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${N})
    INSERT INTO cases (code, type, channel, state, text, received_at, deadline_on, closed_at, replied_at, unreachable,
      disclosure_result, applicant_type, created_at, updated_at)
    SELECT 'A-' || i, ${pick(TYPES, 'i')}, ${pick(CHANNELS, 'i * 7')},
      CASE WHEN i % 10 = 0 THEN 'claimed' ELSE 'closed' END, '家长咨询 ' || i,
      strftime('%Y-%m-%dT%H:%M:%fZ', '2024-12-27', '+' || (i * ${span / N}) || ' seconds'),
      date('2024-12-27', '+' || (i * ${span / N} / 86400 + 20) || ' days'),
      CASE WHEN i % 10 = 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', '2024-12-27', '+' || (i * ${span / N} + (i % 25) * 86400) || ' seconds') END,
      NULL, CASE WHEN i % 97 = 0 THEN 1 ELSE 0 END,
      CASE WHEN i % 10 = 0 THEN NULL ELSE ${pick(quote(RESULT_KEYS), 'i / 6')} END, ${pick(quote(APPLICANT_TYPES), 'i / 5')},
      '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'
    FROM seq;
    INSERT INTO ratings (case_id, scale, value, label, declined, rated_at)
      SELECT id, 'minxin', CASE WHEN id % 13 = 0 THEN NULL ELSE 1 + id % 6 END,
        CASE WHEN id % 13 = 0 THEN '不参与评星' ELSE ${pick(`'一星级','二星级','三星级','四星级','五星级','六星级'`, 'id')} END,
        CASE WHEN id % 13 = 0 THEN 1 ELSE 0 END, closed_at
      FROM cases WHERE closed_at IS NOT NULL AND channel = 'minxin';
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${N})
    INSERT INTO disclosures (title, category, channel, published_on, created_by, created_at)
    SELECT '公开信息 ' || i, ${pick(`'重大新闻','校园快讯','招生政策','招生计划','规范性文件','其他'`, 'i')},
      ${pick(`'区政府信息公开平台','本溪市教育网'`, 'i / 3')}, date('2025-01-01', '+' || (i % 365) || ' days'), 'bench', '2025-01-01T00:00:00Z'
    FROM seq;
    COMMIT;
    ANALYZE;
  `);
  await insertRegisterItems(db, 'proposal', [{ category: '政协提案', title: '关于加强校园周边交通安全管理的提案', dateOn: '2025-06-28' }], 'bench', new Date('2026-11-20T02:00:00Z'));
}

const bench: BenchModule = {
  summary: `annual report, ${N.toLocaleString('en')} cases + ${N.toLocaleString('en')} disclosures in one year (bar ≤ 2 s)`,
  async run(print) {
    mkdirSync(OUT, { recursive: true });
    const path = join(OUT, 'annual.db');
    const fresh = !existsSync(path);
    const db = await openStore(path);
    try {
      if (fresh) {
        const t = performance.now();
        await seed(db);
        print(`(seeded ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
      }
      const templates = loadAnnualTemplates('reports/annual');
      const options = { year: YEAR, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2026-01-15T02:00:00Z'), serviceGuides: 5, source: createAnnualSource(db), templates };
      print('| step | ms (best of 3) | bar |');
      print('|---|---|---|');
      const best = async (fn: () => Promise<unknown>) => {
        let min = Infinity;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          await fn();
          min = Math.min(min, performance.now() - t);
        }
        return min;
      };
      const { report } = await draftAnnualReport(options);
      const draft = await best(() => draftAnnualReport(options));
      print(`| draft (queries, checks, templates) | ${draft.toFixed(0)} | |`);
      for (const format of ['md', 'html', 'docx'] as const) {
        const render = await best(() => renderAnnualReport(report, format));
        const total = await best(async () => renderAnnualReport((await draftAnnualReport(options)).report, format));
        print(`| ${format}: render / draft + render | ${render.toFixed(0)} / ${total.toFixed(0)} | ${total <= 2000 ? 'ok ≤ 2000' : 'OVER 2000'} |`);
      }
      print(`\n(table 三 总计: ${report.table3.received[6]} new, ${report.table3.carriedOut[6]} carried out; 群众诉求 ${report.overview[4]?.paragraphs[0]?.slice(0, 40)}…)`);
    } finally {
      await db.close();
    }
  },
};

export default bench;
