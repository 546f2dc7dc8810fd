import { canonicaliseCaseCodes, CASE_CODE_PATTERN } from '../cases/case-code.js';
import type { CaseRecord } from '../cases/types.js';
import { runningPauses } from '../deadlines/index.js';
import { detectIntent } from '../intents/index.js';
import type { Button, Reply } from '../types.js';
import { answerQuestion } from './answer.js';
import { button, logDecision, say, type TurnContext } from './context.js';

/**
 * What a parent types about a case already filed, without Telegram's "reply" (the only way on the web chat):
 * - a message that says it adds to a matter ("补充一下…", "我想补充情况：…", "XH-2026-000001 补充：…") is added to the
 *   chat's open case, or the parent is asked which one when there are several;
 * - while a 政府信息公开申请 of the chat waits for its 补正 (第三十条), a message saying 补正, or naming that request, is
 *   taken as the 补正 (the desk restarts the clock); any other question-like message is held and the parent asked
 *   whether it is the 补正 — a new question must not restart a legal clock, nor go unanswered.
 * Everything else (a question, a new petition, a status request) is handled as itself. An addition while the chat has
 * no open case but a closed one: closed-addition.ts.
 */

/** Words that say the message adds to a matter already told: 补充/追加 as the message's opening, or as a phrase. */
const ADDITION =
  /^(?:我|我们)?(?:想|要|还想|还要|再)?(?:再)?(?:补充|追加)(?:一下|一点|几句|一句|说明|情况|内容|信息)?\s*[:：,，。.、\s]|补充一下|补充说明|补充情况|再补充|还要补充|还想补充|忘了说|忘记说|\b(?:to add|adding to|in addition to my)\b/iu;
/** The 补正 named as such. */
const CORRECTION = /补正|\bcorrection\b/iu;
const HAS_WORDS = /[\p{L}\p{N}]/u;
/** A question the parent may ask inside an addition: answered too when the knowledge base answers it outright. */
const QUESTION = /[吗嘛呢？?]\s*$|怎么|如何|能不能|可不可以|是否/u;

/** Whether the words (case codes taken out) say they add to a matter already told (ADDITION). */
export const saysAddition = (words: string) => ADDITION.test(words);

export const withoutCodes = (text: string) => canonicaliseCaseCodes(text).replace(new RegExp(CASE_CODE_PATTERN.source, 'g'), ' ').trim();

const openCasesOfChat = (ctx: TurnContext): Promise<CaseRecord[]> => ctx.deps.cases.openCasesOfChat({ channel: ctx.incoming.channel, chatId: ctx.incoming.chatId });

/** A disclosure request whose clock is paused for a 补正 (the desk's own reading: a void, undelivered request is none). */
async function waitsForCorrection(ctx: TurnContext, record: CaseRecord): Promise<boolean> {
  return record.type === 'disclosure' && runningPauses(await ctx.deps.cases.history(record.code)).correction !== undefined;
}

/** Null: the message is not about an open case of the chat's; route it as usual. */
export async function addToOpenCase(ctx: TurnContext, detected: ReturnType<typeof detectIntent>): Promise<Reply[] | null> {
  const text = ctx.incoming.text;
  if (!HAS_WORDS.test(text) || !['kb', 'petition', 'status'].includes(detected.intent)) return null;
  const open = await openCasesOfChat(ctx);
  if (open.length === 0) return null;
  const named = detected.caseCode ? open.find((r) => r.code === detected.caseCode) : undefined;
  // Another case's code (closed, a stranger's, mistyped): the status answer says what there is to say.
  if (detected.caseCode && !named) return null;
  // A status request naming no case: its answer lists the cases; no history to read.
  if (!named && detected.intent === 'status') return null;
  const rest = withoutCodes(text);
  const pending: CaseRecord[] = [];
  for (const record of open) if (await waitsForCorrection(ctx, record)) pending.push(record);
  const saysCorrection = CORRECTION.test(rest);
  const saysAddition = ADDITION.test(rest) || saysCorrection;
  if (named) {
    // "XH-… 办理得怎么样了", the code alone: a status request.
    if (!HAS_WORDS.test(rest) || detectIntent(ctx.deps.intents, rest).intent === 'status') return null;
    if (saysAddition || pending.includes(named)) return attach(ctx, named, pending.includes(named));
    return null;
  }
  if (saysAddition) {
    const candidates = saysCorrection && pending.length > 0 ? pending : open;
    if (candidates.length === 1) return attach(ctx, candidates[0]!, pending.includes(candidates[0]!));
    return ask(ctx, candidates, pending.length > 0 && candidates === pending ? 'correctionWhich' : 'which');
  }
  if (pending.length === 1) return ask(ctx, pending, 'correctionAsk');
  if (pending.length > 1) return ask(ctx, pending, 'correctionWhich');
  return null;
}

/** The parent pressed which case the held message belongs to (or typed its code alone). */
export async function attachHeld(ctx: TurnContext, held: { text: string; codes: string[] }, code: string): Promise<Reply[]> {
  const open = await openCasesOfChat(ctx);
  const record = held.codes.includes(code) ? open.find((r) => r.code === code) : undefined;
  if (!record) return [say(ctx, 'buttonOver')];
  return attach(ctx, record, await waitsForCorrection(ctx, record), held.text);
}

async function attach(ctx: TurnContext, record: CaseRecord, correction: boolean, text = ctx.incoming.text): Promise<Reply[]> {
  await logDecision(ctx, 'followup');
  // A question inside the addition is answered as well, when the knowledge base answers it outright.
  const decision = QUESTION.test(text) ? ctx.deps.knowledge.current().decide(text) : null;
  const answer = decision?.kind === 'answer' && decision.confident ? await answerQuestion(ctx, text, decision) : [];
  // The desk restarts a 补正-paused clock on a citizen's follow-up, and tells the applicant the new date.
  await ctx.deps.cases.addFollowUp(record.code, text, 'citizen');
  return [...answer, { ...say(ctx, correction ? 'followup.correction' : 'followup.received', { code: record.code }), caseCode: record.code }];
}

function ask(ctx: TurnContext, candidates: CaseRecord[], key: 'which' | 'correctionAsk' | 'correctionWhich'): Reply[] {
  ctx.state.addendum = { text: ctx.incoming.text.trim(), codes: candidates.map((r) => r.code) };
  const rows: Button[][] =
    key === 'correctionAsk'
      ? [[button(ctx, 'button.asCorrection', { kind: 'add-to-case', caseCode: candidates[0]!.code })]]
      : candidates.map((r) => [button(ctx, key === 'which' ? 'button.addTo' : 'button.correctionOf', { kind: 'add-to-case', caseCode: r.code }, { code: r.code })]);
  rows.push([button(ctx, 'button.newQuestion', { kind: 'cancel' })]);
  const reply = say(ctx, `addendum.${key}`, { code: candidates[0]!.code }, rows);
  return [candidates.length === 1 ? { ...reply, caseCode: candidates[0]!.code } : reply];
}
