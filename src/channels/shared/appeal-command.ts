import { parseKeyedCommand } from './keyed-command.js';
import type { AppealInput } from '../../core/cases/appeals.js';

/**
 * The text form of a 行政复议 / 行政诉讼 against a disclosure answer, shared by the console and Slack
 * (`/case appeal CODE …`):
 *   复议 收到=2027-03-01 [结果=维持 审结=2027-05-10] [案号=本政复〔2027〕3号] [说明…]
 *   复议 结果=维持 审结=2027-05-10   (the result of the 复议 already recorded; 收到= or 编号= names one of several)
 *   诉讼 收到=… (未经复议直接起诉) · 复议后起诉 收到=…
 * Keys also in English (filed=, outcome=, decided=, ref=); `=` may be full-width or a colon. Words that are not
 * options form the note. Values are checked by the desk (appeals.ts, zod).
 */
const KEYS: Record<string, keyof AppealInput> = {
  收到: 'filedOn', filed: 'filedOn',
  结果: 'outcome', outcome: 'outcome',
  审结: 'decidedOn', decided: 'decidedOn',
  案号: 'caseRef', ref: 'caseRef',
  编号: 'appealId', appeal: 'appealId',
};

export function parseAppealText(text: string): AppealInput | null {
  // The desk validates every field (zod); the parser only splits the words.
  return parseKeyedCommand(text, 'category' as keyof AppealInput, KEYS) as unknown as AppealInput | null;
}
