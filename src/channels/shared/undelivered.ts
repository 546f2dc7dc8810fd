import type { CaseDeskImpl } from '../../core/cases/desk.js';
import type { CaseDesk } from '../../core/cases/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import { flagCaseUnreachable } from '../../storage/telegram-repo.js';

/** What a channel's sender needs of the case desk to tell staff a citizen message did not arrive. */
export type UndeliveredDesk = Pick<CaseDesk, 'act'> & Partial<Pick<CaseDeskImpl, 'reportUndelivered'>>;

/**
 * A message of case `code` will never reach the citizen (`note` says why, e.g. "Telegram: 403: …").
 * An open case becomes 联系不上 (its staff thread shows the transition with the note). A case no transition
 * applies to (closed: the closing answer or rating request did not arrive; withdrawn; already 联系不上)
 * gets an `undelivered` event instead, once, which staff see on the card and in the thread with the other
 * way to reach the citizen. Without a desk (or if it fails) the case is at least flagged in the database.
 */
export async function tellStaffUndelivered(deps: { db: Db; cases?: UndeliveredDesk; logger: Logger; now: () => Date }, code: string, note: string): Promise<void> {
  const { cases, logger } = deps;
  try {
    if (!cases) throw new Error('no case desk');
    await cases.act(code, { kind: 'unreachable', note }, 'system');
    return;
  } catch (error) {
    if (!cases?.reportUndelivered) {
      logger.warn({ caseCode: code, err: error }, 'case desk refused unreachable; flagging the case');
      return flagCaseUnreachable(deps.db, code, deps.now());
    }
  }
  try {
    if (await cases.reportUndelivered(code, note)) logger.warn({ caseCode: code }, 'a message to the citizen of a closed case was not delivered; staff told');
  } catch (error) {
    logger.error({ caseCode: code, err: error }, 'could not tell staff of an undelivered message; flagging the case');
    await flagCaseUnreachable(deps.db, code, deps.now());
  }
}
