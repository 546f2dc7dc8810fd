import { educationOffice } from '../../knowledge/jurisdiction.js';
import type { Button, ButtonPayload, Reply } from '../types.js';
import { button, logDecision, say, tr, type TurnContext } from './context.js';
import { rememberQuestion } from './state.js';
import type { KnowledgeDecisionLike, KnowledgeHitLike } from './types.js';

/**
 * A knowledge question: the best section with its source, 👍/👎, "您是不是想问"
 * alternatives, and — when unsure or refused — the offer to file it as a case.
 * The question text is stored only when the bot could not answer confidently.
 * `decision`: the live index's decision on `text`, when the caller has just made it (the filing flow asks
 * whether a message is a question first); made here otherwise.
 */
export async function answerQuestion(ctx: TurnContext, text: string, decision: KnowledgeDecisionLike = ctx.deps.knowledge.current().decide(text)): Promise<Reply[]> {
  if (decision.kind === 'elsewhere') {
    // Another bureau's business: said so, logged under its own intent so it is not a knowledge gap; text not kept.
    await logKb(ctx, { answered: false }, 'kb-elsewhere');
    ctx.state.alternatives = [];
    const office = educationOffice(decision.place, ctx.locale === 'en' ? 'en' : 'zh');
    return [say(ctx, 'answer.elsewhere', { home: decision.home, place: decision.place.full, office })];
  }
  if (decision.kind === 'suggest') {
    // Not clearly right: the choices instead of an answer. The question is kept as a gap (answered = false) whether
    // or not a choice is pressed: its wording did not reach an entry. None of the choices may fit (the list is
    // shown from a learned floor, and some lists hold no right entry), so the routes to staff stay as in `none`.
    const id = await logKb(ctx, { text, answered: false });
    if (id !== null) rememberQuestion(ctx.state, id, text);
    ctx.state.alternatives = decision.alternatives.slice(0, 3);
    return [
      {
        text: tr(ctx, 'answer.suggest'),
        buttons: [
          ...ctx.state.alternatives.map((a) => [{ label: choiceLabel(a), payload: choicePayload(a, id) }]),
          [fileCaseButton(ctx, id)],
          [button(ctx, 'button.human', { kind: 'menu', item: 'human' })],
        ],
      },
    ];
  }
  if (decision.kind !== 'answer') {
    const id = await logKb(ctx, { text, answered: false });
    if (id !== null) rememberQuestion(ctx.state, id, text);
    ctx.state.alternatives = [];
    return [say(ctx, 'answer.none', {}, [[fileCaseButton(ctx, id)], [button(ctx, 'button.human', { kind: 'menu', item: 'human' })]])];
  }
  const { best, confident, alternatives } = decision;
  const id = await logKb(ctx, {
    text: confident ? null : text,
    answered: true,
    confident,
    entryId: best.id,
    section: best.section,
    score: best.score,
  });
  if (id !== null) rememberQuestion(ctx.state, id, text);
  ctx.state.alternatives = alternatives.slice(0, 3);
  return answerReplies(ctx, best, id, confident);
}

/**
 * A "您是不是想问" button: answers that entry directly. The press is logged as `kb-choice`, not as a knowledge
 * question: the parent asked once, and the monthly report and the gaps count the question (already logged) once.
 * The row still records the answer served (usage per entry) and carries the 👍/👎 buttons.
 */
export async function answerAlternative(ctx: TurnContext, entryId: string, section: string | null, questionId?: number): Promise<Reply[]> {
  const index = ctx.deps.knowledge.current();
  const entry = index.entry?.(entryId);
  const linked = await questionOfChoice(ctx, questionId);
  if (entry) {
    const sectionText = entry.sections.find((s) => s.heading === section)?.text ?? entry.body;
    const id = await logKb(ctx, { answered: true, confident: true, entryId, section, score: 1, questionId: linked }, CHOICE_INTENT);
    ctx.state.alternatives = [];
    return answerReplies(ctx, { id: entryId, section, score: 1, entry, sectionText }, id, true);
  }
  const alt = ctx.state.alternatives.find((a) => a.entryId === entryId && a.section === section);
  const query = alt ? [alt.title, alt.section].filter(Boolean).join(' ') : ctx.incoming.text;
  const decision = index.decide(query);
  if (decision.kind !== 'answer') return answerQuestion(ctx, ctx.incoming.text);
  const id = await logKb(
    ctx,
    { answered: true, confident: true, entryId: decision.best.id, section: decision.best.section, score: decision.best.score, questionId: linked },
    CHOICE_INTENT,
  );
  ctx.state.alternatives = [];
  return answerReplies(ctx, decision.best, id, true);
}

