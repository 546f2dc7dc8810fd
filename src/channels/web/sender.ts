import { t } from '../../core/i18n/index.js';
import '../../core/i18n/staff.js';
import type { Locale, Reply } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import {
  claimOutbox,
  dueOutboxHeads,
  markOutboxDead,
  markOutboxSent,
  retryOutboxAt,
} from '../../storage/outbox-repo.js';
import { outboxTakeover, type OutboxInstance } from '../shared/outbox-takeover.js';
import { appendWebMessage, webSessionLive } from '../../storage/web-repo.js';
import { caseCodeById } from '../../storage/telegram-repo.js';
import { tellStaffUndelivered, type UndeliveredDesk } from '../shared/undelivered.js';

/**
 * Delivers outbox rows of target 'web' into each session's transcript, oldest
 * first per session (dueOutboxHeads holds a row back while an older one of the
 * same session is unfinished). The transcript is the session's mailbox: an
 * offline session finds its replies there at the next visit, a connected one
 * gets them pushed (`delivered`). A row is marked sent only after its lines
 * are stored; a crash in between re-runs it and the (outbox_id, part) key
 * drops the copies, so every reply is shown once and none is lost.
 */
export const MAX_ATTEMPTS = 8;

export interface WebSenderOptions {
  db: Db;
  logger: Logger;
  now: () => Date;
  /** Called with the sessions that got new lines. */
  delivered: (sessionIds: Set<string>) => void;
  /** Background pass interval for rows queued by others (staff replies, jobs). */
  pollMs: number;
  /** This process among several instances: rows are claimed under its owner, and a dead instance's taken over. */
  instance?: OutboxInstance;
  /** Told when a case message cannot reach its parent any more (shared/undelivered.ts). */
  cases?: UndeliveredDesk;
  /** STAFF_LOCALE: the language of the note staff read when a line cannot be delivered (default zh). */
  staffLocale?: Locale;
  /** REOPEN_DAYS: a session owning a case closed less long ago than this is still live (web-repo OWNS_LIVE_CASE). */
  reopenDays: number;
}

export function createWebSender(options: WebSenderOptions) {
  const { db, logger, now } = options;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const takeover = outboxTakeover(db, 'web', options.instance);

  /**
   * The session ended (it expired: the parent left and did not come back within its lifetime; or it was erased):
   * a line stored now would never be read. The row is given up, and staff told when it belonged to a case.
   */
  const undeliverable = async (row: { id: number; caseId: number | null }): Promise<void> => {
    await markOutboxDead(db, row.id, 'the web chat session ended (the parent left or erased it)', now());
    logger.warn({ outboxId: row.id }, 'web chat: the session ended; message not delivered');
    const code = row.caseId === null ? null : await caseCodeById(db, row.caseId);
    if (code) await tellStaffUndelivered({ db, cases: options.cases, logger, now }, code, t(options.staffLocale ?? 'zh', 'staff.undelivered.webSessionEnded'));
  };

  const pass = async (): Promise<void> => {
    const requeued = await takeover.sweep();
    if (requeued > 0) logger.warn({ requeued }, 'web chat: took over messages of an instance that stopped');
    const touched = new Set<string>();
    for (;;) {
      const rows = await dueOutboxHeads(db, 'web', now(), { limit: 100 });
      if (rows.length === 0) break;
      for (const row of rows) {
        if (!(await claimOutbox(db, row.id, takeover.owner))) continue;
        if (!(await webSessionLive(db, row.address, { now: now(), reopenDays: options.reopenDays }))) {
          await undeliverable(row);
          continue;
        }
        try {
          const payload: unknown = JSON.parse(row.payload);
          const replies = (Array.isArray(payload) ? payload : [payload]) as Reply[];
          for (const [part, reply] of replies.entries())
            await appendWebMessage(db, { sessionId: row.address, role: 'bot', payload: reply, outboxId: row.id, part, now: now() });
          await markOutboxSent(db, row.id, now());
          touched.add(row.address);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          logger.error({ err: error, outboxId: row.id }, 'web chat: could not store an outgoing message');
          if (row.attempts + 1 >= MAX_ATTEMPTS) await markOutboxDead(db, row.id, message, now());
          else await retryOutboxAt(db, row.id, new Date(now().getTime() + 2 ** row.attempts * 1000), message);
        }
      }
    }
    if (touched.size > 0) options.delivered(touched);
  };

  /** One full pass after any pass already running; resolves when the due rows are in the transcripts. */
  const drain = (): Promise<void> => {
    chain = chain.then(pass).catch((error: unknown) => logger.error({ err: error }, 'web chat: outbox pass failed'));
    return chain;
  };

  return {
    drain,
    async start(): Promise<void> {
      await takeover.atStart();
      await drain();
      if (options.pollMs > 0) timer = setInterval(() => void drain(), options.pollMs);
      timer?.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await chain;
    },
  };
}

export type WebSender = ReturnType<typeof createWebSender>;
