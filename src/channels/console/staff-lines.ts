import { loadRatingScales, starsText, type RatingScales } from '../../core/cases/ratings.js';
import type { CaseRecord } from '../../core/cases/types.js';

let scales: RatingScales | undefined;

/**
 * The rated event's note ("stars5:2 不满意", "minxin:6 六星级", "stars5:- 不参与评星") as staff read it:
 * stars for the bot's scale ("★★☆☆☆ 不满意"), the label otherwise.
 */
export function ratingText(note: string | null | undefined, given?: RatingScales): string {
  const match = /^(\S+):(\S+)\s+(.*)$/u.exec(note ?? '');
  if (!match) return note ?? '';
  const [, scale, value, label] = match;
  const s = given ?? (scales ??= loadRatingScales());
  if (scale === s.stars.id && /^\d+$/.test(value ?? '')) return `${starsText(Number(value), s)} ${label}`;
  return label ?? '';
}

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
