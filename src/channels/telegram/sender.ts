import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import type { Locale, Reply } from '../../core/types.js';
import type { Db } from '../../storage/db.js';
import * as outbox from '../../storage/outbox-repo.js';
import * as repo from '../../storage/telegram-repo.js';
import { wallClockSteps } from '../shared/clock-steps.js';
import { tellStaffUndelivered, type UndeliveredDesk } from '../shared/undelivered.js';
import { outboxTakeover, type OutboxInstance } from '../shared/outbox-takeover.js';
import { safeJson } from '../shared/safe-json.js';
import type { CallbackCodec } from './callback-codec.js';
import { createPacer, systemClock, type Clock, type PacerOptions } from './pacer.js';
import { buildKeyboard, htmlToPlain, renderReply, type RenderedPart } from './render.js';
import { chatUnreachable, replyListSchema, telegramErrorInfo } from './telegram-error.js';

export { telegramErrorInfo } from './telegram-error.js';

/**
 * Drains outbox rows with target 'telegram' (address = chat id, payload =
 * Reply[]): case updates written by the case desk and the adapter's own
 * answers, which are enqueued too so that everything shares one pacing.
 *
 * - Order: only the oldest unfinished row of a chat is eligible, one worker per chat.
 * - Pacing: ≤ 1 message/s per chat, ≤ ~30/s overall (pacer.ts).
 * - 429: wait `retry_after`, retry the same part; not counted as a failed attempt.
 * - 403 (blocked / never started) and 400 "chat not found": row dead, the row's case marked
 *   unreachable (staff see it in the case thread); every later row of that chat is tried once, not retried.
 * - 400 "can't parse entities": the part is sent again at once as plain text (the parent still gets it);
 *   a keyboard refused (BUTTON_DATA_INVALID, reply markup too long): sent again without its buttons.
 *   Other 400s: row dead (it would fail again).
 * - Other errors (5xx, network): backoff doubling up to 5 minutes, for as long as the API is down; the row
 *   is given up only when it failed `maxAttempts` times and is older than `maxRetryAgeMs` (a day), and then
 *   its case is marked unreachable too, so staff learn that the parent did not get it.
 * - Clock steps: a retry time is a wall time in the row (it survives a restart); when the wall clock steps back
 *   against the monotonic clock (NTP correcting a fast clock), pending retries move back by the step
 *   (shared/clock-steps.ts), so a retry waits its backoff, not the backoff plus the step.
 * - A case's message to a group chat (a case filed in a 家长群 before groups were kept to questions) is never
 *   posted there: row dead, case marked unreachable, so staff reach the parent another way.
 * - Restarts: `parts_sent` is stored after each message; rows left in 'sending'
 *   are requeued on start and continue from there. The one message per chat that
 *   was in flight when the process died may be sent twice (at-least-once);
 *   we prefer that to losing a case update. Everything else is sent exactly once.
 */
/** Telegram's group and supergroup chat ids are negative; a private chat's id is the user's (positive) id. */
export const isGroupChat = (chatId: string): boolean => /^-\d+$/.test(chatId);

const GROUP_CASE_NOTE = 'Telegram: the case was filed in a group chat, where its messages are not posted (other parents read it); please reach the citizen by phone or ask them to message the bot privately';

export interface SendApi {
  sendMessage(
    chatId: string,
    html: string,
    extra: { parse_mode?: 'HTML'; link_preview_options: { is_disabled: boolean }; reply_markup?: InlineKeyboardMarkup },
  ): Promise<{ message_id: number }>;
}

export interface SenderDeps {
  db: Db;
  api: SendApi;
  codec: CallbackCodec;
  logger: Logger;
  cases?: UndeliveredDesk;
  clock?: Clock;
  pacing?: PacerOptions;
  defaultLocale?: Locale;
  maxAttempts?: number; // default 8
  /** A row failing with a transient error is retried until it is this old (default 24 h). */
  maxRetryAgeMs?: number;
  pollMs?: number; // default 1000: how often to look for rows written by other code paths
  /**
   * Several instances on one database: rows are claimed as this owner, and rows
   * left 'sending' by a dead instance are taken over (on start and every
   * `orphanSweepMs`, shared/outbox-takeover.ts). Without it, every 'sending' row is requeued on start.
   */
  instance?: OutboxInstance;
}

export interface TelegramSender {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** New rows are waiting: look now instead of at the next poll. */
  wake(): void;
  /** Sends everything due now and waits for it (tests, shutdown). */
  drain(): Promise<void>;
  readonly stats: { sent: number; rateLimited: number; dead: number; retried: number };
  /** Why sends fail for every chat right now (Bot API down, token refused), null once one goes through. */
  problem(): string | null;
}

