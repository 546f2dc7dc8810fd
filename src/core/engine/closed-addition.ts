import { dateInZone } from '../calendar/dates.js';
import { formatDeadline } from '../cases/messages.js';
import type { CaseRecord } from '../cases/types.js';
import { t } from '../i18n/index.js';
import { detectIntent } from '../intents/index.js';
import type { Button, ButtonPayload, Reply } from '../types.js';
import { saysAddition, withoutCodes } from './addendum.js';
import { button, logDecision, say, type TurnContext } from './context.js';
import { petitionContent, startFiling } from './filing.js';
import { startObjection } from './objection.js';
import { alreadyFiled } from './resent.js';
import { ownCase } from './status.js';

/**
 * An addition ("补充一下…", "忘了说…", or words naming a closed case's code that are no status request) while the chat
 * has no open case but a closed one: the addition reaches no case by itself, and must not be lost as a new question.
 * The parent is told the case was closed on which day and chooses, with the message held meanwhile (state
 * `closedAddition`, one turn):
 * - 不满意，要求重新办理 — only while the desk would let the citizen reopen it (CaseDesk.citizenMayReopen, the rules
 *   the reopening applies): the objection path (objection.ts) with the held message as the reason;
 * - 作为新诉求提交 — the filing flow with the held message as the petition's text, as when a petition is typed;
 * - 不用了 — nothing filed, said so.
 * The case: the one whose code the message names, else the most recently closed. A message without addition words is
 * handled as itself.
 */

type Choice = Extract<ButtonPayload, { kind: 'closed-addition' }>['choice'];

const HAS_WORDS = /[\p{L}\p{N}]/u;
const READ_AS_ADDITION = new Set(['kb', 'petition', 'status']);

/** Null: the message is no addition to a closed case of a chat without an open one; route it as usual. */
export async function offerForClosedCase(ctx: TurnContext, detected: ReturnType<typeof detectIntent>): Promise<Reply[] | null> {
  const { incoming } = ctx;
  if (!HAS_WORDS.test(incoming.text) || !READ_AS_ADDITION.has(detected.intent)) return null;
  const rest = withoutCodes(incoming.text);
  const adds = saysAddition(rest);
  if (!adds && !detected.caseCode) return null;
  const chat = { channel: incoming.channel, chatId: incoming.chatId };
  if ((await ctx.deps.cases.openCasesOfChat(chat)).length > 0) return null;
  const record = detected.caseCode ? await namedClosedCase(ctx, detected.caseCode, rest) : await latestClosed(ctx);
  if (!record) return null;
  const reopenable = await ctx.deps.cases.citizenMayReopen(record.code);
  await logDecision(ctx, 'followup');
  ctx.state.closedAddition = { code: record.code, text: incoming.text.trim() };
  const choice = (c: Choice): ButtonPayload => ({ kind: 'closed-addition', caseCode: record.code, choice: c });
  const rows: Button[][] = reopenable ? [[{ label: t(ctx.locale, 'cases.objectButton'), payload: choice('reopen') }]] : [];
  rows.push([button(ctx, 'button.asNewPetition', choice('new'))], [button(ctx, 'button.noThanks', choice('none'))]);
  const closedOn = record.closedAt ? formatDeadline(ctx.locale, dateInZone(new Date(record.closedAt), ctx.deps.config.TIMEZONE)) : '—';
  return [{ ...say(ctx, reopenable ? 'closedAddition.reopenable' : 'closedAddition.closed', { code: record.code, date: closedOn }, rows), caseCode: record.code }];
}

/** The chat's closed case a message names with words that are not a status request ("XH-… 办理得怎么样了"), or null. */
async function namedClosedCase(ctx: TurnContext, code: string, rest: string): Promise<CaseRecord | null> {
  if (!HAS_WORDS.test(rest) || detectIntent(ctx.deps.intents, rest).intent === 'status') return null;
  const record = await ownCase(ctx, code);
  return record?.state === 'closed' ? record : null;
}

/** The chat's case closed last, whenever it was filed (the storage orders by closing time). */
function latestClosed(ctx: TurnContext): Promise<CaseRecord | null> {
  return ctx.deps.cases.latestClosedCaseOfChat({ channel: ctx.incoming.channel, chatId: ctx.incoming.chatId });
}

/** A press of the offer (or its label typed). `held`: what the last turn held; anything else and the offer is over. */
export async function onClosedAdditionChoice(ctx: TurnContext, choice: Choice, code: string, held: { code: string; text: string } | undefined): Promise<Reply[]> {
  if (!held || held.code !== code || ctx.state.filing) return [say(ctx, 'buttonOver')];
  switch (choice) {
    case 'reopen': {
      const record = await ownCase(ctx, code);
      // Exactly as if the parent had objected with the held words (a staff reopening meanwhile: the offer is over).
      return record?.state === 'closed' ? startObjection(ctx, record, held.text) : [say(ctx, 'buttonOver')];
    }
    case 'new': {
      await logDecision(ctx, 'petition');
      // The text of a case of this chat still open, sent again: that case's code, not a second case.
      const filed = await alreadyFiled(ctx, held.text);
      if (filed) return filed;
      const detected = detectIntent(ctx.deps.intents, held.text);
      const content = petitionContent(held.text, detected.caseType);
      return startFiling(ctx, { ...(detected.caseType ? { type: detected.caseType } : {}), ...(content ? { content } : {}) });
    }
    case 'none':
      return dropHeld(ctx, held.code);
  }
}

/** 不用了 (or 取消 typed while the offer stands): nothing filed, said so. */
export function dropHeld(ctx: TurnContext, code: string): Reply[] {
  return [say(ctx, 'closedAddition.dropped', { code })];
}
