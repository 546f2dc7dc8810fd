import { RATING_WAYS, type RatingWay } from '../../core/cases/types.js';

/**
 * `/case rate CODE N [方式] [YYYY-MM-DD]`: N stars (1–5; 民心网 also 6), or 未评价 / 不参与评星 / 0; the way defaults by the case's
 * channel (民心网 → 民心网, 来信 → 书面, 来访 → 当面, else 电话回访), the day to today. Null when the words do not parse.
 * Shared by Slack and the console; the desk checks the value against the scale and the day against the closing.
 */
export function parseRateText(words: string[]): { code: string; value: number | null; via?: RatingWay; on?: string } | null {
  const [code, rawValue, ...rest] = words;
  if (!code || !rawValue) return null;
  const valueWord = rawValue.replace(/[星★]+$/u, '');
  const value = /^(未评价|不参与评星|none|0)$/iu.test(valueWord) ? null : /^\d{1,2}$/.test(valueWord) ? Number(valueWord) : undefined;
  if (value === undefined) return null;
  let via: RatingWay | undefined;
  let on: string | undefined;
  for (const word of rest) {
    const bare = word.replace(/^(方式|日期)[=＝:：]/u, '');
    const way = RATING_WAYS.find((w) => w === bare);
    if (way && !via) via = way;
    else if (/^\d{4}-\d{2}-\d{2}$/.test(bare) && !on) on = bare;
    else return null;
  }
  return { code, value, ...(via ? { via } : {}), ...(on ? { on } : {}) };
}

