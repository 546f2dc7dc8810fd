import type { Migration } from './index.js';

// Telegram updates are claimed, not only marked: `handled_by` names the process ("INSTANCE_ID#boot")
// whose turn is running and is cleared once the reply is queued. A row whose process died
// mid-turn (SIGKILL, crash) is taken over by the redelivery instead of swallowing it.
// NULL: handled (and every row written before this migration).
export const m0016InboundClaims: Migration = {
  id: 16,
  name: 'inbound-claims',
  up: `
ALTER TABLE processed_inbound ADD COLUMN handled_by TEXT;
`,
};