export function createTelegramSender(deps: SenderDeps): TelegramSender {
  const clock = deps.clock ?? systemClock;
  const pacer = createPacer(clock, deps.pacing);
  const maxAttempts = deps.maxAttempts ?? 8;
  const maxRetryAgeMs = deps.maxRetryAgeMs ?? 24 * 3600_000;
  const inFlight = new Map<string, Promise<void>>();
  const stats = { sent: 0, rateLimited: 0, dead: 0, retried: 0 };
  const now = () => new Date(clock.now());
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  // Set by every wake: one that comes while a tick is running (its query may already have missed the new
  // row) makes the loop look again at once instead of sleeping a whole poll interval — the lost wake-up
  // that held a reply for up to `pollMs` (the load run's ~1 s p99).
  let woken = false;

  const wake = () => {
    woken = true;
    wakeUp?.();
    wakeUp = null;
  };

  async function dead(row: outbox.OutboxRow, reason: string): Promise<void> {
    stats.dead += 1;
    await outbox.markOutboxDead(deps.db, row.id, reason, now());
  }

  async function markUnreachable(row: outbox.OutboxRow, replies: Reply[], description: string): Promise<void> {
    const code = replies.find((r) => r.caseCode)?.caseCode ?? (row.caseId === null ? null : await repo.caseCodeById(deps.db, row.caseId));
    if (!code) return;
    await tellStaffUndelivered({ db: deps.db, cases: deps.cases, logger: deps.logger, now }, code, `Telegram: ${description}`);
  }

  async function fail(row: outbox.OutboxRow, replies: Reply[], error: unknown): Promise<void> {
    const info = telegramErrorInfo(error);
    const log = { outboxId: row.id, chatId: row.address, code: info.code };
    if (info.code === 429) {
      const retryAt = clock.now() + (info.retryAfter ?? 1) * 1000;
      stats.rateLimited += 1;
      pacer.blockUntil(row.address, retryAt);
      deps.logger.warn({ ...log, retryAfter: info.retryAfter }, 'telegram: rate limited, waiting retry_after');
      return outbox.retryOutboxAt(deps.db, row.id, new Date(retryAt), info.description, false);
    }
    if (info.code === 400 && info.migrateTo !== null && info.migrateTo !== row.address) {
      // The group was upgraded to a supergroup (Telegram does it on its own past 200 members): the answer and anything
      // queued behind it go to the new id at once; this was no failed attempt.
      const moved = await outbox.readdressUnsentOutbox(deps.db, 'telegram', row.address, info.migrateTo);
      deps.logger.warn({ ...log, migrateTo: info.migrateTo, moved }, 'telegram: group upgraded to a supergroup; resending to its new chat id');
      await outbox.retryOutboxAt(deps.db, row.id, now(), info.description, false);
      wake();
      return;
    }
    if (chatUnreachable(info)) {
      deps.logger.warn(log, 'telegram: chat unreachable (blocked, never started or gone); not retrying');
      await markUnreachable(row, replies, info.description);
      return dead(row, info.description);
    }
    if (info.code === 400) {
      deps.logger.error({ ...log, err: error, attempts: row.attempts }, 'telegram: message refused (400); giving up on outbox row');
      return dead(row, info.description);
    }
    const age = clock.now() - Date.parse(row.createdAt);
    if (row.attempts >= maxAttempts && !(age < maxRetryAgeMs)) {
      deps.logger.error({ ...log, err: error, attempts: row.attempts }, 'telegram: still failing after a day; giving up on outbox row');
      await markUnreachable(row, replies, `${info.description} (gave up after ${row.attempts} attempts)`);
      return dead(row, info.description);
    }
    stats.retried += 1;
    noteProblem(info);
    const backoff = Math.min(2 ** row.attempts * 1000, 5 * 60_000);
    deps.logger.warn({ ...log, err: error, backoff }, 'telegram: send failed, will retry');
    await outbox.retryOutboxAt(deps.db, row.id, new Date(clock.now() + backoff), info.description);
  }

  let problem: string | null = null;
  function noteProblem(info: { code: number | null; description: string }): void {
    const now = info.code === 401 ? '401: the Bot API refuses TELEGRAM_BOT_TOKEN (revoked? set the current token from @BotFather)' : info.code === null ? `network: ${info.description.slice(0, 120)}` : `${info.code}: ${info.description.slice(0, 120)}`;
    if (now !== problem) deps.logger.error({ code: info.code }, `telegram: messages cannot be sent (${now}); they wait in the outbox`);
    problem = now;
  }

  /** Sends one part; a part Telegram cannot parse as HTML goes again at once as the plain text it shows. */
  async function sendPart(chatId: string, part: RenderedPart): Promise<{ message_id: number }> {
    const leftOut = (button: { payload: { kind: string } }) =>
      deps.logger.error({ chatId, kind: button.payload.kind }, 'telegram: button left out, its payload cannot be carried in callback_data');
    const keyboard = part.buttons ? await buildKeyboard(part.buttons, deps.codec, leftOut) : undefined;
    const reply_markup = keyboard && keyboard.inline_keyboard.length > 0 ? keyboard : undefined;
    const markup = reply_markup ? { reply_markup } : {};
    try {
      return await deps.api.sendMessage(chatId, part.html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup });
    } catch (error) {
      const info = telegramErrorInfo(error);
      if (info.code === 400 && reply_markup && /button|reply markup|REPLY_MARKUP/i.test(info.description)) {
        // The words matter more than the buttons: they go without them (the parent can still type an answer).
        deps.logger.error({ chatId, err: error }, 'telegram: keyboard refused; sending the part without its buttons');
        return deps.api.sendMessage(chatId, part.html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      }
      if (info.code !== 400 || !/parse entities/i.test(info.description)) throw error;
      deps.logger.error({ chatId, err: error }, 'telegram: HTML refused; sending the part as plain text');
      return deps.api.sendMessage(chatId, htmlToPlain(part.html), { link_preview_options: { is_disabled: true }, ...markup });
    }
  }

  async function deliver(row: outbox.OutboxRow): Promise<void> {
    const parsed = replyListSchema.safeParse(safeJson(row.payload));
    if (!parsed.success) return dead(row, `payload is not a Reply[]: ${parsed.error.message.slice(0, 200)}`);
    const replies = parsed.data as Reply[];
    if (isGroupChat(row.address) && (row.caseId !== null || replies.some((r) => r.caseCode))) {
      // A case filed under a group's id (before groups were kept to questions): its updates would show one parent's
      // case and staff's reply to the whole 家长群. Not posted; staff are told to reach the parent another way.
      deps.logger.warn({ outboxId: row.id }, 'telegram: a case message addressed to a group chat is not posted there');
      await markUnreachable(row, replies, GROUP_CASE_NOTE);
      return dead(row, 'case message to a group chat: not posted');
    }
    const locale = (await repo.chatLocale(deps.db, row.address)) ?? deps.defaultLocale ?? 'zh';
    const parts: RenderedPart[] = replies.flatMap((r) => renderReply(r, locale));
    for (let i = row.partsSent; i < parts.length; i += 1) {
      const part = parts[i] as RenderedPart;
      await pacer.acquire(row.address);
      try {
        const message = await sendPart(row.address, part);
        pacer.sent(row.address);
        stats.sent += 1;
        if (problem !== null) {
          deps.logger.info('telegram: messages are sent again');
          problem = null;
        }
        await outbox.markOutboxProgress(deps.db, row.id, i + 1);
        if (part.caseCode) await repo.rememberCaseMessage(deps.db, row.address, message.message_id, part.caseCode, now());
      } catch (error) {
        pacer.sent(row.address);
        return fail({ ...row, partsSent: i }, replies, error);
      }
    }
    await outbox.markOutboxSent(deps.db, row.id, now());
  }

  /** Deliveries ended so far (drain compares it across a tick). */
  let finished = 0;
  const takeover = outboxTakeover(deps.db, 'telegram', deps.instance);
  const steppedBack = wallClockSteps(clock);

  async function tick(): Promise<number> {
    const step = steppedBack();
    if (step > 0) {
      const moved = await outbox.pullBackRetries(deps.db, 'telegram', step, now());
      deps.logger.warn({ stepMs: Math.round(step), moved }, 'telegram: the system clock stepped back; pending retries moved back by the step');
    }
    const requeued = await takeover.sweep();
    if (requeued > 0) deps.logger.warn({ requeued }, 'telegram: took over messages of an instance that stopped');
    const rows = await outbox.claimDueOutboxHeads(deps.db, 'telegram', now(), {
      limit: 200,
      excludeAddresses: [...inFlight.keys()],
      owner: takeover.owner ?? 'single',
    });
    let started = 0;
    for (const row of rows) {
      const work = deliver(row)
        .catch((error: unknown) => deps.logger.error({ err: error, outboxId: row.id }, 'telegram: outbox delivery crashed'))
        .finally(() => {
          inFlight.delete(row.address);
          finished += 1;
          wake();
        });
      inFlight.set(row.address, work);
      started += 1;
    }
    return started;
  }

  /**
   * Sends until nothing is due. A delivery that ends while a tick's claim is running frees its chat's next row
   * after that claim left the chat out (it was in flight when the claim began): tick again before deciding that
   * nothing is left, or that row would wait for the next poll.
   */
  async function drain(): Promise<void> {
    for (;;) {
      const finishedBefore = finished;
      await tick();
      if (inFlight.size === 0) {
        if (finished === finishedBefore) return;
        continue;
      }
      await Promise.race(inFlight.values());
    }
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      try {
        if ((await tick()) > 0) continue;
      } catch (error) {
        deps.logger.error({ err: error }, 'telegram: outbox poll failed');
      }
      if (woken) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        void clock.sleep(deps.pollMs ?? 1000).then(resolve);
      });
    }
  }

  return {
    stats,
    problem: () => problem,
    wake,
    drain,
    async start() {
      if (running) return;
      const requeued = await takeover.atStart();
      if (requeued > 0) deps.logger.warn({ requeued }, 'telegram: resuming messages interrupted by the last shutdown');
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake();
      await loop;
      await Promise.allSettled(inFlight.values());
    },
  };
}
