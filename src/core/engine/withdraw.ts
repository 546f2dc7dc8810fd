import { isAppError } from '../errors.js';
import type { Reply } from '../types.js';
import { button, logDecision, say, type TurnContext } from './context.js';
import { ownCase } from './status.js';

/**
 * A parent withdrawing a case already filed ("我想撤回投诉", "撤回 XH-2026-000001"): which case, a confirm, then the
 * case desk's withdraw (staff see it on the case). Before, the words started a new complaint filing.
 */
const WITHDRAW_WORDS =
  /(撤回|撤销|撤掉|收回)\s*(我的|我|刚才的?|之前的?|那个|这个|一下)?\s*(投诉|诉求|申请|建议|举报|求助|案件|工单|咨询|[A-Z]{1,6}-?\d{4}-?\d{6})|\bwithdraw\b/iu;

/** "撤回投诉后还能再投诉吗" asks about withdrawing: a question, answered as one. */
const QUESTION = /[吗嘛呢？?]|怎么|怎样|如何|能不能|可不可以|是否|how|can i|what/iu;

/** Whether the message asks to withdraw a case of the parent's (not a question about withdrawing). */
export function asksToWithdraw(text: string): boolean {
  return WITHDRAW_WORDS.test(text) && !QUESTION.test(text);
}

const OPEN_STATES = new Set(['received', 'claimed', 'extended', 'replied', 'reopened', 'unreachable']);

/** Asks which case (several open), or to confirm withdrawing the one named or the only one open. */
export async function offerWithdraw(ctx: TurnContext, code: string | undefined): Promise<Reply[]> {
  await logDecision(ctx, 'withdraw');
  const open = await ctx.deps.store.openCaseCodesOfChat(ctx.incoming.channel, ctx.incoming.chatId);
  if (open.length === 0) return [say(ctx, 'withdraw.none')];
  const target = code ? open.find((c) => c === code.toUpperCase()) : open.length === 1 ? open[0] : undefined;
  if (!target) return [say(ctx, 'withdraw.which', { codes: open.join('、'), first: open[0]! })];
  ctx.state.withdraw = target;
  return [
    {
      ...say(ctx, 'withdraw.ask', { code: target }, [[button(ctx, 'button.withdraw', { kind: 'confirm' }), button(ctx, 'button.cancel', { kind: 'cancel' })]]),
      caseCode: target,
    },
  ];
}

/** The confirmed withdrawal: the desk records it (the reply of this turn is the parent's notice). */
export async function withdrawCase(ctx: TurnContext, code: string): Promise<Reply[]> {
  const record = await ownCase(ctx, code);
  if (!record || !OPEN_STATES.has(record.state)) return [say(ctx, 'withdraw.none')];
  try {
    await ctx.deps.cases.act(record.code, { kind: 'withdraw', note: say(ctx, 'withdraw.note').text }, 'citizen', { notifyCitizen: false });
  } catch (error) {
    if (!isAppError(error, 'case_illegal_transition')) throw error;
    return [say(ctx, 'withdraw.none')];
  }
  if (ctx.state.handoff === record.code) delete ctx.state.handoff;
  return [{ ...say(ctx, 'withdraw.done', { code: record.code }), caseCode: record.code }];
}
