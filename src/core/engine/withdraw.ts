import { isAppError } from '../errors.js';
import { CASE_CODE_PATTERN } from '../intents/index.js';
import type { Reply } from '../types.js';
import { button, logDecision, say, type TurnContext } from './context.js';
import { ownCase } from './status.js';

/**
 * A parent withdrawing a case already filed ("我想撤回投诉", "撤回 XH-2026-000001"): which case, a confirm, then the
 * case desk's withdraw (staff see it on the case). Before, the words started a new complaint filing.
 * Only a message that is the request and nothing more counts: the same words inside a longer message ("学校老师让我撤回
 * 投诉，不然……", "I want to withdraw my son from the kindergarten") are a complaint or a question, routed as one.
 */
/** A case code as the intent detector reads one (XH-2026-000001, xh 2026 000001 …). */
const CODE = CASE_CODE_PATTERN.source;
const WITHDRAW_ZH = new RegExp(
  String.raw`^(?:请|麻烦)?(?:帮我|给我)?我?(?:想|要|想要|申请|希望)?(?:撤回|撤销|撤掉|收回)\s*(?:我的|我|刚才的?|之前的?|那个|这个|一下)?\s*` +
    String.raw`(?:(?:投诉|诉求|申请|建议|举报|求助|案件|工单|咨询)\s*(?:${CODE})?|${CODE})\s*(?:吧|了|一下)?\s*(?:谢谢)?[。.!！~]*$`,
  'iu',
);
const WITHDRAW_EN = new RegExp(
  String.raw`^(?:please\s+)?(?:i\s*(?:would|'d|want|wish|need)\s+(?:like\s+)?to\s+)?withdraw\s+(?:my\s+|the\s+|this\s+)?` +
    String.raw`(?:(?:case|complaint|request|petition)(?:\s+${CODE})?|${CODE})(?:,?\s*please)?[.!]*$`,
  'iu',
);

/** "撤回投诉后还能再投诉吗" asks about withdrawing: a question, answered as one. */
const QUESTION = /[吗嘛呢？?]|怎么|怎样|如何|能不能|可不可以|是否|how|can i|what/iu;

/** Whether the message asks to withdraw a case of the parent's (the request alone; not a question about withdrawing). */
export function asksToWithdraw(text: string): boolean {
  const said = text.trim();
  return (WITHDRAW_ZH.test(said) || WITHDRAW_EN.test(said)) && !QUESTION.test(said);
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
