import { formatDeadline, objectButton } from '../cases/messages.js';
import { STATUS_STATES } from '../cases/transitions.js';
import { LOW_RATING, loadRatingScales, starLevels, starsText, type RatingScales } from '../cases/ratings.js';
import { isAppError } from '../errors.js';
import { t } from '../i18n/index.js';
import '../i18n/intake.js';
import type { CaseRecord } from '../cases/types.js';
import type { Reply } from '../types.js';
import { CHINESE_DIGITS } from '../privacy/mask.js';
import { button, say, tr, type TurnContext } from './context.js';
import { deadlineText } from './filing.js';

let defaultScales: RatingScales | undefined;


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

/** Open cases listed by name in one status message; the rest are counted (a chat with hundreds is a test or misuse). */
const OPEN_CASES_LISTED = 20;
const OPEN_CASES_READ = 1000;

export async function listOwnCases(ctx: TurnContext): Promise<Reply[]> {
  const records = await ctx.deps.cases.list({ chatId: ctx.incoming.chatId, channel: ctx.incoming.channel, states: [...STATUS_STATES], limit: OPEN_CASES_READ });
  const all = records.filter((r) => r.chatId === ctx.incoming.chatId);
  if (all.length === 0) return [say(ctx, 'status.none', {}, [[button(ctx, 'button.file', { kind: 'menu', item: 'file' })]])];
  const own = all.slice(0, OPEN_CASES_LISTED);
  const lines = own.map((r) =>
    tr(ctx, 'status.line', { code: r.code, type: tr(ctx, `type.${r.type}`), state: tr(ctx, `state.${r.state}`), deadline: deadlineShort(ctx, r) }),
  );
  // The list shows the newest; the others (the oldest, often the most urgent) are counted and can be asked for by code.
  const rest = all.slice(OPEN_CASES_LISTED);
  const more = rest.length > 0 ? [tr(ctx, 'status.more', { count: rest.length, oldest: rest.at(-1)!.code })] : [];
  return [{ text: [tr(ctx, 'status.list'), ...lines, ...more].join('\n') }];
}

/** Offers stars for the chat's latest closed case. */
export async function offerRating(ctx: TurnContext, code?: string): Promise<Reply[]> {
  const record = code
    ? await ownCase(ctx, code)
    : ((await ctx.deps.cases.list({ chatId: ctx.incoming.chatId, channel: ctx.incoming.channel, states: ['closed'], limit: 50 })).sort((a, b) => b.id - a.id)[0] ?? null);
  if (!record || record.state !== 'closed') return [say(ctx, 'rate.none')];
  ctx.state.rating = record.code;
  return [{ ...say(ctx, 'rate.ask', { code: record.code }, starRows(ctx, record)), caseCode: record.code }];
}

/** One button per star level, then the objection (none for a disclosure: its answer is not reopened). */
function starRows(ctx: TurnContext, record: CaseRecord) {
  const stars = starLevels(scalesOf(ctx)).map((level) => [
    button(ctx, 'rate.star', { kind: 'rate', caseCode: record.code, value: level.value }, { stars: '★'.repeat(level.value), label: level[ctx.locale] }),
  ]);
  return record.type === 'disclosure' ? stars : [...stars, [objectButton(record)]];
}

const scalesOf = (ctx: TurnContext) => ctx.deps.ratingScales ?? (defaultScales ??= loadRatingScales());

/** A Chinese digit's value (mask.ts's table, plus 两 as said in counts: 两颗星); undefined for anything else. */
const chineseDigit = (c: string): number | undefined => (c === '两' ? 2 : CHINESE_DIGITS[c] === undefined ? undefined : Number(CHINESE_DIGITS[c]));
const ENGLISH_NUMBERS: Record<string, number> = { zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const NUMBER = '\\d{1,3}|[零〇一二两三四五六七八九十]{1,3}|zero|one|two|three|four|five|six|seven|eight|nine|ten';
/** "5星", "五颗星", "打5分", "10分", "五星好评", "5 stars", "five stars". */
const STARRED = new RegExp(`^(?:给|打|评)?(?:个)?(${NUMBER})\\s*(?:颗|个)?\\s*(?:星|分|stars?|points?|★|⭐|🌟)(?:好评|差评)?[吧。.!！]*$`, 'iu');
/**
 * A run of star symbols: ★ (U+2605), and ⭐ (U+2B50) and 🌟 as phone emoji keyboards type them (U+FE0F and spaces
 * removed first); empty stars after them ("★★★☆☆") are the rest of the scale, not counted.
 */
const STAR_RUN = /^([★⭐🌟]{1,10})☆*$/u;
/** A number alone: "5", "0", "10", "五". */
const BARE = new RegExp(`^(${NUMBER})[。.!！]*$`, 'iu');

/** 0–999 written in digits, Chinese numerals (五, 十, 十二, 二十) or an English word; null when it is not a number. */
function numberValue(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw);
  const english = ENGLISH_NUMBERS[raw.toLowerCase()];
  if (english !== undefined) return english;
  const ten = raw.indexOf('十');
  if (ten < 0) return raw.length === 1 ? (chineseDigit(raw) ?? null) : null;
  const tens = ten === 0 ? 1 : chineseDigit(raw.slice(0, ten));
  const ones = raw.length === ten + 1 ? 0 : chineseDigit(raw.slice(ten + 1));
  return tens === undefined || ones === undefined ? null : tens * 10 + ones;
}

