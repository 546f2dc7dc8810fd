/**
 * The annual 政府信息公开工作年度报告 in the national format (国办公开办函〔2021〕30号):
 * six sections, three tables, with the official labels kept verbatim as data.
 * Renderers (Markdown, HTML, DOCX) read these constants; nothing else spells a label.
 */

export const SECTION_HEADINGS = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
] as const;

/** Sub-items of 一、总体情况, in order, with the template file that holds each one's prose. */
export const OVERVIEW_ITEMS = [
  { template: 'overview-proactive', heading: '（一）主动公开' },
  { template: 'overview-on-request', heading: '（二）依申请公开' },
  { template: 'overview-management', heading: '（三）政府信息管理' },
  { template: 'overview-platform', heading: '（四）政府信息公开平台建设' },
  { template: 'overview-oversight', heading: '（五）监督保障' },
] as const;

/** Table 三 data columns, in order; the first six are the applicant types stored on a case. */
export const APPLICANT_TYPES = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];
export const TABLE3_COLUMNS = [...APPLICANT_TYPES, '总计'] as const;
export const TABLE3_HEADER_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

/** The leaf result rows of table 三: `key` is what a closed 政府信息公开申请 stores in cases.disclosure_result. */
export const RESULT_GROUPS = [
  { label: '（一）予以公开', leaves: [{ key: 'disclosed', label: '（一）予以公开' }] },
  {
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    leaves: [{ key: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' }],
  },
  {
    label: '（三）不予公开',
    leaves: [
      { key: 'withheld.state-secret', label: '1.属于国家秘密' },
      { key: 'withheld.prohibited', label: '2.其他法律行政法规禁止公开' },
      { key: 'withheld.security', label: '3.危及“三安全一稳定”' },
      { key: 'withheld.third-party', label: '4.保护第三方合法权益' },
      { key: 'withheld.internal', label: '5.属于三类内部事务信息' },
      { key: 'withheld.process', label: '6.属于四类过程性信息' },
      { key: 'withheld.enforcement', label: '7.属于行政执法案卷' },
      { key: 'withheld.inquiry', label: '8.属于行政查询事项' },
    ],
  },
  {
    label: '（四）无法提供',
    leaves: [
      { key: 'unavailable.not-held', label: '1.本机关不掌握相关政府信息' },
      { key: 'unavailable.needs-creation', label: '2.没有现成信息需要另行制作' },
      { key: 'unavailable.unclear', label: '3.补正后申请内容仍不明确' },
    ],
  },
  {
    label: '（五）不予处理',
    leaves: [
      { key: 'not-processed.petition', label: '1.信访举报投诉类申请' },
      { key: 'not-processed.duplicate', label: '2.重复申请' },
      { key: 'not-processed.publication', label: '3.要求提供公开出版物' },
      { key: 'not-processed.excessive', label: '4.无正当理由大量反复申请' },
      { key: 'not-processed.confirm', label: '5.要求行政机关确认或重新出具已获取信息' },
    ],
  },
  {
    label: '（六）其他处理',
    leaves: [
      {
        key: 'other.no-correction',
        label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      },
      {
        key: 'other.no-fee',
        label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      },
      { key: 'other.other', label: '3.其他' },
    ],
  },
] as const;

export type ResultKey = (typeof RESULT_GROUPS)[number]['leaves'][number]['key'];
export const RESULT_KEYS: readonly ResultKey[] = RESULT_GROUPS.flatMap((g) => g.leaves.map((l) => l.key));

/**
 * Accepts a leaf key or its exact label (a close modal may store either), also as "group/leaf"
 * (the form the Slack close modal and the case desk store); null when neither.
 */
export function resultKeyOf(value: string): ResultKey | null {
  const v = value.trim().replace('/', '');
  for (const group of RESULT_GROUPS)
    for (const leaf of group.leaves)
      if (leaf.key === v || leaf.label === v || (group.leaves.length > 1 && `${group.label}${leaf.label}` === v))
        return leaf.key;
  return null;
}

export const TABLE3_ROW_LABELS = {
  received: '一、本年新收政府信息公开申请数量',
  carriedIn: '二、上年结转政府信息公开申请数量',
  results: '三、本年度办理结果',
  resultTotal: '（七）总计',
  carriedOut: '四、结转下年度继续办理',
} as const;

/** Seven numbers per row, in TABLE3_COLUMNS order (the last is 总计). */
export type Row7 = number[];
export interface Table3 {
  received: Row7;
  carriedIn: Row7;
  results: Record<ResultKey, Row7>;
  resultTotal: Row7;
  carriedOut: Row7;
}

/** Table 二: 第二十条第（一）（五）（六）（八）项. Fee amounts are in 万元. */
export interface Table2 {
  rules: { issued: number; repealed: number; inForce: number }; // 规章
  normativeDocs: { issued: number; repealed: number; inForce: number }; // 行政规范性文件
  licenses: number; // 行政许可 本年处理决定数量
  penalties: number; // 行政处罚
  coercions: number; // 行政强制
  feesWan: number; // 行政事业性收费 本年收费金额（单位：万元）
}
export const TABLE2_LABELS = {
  item1: '第二十条第（一）项',
  item5: '第二十条第（五）项',
  item6: '第二十条第（六）项',
  item8: '第二十条第（八）项',
  content: '信息内容',
  issued: '本年制发件数',
  repealed: '本年废止件数',
  inForce: '现行有效件数',
  decisions: '本年处理决定数量',
  feeAmount: '本年收费金额（单位：万元）',
  rules: '规章',
  normativeDocs: '行政规范性文件',
  licenses: '行政许可',
  penalties: '行政处罚',
  coercions: '行政强制',
  fees: '行政事业性收费',
} as const;

/** Table 四: one group of five numbers each: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计. */
export const OUTCOME_COLUMNS = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'] as const;
export type Outcome5 = number[];
export interface Table4 {
  reconsideration: Outcome5; // 行政复议
  directSuit: Outcome5; // 行政诉讼 · 未经复议直接起诉
  suitAfterReview: Outcome5; // 行政诉讼 · 复议后起诉
}
export const TABLE4_LABELS = {
  reconsideration: '行政复议',
  litigation: '行政诉讼',
  directSuit: '未经复议直接起诉',
  suitAfterReview: '复议后起诉',
} as const;

/** A narrative block: an optional sub-heading and its paragraphs (already filled in). */
export interface NarrativeBlock {
  heading: string | null;
  paragraphs: string[];
}

/** Everything a renderer needs; built by `buildAnnualReport`, verified by `checkAnnualReport`. */
export interface AnnualReport {
  year: number;
  bureau: string;
  title: string;
  intro: string[];
  overview: NarrativeBlock[];
  table2: Table2;
  table3: Table3;
  table4: Table4;
  problems: string[];
  other: string[];
}

export const zeroRow = (n: number): number[] => Array.from({ length: n }, () => 0);

export function emptyTable3(): Table3 {
  const results = Object.fromEntries(RESULT_KEYS.map((k) => [k, zeroRow(7)])) as Record<ResultKey, Row7>;
  return { received: zeroRow(7), carriedIn: zeroRow(7), results, resultTotal: zeroRow(7), carriedOut: zeroRow(7) };
}
