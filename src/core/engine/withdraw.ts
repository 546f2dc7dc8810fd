import { isAppError } from '../errors.js';
import { CASE_CODE_PATTERN } from '../intents/index.js';
import type { Reply } from '../types.js';
import { button, logDecision, say, type TurnContext } from './context.js';
import { ownCase } from './status.js';
import { WITHDRAWABLE_STATES } from '../cases/transitions.js';

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
    String.raw`(?:(?:投诉|诉求|申请|建议|举报|求助|案件|工单|咨询)\s*(?:${CODE})?|${CODE})?\s*(?:吧|了|一下)?\s*(?:谢谢)?[。.!！~]*$`,
  'iu',
);
/** "不想办了，撤回吧", "我不投诉了": the parent no longer wants the case handled (with nothing in progress to cancel). */
const NO_LONGER_ZH = /^(?:算了[，,\s]*)?(?:我)?(?:不想|不要|不用|不需要|不打算|不)(?:再)?(?:办|投诉|处理|反映|申请|举报)了[，,\s]*(?:(?:撤回|撤销|取消)(?:吧|了)?)?[。.!！~]*$/u;
const WITHDRAW_EN = new RegExp(
  String.raw`^(?:please\s+)?(?:i\s*(?:would|'d|want|wish|need)\s+(?:like\s+)?to\s+)?withdraw(?:\s+(?:my\s+|the\s+|this\s+)?` +
    String.raw`(?:(?:case|complaint|request|petition)(?:\s+${CODE})?|${CODE}))?(?:,?\s*please)?[.!]*$`,
  'iu',
);

/** "撤回投诉后还能再投诉吗" asks about withdrawing: a question, answered as one. */
const QUESTION = /[吗嘛呢？?]|怎么|怎样|如何|能不能|可不可以|是否|how|can i|what/iu;

/** Whether the message asks to withdraw a case of the parent's (the request alone; not a question about withdrawing). */
export function asksToWithdraw(text: string): boolean {
  const said = text.trim();
  return (WITHDRAW_ZH.test(said) || WITHDRAW_EN.test(said) || NO_LONGER_ZH.test(said)) && !QUESTION.test(said);
}

