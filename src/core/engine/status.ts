import { formatDeadline } from '../cases/messages.js';
import { loadRatingScales, type RatingScales } from '../cases/ratings.js';
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
  const scales = ctx.deps.ratingScales ?? (defaultScales ??= loadRatingScales());
  const rows = scales.stars.levels.map((level) => [
    button(ctx, 'rate.star', { kind: 'rate', caseCode: record.code, value: level.value }, { stars: '★'.repeat(level.value), label: level[ctx.locale] }),
  ]);
  return [{ ...say(ctx, 'rate.ask', { code: record.code }, rows), caseCode: record.code }];
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
  return [say(ctx, 'rate.thanks')];
}
