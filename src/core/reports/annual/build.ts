import { asOfMark, buildTemplateContext } from './context.js';
import type { AnnualFacts } from './facts.js';
import {
  APPLICANT_TYPES,
  OVERVIEW_ITEMS,
  RESULT_KEYS,
  emptyTable3,
  type AnnualReport,
  type ApplicantType,
  type Row7,
  type Table3,
  type Table4,
} from './model.js';
import { fillTemplate, type AnnualTemplates, type TemplateName } from './templates.js';
import { assertBalanced } from './checks.js';

/**
 * Facts + templates → the report model. Totals are computed here; the checks
 * then verify the finished tables, so a hand-edited or inconsistent input is
 * refused before anything is rendered.
 *
 * @example
 *   const report = buildAnnualReport(facts, loadAnnualTemplates('reports/annual'));
 *   await writeFile('2018.md', renderMarkdown(report));
 */
function addTo(row: Row7, applicant: ApplicantType, count: number): void {
  const i = APPLICANT_TYPES.indexOf(applicant);
  row[i] = (row[i] ?? 0) + count;
}

function withTotal(row: Row7): Row7 {
  const out = row.slice(0, 6);
  out[6] = out.reduce((a, b) => a + b, 0);
  return out;
}

export function buildTable3(q: AnnualFacts['requests']): Table3 {
  const t = emptyTable3();
  for (const c of q.received) addTo(t.received, c.key, c.count);
  for (const c of q.carriedIn) addTo(t.carriedIn, c.key, c.count);
  for (const c of q.carriedOut) addTo(t.carriedOut, c.key, c.count);
  for (const r of q.results) addTo(t.results[r.result], r.applicant, r.count);
  t.received = withTotal(t.received);
  t.carriedIn = withTotal(t.carriedIn);
  t.carriedOut = withTotal(t.carriedOut);
  for (const k of RESULT_KEYS) t.results[k] = withTotal(t.results[k]);
  t.resultTotal = t.received.map((_, i) => RESULT_KEYS.reduce((a, k) => a + (t.results[k][i] ?? 0), 0));
  return t;
}

export function buildTable4(r: AnnualFacts['registers']): Table4 {
  const five = (four: number[]) => [...four.slice(0, 4), four.slice(0, 4).reduce((a, b) => a + b, 0)];
  return {
    reconsideration: five(r.reconsideration),
    directSuit: five(r.directSuit),
    suitAfterReview: five(r.suitAfterReview),
  };
}

/** Builds the model and refuses (AppError 'report_unbalanced') when a balance check fails. */
export function buildAnnualReport(facts: AnnualFacts, templates: AnnualTemplates): AnnualReport {
  const ctx = buildTemplateContext(facts);
  const fill = (name: TemplateName) => fillTemplate(templates[name].file, templates[name].text, ctx);
  const r = facts.registers;
  const report: AnnualReport = {
    year: facts.year,
    bureau: facts.bureau,
    title: `${facts.bureau}${facts.year}年政府信息公开工作年度报告${asOfMark(facts.year, facts.asOf)}`,
    intro: fill('intro'),
    overview: OVERVIEW_ITEMS.map((item) => ({ heading: item.heading, paragraphs: fill(item.template) })),
    table2: {
      rules: r.rules,
      normativeDocs: r.normativeDocs,
      licenses: r.licenses,
      penalties: r.penalties,
      coercions: r.coercions,
      feesWan: Math.round((r.feesYuan / 10000) * 10000) / 10000,
    },
    table3: buildTable3(facts.requests),
    table4: buildTable4(r),
    problems: fill('problems'),
    other: fill('other'),
  };
  assertBalanced(report);
  return report;
}