/** "不撤回了", "取消撤回", "先不撤", "继续办理", "keep it", "don't withdraw": the withdrawal is called off. */
const KEEP = /(?:不|别|先不|不要|不想|不用|不必|暂不|暂时不|取消)(?:再)?(?:撤回|撤销|撤掉|撤了|撤)|(?<![不想要用])(?:继续办|接着办)|还是办|还要办|保留|\bkeep\b|\b(?:don'?t|do not|not)\s+withdraw\b|\bcontinue\b/iu;
/** The withdrawal said in words: a verb of withdrawing, or that the case should no longer be handled ("不想办了"). */
const WITHDRAW_WORD = /撤回|撤销|撤掉|收回|\bwithdraw\b/iu;
const NO_LONGER = /(?:不|不想|不要|不用|不需要|不必|不打算|别)(?:再|继续)?(?:办|处理|投诉|申请|反映|举报|管)了/u;
/** A withdrawal denied (没/没有/不是/并非 before it) or told of someone else (你们/学校/老师/他… or 说 before it). */
const NOT_A_REQUEST = /(?:没|没有|不是|并非|并没|未)[^，,。.!！]{0,4}(?:撤回|撤销|撤掉|收回|不管|不处理|不办)|(?:你们|学校|校方|老师|班主任|校长|他们|她们|(?<!其)[他她]|教育局|(?<!我)说)[^，,。.!！]{0,6}(?:撤回|撤销|撤掉|收回|不管了|不处理了|不办了)|\b(?:didn'?t|did not|never)\b[^.!]{0,20}\bwithdraw|\b(?:you|they|the school)\b[^.!]{0,12}\bwithdr[ae]w/iu;
const YES_WORDS = /^(?:确认|确定|是|是的|对|好|好的|可以|行|yes|y|ok|okay|confirm|sure)$/iu;
/**
 * The parent's own denial, and nothing else: "我没说要撤回", "没有要撤回", "不是要撤销", "我没有要撤回的意思",
 * "I didn't ask to withdraw". An answer to the question (keep the case), never a question for the knowledge base.
 */
const DENIAL_ZH =
  /^(?:我|我们)?(?:并|可|根本|从来)?(?:没|没有|不是|并非|未)(?:说|讲|提|想|要|说过|讲过|提过|想过|打算|申请|要求|让你们?)*(?:撤回|撤销|撤掉|收回|撤)(?:诉求|投诉|申请|它|啊)?(?:的意思)?(?:啊|呀|吧|呢|哦|的)*$/u;
const DENIAL_EN =
  /^(?:no\W*)?(?:i|we)\s+(?:didn'?t|did not|never|don'?t|do not)\s+(?:(?:ask|say|want|mean|request|asked|said|wanted|meant|requested)\s+)?(?:(?:to|that)\s+)?(?:i\s+wanted\s+to\s+)?withdraw(?:\s+(?:it|anything|my case|the case|my complaint))?$/iu;
const isDenial = (said: string) => {
  const bare = said.replace(/[\s,，。.!！~、]+$/u, '').replace(/^(?:不|no)[\s,，。.!！~、]+/iu, '');
  return DENIAL_ZH.test(bare) || DENIAL_EN.test(bare);
};

/**
 * The answer to "确认撤回诉求 …？": 'confirm' when it says to withdraw ("确认", "撤回吧", "不想办了，撤回吧", "不办了"),
 * 'keep' when it calls it off ("不撤回了", "取消撤回", "继续办理", "取消", "算了") or denies asking for it ("我没说要撤回",
 * "I didn't ask to withdraw"), undefined for anything else (a question, another request), which is handled as itself.
 */
export function withdrawAnswer(text: string, isCancel: boolean): 'confirm' | 'keep' | undefined {
  const said = text.trim().normalize('NFKC');
  if ([...said].length > 30 || QUESTION.test(said)) return undefined;
  if (KEEP.test(said) || isDenial(said)) return 'keep';
  const parts = said.split(/[\s,，。.!！~、]+/u).map((p) => p.replace(/(?:吧|了|啊|呀)+$/u, '')).filter(Boolean);
  if (parts.length > 0 && parts.every((p) => YES_WORDS.test(p) || /^(?:谢谢|thanks?)$/iu.test(p))) return 'confirm';
  // "你们撤回了我的诉求", "学校说不管了", "我没说要撤回，我是问…": the words are there, the request is not.
  if (NOT_A_REQUEST.test(said)) return undefined;
  if (WITHDRAW_WORD.test(said) || NO_LONGER.test(said)) return 'confirm';
  return isCancel ? 'keep' : undefined;
}

/** Asks which case (several withdrawable: WITHDRAWABLE_STATES), or to confirm withdrawing the one named or the only one. */
export async function offerWithdraw(ctx: TurnContext, code: string | undefined): Promise<Reply[]> {
  await logDecision(ctx, 'withdraw');
  const open = await ctx.deps.store.withdrawableCaseCodesOfChat(ctx.incoming.channel, ctx.incoming.chatId);
  if (open.length === 0) return [say(ctx, 'withdraw.none')];
  const target = code ? open.find((c) => c === code.toUpperCase()) : open.length === 1 ? open[0] : undefined;
  // A code named that is not withdrawable (closed, 退单, 撤回, another chat's): said so, with the ones that are.
  if (!target) return [say(ctx, code ? 'withdraw.notThis' : 'withdraw.which', { code: code?.toUpperCase() ?? '', codes: open.join('、'), first: open[0]! })];
  ctx.state.withdraw = target;
  return [
    {
      ...say(ctx, 'withdraw.ask', { code: target }, [[button(ctx, 'button.withdraw', { kind: 'confirm', of: 'withdraw', ref: target }), button(ctx, 'button.cancel', { kind: 'cancel', of: 'withdraw', ref: target })]]),
      caseCode: target,
    },
  ];
}

/** The confirmed withdrawal: the desk records it (the reply of this turn is the parent's notice). */
export async function withdrawCase(ctx: TurnContext, code: string): Promise<Reply[]> {
  const record = await ownCase(ctx, code);
  if (!record || !WITHDRAWABLE_STATES.includes(record.state)) return [say(ctx, 'withdraw.none')];
  try {
    await ctx.deps.cases.act(record.code, { kind: 'withdraw', note: say(ctx, 'withdraw.note').text }, 'citizen', { notifyCitizen: false });
  } catch (error) {
    if (!isAppError(error, 'case_illegal_transition')) throw error;
    return [say(ctx, 'withdraw.none')];
  }
  if (ctx.state.handoff === record.code) delete ctx.state.handoff;
  return [{ ...say(ctx, 'withdraw.done', { code: record.code }), caseCode: record.code }];
}
