import {
  OUTCOME_COLUMNS,
  RESULT_GROUPS,
  TABLE2_LABELS as L2,
  TABLE3_COLUMNS,
  TABLE3_HEADER_NOTE,
  TABLE3_ROW_LABELS as L3,
  TABLE4_LABELS as L4,
  type AnnualReport,
} from './model.js';

/**
 * The three tables as grids of cells with HTML-style spans (a cell covered by
 * another's span is simply absent), shared by the HTML and DOCX renderers so
 * the merged headers are described once.
 */
export interface GridCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
  header?: boolean;
  numeric?: boolean;
}
export interface Grid {
  columns: number;
  /** Relative column widths (they are scaled to the page); equal when absent. */
  widths?: number[];
  headerRows: number;
  rows: GridCell[][];
}

const h = (text: string, colSpan?: number, rowSpan?: number): GridCell => ({ text, colSpan, rowSpan, header: true });
const n = (value: number, colSpan?: number): GridCell => ({ text: String(value), colSpan, numeric: true });
const c = (text: string, colSpan?: number, rowSpan?: number): GridCell => ({ text, colSpan, rowSpan });

export function table2Grid(report: AnnualReport): Grid {
  const t = report.table2;
  const docs = (label: string, d: { issued: number; repealed: number; inForce: number }) => [
    c(label),
    n(d.issued),
    n(d.repealed),
    n(d.inForce),
  ];
  return {
    columns: 4,
    widths: [4, 3, 3, 3],
    headerRows: 0,
    rows: [
      [h(L2.item1, 4)],
      [h(L2.content), h(L2.issued), h(L2.repealed), h(L2.inForce)],
      docs(L2.rules, t.rules),
      docs(L2.normativeDocs, t.normativeDocs),
      [h(L2.item5, 4)],
      [h(L2.content), h(L2.decisions, 3)],
      [c(L2.licenses), n(t.licenses, 3)],
      [h(L2.item6, 4)],
      [h(L2.content), h(L2.decisions, 3)],
      [c(L2.penalties), n(t.penalties, 3)],
      [c(L2.coercions), n(t.coercions, 3)],
      [h(L2.item8, 4)],
      [h(L2.content), h(L2.feeAmount, 3)],
      [c(L2.fees), n(t.feesWan, 3)],
    ],
  };
}

export function table3Grid(report: AnnualReport): Grid {
  const t = report.table3;
  const nums = (row: number[]) => row.map((v) => n(v));
  const resultRowCount = RESULT_GROUPS.reduce((a, g) => a + g.leaves.length, 0) + 1;
  const rows: GridCell[][] = [
    [h(TABLE3_HEADER_NOTE, 3, 3), h('申请人情况', 7)],
    [h(TABLE3_COLUMNS[0], 1, 2), h('法人或其他组织', 5), h(TABLE3_COLUMNS[6], 1, 2)],
    TABLE3_COLUMNS.slice(1, 6).map((col) => h(col)),
    [c(L3.received, 3), ...nums(t.received)],
    [c(L3.carriedIn, 3), ...nums(t.carriedIn)],
  ];
  let first = true;
  for (const group of RESULT_GROUPS) {
    group.leaves.forEach((leaf, i) => {
      const lead = first ? [c(L3.results, 1, resultRowCount)] : [];
      first = false;
      const labels =
        group.leaves.length === 1
          ? [c(leaf.label, 2)]
          : i === 0
            ? [c(group.label, 1, group.leaves.length), c(leaf.label)]
            : [c(leaf.label)];
      rows.push([...lead, ...labels, ...nums(t.results[leaf.key])]);
    });
  }
  rows.push([c(L3.resultTotal, 2), ...nums(t.resultTotal)]);
  rows.push([c(L3.carriedOut, 3), ...nums(t.carriedOut)]);
  // label columns: group (三), sub-group (（三）…), leaf label; then seven narrow number columns
  return { columns: 10, widths: [7, 7, 30, 8, 8, 8, 8, 8, 8, 8], headerRows: 3, rows };
}

export function table4Grid(report: AnnualReport): Grid {
  const t = report.table4;
  const outcomes = () => OUTCOME_COLUMNS.map((o) => h(o));
  return {
    columns: 15,
    headerRows: 3,
    rows: [
      [h(L4.reconsideration, 5, 2), h(L4.litigation, 10)],
      [h(L4.directSuit, 5), h(L4.suitAfterReview, 5)],
      [...outcomes(), ...outcomes(), ...outcomes()],
      [...t.reconsideration, ...t.directSuit, ...t.suitAfterReview].map((v) => n(v)),
    ],
  };
}
