import { parseKeyedCommand } from './keyed-command.js';
import type { ReviewInput } from '../../core/cases/reviews.js';

/**
 * The text form of a 复查 / 复核 entry, shared by the console and Slack (`/case review CODE …`):
 *   复查 结果=维持 请求=2026-07-20 [机关收到=2026-07-23] 意见=2026-08-10 [收到=2026-08-12] [机关=本溪市教育局] [送达=2026-07-04] [说明…]
 *   复查 结果=撤回 意见=2026-08-03 (the petitioner withdrew the pending request on that day)
 *   复核 结果=撤销 机关=本溪市人民政府 请求=… 意见=…
 *   再次信访 机关=本溪市溪湖区教育局 请求=2026-11-02 [说明…]
 * Keys also in English (outcome=, requested=, body-received=, decided=, received=, body=, delivered=); `=` may be full-width or a
 * colon. Words that are not options form the note. Values are checked by the desk (reviews.ts, zod).
 */
const KEYS: Record<string, keyof ReviewInput> = {
  结果: 'outcome', outcome: 'outcome',
  请求: 'requestedOn', requested: 'requestedOn',
  机关收到: 'requestReceivedOn', 'body-received': 'requestReceivedOn',
  意见: 'decidedOn', decided: 'decidedOn',
  收到: 'receivedOn', received: 'receivedOn',
  机关: 'body', body: 'body',
  送达: 'replyReceivedOn', delivered: 'replyReceivedOn',
};

export function parseReviewText(text: string): ReviewInput | null {
  // The desk validates every field (zod); the parser only splits the words.
  return parseKeyedCommand(text, 'level' as keyof ReviewInput, KEYS) as unknown as ReviewInput | null;
}
