import type { CaseDeskImpl } from '../../core/cases/desk.js';
import type { CaseDesk } from '../../core/cases/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import { flagCaseUnreachable } from '../../storage/telegram-repo.js';

/**
 * What a channel's sender needs of the case desk to tell staff a citizen message did not arrive: the desk's
 * recordUndelivered. A desk that can only act (a stand-in for the desk) gets the 联系不上 transition alone.
 */
export type UndeliveredDesk = Pick<CaseDesk, 'act'> & Partial<Pick<CaseDeskImpl, 'recordUndelivered' | 'recordReachable'>>;

/**
 * A message of case `code` will never reach the citizen (`note` says why, e.g. "Telegram: 403: …"); the desk
 * decides how staff learn it (CaseDeskImpl.recordUndelivered: 联系不上 for an open case, else an `undelivered`
 * event, once). Without a desk, or when the desk fails (the case unknown, the store down), the case is at
 * least flagged in the database.
 */
export async function tellStaffUndelivered(deps: { db: Db; cases?: UndeliveredDesk; logger: Logger; now: () => Date }, code: string, note: string): Promise<void> {
  const { cases, logger } = deps;
  if (!cases) {
    logger.warn({ caseCode: code }, 'no case desk to tell staff of an undelivered message; flagging the case');
    return flagCaseUnreachable(deps.db, code, deps.now());
  }
  try {
    if (!cases.recordUndelivered) {
      await cases.act(code, { kind: 'unreachable', note }, 'system');
      return;
    }
    const outcome = await cases.recordUndelivered(code, note);
    if (outcome.told === 'undelivered') logger.warn({ caseCode: code }, 'a message to the citizen of a closed case was not delivered; staff told');
  } catch (error) {
    logger.error({ caseCode: code, err: error }, 'could not tell staff of an undelivered message; flagging the case');
    await flagCaseUnreachable(deps.db, code, deps.now());
  }
}
