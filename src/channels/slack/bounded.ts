/**
 * Bounds on the work of an interactive Slack request. Slack drops a request not acknowledged within 3 s
 * (dispatch_failed), and a staff check (conversations.members) or a database call that hangs — rather than fails —
 * would otherwise hold the ack past it, or leave the staff member with no answer at all after it. Work before the
 * ack gets `ackMs`, work after it `workMs`; past either the staff member is told what was not done.
 */
export interface SlackBounds {
  /** Work done before the ack (Slack waits 3 s for it, network included); default 2000 ms. */
  ackMs: number;
  /** A staff check, a desk or database call after the ack; default 15000 ms. */
  workMs: number;
  /** Drafting and uploading `/report annual` (queries over a year, a .docx); default 120000 ms. */
  reportMs: number;
  /** Resolves after `ms`: the clock the bounds run on (tests fire it by hand instead of waiting). */
  timer(ms: number): Promise<void>;
}

export const DEFAULT_SLACK_BOUNDS: SlackBounds = {
  ackMs: 2000,
  workMs: 15_000,
  reportMs: 120_000,
  timer: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms).unref();
    }),
};

/** The step did not answer within its bound; what it would have done did not happen (or its outcome is unknown). */
export class SlackStepHung extends Error {
  constructor(readonly ms: number) {
    super(`slack: no answer within ${ms} ms`);
  }
}

/** `work`, or SlackStepHung once `ms` passed first (the work itself runs on; what it yields later is ignored). */
export function within<T>(bounds: Pick<SlackBounds, 'timer'>, ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    bounds.timer(ms).then(() => {
      throw new SlackStepHung(ms);
    }),
  ]);
}

/** Seconds for a message ("2", "15", "0.5"). */
export const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

/** One bound started now, shared by the steps of one request: each step raced on it fails at the same moment. */
export interface Bound {
  /** `work`, or SlackStepHung once the bound passed. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Whether the bound has passed (a step not yet started must not start). */
  readonly passed: boolean;
  readonly ms: number;
}

export function startBound(bounds: Pick<SlackBounds, 'timer'>, ms: number): Bound {
  let passed = false;
  const expired = bounds.timer(ms).then((): never => {
    passed = true;
    throw new SlackStepHung(ms);
  });
  expired.catch(() => undefined); // raced below; a bound nobody raced on is not an unhandled rejection
  return {
    race: (work) => Promise.race([work, expired]),
    ms,
    get passed() {
      return passed;
    },
  };
}

/** The per-case lock of the Slack desk (guard.ts createKeyedLock). */
export type KeyedLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * `work` under the lock of `key`, within `bound`. The lock is held at most until the bound passes, not until a hung
 * call answers: past the bound the lock's turn ends (the next action on the same case goes ahead instead of queueing
 * behind a database call that may never answer), and work still waiting for its turn when its own bound passed never
 * starts (its staff member was told it was not finished; it must not take effect minutes later).
 *
 * What cannot be released here: a database call already in flight cannot be cancelled from Slack's side, so the
 * hung work runs on, and a desk transaction it is inside keeps what the database gives it — on PostgreSQL the case's
 * row lock until `statement_timeout` (30 s, pg-db.ts) ends the statement and the transaction rolls back; on SQLite the
 * write lock of BEGIN IMMEDIATE until the call returns (SQLite has no statement timeout). This is safe for the case:
 * the desk reads the case inside its transaction (`forUpdate`) and checks the transition there, so work that
 * finishes after the lock was released is judged on the state the actions that went ahead left, never on a stale read
 * (a second close of a closed case is refused). The staff member of a bounded-out action is told its outcome is not
 * known (`api.workHung`), not that it failed.
 */
export function underLock<T>(bound: Bound, lock: KeyedLock, key: string, work: () => Promise<T>): Promise<T> {
  return bound.race(lock(key, () => (bound.passed ? Promise.reject(new SlackStepHung(bound.ms)) : bound.race(work()))));
}
