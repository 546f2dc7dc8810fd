import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { CaseRecord, StaffNotice } from '../../core/cases/types.js';
import { asAppError } from '../../core/errors.js';
import { claimOutbox, dueOutboxHeads, markOutboxDead, markOutboxSent, pullBackRetries, retryOutboxAt } from '../../storage/outbox-repo.js';
import { wallClockSteps } from '../shared/clock-steps.js';
import { outboxTakeover } from '../shared/outbox-takeover.js';
import { findCaseMessage, saveCaseMessage, touchCaseMessage } from '../../storage/slack-repo.js';
import { t } from '../../core/i18n/index.js';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import { consultationReplyWindow, runningPauses } from '../../core/deadlines/index.js';
import { acceptanceNoticeLine } from '../../core/cases/acceptance-notice.js';
import { reviewLine } from '../../core/cases/review-lines.js';
import { appealText, currentAppeals } from '../../core/cases/appeals.js';
import { canRecordAppeal } from './appeal-entry.js';
import { canRecordRating, canReopen } from './rating-entry.js';
import { canRecordReview } from '../../core/cases/reviews.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { caseMessage, historyLine, isOpen, type CaseView } from './blocks.js';
import { botCanReach } from '../../core/cases/answer-way.js';
import { localDate, splitMrkdwn } from './mrkdwn.js';
import type { SlackDeskContext } from './types.js';
import { caseOutcomes, outcomeDayAt } from '../../storage/case-outcome.js';
import { LOOKUP_MAX_PAGES, LOOKUP_PAGE_SIZE, carriesMetadata, findInPages, retryAfterOf } from './web-client.js';

const noticeSchema = z.object({
  change: z.enum(['created', 'transition', 'followup', 'contact', 'reply', 'rated', 'deadline', 'pause', 'acceptance', 'review', 'appeal', 'undelivered', 'erased']),
  caseCode: z.string().min(1),
  eventId: z.number().int(),
});

/** Message metadata on every case post: a retry finds a post whose answer was lost instead of posting a second one. */
const CASE_EVENT = 'civicdesk_case';
/** …and on every thread line of a case (a change, a follow-up, the handoff context), found the same way in the thread. */
const LINE_EVENT = 'civicdesk_case_line';
/** The handoff context's line key (a change's key is its case event id). */
const CONTEXT_LINE = 'context';
/** Characters of one thread message: Slack advises at most 4,000 for a message's text (it truncates past 40,000). */
const THREAD_TEXT_MAX = 4000;

const MAX_ATTEMPTS = 10;
/** A notice failing with a transient error is kept this long before it is given up. */
const MAX_RETRY_AGE_MS = 24 * 3600_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Web API errors that say the deployment is misconfigured, not that this notice is bad: retrying the
 * notice cannot succeed until an admin acts, and succeeds as soon as they have, so it waits (not counted
 * as an attempt) and the fix is logged once. Values: what the admin should do.
 */
const CONFIG_ERRORS: Record<string, string> = {
  not_in_channel: 'invite the bot into the staff channel (/invite @CivicDesk in SLACK_STAFF_CHANNEL)',
  channel_not_found: 'check SLACK_STAFF_CHANNEL (a channel id such as C0123456789 the bot can see)',
  is_archived: 'the staff channel is archived: unarchive it or set SLACK_STAFF_CHANNEL to another channel',
  invalid_auth: 'the bot token is not valid: set SLACK_BOT_TOKEN to the app\'s current xoxb- token',
  not_authed: 'no bot token was sent: set SLACK_BOT_TOKEN',
  token_revoked: 'the bot token was revoked: reinstall the app and set SLACK_BOT_TOKEN',
  token_expired: 'the bot token expired: reinstall the app and set SLACK_BOT_TOKEN',
  account_inactive: 'the bot user or workspace is deactivated: reinstall the app and set SLACK_BOT_TOKEN',
  missing_scope: 'the app lacks a scope: add chat:write (see slack-app-manifest.yml) and reinstall',
};

