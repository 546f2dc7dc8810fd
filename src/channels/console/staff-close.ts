import { DISCLOSURE_RESULT_VALUES } from '../../core/cases/disclosure.js';
import { ANSWER_WAYS, type AnswerWay, type CaseAction } from '../../core/cases/types.js';
import { t } from '../../core/i18n/index.js';
import '../../core/i18n/staff.js';
import type { Locale } from '../../core/types.js';

/**
 * The closing commands of the console staff desk (issue 15):
 *   /case close CODE 给家长的答复          – closes with that answer (the parent sees it)
 *   /case close CODE 结果=N 答复           – a 政府信息公开申请, with result row N of /case results
 *   /case duplicate CODE 原编号 [说明]     – a repeat of another case
 *   /case notprocess CODE 理由 [结果=N]    – 不予处理 (第三十九条 for a disclosure request by default)
 */
const RESULT_OPTION = /(?:^|\s)结果[=＝:：](\d{1,2})(?=\s|$)/u;

/** "结果=N" taken out of the text: the stored result value, or an error line. */
function takeResult(rest: string, locale: Locale): { text: string; result?: string; error?: string } {
  const match = RESULT_OPTION.exec(rest);
  if (!match) return { text: rest };
  const result = DISCLOSURE_RESULT_VALUES[Number(match[1]) - 1];
  const text = rest.replace(match[0], ' ').trim();
  return result ? { text, result } : { text, error: t(locale, 'staff.console.noResult', { n: match[1]!, max: DISCLOSURE_RESULT_VALUES.length }) };
}

/** "方式=电话": how a phone / letter / 民心网 citizen was given the answer (ANSWER_WAYS); the rest of the text. */
export function takeWay(rest: string, locale: Locale): { text: string; via?: AnswerWay; error?: string } {
  const match = /(?:^|\s)方式[=＝:：](\S+)(?=\s|$)/u.exec(rest);
  if (!match) return { text: rest };
  const text = rest.replace(match[0], ' ').trim();
  const via = ANSWER_WAYS.find((w) => w === match[1]);
  return via ? { text, via } : { text, error: t(locale, 'staff.console.badWay', { ways: ANSWER_WAYS.join('/') }) };
}

/** "批准=王副局长": the 负责人 who approved an extension (第三十三条); the rest of the text is the reason. */
export function takeApprover(rest: string): { text: string; approvedBy?: string } {
  const match = /(?:^|\s)批准[人]?[=＝:：](\S+)(?=\s|$)/u.exec(rest);
  return match ? { text: rest.replace(match[0], ' ').trim(), approvedBy: match[1] } : { text: rest };
}

export function parseCloseCommand(verb: string, rest: string, locale: Locale): CaseAction | { error: string } | null {
  const way = takeWay(rest, locale);
  if (way.error) return { error: way.error };
  const { text, result, error } = takeResult(way.text, locale);
  if (error) return { error };
  const extra = { ...(result ? { disclosureResult: result } : {}), ...(way.via ? { via: way.via } : {}) };
  switch (verb) {
    case 'close':
      return { kind: 'close', note: text, ...extra };
    case 'notprocess':
      return text ? { kind: 'close', basis: 'not-processed', note: text, ...extra } : null;
    case 'duplicate': {
      const [other = '', ...words] = text.split(/\s+/);
      return other ? { kind: 'close', basis: 'duplicate', duplicateOf: other, note: words.join(' '), ...extra } : null;
    }
    default:
      return null;
  }
}

/** `/case results`: the numbered result rows of the annual report's table 三. */
export function resultList(locale: Locale): string {
  return [t(locale, 'staff.console.resultsHead'), ...DISCLOSURE_RESULT_VALUES.map((v, i) => `  ${i + 1}. ${v}`)].join('\n');
}
