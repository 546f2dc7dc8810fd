/**
 * Detects the wall clock stepping back (an NTP correction after it ran fast). Retry times are stored as wall
 * times (outbox `next_attempt_at`, so they survive a restart); a row rescheduled while the clock was fast would
 * otherwise wait for the step on top of its backoff. Measured against a monotonic clock when there is one
 * (`performance.now()`, which no step moves): any drop of the wall clock against it counts, even one smaller
 * than the time passed since the last look. Without one, only the wall clock going below its last reading counts.
 */
export interface WallClock {
  now(): number;
  /** Milliseconds from an arbitrary origin that only moves forward, at the rate of real time. */
  monotonic?(): number;
}

/** NTP slews small differences; a step back shorter than this is left alone (a retry a second late is harmless). */
const STEP_TOLERANCE_MS = 1_000;

/** Returns a function giving how far (ms) the wall clock stepped back since its last call, else 0. */
export function wallClockSteps(clock: WallClock): () => number {
  const mono = clock.monotonic?.bind(clock);
  let lastWall = clock.now();
  let lastMono = mono?.() ?? 0;
  return () => {
    const wall = clock.now();
    const m = mono?.() ?? 0;
    const expected = mono ? lastWall + (m - lastMono) : lastWall;
    lastWall = wall;
    lastMono = m;
    const step = expected - wall;
    return step > STEP_TOLERANCE_MS ? step : 0;
  };
}
