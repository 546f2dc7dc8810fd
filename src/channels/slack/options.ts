/**
 * Fixed choice lists of the staff modals. Values are the verbatim labels the
 * reports use, so a stored value reads the same in the annual report.
 */

/** Applicant types: the data columns of the annual report's table 三 (without 总计). */
export const APPLICANT_TYPES = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'] as const;

/**
 * Leaf result rows of table 三 (government-rules.md §2.3). A closed request sits
 * in exactly one. `group` is the merged label beside numbered sub-rows.
 */
export const DISCLOSURE_RESULTS = [
  { group: null, row: '（一）予以公开' },
  { group: null, row: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' },
  { group: '（三）不予公开', row: '1.属于国家秘密' },
  { group: '（三）不予公开', row: '2.其他法律行政法规禁止公开' },
  { group: '（三）不予公开', row: '3.危及“三安全一稳定”' },
  { group: '（三）不予公开', row: '4.保护第三方合法权益' },
  { group: '（三）不予公开', row: '5.属于三类内部事务信息' },
  { group: '（三）不予公开', row: '6.属于四类过程性信息' },
  { group: '（三）不予公开', row: '7.属于行政执法案卷' },
  { group: '（三）不予公开', row: '8.属于行政查询事项' },
  { group: '（四）无法提供', row: '1.本机关不掌握相关政府信息' },
  { group: '（四）无法提供', row: '2.没有现成信息需要另行制作' },
  { group: '（四）无法提供', row: '3.补正后申请内容仍不明确' },
  { group: '（五）不予处理', row: '1.信访举报投诉类申请' },
  { group: '（五）不予处理', row: '2.重复申请' },
  { group: '（五）不予处理', row: '3.要求提供公开出版物' },
  { group: '（五）不予处理', row: '4.无正当理由大量反复申请' },
  { group: '（五）不予处理', row: '5.要求行政机关确认或重新出具已获取信息' },
  { group: '（六）其他处理', row: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请' },
  { group: '（六）其他处理', row: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请' },
  { group: '（六）其他处理', row: '3.其他' },
] as const;

/** The stored value: the group and the row, e.g. "（三）不予公开/1.属于国家秘密" or "（一）予以公开". */
export function disclosureResultValue(item: (typeof DISCLOSURE_RESULTS)[number]): string {
  return item.group ? `${item.group}/${item.row}` : item.row;
}

export const DISCLOSURE_CATEGORIES = ['重大新闻', '校园快讯', '招生政策', '招生计划', '规范性文件', '其他'] as const;
export const DISCLOSURE_CHANNELS = ['区政府信息公开平台', '本溪市教育网', '其他'] as const;

/** Channels a petition can be logged from by staff (/case new). */
export const OFFLINE_CHANNELS = ['phone', 'minxin', 'visit', 'letter'] as const;
