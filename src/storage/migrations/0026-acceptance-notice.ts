import type { Migration } from './index.js';

/**
 * 信访 受理告知 (《信访条例》第二十二条: written notice of acceptance within 15 日 of receipt):
 *  - cases.acceptance_notice_at: when the citizen was told the case was accepted (the bot's 受理 message on
 *    claim, staff's record for a case without a chat, or the answer itself when it came first);
 *  - cases.acceptance_notice_via: how staff told a citizen without a chat (电话 / 书面 / 当面 / 民心网);
 *    null when the bot delivered it.
 * The due date is computed from received_at and rules/deadline-rules.yaml, not stored.
 */
export const m0026AcceptanceNotice: Migration = {
  id: 26,
  name: 'acceptance-notice',
  up: `
ALTER TABLE cases ADD COLUMN acceptance_notice_at TEXT;
ALTER TABLE cases ADD COLUMN acceptance_notice_via TEXT;
`,
};