/** A pressed "您是不是想问" choice: an answer served, not a new question (report-queries.ts counts intent 'kb'). */
const CHOICE_INTENT = 'kb-choice';

const choiceLabel = (a: { title: string; section: string | null }) => (a.section ? `${a.title} · ${a.section}` : a.title);

/** A choice button names the question row it was offered for, so a press of an old list links to its own question. */
function choicePayload(a: { entryId: string; section: string | null }, questionId: number | null): ButtonPayload {
  return { kind: 'ask', entryId: a.entryId, section: a.section, ...(questionId === null ? {} : { questionId }) };
}

/**
 * The question a pressed choice answers: the row the button names, when it is a knowledge question of this
 * very chat. A button of another chat, a forged id or an older button without one links to nothing.
 */
async function questionOfChoice(ctx: TurnContext, questionId: number | undefined): Promise<number | null> {
  if (questionId === undefined) return null;
  try {
    const row = await ctx.deps.store.getMessage(questionId);
    const own = row !== null && row.intent === 'kb' && row.channel === ctx.incoming.channel && row.chatId === ctx.incoming.chatId;
    return own ? questionId : null;
  } catch (error) {
    ctx.deps.logger.error({ err: error, channel: ctx.incoming.channel }, 'could not read the question of a pressed choice; not linking it');
    return null;
  }
}

/**
 * The message log is bookkeeping: when it cannot be written (disk full, database locked) the
 * parent still gets the answer, just without the buttons that point at the log row.
 */
async function logKb(ctx: TurnContext, fields: Parameters<typeof logDecision>[2], intent = 'kb'): Promise<number | null> {
  try {
    return await logDecision(ctx, intent, fields);
  } catch (error) {
    ctx.deps.logger.error({ err: error, channel: ctx.incoming.channel }, 'could not log a knowledge decision; answering anyway');
    return null;
  }
}

export function answerReplies(ctx: TurnContext, best: KnowledgeHitLike, id: number | null, confident: boolean): Reply[] {
  const title = best.entry.title;
  const feedback: Button[] =
    id === null
      ? []
      : [
          button(ctx, 'button.helpful', { kind: 'feedback', messageId: id, helpful: true }),
          button(ctx, 'button.notHelpful', { kind: 'feedback', messageId: id, helpful: false }),
        ];
  const replies: Reply[] = [
    {
      heading: best.section ? tr(ctx, 'answer.headingSection', { title, section: best.section }) : tr(ctx, 'answer.heading', { title }),
      // An English-speaking parent is told why the answer is in Chinese (the bureau's entries are written in Chinese).
      text: `${ctx.locale === 'en' && best.entry.lang !== 'en' ? `${tr(ctx, 'answer.inChinese')}\n` : ''}${plainText(best.sectionText)}`,
      source: { entryId: best.entry.id, title, section: best.section, updated: best.entry.updated ?? null, url: best.entry.source ?? null },
      locale: ctx.locale, // the channel writes the source line in the answer's language
      ...(feedback.length > 0 ? { buttons: [feedback] } : {}),
    },
  ];
  if (ctx.state.alternatives.length > 0) {
    replies.push({
      text: tr(ctx, 'answer.alternatives'),
      buttons: ctx.state.alternatives.map((a) => [{ label: choiceLabel(a), payload: choicePayload(a, id) }]),
    });
  }
  if (!confident) replies.push(say(ctx, 'answer.unsure', {}, [[fileCaseButton(ctx, id)]]));
  return replies;
}

/**
 * Knowledge sections are Markdown; a Reply is plain text (adapters escape it).
 * Emphasis and code markers go, links keep their address: [政策](https://…) → 政策（https://…）.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\((\S+?)\)/g, '$1（$2）')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .trim();
}

export function fileCaseButton(ctx: TurnContext, messageId: number | null): Button {
  return messageId === null
    ? button(ctx, 'button.fileCase', { kind: 'menu', item: 'file' })
    : button(ctx, 'button.fileCase', { kind: 'file-case', messageId });
}

/** 👍/👎 on an answer. A message of another chat is silently not touched. */
export async function recordFeedback(ctx: TurnContext, messageId: number, helpful: boolean): Promise<Reply[]> {
  const message = await ctx.deps.store.getMessage(messageId);
  const own = message && message.channel === ctx.incoming.channel && message.chatId === ctx.incoming.chatId;
  if (own) {
    const text = ctx.state.asked.find((a) => a.id === messageId)?.text ?? null;
    await ctx.deps.store.setMessageFeedback(messageId, helpful, text);
  }
  if (helpful) return [say(ctx, 'feedback.thanks')];
  return [say(ctx, 'feedback.sorry', {}, own ? [[fileCaseButton(ctx, messageId)]] : undefined)];
}