/** The Web API's error code (`data.error`, e.g. not_in_channel), else the HTTP status, else the client's code. */
function slackErrorCode(error: unknown): string {
  const e = error as { data?: { error?: unknown }; code?: unknown; statusCode?: unknown };
  if (typeof e?.data?.error === 'string') return e.data.error;
  if (typeof e?.statusCode === 'number') return `HTTP ${e.statusCode}`;
  return typeof e?.code === 'string' ? e.code : 'error';
}

/** The case message view of `record`: a disclosure request also shows (and buttons follow) its running clock pauses. */
export async function caseViewOf(ctx: SlackDeskContext, record: CaseRecord, extra: Partial<CaseView> = {}): Promise<CaseView> {
  const pauses = record.type === 'disclosure' ? runningPauses(await ctx.desk.history(record.code)) : {};
  const now = ctx.now();
  const calendar = (ctx.desk as Partial<CaseDeskImpl>).calendar;
  const consultationReply =
    pauses.consultation && calendar
      ? consultationReplyWindow(calendar, localDate(new Date(pauses.consultation.at), ctx.timeZone), localDate(now, ctx.timeZone))
      : undefined;
  const rules = (ctx.desk as Partial<CaseDeskImpl>).rules;
  const acceptanceNotice =
    rules && calendar ? acceptanceNoticeLine(record, { rules, calendar, timeZone: ctx.timeZone, locale: ctx.locale, now }) : null;
  const desk = ctx.desk as Partial<CaseDeskImpl>;
  const reviews = ((await desk.reviews?.(record.code)) ?? []).map((r) => reviewLine(r, ctx.locale));
  const reviewable = Boolean(desk.recordReview) && canRecordReview(record, rules?.[record.type]);
  const appeals = record.type === 'disclosure' ? currentAppeals((await desk.appeals?.(record.code)) ?? []).map((c) => `#${c.appealId} ${appealText(c.entry, ctx.locale)}`) : [];
  const appealable = canRecordAppeal(ctx, record);
  // No chat: staff write the answer themselves, and it must name the 复查 / 行政复议 route (remedies.ts).
  const remedy = isOpen(record) && !botCanReach(record) ? desk.remedyHint?.(record) : null;
  const remedyHint = remedy ? t(ctx.locale, 'slack.field.remedyHint', { text: remedy }) : null;
  const ratable = canRecordRating(ctx, record);
  const reopenable = canReopen(ctx, record, now);
  // Overdue, 待办结 or days left: the shared verdict (storage/case-outcome.ts) the reports, digest and /cases use.
  const outcome = (await caseOutcomes(ctx.db, [record.id], outcomeDayAt(now, ctx.timeZone))).get(record.id);
  return {
    locale: ctx.locale, timeZone: ctx.timeZone, now, workingDaysBetween: ctx.workingDaysBetween, pauses, consultationReply, acceptanceNotice,
    reviews, reviewable, appeals, appealable, remedyHint, ratable, reopenable, outcome, ...extra,
  };
}

export interface SlackStaffDesk {
  /** Sends every due 'staff' notice; returns how many were handled. Calls never overlap. */
  drainOnce(): Promise<number>;
  /** Drain soon (after a staff action), without waiting for the interval. */
  kick(): void;
  start(intervalMs?: number): Promise<void>;
  stop(): void;
  /** Why staff notices are not getting through right now (a Web API error code and the fix), null when they are. */
  problem(): string | null;
  /** Checks the bot token (auth.test) at start, so a revoked or mistyped token shows at once, not at the first case. */
  verify(): Promise<void>;
}

/**
 * Drains the case desk's 'staff' outbox rows into the staff channel: a new case
 * is posted (its channel+ts stored), later changes update that message in
 * place and add one line to its thread; citizen follow-ups go into the thread,
 * masked and escaped. Order is kept: all staff rows share one address.
 */
