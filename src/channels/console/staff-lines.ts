export { ratingText } from '../../core/cases/ratings.js';
import type { CaseRecord } from '../../core/cases/types.js';

/** 政府信息公开申请 intake (第二十九条) and closing facts for `/case show`. */
export function disclosureLines(record: CaseRecord): string[] {
  const lines: string[] = [];
  if (record.type === 'disclosure' && (record.citizenName || record.applicantType))
    lines.push(`申请人：${record.citizenName ?? '未填写'}（${record.applicantType ?? '类型未记录'}）`);
  if (record.deliveryForm || record.deliveryMethod)
    lines.push(`获取方式：${record.deliveryForm ?? '-'}，${record.deliveryMethod ?? '-'}${record.deliveryAddress ? `（${record.deliveryAddress}）` : ''}`);
  if (record.disclosureResult) lines.push(`办理结果：${record.disclosureResult}`);
  if (record.duplicateOf) lines.push(`重复件，原诉求：${record.duplicateOf}`);
  return lines;
}
