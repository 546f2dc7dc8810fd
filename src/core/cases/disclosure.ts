import { RESULT_GROUPS, resultKeyOf } from '../reports/annual/model.js';

/**
 * 政府信息公开申请 (《政府信息公开条例》) vocabulary of the case desk: the result
 * rows a request closes with (table 三 of the annual report, stored verbatim as
 * "group/leaf", the way the Slack close modal stores them) and the 第二十九条
 * intake fields. Values are the Chinese labels so a stored value reads as is.
 */

/** Every leaf row of table 三, as stored in cases.disclosure_result, in report order. */
export const DISCLOSURE_RESULT_VALUES: readonly string[] = RESULT_GROUPS.flatMap((group) =>
  group.leaves.map((leaf) => (group.leaves.length > 1 ? `${group.label}/${leaf.label}` : leaf.label)),
);

/** The stored form of a result given as a key ("disclosed"), a label or "group/leaf"; null when it is not a table 三 row. */
export function canonicalResult(value: string): string | null {
  const key = resultKeyOf(value);
  return key === null ? null : (DISCLOSURE_RESULT_VALUES.find((v) => resultKeyOf(v) === key) ?? null);
}

/** 第三十九条: a request that is in substance a 信访、投诉、举报 is not handled as a disclosure request. */
export const RESULT_PETITION_IN_DISGUISE = '（五）不予处理/1.信访举报投诉类申请';
const NOT_PROCESSED_GROUP = '（五）不予处理';
/** 第三十条: no 补正 without good reason: the request is deemed abandoned (table 三（六）1). */
export const RESULT_CORRECTION_ABANDONED = '（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请';

/** 第三十条: the request is still unclear after the applicant's 补正 (table 三（四）3). */
export const RESULT_STILL_UNCLEAR = '（四）无法提供/3.补正后申请内容仍不明确';

export const isNotProcessedResult = (value: string) => value.startsWith(`${NOT_PROCESSED_GROUP}/`);

/** The result in words fit for the applicant: "不予公开（属于国家秘密）", "予以公开". */
export function resultForApplicant(value: string): string {
  const [group = '', leaf] = value.split('/');
  const bare = (s: string) => s.replace(/^（[一二三四五六七]）|^\d+\./u, '').replace(/（区分处理的.*）$/u, '');
  return leaf ? `${bare(group)}（${bare(leaf)}）` : bare(group);
}

/** 第二十九条 applicant: 自然人, or a 法人或者其他组织 of one of the annual report's column types. */
export const ORGANISATION_TYPES = ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'] as const;
export const APPLICANT_TYPE_VALUES = ['自然人', ...ORGANISATION_TYPES] as const;
export type ApplicantTypeValue = (typeof APPLICANT_TYPE_VALUES)[number];

/** 第二十九条（三）形式要求: the form of the information and how it reaches the applicant. */
export const DELIVERY_FORMS = ['纸质', '电子'] as const;
export type DeliveryForm = (typeof DELIVERY_FORMS)[number];
export const DELIVERY_METHODS = ['邮寄', '自取', '电子邮件'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Ways that fit a form: paper is posted or collected, an electronic copy is e-mailed or collected (on a disc / USB). */
export const METHODS_FOR_FORM: Record<DeliveryForm, readonly DeliveryMethod[]> = {
  纸质: ['邮寄', '自取'],
  电子: ['电子邮件', '自取'],
};

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[A-Za-z]{2,24}$/u;
export const isEmail = (text: string) => EMAIL.test(text.trim());
