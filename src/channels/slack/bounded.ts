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