/**
 * Stars typed instead of pressed: "5", "5星", "五颗星", "打5分", "★★★★★". A number alone counts only when the caller says
 * so. A rating off the scale ("0", "6", "10分", "六星") is 'off-scale': the parent is asked for 1–5, nothing is stored.
 */
export function typedStars(ctx: TurnContext, text: string, bareNumberMeansStars: boolean): number | 'off-scale' | null {
  const clean = text.trim().normalize('NFKC');
  const values = scalesOf(ctx).stars.levels.map((l) => l.value);
  let value: number | null = null;
  const run = STAR_RUN.exec(clean.replace(/[\s\uFE0F]/gu, ''));
  if (run?.[1]) value = [...run[1]].length;
  const starred = STARRED.exec(clean);
  if (starred?.[1]) value = numberValue(starred[1]);
  const bare = bareNumberMeansStars ? BARE.exec(clean) : null;
  if (bare?.[1]) value = numberValue(bare[1]);
  if (value === null) return null;
  return values.includes(value) ? value : 'off-scale';
}

/**
 * The words shops and apps rate with, read as the scale's top, middle and bottom level: 好评 / 中评 / 差评 (good /
 * so-so / bad). They are not the buttons' labels, so the reply says which level they were recorded as.
 */
const RATING_WORDS: Record<string, 'top' | 'middle' | 'bottom'> = { 好评: 'top', 中评: 'middle', 差评: 'bottom' };

/** The message without what surrounds a rating: "我觉得", "评价：", trailing 吧/啊, courtesy ("非常满意，谢谢"). */
function ratingSaid(text: string): string {
  return text
    .trim()
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^(?:我)?(?:觉得|评价|评|选|给(?:个)?)?[:：]?\s*/u, '')
    .replace(/[\s,，。.!！~]*(?:谢谢|谢谢你们|谢了|thanks?(?: you)?)?[\s,，。.!！~]*$/iu, '')
    .replace(/(?:吧|啊|呀|哦|哈)+$/u, '')
    .replace(/[\s,，。.!！~]+$/u, '');
}

/** 好评, 中评, 差评 (with the courtesy ratingSaid removes) as the word said; null for anything else. */
export function ratingWord(text: string): string | null {
  const said = ratingSaid(text);
  return RATING_WORDS[said] ? said : null;
}

/**
 * The level whose own label the message is ("非常满意", "满意", "一般", "very satisfied"; either language, as the
 * buttons show them), with courtesy around it ("非常满意，谢谢") and the reduplicated spoken form ("一般般吧"), or a
 * rating word (ratingWord: 好评 → the top level, 中评 → the middle, 差评 → the bottom); null for anything else
 * ("很满意" is not a label).
 */
export function ratingLabel(ctx: TurnContext, text: string): number | null {
  const said = ratingSaid(text);
  const levels = starLevels(scalesOf(ctx));
  const word = RATING_WORDS[said];
  if (word) return (word === 'top' ? levels.at(-1) : word === 'bottom' ? levels[0] : levels[Math.floor(levels.length / 2)])!.value;
  // "一般般": the label with its last character said twice, as people say it.
  const single = /(.)\1$/u.test(said) ? said.slice(0, -1) : said;
  const level = levels.find((l) => l.zh === said || l.zh === single || l.en.toLowerCase() === said);
  return level?.value ?? null;
}

/** The case holds a rating given since it was last closed (the desk takes one per closing). */
export async function ratedSinceClosing(ctx: TurnContext, record: CaseRecord): Promise<boolean> {
  if (!record.closedAt) return false;
  const closedAt = record.closedAt;
  return (await ctx.deps.cases.history(record.code)).some((e) => e.kind === 'rated' && e.at >= closedAt);
}

/**
 * The answer to stars off the scale: which numbers to send, in the parent's language. A case already rated (or not
 * closed) cannot be rated again: told so, and the next number is not taken as its stars.
 */
export async function starsOffScale(ctx: TurnContext, record: CaseRecord): Promise<Reply[]> {
  if (record.state !== 'closed' || (await ratedSinceClosing(ctx, record))) {
    if (ctx.state.rating === record.code) delete ctx.state.rating;
    return [say(ctx, 'rate.failed')];
  }
  const values = scalesOf(ctx).stars.levels.map((l) => l.value);
  ctx.state.rating = record.code; // the next number sent rates it
  return [{ ...say(ctx, 'rate.offScale', { min: Math.min(...values), max: Math.max(...values), code: record.code }), caseCode: record.code }];
}

