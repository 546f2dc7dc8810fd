import type { App } from '@slack/bolt';
import { z } from 'zod';
import { findCaseByMessage, forgetInbound, markInboundProcessed } from '../../storage/slack-repo.js';
import { classifyStorageError } from '../../storage/storage-health.js';
import { isAppError } from '../../core/errors.js';
import { slackProblem, StaffCheckUnavailable } from './api-failure.js';
import { decodeSlackText } from './slack-text.js';
import { botCanReach } from '../../core/cases/answer-way.js';
import type { CaseRecord } from '../../core/cases/types.js';
import { t } from '../../core/i18n/index.js';
import { isOpen } from './blocks.js';
import { actorOf, type Guards } from './guard.js';
import type { SlackDeskContext } from './types.js';

const threadMessage = z.object({
  type: z.literal('message'),
  // "Also send to channel" is still a thread note; so is a note typed with a file (the file stays in Slack).
  subtype: z.enum(['thread_broadcast', 'file_share']).optional(),
  bot_id: z.undefined().optional(),
  user: z.string(),
  channel: z.string(),
  text: z.string().min(1),
  ts: z.string(),
  thread_ts: z.string(),
});

/** What the author of a thread note is told: it stayed internal, and how an answer does reach the citizen. */
function noteKept(record: CaseRecord | null, code: string, l: SlackDeskContext['locale']): string {
  if (!record || !isOpen(record)) return t(l, 'slack.msg.noteKeptClosed', { code });
  return t(l, botCanReach(record) ? 'slack.msg.noteKept' : 'slack.msg.noteKeptOffline', { code });
}

/**
 * A staff message typed in a case thread is an internal note (cases.addNote):
 * it is never sent to the citizen, and its author is told so (ephemeral, in the
 * thread) with the way to answer the citizen: answering in the thread is what
 * Slack users do, and a silent note left the parent waiting. Slack retries (same
 * event_id) note once; the note is stored as typed, not in Slack's wire format (slack-text.ts); bot messages (our own
 * history lines) and edits are ignored. A note the database refused is not lost in silence: its key is released (a redelivery is taken) and its author is told, in the thread, that it was not
 * recorded and to send it again.
 */
export function registerThreadNotes(app: App, ctx: SlackDeskContext, guards: Guards): void {
  app.event('message', async ({ event, body, client, context }) => {
    const parsed = threadMessage.safeParse(event);
    if (!parsed.success || parsed.data.thread_ts === parsed.data.ts) return;
    const message = parsed.data;
    const code = await findCaseByMessage(ctx.db, message.channel, message.thread_ts);
    if (!code) return;
    const eventId = z.object({ event_id: z.string() }).safeParse(body);
    const key = eventId.success ? `event:${eventId.data.event_id}` : `message:${message.channel}:${message.ts}`;
    const tell = (text: string) => client.chat.postEphemeral({ channel: message.channel, user: message.user, thread_ts: message.thread_ts, text });
    let marked = false;
    try {
      if (!(await guards.authz.isStaff(message.user))) return;
      marked = await markInboundProcessed(ctx.db, key, ctx.now());
      if (!marked) return;
      await ctx.desk.addNote(code, decodeSlackText(message.text), actorOf(message.user));
    } catch (error) {
      const requestId = String((context as { requestId?: unknown }).requestId ?? '') || '-';
      ctx.logger.error({ err: error, caseCode: code, requestId }, 'slack: thread note not saved');
      if (marked) await forgetInbound(ctx.db, key).catch((err: unknown) => ctx.logger.warn({ err, requestId }, 'slack: could not release the key of an unsaved note'));
      if (error instanceof StaffCheckUnavailable) {
        const problem = slackProblem(ctx.locale, error.reason);
        return void (await tell(t(ctx.locale, 'slack.msg.noteNotChecked', { code, reason: problem?.reason ?? '-', wait: problem?.wait ?? '', requestId })));
      }
      const original = (error as { original?: unknown }).original ?? error;
      const stored = isAppError(original, 'storage_failed');
      await tell(t(ctx.locale, stored ? 'slack.msg.noteNotSaved' : 'slack.msg.noteFailed', { code, condition: classifyStorageError(original), requestId }));
      return;
    }
    await tell(noteKept(await ctx.desk.get(code), code, ctx.locale));
  });
}