export function createSlackStaffDesk(ctx: SlackDeskContext, client: webApi.WebClient): SlackStaffDesk {
  const takeover = outboxTakeover(ctx.db, 'staff', ctx.instance);
  // ctx.now may be a test's fixed clock: compared with its own last reading only (no monotonic clock).
  const steppedBack = wallClockSteps({ now: () => ctx.now().getTime() });
  const view = () => ({ locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now(), workingDaysBetween: ctx.workingDaysBetween });
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;

  async function postCase(record: CaseRecord): Promise<{ channel: string; ts: string }> {
    const message = caseMessage(record, await caseViewOf(ctx, record));
    const res = await client.chat.postMessage({
      channel: ctx.staffChannel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      metadata: { event_type: CASE_EVENT, event_payload: { case_code: record.code } },
    });
    const ref = { caseCode: record.code, channel: res.channel ?? ctx.staffChannel, ts: String(res.ts) };
    await saveCaseMessage(ctx.db, ref, ctx.now());
    return ref;
  }

  /**
   * The post of this case an earlier attempt made when Slack took it but its answer was lost (a timeout, a 5xx from a
   * proxy, the process killed before the ts was saved): found in the channel by its metadata, saved, and used instead
   * of a second post. `replies`: its thread already has lines (the handoff context went out too). Null when there is
   * none or the channel cannot be read (then the case is posted: a duplicate beats a lost case).
   */
  async function findLostPost(code: string, queuedAt: string): Promise<{ channel: string; ts: string; replies: number } | null> {
    try {
      const oldest = String(Math.floor(Date.parse(queuedAt) / 1000) - 60);
      const { found: hit, complete } = await findInPages(
        (cursor) => client.conversations.history({ channel: ctx.staffChannel, oldest, include_all_metadata: true, limit: LOOKUP_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
        (m) => carriesMetadata(m, CASE_EVENT, { case_code: code }),
      );
      if (!complete) ctx.logger.warn({ caseCode: code, pages: LOOKUP_MAX_PAGES }, 'slack: the channel since the case was queued is longer than the lookup reads (posting the case)');
      if (!hit?.ts) return null;
      await saveCaseMessage(ctx.db, { caseCode: code, channel: ctx.staffChannel, ts: hit.ts }, ctx.now());
      return { channel: ctx.staffChannel, ts: hit.ts, replies: hit.reply_count ?? 0 };
    } catch (error) {
      ctx.logger.warn({ err: error, caseCode: code }, 'slack: could not look for an earlier post of the case (posting it)');
      return null;
    }
  }

  /**
   * Whether the case thread already holds the line `key` (an earlier attempt of this notice posted it, and Slack took
   * it, but its answer was lost). Only asked on a retry; a thread that cannot be read counts as not holding it
   * (the line is posted: a duplicate line beats a lost one).
   */
  async function threadHolds(code: string, ref: { channel: string; ts: string }, key: string): Promise<boolean> {
    try {
      // Every page of the thread (a busy case's thread outgrows one page): a line past the first 200 is found too.
      const { found, complete } = await findInPages(
        (cursor) => client.conversations.replies({ channel: ref.channel, ts: ref.ts, include_all_metadata: true, limit: LOOKUP_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
        (m) => carriesMetadata(m, LINE_EVENT, { case_code: code, line: key }),
      );
      if (!complete) ctx.logger.warn({ caseCode: code, pages: LOOKUP_MAX_PAGES }, 'slack: the case thread is longer than the lookup reads (posting the line)');
      return found !== null;
    } catch (error) {
      ctx.logger.warn({ err: error, caseCode: code }, 'slack: could not read the case thread for an earlier post of the line (posting it)');
      return false;
    }
  }

  /**
   * One thread line of the case, posted once: on a retry, not again when the thread already holds it. A line longer
   * than Slack's advised message length (a citizen's long follow-up, the conversation before 转人工) goes out whole as
   * several messages in a row, each with its own key (`key`, `key:2`, …), so a retry posts only the parts missing.
   */
  async function postLine(code: string, ref: { channel: string; ts: string }, key: string, text: string, retry: boolean): Promise<void> {
    const parts = splitMrkdwn(text, THREAD_TEXT_MAX);
    for (const [i, part] of parts.entries()) {
      const partKey = i === 0 ? key : `${key}:${i + 1}`;
      if (retry && (await threadHolds(code, ref, partKey))) continue;
      await client.chat.postMessage({
        channel: ref.channel,
        thread_ts: ref.ts,
        text: part,
        unfurl_links: false,
        metadata: { event_type: LINE_EVENT, event_payload: { case_code: code, line: partKey } },
      });
    }
  }

  /** Handoff context lines (the conversation before 转人工) as one thread message. */
  async function postContext(code: string, ref: { channel: string; ts: string }, retry: boolean): Promise<void> {
    const lines = (await ctx.desk.history(code)).filter((e) => e.kind === 'context').map((e) => historyLine(e, view()));
    if (lines.length === 0) return;
    const text = `${t(ctx.locale, 'slack.history.contextHeading')}\n${lines.join('\n')}`;
    await postLine(code, ref, CONTEXT_LINE, text, retry);
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

  /**
   * The case's personal data was erased: its card, if it was ever posted, is updated to the erased record (text
   * 「[已删除]」, no name or contact, the erased line). No card is posted for it, nor again when staff deleted it.
   * A failure (Slack down, 429) is retried like any staff notice: the row waits in the outbox.
   */
  async function refreshErased(record: CaseRecord): Promise<void> {
    const ref = await findCaseMessage(ctx.db, record.code);
    if (!ref) return;
    const message = caseMessage(record, await caseViewOf(ctx, record));
    try {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'message_not_found') return;
      throw error;
    }
    await touchCaseMessage(ctx.db, record.code, ctx.now());
  }

  /** `retry`: an earlier attempt of this notice failed, possibly after Slack took the post (see findLostPost). */
  async function handle(notice: StaffNotice, retry: { queuedAt: string } | null): Promise<void> {
    const record = await ctx.desk.get(notice.caseCode);
    if (!record) return;
    if (notice.change === 'erased') return refreshErased(record);
    let existing = await findCaseMessage(ctx.db, record.code);
    if (!existing && retry) {
      const lost = await findLostPost(record.code, retry.queuedAt);
      if (lost && notice.change === 'created') return postContext(record.code, lost, lost.replies > 0);
      if (lost) existing = { caseCode: record.code, channel: lost.channel, ts: lost.ts };
    }
    const ref = existing ?? (await postCase(record));
    if (notice.change === 'created' && !existing) return postContext(record.code, ref, false);
    // A retried 'created' whose post was saved: its context line may have been the part that failed.
    if (notice.change === 'created' && retry) return postContext(record.code, ref, true);
    let thread = ref;
    if (notice.change !== 'followup') thread = await updateCase(record, ref);
    if (notice.change === 'created') return;
    const event = (await ctx.desk.history(record.code)).find((e) => e.id === notice.eventId);
    if (!event || event.kind === 'note') return; // staff notes were typed in the thread already
    // A 复查 / 复核: the thread gets the decision with its dates and timing, then staff's note.
    const review = event.kind === 'review' ? (await (ctx.desk as Partial<CaseDeskImpl>).reviews?.(record.code))?.find((r) => r.eventId === event.id) : undefined;
    const line = historyLine(event, view(), record);
    // A 行政复议 / 行政诉讼 or its result: the line (the note is Chinese) is also given in English to English staff.
    const appeal = event.kind === 'appeal' && ctx.locale !== 'zh'
      ? (await (ctx.desk as Partial<CaseDeskImpl>).appeals?.(record.code))?.find((a) => a.eventId === event.id) : undefined;
    const text = review ? `${escapeMrkdwn(reviewLine(review, ctx.locale))}\n${line}` : appeal ? `${escapeMrkdwn(appealText(appeal, ctx.locale))}\n${line}` : line;
    await postLine(record.code, thread, String(event.id), text, retry !== null);
  }

  let problem: string | null = null;

  /** Records why Slack refuses (logged once per new reason); the fix when it is a configuration error. */
  function noteProblem(error: unknown): string | undefined {
    const code = slackErrorCode(error);
    const fix = CONFIG_ERRORS[code];
    const current = fix ? `${code}: ${fix}` : code;
    if (current !== problem) {
      const text = fix
        ? `slack: staff notices cannot be posted (${code}); ${fix}. They wait in the outbox and go out once fixed`
        : `slack: staff notices cannot be posted (${code}); retrying`;
      ctx.logger.error({ code }, text);
      problem = current;
    }
    return fix;
  }

  async function failed(row: { id: number; attempts: number; createdAt: string }, error: unknown): Promise<void> {
    const message = asAppError(error, 'channel_failed').message;
    const attempts = row.attempts + 1;
    ctx.logger.warn({ outboxId: row.id, attempts, error: message }, 'slack: staff notice failed');
    if (error instanceof z.ZodError) return markOutboxDead(ctx.db, row.id, message, ctx.now());
    const fix = noteProblem(error);
    const now = ctx.now().getTime();
    if (fix) return retryOutboxAt(ctx.db, row.id, new Date(now + MAX_BACKOFF_MS), message, false);
    // 429: Slack took nothing; the notice waits what Slack asked, not counted as a failed attempt.
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== null) return retryOutboxAt(ctx.db, row.id, new Date(now + Math.min(retryAfter * 1000, MAX_BACKOFF_MS)), message, false);
    if (attempts >= MAX_ATTEMPTS && !(now - Date.parse(row.createdAt) < MAX_RETRY_AGE_MS))
      return markOutboxDead(ctx.db, row.id, message, ctx.now());
    return retryOutboxAt(ctx.db, row.id, new Date(now + Math.min(2 ** row.attempts * 5_000, MAX_BACKOFF_MS)), message);
  }

  function recovered(): void {
    if (problem === null) return;
    ctx.logger.info({ was: problem.split(':')[0] }, 'slack: staff notices are posted again');
    problem = null;
  }

  async function drain(): Promise<number> {
    const step = steppedBack();
    if (step > 0) {
      const moved = await pullBackRetries(ctx.db, 'staff', step, ctx.now());
      ctx.logger.warn({ stepMs: Math.round(step), moved }, 'slack: the system clock stepped back; pending retries moved back by the step');
    }
    const requeued = await takeover.sweep();
    if (requeued > 0) ctx.logger.warn({ requeued }, 'slack: took over staff notices of an instance that stopped');
    let handled = 0;
    for (let round = 0; round < 200; round++) {
      const [row] = await dueOutboxHeads(ctx.db, 'staff', ctx.now(), { limit: 1 });
      if (!row || !(await claimOutbox(ctx.db, row.id, takeover.owner))) break;
      try {
        const notice = noticeSchema.parse(JSON.parse(row.payload));
        await handle(notice, row.attempts > 0 ? { queuedAt: row.createdAt } : null);
        await markOutboxSent(ctx.db, row.id, ctx.now());
        recovered();
        handled += 1;
      } catch (error) {
        await failed(row, error);
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
    problem: () => problem,
    async verify() {
      try {
        await client.auth.test();
      } catch (error) {
        if (CONFIG_ERRORS[slackErrorCode(error)]) noteProblem(error);
        else ctx.logger.warn({ err: error }, 'slack: could not check the bot token at start');
      }
    },
  };
}
