import { assertBalanced } from './checks.js';
import {
  OUTCOME_COLUMNS,
  RESULT_GROUPS,
  SECTION_HEADINGS,
  TABLE2_LABELS as L2,
  TABLE3_COLUMNS,
  TABLE3_HEADER_NOTE,
  TABLE3_ROW_LABELS as L3,
  TABLE4_LABELS as L4,
  type AnnualReport,
} from './model.js';

/**
 * Markdown for review and diffing. Markdown tables cannot merge cells, so the
 * merged headers are folded into the labels (e.g. "法人或其他组织·商业企业",
 * "（三）不予公开·1.属于国家秘密"). Refuses an unbalanced report.
 */
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const rule = (n: number) => row(Array.from({ length: n }, () => '---'));

function table2(r: AnnualReport): string {
  const t = r.table2;
  return [
    row([L2.content, L2.issued, L2.repealed, L2.inForce]),
    rule(4),
    row([`${L2.item1}·${L2.rules}`, t.rules.issued, t.rules.repealed, t.rules.inForce]),
    row([`${L2.item1}·${L2.normativeDocs}`, t.normativeDocs.issued, t.normativeDocs.repealed, t.normativeDocs.inForce]),
    '',
    row([L2.content, L2.decisions]),
    rule(2),
    row([`${L2.item5}·${L2.licenses}`, t.licenses]),
    row([`${L2.item6}·${L2.penalties}`, t.penalties]),
    row([`${L2.item6}·${L2.coercions}`, t.coercions]),
    '',
    row([L2.content, L2.feeAmount]),
    rule(2),
    row([`${L2.item8}·${L2.fees}`, t.feesWan]),
  ].join('\n');
}

function table3(r: AnnualReport): string {
  const t = r.table3;
  const header = TABLE3_COLUMNS.map((c, i) => (i >= 1 && i <= 5 ? `法人或其他组织·${c}` : c));
  const lines = [
    row([TABLE3_HEADER_NOTE, ...header]),
    rule(8),
    row([L3.received, ...t.received]),
    row([L3.carriedIn, ...t.carriedIn]),
  ];
  for (const g of RESULT_GROUPS)
    for (const leaf of g.leaves) {
      const label = g.leaves.length === 1 ? leaf.label : `${g.label}·${leaf.label}`;
      lines.push(row([`${L3.results}·${label}`, ...t.results[leaf.key]]));
    }
  lines.push(row([`${L3.results}·${L3.resultTotal}`, ...t.resultTotal]));
  lines.push(row([L3.carriedOut, ...t.carriedOut]));
  return lines.join('\n');
}

function table4(r: AnnualReport): string {
  const t = r.table4;
  const groups = [
    [L4.reconsideration, t.reconsideration],
    [`${L4.litigation}·${L4.directSuit}`, t.directSuit],
    [`${L4.litigation}·${L4.suitAfterReview}`, t.suitAfterReview],
  ] as const;
  return [row(['', ...OUTCOME_COLUMNS]), rule(6), ...groups.map(([label, v]) => row([label, ...v]))].join('\n');
}

export function renderMarkdown(report: AnnualReport): string {
  assertBalanced(report);
  const [s1, s2, s3, s4, s5, s6] = SECTION_HEADINGS;
  const paras = (ps: string[]) => ps.join('\n\n');
  const overview = report.overview.map((b) => `${b.heading ? `### ${b.heading}\n\n` : ''}${paras(b.paragraphs)}`);
  return [
    `# ${report.title}`,
    paras(report.intro),
    `## ${s1}`,
    ...overview,
    `## ${s2}`,
    table2(report),
    `## ${s3}`,
    table3(report),
    `## ${s4}`,
    table4(report),
    `## ${s5}`,
    paras(report.problems),
    `## ${s6}`,
    paras(report.other),
  ]
    .filter((s) => s !== '')
    .join('\n\n')
    .concat('\n');
}
