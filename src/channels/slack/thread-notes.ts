import type { App } from '@slack/bolt';
import { z } from 'zod';
import { findCaseByMessage, markInboundProcessed } from '../../storage/slack-repo.js';
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

/**
 * A staff message typed in a case thread is an internal note (cases.addNote):
 * it is never sent to the citizen. Slack retries (same event_id) note once;
 * bot messages (our own history lines) and edits are ignored.
 */
export function registerThreadNotes(app: App, ctx: SlackDeskContext, guards: Guards): void {
  app.event('message', async ({ event, body }) => {
    const parsed = threadMessage.safeParse(event);
    if (!parsed.success || parsed.data.thread_ts === parsed.data.ts) return;
    const message = parsed.data;
    const code = await findCaseByMessage(ctx.db, message.channel, message.thread_ts);
    if (!code) return;
    const eventId = z.object({ event_id: z.string() }).safeParse(body);
    const key = eventId.success ? `event:${eventId.data.event_id}` : `message:${message.channel}:${message.ts}`;
    if (!(await markInboundProcessed(ctx.db, key, ctx.now()))) return;
    if (!(await guards.authz.isStaff(message.user))) return;
    await ctx.desk.addNote(code, message.text, actorOf(message.user));
  });
}
