import type { TurnContext } from './context.js';

/** States of a reopened case still waiting for staff (handoff.ts awaitsStaff): claimed or extended after reopening. */
const STILL_WAITING = ['reopened', 'claimed', 'extended'] as const;

/**
 * A case of this chat that staff reopened (a 复查/复核 撤销 in Slack, `/case reopen` on the console) after the parent's
 * last turn: from now on the parent's details go to it as after their own objection (router.ts whileReopened, 取消 to
 * stop). The parent was told by the reopen message through the outbox, outside this conversation, so the case is
 * found in the case desk: its latest reopening, by anyone but the citizen, newer than the last one this chat took up
 * (`reopenSeen`, the event id: a case reopened again after 取消 is taken up again, the same reopening never twice).
 * Runs on every turn without a reopened case, so it is one indexed query (CaseDesk.latestStaffReopening).
 */
export async function takeUpStaffReopen(ctx: TurnContext): Promise<void> {
  const { incoming, state } = ctx;
  const latest = await ctx.deps.cases.latestStaffReopening({
    channel: incoming.channel,
    chatId: incoming.chatId,
    states: STILL_WAITING,
    after: state.reopenSeen ?? 0,
  });
  if (!latest) return;
  state.reopened = latest.code;
  state.reopenSeen = latest.eventId;
}
