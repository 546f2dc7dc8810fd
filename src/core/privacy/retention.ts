import type { Db } from '../../storage/db.js';
import { clearErasedBytes, type PersonalTable } from '../../storage/erased-bytes.js';
import { purgeGapSamples } from '../../storage/gaps-repo.js';
import { purgeBefore, type PurgeCounts } from '../../storage/retention-repo.js';
import { loadRatingScales, objectionRatings, type RatingScales } from '../cases/ratings.js';
import { purgeTelegramState } from '../../storage/telegram-repo.js';

export interface RetentionPolicy {
  messageDays: number;
  caseDays: number;
  conversationDays: number;
}

export interface RetentionResult extends PurgeCounts {
  gapSamples: number;
  telegramState: number;
  /** Why purged bytes may still be in the database files (clearErasedBytes); null when they are gone. */
  diskProblem: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Deletes or anonymises what is past its retention time (daily job
 * `retention-purge`). Counts the reports need (cases by type, channel, state,
 * dates, ratings) survive; texts, contacts and chat ids do not.
 */
export async function purgeExpired(db: Db, policy: RetentionPolicy, now: Date, scales: RatingScales = loadRatingScales()): Promise<RetentionResult> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const messagesCutoff = before(policy.messageDays);
  const { touched, ...counts } = await purgeBefore(
    db,
    {
      messages: messagesCutoff.toISOString(),
      cases: before(policy.caseDays).toISOString(),
      conversations: before(policy.conversationDays).toISOString(),
    },
    now.toISOString(),
    // A case rated low on the bot's star scale is held from the rating (the parent may still object); a 民心网 level
    // or another scale's value is not compared as if it were stars (objectionRatings).
    { lowRating: objectionRatings(scales) },
  );
  // Wordings kept with gap marks and Telegram's message→case map are message data too.
  const gapSamples = await purgeGapSamples(db, messagesCutoff.toISOString(), now);
  const telegram = await purgeTelegramState(db, messagesCutoff, now);
  const changed: PersonalTable[] = [...touched];
  if (gapSamples > 0) changed.push('gap_groups');
  if (telegram.messageCases > 0) changed.push('telegram_message_cases');
  if (telegram.callbacks > 0) changed.push('telegram_callbacks');
  // Only the tables this purge changed are rewritten, plus those whose earlier rewrite (this or another
  // instance's erase or purge) failed or was cut short: they are marked in the database, so they are retried
  // here at the latest a day later. A night with nothing to purge rewrites nothing and locks no table.
  const diskProblem = await clearErasedBytes(db, changed, now);
  return { ...counts, gapSamples, telegramState: telegram.messageCases + telegram.callbacks, diskProblem };
}
