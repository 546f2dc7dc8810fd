import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { caseError } from '../i18n/errors-text.js';
import type { RatingInput, RatingWay } from './types.js';
import type { ChannelName } from '../types.js';
import { projectPath } from '../../project-root.js';

const label = { zh: z.string().min(1), en: z.string().min(1) };
const level = z.object({ value: z.number().int().min(1).max(10), ...label });
const scale = z.object({
  id: z.string().regex(/^[a-z0-9]+$/, 'id must be lower-case letters and digits, e.g. stars5'),
  levels: z
    .array(level)
    .min(2, 'a scale needs at least two levels')
    .refine((l) => new Set(l.map((x) => x.value)).size === l.length, 'level values must be unique'),
});

export const ratingScalesSchema = z.object({ stars: scale, minxin: scale, declined: z.object(label) });
export type RatingScales = z.infer<typeof ratingScalesSchema>;
export type RatingScale = RatingScales['stars'];

export const DEFAULT_RATING_SCALES_PATH = projectPath('rules', 'rating-scales.yaml');

/** Reads and validates rules/rating-scales.yaml; every problem is reported at once. */
export function loadRatingScales(path: string = DEFAULT_RATING_SCALES_PATH): RatingScales {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('rules_invalid', `${path}: cannot read rating scales: ${(error as Error).message}`, { cause: error });
  }
  const result = ratingScalesSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${path}: ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new AppError('rules_invalid', lines.join('\n'), { details: lines });
  }
  return result.data;
}

/** What is stored in `ratings` for an input: the Chinese label is the one the annual report counts. */
export interface ResolvedRating {
  scale: string;
  value: number | null;
  label: string;
  declined: boolean;
}

export function resolveRating(scales: RatingScales, input: RatingInput, code: string, channel: string): ResolvedRating {
  if ('declined' in input) {
    const scaleId = channel === 'minxin' ? scales.minxin.id : scales.stars.id;
    return { scale: scaleId, value: null, label: scales.declined.zh, declined: true };
  }
  const chosen = input.scale === 'minxin' ? scales.minxin : scales.stars;
  const found = chosen.levels.find((l) => l.value === input.value);
  if (!found) {
    const values = chosen.levels.map((l) => l.value).sort((a, b) => a - b);
    throw caseError('case_invalid', 'ratingOffScale', { code, value: input.value, scale: chosen.id, values: values.join(', ') });
  }
  return { scale: chosen.id, value: found.value, label: found.zh, declined: false };
}

/** A rating of this many stars or fewer invites the parent to object (要求重新办理). */
export const LOW_RATING = 2;

/**
 * Which stored ratings open the objection window again (REOPEN_DAYS from the rating): the bot's star scale
 * (`stars.id`, whatever its id and number of levels) at LOW_RATING stars or fewer. A 民心网 star level (minxin) or a
 * rating on any other scale reopens nothing (民心网 has its own 评价 process), and a declined one has no value.
 * The desk's reopening (desk-staff-actions.ts) and the retention hold (retention.ts → retention-repo.ts) both use it.
 */
export function objectionRatings(scales: RatingScales): { scale: string; atMost: number } {
  return { scale: scales.stars.id, atMost: LOW_RATING };
}

/** Whether this stored rating opens the objection window (objectionRatings). */
export function opensObjection(rating: { scale: string; value: number | null; declined: boolean }, scales: RatingScales): boolean {
  const low = objectionRatings(scales);
  return !rating.declined && rating.scale === low.scale && rating.value !== null && rating.value <= low.atMost;
}

/** The star levels in one order on every channel: 1 star first, so a typed or numbered N means N stars. */
export function starLevels(scales: RatingScales): RatingScale['levels'] {
  return [...scales.stars.levels].sort((a, b) => a.value - b.value);
}

/** "★★☆☆☆" for 2 on a five-star scale: what staff see next to the label. */
export function starsText(value: number, scales: RatingScales): string {
  const max = Math.max(...scales.stars.levels.map((l) => l.value));
  return '★'.repeat(value) + '☆'.repeat(Math.max(0, max - value));
}

let defaultScales: RatingScales | undefined;

/**
 * A rated event's note ("stars5:2 不满意", "minxin:6 六星级", "stars5:- 不参与评星") as staff read it:
 * stars for the bot's scale ("★★☆☆☆ 不满意"), the label otherwise.
 */
export function ratingText(note: string | null | undefined, given?: RatingScales): string {
  const match = /^(\S+):(\S+)\s+(.*)$/u.exec(note ?? '');
  if (!match) return note ?? '';
  const [, scale, value, label] = match;
  return ratingDisplay({ scale: scale!, value: /^\d+$/.test(value ?? '') ? Number(value) : null, label: label ?? '' }, given);
}

/** A stored rating as staff read it on every channel: "★★★★☆ 满意" on the bot's star scale, the label otherwise. */
export function ratingDisplay(r: { scale: string; value: number | null; label: string }, given?: RatingScales): string {
  const scales = given ?? (defaultScales ??= loadRatingScales());
  if (r.scale === scales.stars.id && r.value !== null) return `${starsText(r.value, scales)} ${r.label}`;
  return r.label;
}

/** The way a citizen without a chat most likely rated: 民心网 cases there, letters in writing, visits in person, else the 回访 call. */
export function defaultRatingWay(channel: ChannelName): RatingWay {
  if (channel === 'minxin') return '民心网';
  if (channel === 'letter') return '书面';
  if (channel === 'visit') return '当面';
  return '电话回访';
}

/** The star values staff may record: the bot's stars, and on 民心网 its star levels beyond them (六星级). */
export function recordableStarValues(scales: RatingScales): { value: number; minxinOnly: boolean }[] {
  const stars = starLevels(scales).map((l) => l.value);
  const extra = [...scales.minxin.levels].map((l) => l.value).filter((v) => !stars.includes(v)).sort((a, b) => a - b);
  return [...stars.map((value) => ({ value, minxinOnly: false })), ...extra.map((value) => ({ value, minxinOnly: true }))];
}
