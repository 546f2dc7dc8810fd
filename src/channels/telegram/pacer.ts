/**
 * Send pacing for Telegram: at most one message per `perChatIntervalMs` in a
 * chat (per `groupIntervalMs` in a group: 20 a minute) and at most one message per global slot (`1000 / globalPerSecond` ms,
 * rounded up), so no second holds more than `globalPerSecond` sends. Time is
 * injected (`Clock`), so tests and the benchmark can run on a fake or scaled
 * clock. Reservations are synchronous, so concurrent chat workers never take
 * the same slot.
 */
export interface Clock {
  /** Epoch milliseconds (a test or benchmark clock may run faster or be fake). */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Milliseconds that only move forward at real time's rate (no NTP step moves them); see shared/clock-steps.ts. */
  monotonic?(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  monotonic: () => performance.now(),
};

export interface PacerOptions {
  perChatIntervalMs?: number; // default 1000
  /** Groups (negative chat ids) get ≤ 20 messages a minute from Telegram: default 3000. */
  groupIntervalMs?: number;
  globalPerSecond?: number; // default 30
}

export interface Pacer {
  /** Waits until this chat may send; call `sent` once the request finished. */
  acquire(chat: string): Promise<void>;
  sent(chat: string): void;
  /** Holds a chat back (a 429's retry_after). */
  blockUntil(chat: string, atMs: number): void;
}

export function createPacer(clock: Clock, options: PacerOptions = {}): Pacer {
  const perChatMs = options.perChatIntervalMs ?? 1000;
  const groupMs = Math.max(options.groupIntervalMs ?? 3000, perChatMs);
  const perChat = (chat: string) => (chat.startsWith('-') ? groupMs : perChatMs);
  const slotMs = Math.ceil(1000 / (options.globalPerSecond ?? 30));
  const chatNext = new Map<string, number>();
  const taken = new Set<number>();
  let pruneBelow = 0;

  // Reservations are absolute times. When the system clock steps back (an NTP correction), they would hold a
  // chat for as long as the step; shifting them by the step keeps each wait as long as it was meant to be.
  let lastNow = clock.now();
  const observe = (): number => {
    const now = clock.now();
    if (now < lastNow) {
      const step = lastNow - now;
      for (const [chat, at] of chatNext) chatNext.set(chat, at - step);
      taken.clear();
      pruneBelow = 0;
    }
    lastNow = now;
    return now;
  };

  const prune = (nowSlot: number) => {
    if (nowSlot - pruneBelow < 1000) return;
    for (const slot of taken) if (slot < nowSlot) taken.delete(slot);
    for (const [chat, at] of chatNext) if (at < clock.now()) chatNext.delete(chat);
    pruneBelow = nowSlot;
  };

  return {
    async acquire(chat) {
      const now = observe();
      let slot = Math.ceil(Math.max(now, chatNext.get(chat) ?? 0) / slotMs);
      while (taken.has(slot)) slot += 1;
      taken.add(slot);
      const at = slot * slotMs;
      chatNext.set(chat, at + perChat(chat));
      prune(Math.floor(now / slotMs));
      if (at > now) await clock.sleep(at - now);
    },
    sent(chat) {
      const now = observe();
      chatNext.set(chat, Math.max(chatNext.get(chat) ?? 0, now + perChat(chat)));
    },
    blockUntil(chat, atMs) {
      observe();
      chatNext.set(chat, Math.max(chatNext.get(chat) ?? 0, atMs));
    },
  };
}
