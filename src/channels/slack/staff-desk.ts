import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { CaseRecord, StaffNotice } from '../../core/cases/types.js';
import { asAppError } from '../../core/errors.js';
import { claimOutbox, dueOutboxHeads, markOutboxDead, markOutboxSent, retryOutboxAt } from '../../storage/outbox-repo.js';
import { outboxTakeover } from '../shared/outbox-takeover.js';
import { findCaseMessage, saveCaseMessage, touchCaseMessage } from '../../storage/slack-repo.js';
import { t } from '../../core/i18n/index.js';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import { consultationReplyWindow, runningPauses } from '../../core/deadlines/index.js';
import { caseMessage, historyLine, type CaseView } from './blocks.js';
import { localDate, truncate } from './mrkdwn.js';
import type { SlackDeskContext } from './types.js';

const noticeSchema = z.object({
  change: z.enum(['created', 'transition', 'followup', 'reply', 'rated', 'deadline', 'pause']),
  caseCode: z.string().min(1),
  eventId: z.number().int(),
});

const MAX_ATTEMPTS = 10;

/** The case message view of `record`: a disclosure request also shows (and buttons follow) its running clock pauses. */
export async function caseViewOf(ctx: SlackDeskContext, record: CaseRecord, extra: Partial<CaseView> = {}): Promise<CaseView> {
  const pauses = record.type === 'disclosure' ? runningPauses(await ctx.desk.history(record.code)) : {};
  const now = ctx.now();
  const calendar = (ctx.desk as Partial<CaseDeskImpl>).calendar;
  const consultationReply =
    pauses.consultation && calendar
      ? consultationReplyWindow(calendar, localDate(new Date(pauses.consultation.at), ctx.timeZone), localDate(now, ctx.timeZone))
      : undefined;
  return { locale: ctx.locale, timeZone: ctx.timeZone, now, workingDaysBetween: ctx.workingDaysBetween, pauses, consultationReply, ...extra };
}

export interface SlackStaffDesk {
  /** Sends every due 'staff' notice; returns how many were handled. Calls never overlap. */
  drainOnce(): Promise<number>;
  /** Drain soon (after a staff action), without waiting for the interval. */
  kick(): void;
  start(intervalMs?: number): Promise<void>;
  stop(): void;
}

/**
 * Drains the case desk's 'staff' outbox rows into the staff channel: a new case
 * is posted (its channel+ts stored), later changes update that message in
 * place and add one line to its thread; citizen follow-ups go into the thread,
 * masked and escaped. Order is kept: all staff rows share one address.
 */
export function createSlackStaffDesk(ctx: SlackDeskContext, client: webApi.WebClient): SlackStaffDesk {
  const takeover = outboxTakeover(ctx.db, 'staff', ctx.instance);
  const view = () => ({ locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now(), workingDaysBetween: ctx.workingDaysBetween });
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;

  async function postCase(record: CaseRecord): Promise<{ channel: string; ts: string }> {
    const message = caseMessage(record, await caseViewOf(ctx, record));
    const res = await client.chat.postMessage({ channel: ctx.staffChannel, text: message.text, blocks: message.blocks, unfurl_links: false });
    const ref = { caseCode: record.code, channel: res.channel ?? ctx.staffChannel, ts: String(res.ts) };
    await saveCaseMessage(ctx.db, ref, ctx.now());
    return ref;
  }

  /** Handoff context lines (the conversation before 转人工) as one thread message. */
  async function postContext(code: string, ref: { channel: string; ts: string }): Promise<void> {
    const lines = (await ctx.desk.history(code)).filter((e) => e.kind === 'context').map((e) => historyLine(e, view()));
    if (lines.length === 0) return;
    const text = truncate(`${t(ctx.locale, 'slack.history.contextHeading')}\n${lines.join('\n')}`, 3000);
    await client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text, unfurl_links: false });
  }

  /** Updates the case message in place; posts a new one if someone deleted it. */
  async function updateCase(record: CaseRecord, ref: { channel: string; ts: string }): Promise<{ channel: string; ts: string }> {
    const message = caseMessage(record, await caseViewOf(ctx, record));
    try {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'message_not_found') throw error;
      return postCase(record);
    }
    await touchCaseMessage(ctx.db, record.code, ctx.now());
    return ref;
  }

  async function handle(notice: StaffNotice): Promise<void> {
    const record = await ctx.desk.get(notice.caseCode);
    if (!record) return;
    const existing = await findCaseMessage(ctx.db, record.code);
    const ref = existing ?? (await postCase(record));
    if (notice.change === 'created' && !existing) return postContext(record.code, ref);
    let thread = ref;
    if (notice.change !== 'followup') thread = await updateCase(record, ref);
    if (notice.change === 'created') return;
    const event = (await ctx.desk.history(record.code)).find((e) => e.id === notice.eventId);
    if (!event || event.kind === 'note') return; // staff notes were typed in the thread already
    await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, text: historyLine(event, view()), unfurl_links: false });
  }

  async function drain(): Promise<number> {
    const requeued = await takeover.sweep();
    if (requeued > 0) ctx.logger.warn({ requeued }, 'slack: took over staff notices of an instance that stopped');
    let handled = 0;
    for (let round = 0; round < 200; round++) {
      const [row] = await dueOutboxHeads(ctx.db, 'staff', ctx.now(), { limit: 1 });
      if (!row || !(await claimOutbox(ctx.db, row.id, takeover.owner))) break;
      try {
        const notice = noticeSchema.parse(JSON.parse(row.payload));
        await handle(notice);
        await markOutboxSent(ctx.db, row.id, ctx.now());
        handled += 1;
      } catch (error) {
        const message = asAppError(error, 'channel_failed').message;
        ctx.logger.warn({ outboxId: row.id, attempts: row.attempts + 1, error: message }, 'slack: staff notice failed');
        if (row.attempts + 1 >= MAX_ATTEMPTS || error instanceof z.ZodError) await markOutboxDead(ctx.db, row.id, message, ctx.now());
        else await retryOutboxAt(ctx.db, row.id, new Date(ctx.now().getTime() + 2 ** row.attempts * 5_000), message);
        break;
      }
    }
    return handled;
  }

  const drainOnce = (): Promise<number> => {
    running = running.then(drain, drain);
    return running;
  };

  return {
    drainOnce,
    kick: () => {
      drainOnce().catch((error: unknown) => ctx.logger.error({ err: error }, 'slack: staff drain failed'));
    },
    async start(intervalMs = 2_000) {
      await takeover.atStart();
      timer = setInterval(() => {
        drainOnce().catch((error: unknown) => ctx.logger.error({ err: error }, 'slack: staff drain failed'));
      }, intervalMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
