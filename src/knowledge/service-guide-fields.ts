import type { Section } from './schema.js';

/**
 * The standard fields of a 办事指南, from ../shared/reference/government-rules.md §5 (宝安区教育局,
 * 番禺 教师资格认定, 岱山县教育局 guides). Each field is present when a `##` heading names it (or a
 * synonym) or a body line says `NAME：…`, so both the sectioned and the one-sheet layout pass.
 * Checked: what a parent needs to act plus what the law fixes. Not checked (§5 lists them as well,
 * but many real guides leave them out): 基本编码, 服务对象, 办件类型, 数量限制, 结果名称/样本, 网上办理, 物流快递.
 */
export const SERVICE_GUIDE_FIELDS: readonly { field: string; synonyms: readonly string[] }[] = [
  { field: '事项类型', synonyms: ['事项类别'] },
  { field: '实施机构', synonyms: ['受理机构', '决定机构', '实施主体'] },
  { field: '设定依据', synonyms: ['法律依据', '办理依据', '政策依据'] },
  { field: '受理条件', synonyms: ['申请条件', '办理条件'] },
  { field: '申请材料', synonyms: ['所需材料', '申报材料'] },
  { field: '办理流程', synonyms: ['办理程序', '办事流程'] },
  { field: '法定办结时限', synonyms: ['法定时限', '法定期限'] },
  { field: '承诺办结时限', synonyms: ['承诺时限', '承诺期限'] },
  { field: '收费标准', synonyms: ['是否收费', '收费依据', '收费情况'] },
  { field: '办理地点', synonyms: ['受理地点', '办公地点'] },
  { field: '办理时间', synonyms: ['受理时间', '办公时间'] },
  { field: '咨询电话', synonyms: ['咨询方式'] },
  { field: '监督电话', synonyms: ['投诉电话', '监督投诉电话', '监督投诉方式'] },
];

/** The standard fields a service guide's sections do not give, in §5's order. */
export function missingServiceGuideFields(sections: readonly Section[]): string[] {
  const headings = sections.map((s) => s.heading ?? '');
  const lines = sections.flatMap((s) => s.text.split('\n')).map((l) => l.replace(/[*_`#>\s-]+/g, ''));
  return SERVICE_GUIDE_FIELDS.filter(({ field, synonyms }) => {
    const names = [field, ...synonyms];
    const inHeading = headings.some((h) => names.some((n) => h.includes(n)));
    const inLine = lines.some((l) => names.some((n) => new RegExp(`(^|[；;。，,|])${n}[：:|]`).test(l)));
    return !inHeading && !inLine;
  }).map((f) => f.field);
}
