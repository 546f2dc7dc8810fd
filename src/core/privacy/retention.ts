import type { Db } from '../../storage/db.js';
import { purgeBefore, type PurgeCounts } from '../../storage/retention-repo.js';

export interface RetentionPolicy {
  messageDays: number;
  caseDays: number;
  conversationDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes or anonymises what is past its retention time (daily job
 * `retention-purge`). Counts the reports need (cases by type, channel, state,
 * dates, ratings) survive; texts, contacts and chat ids do not.
 */
export async function purgeExpired(db: Db, policy: RetentionPolicy, now: Date): Promise<PurgeCounts> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return purgeBefore(
    db,
    { messages: before(policy.messageDays), cases: before(policy.caseDays), conversations: before(policy.conversationDays) },
    now.toISOString(),
  );
}
