import { AppError } from '../../errors.js';
import {
  OUTCOME_COLUMNS,
  RESULT_GROUPS,
  RESULT_KEYS,
  TABLE3_COLUMNS,
  TABLE3_ROW_LABELS,
  TABLE4_LABELS,
  type AnnualReport,
  type Table3,
  type Table4,
} from './model.js';

/**
 * The arithmetic a published report must satisfy (government-rules.md §2.5).
 * Each failure names its check, where it is and the two numbers that differ,
 * so staff can find the bad figure without re-adding the table.
 */
export type CheckName = '收办平衡' | '横向总计' | '明细合计' | '表四总计';

export interface CheckFailure {
  check: CheckName;
  /** Column label (table 三) or group label (table 四). */
  column: string;
  /** Row label. */
  row: string;
  expected: number;
  actual: number;
  message: string;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const at = (row: number[], i: number) => row[i] ?? 0;

function leafLabel(key: string): string {
  for (const g of RESULT_GROUPS)
    for (const leaf of g.leaves) if (leaf.key === key) return g.leaves.length > 1 ? `${g.label}${leaf.label}` : leaf.label;
  return key;
}

/** 收办平衡: per column, 一 + 二 = 三（七）总计 + 四. */
export function checkReceiptBalance(t: Table3): CheckFailure[] {
  return TABLE3_COLUMNS.flatMap((column, i) => {
    const expected = at(t.received, i) + at(t.carriedIn, i);
    const actual = at(t.resultTotal, i) + at(t.carriedOut, i);
    if (expected === actual) return [];
    return [
      {
        check: '收办平衡' as const,
        column,
        row: `${TABLE3_ROW_LABELS.resultTotal} + ${TABLE3_ROW_LABELS.carriedOut}`,
        expected,
        actual,
        message: `收办平衡：表三“${column}”列 一（${at(t.received, i)}）+ 二（${at(t.carriedIn, i)}）= ${expected}，但 三（七）总计（${at(t.resultTotal, i)}）+ 四（${at(t.carriedOut, i)}）= ${actual}`,
      },
    ];
  });
}

function table3Rows(t: Table3): { label: string; row: number[] }[] {
  return [
    { label: TABLE3_ROW_LABELS.received, row: t.received },
    { label: TABLE3_ROW_LABELS.carriedIn, row: t.carriedIn },
    ...RESULT_KEYS.map((k) => ({ label: leafLabel(k), row: t.results[k] })),
    { label: TABLE3_ROW_LABELS.resultTotal, row: t.resultTotal },
    { label: TABLE3_ROW_LABELS.carriedOut, row: t.carriedOut },
  ];
}

/** 横向总计: per row, 总计 = the sum of the six applicant columns. */
export function checkRowTotals(t: Table3): CheckFailure[] {
  return table3Rows(t).flatMap(({ label, row }) => {
    const expected = sum(row.slice(0, 6));
    const actual = at(row, 6);
    if (expected === actual) return [];
    return [
      {
        check: '横向总计' as const,
        column: '总计',
        row: label,
        expected,
        actual,
        message: `横向总计：表三“${label}”行 六类申请人合计 ${expected}，但“总计”列为 ${actual}`,
      },
    ];
  });
}

/** 明细合计: per column, 三（七）总计 = the sum of every leaf result row. */
export function checkResultTotals(t: Table3): CheckFailure[] {
  return TABLE3_COLUMNS.flatMap((column, i) => {
    const expected = sum(RESULT_KEYS.map((k) => at(t.results[k], i)));
    const actual = at(t.resultTotal, i);
    if (expected === actual) return [];
    return [
      {
        check: '明细合计' as const,
        column,
        row: TABLE3_ROW_LABELS.resultTotal,
        expected,
        actual,
        message: `明细合计：表三“${column}”列 各项办理结果合计 ${expected}，但“（七）总计”为 ${actual}`,
      },
    ];
  });
}

/** 表四总计: each 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结. */
export function checkTable4Totals(t: Table4): CheckFailure[] {
  const groups = [
    { label: TABLE4_LABELS.reconsideration, row: t.reconsideration },
    { label: `${TABLE4_LABELS.litigation}·${TABLE4_LABELS.directSuit}`, row: t.directSuit },
    { label: `${TABLE4_LABELS.litigation}·${TABLE4_LABELS.suitAfterReview}`, row: t.suitAfterReview },
  ];
  return groups.flatMap(({ label, row }) => {
    const expected = sum(row.slice(0, 4));
    const actual = at(row, 4);
    if (expected === actual) return [];
    return [
      {
        check: '表四总计' as const,
        column: label,
        row: OUTCOME_COLUMNS[4],
        expected,
        actual,
        message: `表四总计：“${label}”四项结果合计 ${expected}，但“总计”为 ${actual}`,
      },
    ];
  });
}

/** Every check at once; an empty list means the report balances. */
export function checkAnnualReport(report: Pick<AnnualReport, 'table3' | 'table4'>): CheckFailure[] {
  return [
    ...checkReceiptBalance(report.table3),
    ...checkRowTotals(report.table3),
    ...checkResultTotals(report.table3),
    ...checkTable4Totals(report.table4),
  ];
}

/** Refuses (AppError 'report_unbalanced') with every failing check listed, one per line. */
export function assertBalanced(report: Pick<AnnualReport, 'year' | 'table3' | 'table4'>): void {
  const failures = checkAnnualReport(report);
  if (failures.length === 0) return;
  throw new AppError(
    'report_unbalanced',
    `${report.year}年度报告数据不平衡，未生成报告。请核对以下 ${failures.length} 处：\n  ${failures.map((f) => f.message).join('\n  ')}`,
    { details: failures },
  );
}
