/**
 * The web chat's door during a shutdown. `close()` stops taking messages: a POST that arrives later is answered
 * 503 with Retry-After and "restarting, send it again" (nothing of it was taken: the page shows the sentence and
 * the parent's next send goes to the restarted bot). `settled()` resolves once every message taken before has been
 * answered (its turn, transcript and outbox rows committed), so the shutdown can flush and close the database.
 */
export interface WebIntake {
  /** False once closed: the caller answers 503. Otherwise the message is counted until `done()`. */
  take(): boolean;
  done(): void;
  /** Stops taking messages; returns how many were in hand at the first close. */
  close(): number;
  readonly closed: boolean;
  /** Messages being handled right now. */
  readonly inFlight: number;
  settled(): Promise<void>;
}

/** Seconds a parent is asked to wait before sending again (a restart takes a few seconds). */
export const RESTART_RETRY_AFTER_S = 5;

export function createWebIntake(): WebIntake {
  let closed = false;
  let inFlight = 0;
  let inHandAtClose = 0;
  let waiters: (() => void)[] = [];
  return {
    take() {
      if (closed) return false;
      inFlight += 1;
      return true;
    },
    done() {
      inFlight -= 1;
      if (inFlight === 0) for (const resolve of waiters.splice(0)) resolve();
    },
    close() {
      if (!closed) inHandAtClose = inFlight;
      closed = true;
      return inHandAtClose;
    },
    get closed() {
      return closed;
    },
    get inFlight() {
      return inFlight;
    },
    settled() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => (waiters = [...waiters, resolve]));
    },
  };
}
