import { formatDeadline, objectButton } from '../cases/messages.js';
import { LOW_RATING, loadRatingScales, starLevels, type RatingScales } from '../cases/ratings.js';
import { t } from '../i18n/index.js';
import '../i18n/intake.js';
import type { CaseRecord } from '../cases/types.js';
import type { CaseState, Reply } from '../types.js';
import { button, say, tr, type TurnContext } from './context.js';
import { deadlineText } from './filing.js';

let defaultScales: RatingScales | undefined;

const OPEN_STATES: CaseState[] = ['received', 'claimed', 'replied', 'returned', 'extended', 'unreachable', 'reopened'];

/** The case only when it belongs to this chat: codes are guessable, so a stranger's code reads as unknown. */
export async function ownCase(ctx: TurnContext, code: string): Promise<CaseRecord | null> {
  const record = await ctx.deps.cases.get(code);
  if (!record || record.chatId !== ctx.incoming.chatId || record.channel !== ctx.incoming.channel) return null;
  return record;
}

function deadlineShort(ctx: TurnContext, record: CaseRecord): string {
  return record.deadlineOn ? tr(ctx, 'status.deadline', { date: formatDeadline(ctx.locale, record.deadlineOn) }) : tr(ctx, 'status.noDeadline');
}

export async function statusByCode(ctx: TurnContext, code: string): Promise<Reply[]> {
  const record = await ownCase(ctx, code);
  if (!record) return [say(ctx, 'status.notFound', { code })];
  const lines = [
    tr(ctx, 'status.detail', {
      code: record.code,
      type: tr(ctx, `type.${record.type}`),
      state: tr(ctx, `state.${record.state}`),
      deadline: deadlineText(ctx, record),
    }),
  ];
  const history = await ctx.deps.cases.history(record.code);
  const reply = [...history].reverse().find((e) => e.kind === 'reply' && e.note);
  if (reply?.note) lines.push(tr(ctx, 'status.latestReply', { reply: reply.note }));
  return [{ text: lines.join('\n'), caseCode: record.code }];
}

export async function listOwnCases(ctx: TurnContext): Promise<Reply[]> {
  const records = await ctx.deps.cases.list({ chatId: ctx.incoming.chatId, channel: ctx.incoming.channel, states: OPEN_STATES, limit: 20 });
  const own = records.filter((r) => r.chatId === ctx.incoming.chatId);
  if (own.length === 0) return [say(ctx, 'status.none', {}, [[button(ctx, 'button.file', { kind: 'menu', item: 'file' })]])];
  const lines = own.map((r) =>
    tr(ctx, 'status.line', { code: r.code, type: tr(ctx, `type.${r.type}`), state: tr(ctx, `state.${r.state}`), deadline: deadlineShort(ctx, r) }),
  );
  return [{ text: [tr(ctx, 'status.list'), ...lines].join('\n') }];
}

/** Offers stars for the chat's latest closed case. */
export async function offerRating(ctx: TurnContext, code?: string): Promise<Reply[]> {
  const record = code
    ? await ownCase(ctx, code)
    : ((await ctx.deps.cases.list({ chatId: ctx.incoming.chatId, channel: ctx.incoming.channel, states: ['closed'], limit: 50 })).sort((a, b) => b.id - a.id)[0] ?? null);
  if (!record || record.state !== 'closed') return [say(ctx, 'rate.none')];
  const rows = [
    ...starLevels(scalesOf(ctx)).map((level) => [
      button(ctx, 'rate.star', { kind: 'rate', caseCode: record.code, value: level.value }, { stars: '★'.repeat(level.value), label: level[ctx.locale] }),
    ]),
    [objectButton(record)],
  ];
  ctx.state.rating = record.code;
  return [{ ...say(ctx, 'rate.ask', { code: record.code }, rows), caseCode: record.code }];
}

const scalesOf = (ctx: TurnContext) => ctx.deps.ratingScales ?? (defaultScales ??= loadRatingScales());

/** Stars typed instead of pressed: "5", "5星", "五颗星", "★★★★★". A bare digit counts only when the caller says so. */
export function typedStars(ctx: TurnContext, text: string, bareDigitMeansStars: boolean): number | null {
  const clean = text.trim().normalize('NFKC');
  const numerals: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };
  const max = Math.max(...scalesOf(ctx).stars.levels.map((l) => l.value));
  let value: number | null = null;
  if (/^★{1,10}$/u.test(clean)) value = clean.length;
  const starred = /^(?:给|打|评)?(?:个)?([1-9]|[一二两三四五])\s*(?:颗|个)?\s*(?:星|stars?)[吧。.!！]*$/iu.exec(clean);
  if (starred?.[1]) value = numerals[starred[1]] ?? Number(starred[1]);
  if (bareDigitMeansStars && /^[1-9]$/.test(clean)) value = Number(clean);
  return value !== null && value >= 1 && value <= max ? value : null;
}

export async function rateCase(ctx: TurnContext, code: string, value: number): Promise<Reply[]> {
  const record = await ownCase(ctx, code);
  if (!record) return [say(ctx, 'status.notFound', { code })];
  try {
    await ctx.deps.cases.rate(code, { scale: 'stars', value }, 'citizen');
  } catch (error) {
    ctx.deps.logger.warn({ err: error, code }, 'rating refused');
    return [say(ctx, 'rate.failed')];
  }
  // ★★ or less: the parent is offered the objection at once (the desk lets it reopen within REOPEN_DAYS of the rating).
  if (value <= LOW_RATING) {
    ctx.state.rating = record.code;
    return [{ text: t(ctx.locale, 'intake.rate.low'), buttons: [[objectButton(record)]], caseCode: record.code }];
  }
  delete ctx.state.rating;
  return [say(ctx, 'rate.thanks')];
}
