/**
 * A timer the test fires by hand: the product's bounds (Slack's ack and work limits) wait on it, and the test fires it
 * only once the call under test is known to hang — no waiting on the real clock.
 */
export function manualTimer() {
  const pending: (() => void)[] = [];
  return {
    timer: (_ms: number) => new Promise<void>((resolve) => void pending.push(resolve)),
    fire: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}