/** The parent is told the stars were not saved (the database refused the write) and gets them again. */
function ratingNotSaved(ctx: TurnContext, record: CaseRecord): Reply[] {
  ctx.state.rating = record.code;
  return [{ text: t(ctx.locale, 'intake.rate.notSaved', { code: record.code }), buttons: starRows(ctx, record), caseCode: record.code }];
}

/**
 * Stars typed ("5", "五星", "满意") in a message the channel could not record (the database refuses writes): the reply a
 * failed rating write gets — not saved, the stars again — found by reads only. Null when the message is no rating of
 * a case that could take one (then the channel answers as it does for any unrecorded message).
 */
export async function unrecordedRating(ctx: TurnContext, text: string, isObjection: (text: string) => boolean): Promise<Reply[] | null> {
  const offered = ctx.state.rating;
  const bareNumber = /^(\d{1,2}|[零〇一二两三四五六七八九十]{1,2})[。.!！]*$/u.test(text.trim().normalize('NFKC'));
  const label = ratingLabel(ctx, text);
  const stars = label ?? typedStars(ctx, text, Boolean(offered) || bareNumber);
  if (stars === null || stars === 'off-scale' || (label !== null && isObjection(text))) return null;
  const own = offered ? await ownCase(ctx, offered) : null;
  const record =
    own ?? (await ctx.deps.cases.list({ chatId: ctx.incoming.chatId, channel: ctx.incoming.channel, states: ['closed'], limit: 20 })).sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''))[0] ?? null;
  if (!record || record.state !== 'closed' || (await ratedSinceClosing(ctx, record))) return null;
  // A number or a label alone rates only right after the stars were offered, or soon after the closing (as afterClosing reads it).
  const loose = bareNumber || label !== null;
  const recent = record.closedAt !== null && ctx.at.getTime() - new Date(record.closedAt).getTime() <= ctx.deps.config.REOPEN_DAYS * 86_400_000;
  if (loose && !offered && !recent) return null;
  return ratingNotSaved(ctx, record);
}

/** A star pressed in a message the channel could not record: the same "not saved, the stars again" reply, by reads only. */
export async function unrecordedStarPress(ctx: TurnContext, code: string): Promise<Reply[] | null> {
  const record = await ownCase(ctx, code);
  if (!record || record.state !== 'closed' || (await ratedSinceClosing(ctx, record))) return null;
  return ratingNotSaved(ctx, record);
}

/**
 * What was recorded, said back: the stars and their label, and — for a word that is no button's label (差评) — the
 * word and the level it was recorded as, so the parent knows what the bureau counts.
 */
function recordedLine(ctx: TurnContext, code: string, value: number, word?: string): string {
  const scales = scalesOf(ctx);
  const level = scales.stars.levels.find((l) => l.value === value);
  const params = { code, stars: starsText(value, scales), label: level ? level[ctx.locale] : String(value), word: word ?? '' };
  return tr(ctx, word ? 'rate.recordedWord' : 'rate.recorded', params);
}

/** `word`: the rating word the stars were read from (ratingWord), said back with the level it was recorded as. */
export async function rateCase(ctx: TurnContext, code: string, value: number, word?: string): Promise<Reply[]> {
  const record = await ownCase(ctx, code);
  if (!record) return [say(ctx, 'status.notFound', { code })];
  // A forged or outdated button with stars off the scale: asked for 1–5 (or told it is already rated).
  if (!scalesOf(ctx).stars.levels.some((l) => l.value === value)) return starsOffScale(ctx, record);
  try {
    await ctx.deps.cases.rate(code, { scale: 'stars', value }, 'citizen');
  } catch (error) {
    // Only the desk's refusal (not closed, rated once) is "cannot be rated"; a database fault is not an answer about
    // the case: the parent is told nothing was saved and gets the stars again, and a bare number still rates it.
    if (isAppError(error, 'storage_failed')) {
      ctx.deps.logger.warn({ err: error, code }, 'rating not recorded: storage failed');
      return ratingNotSaved(ctx, record);
    }
    if (!isAppError(error, 'case_illegal_transition') && !isAppError(error, 'case_invalid')) throw error;
    ctx.deps.logger.warn({ err: error, code }, 'rating refused');
    return [say(ctx, 'rate.failed')];
  }
  // ★★ or less: the parent is offered the objection at once (the desk lets it reopen within REOPEN_DAYS of the rating).
  const recorded = recordedLine(ctx, record.code, value, word);
  if (value <= LOW_RATING && record.type !== 'disclosure') {
    ctx.state.rating = record.code;
    return [{ text: `${recorded}\n${t(ctx.locale, 'intake.rate.low')}`, buttons: [[objectButton(record)]], caseCode: record.code }];
  }
  delete ctx.state.rating;
  return [{ text: `${recorded}\n${tr(ctx, 'rate.thanks')}` }];
}
