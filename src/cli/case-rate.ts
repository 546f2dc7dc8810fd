import { parseArgs } from 'node:util';
import { ratingText } from '../core/cases/ratings.js';
import { RATING_WAYS, type RatingWay } from '../core/cases/types.js';
import { AppError } from '../core/errors.js';
import type { CliIo } from './types.js';
import { withCaseDesk } from './with-case-desk.js';

export const caseRateUsage = `Usage: npm run cli -- cases rate CODE --stars N|未评价 --via ${RATING_WAYS.join('|')} [--on YYYY-MM-DD]
  Records the rating of a closed case without a chat (phone, 民心网, letter, visit): N stars (1-5; on 民心网 its
  star level, up to 6), or 未评价 (不参与评星); --via: how the citizen gave it; --on: the day (default today,
  TIMEZONE; not after today nor before the closing day). A case filed in a chat is rated by the parent there.`;

const options = { stars: { type: 'string' }, via: { type: 'string' }, on: { type: 'string' } } as const;

/** `cases rate CODE --stars N --via 方式 [--on DATE]`: the desk checks it (desk-ratings.ts) and audits it. */
export async function recordCaseRating(args: string[], io: CliIo): Promise<number> {
  let values: Partial<Record<keyof typeof options, string>>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options, allowPositionals: true }));
  } catch (error) {
    throw new AppError('cli_usage', `${(error as Error).message}\n${caseRateUsage}`);
  }
  const [code] = positionals;
  const starsWord = values.stars?.trim() ?? '';
  const value = /^(未评价|不参与评星|none|0)$/iu.test(starsWord) ? null : /^\d{1,2}$/.test(starsWord) ? Number(starsWord) : undefined;
  if (!code || value === undefined || !values.via)
    throw new AppError('cli_usage', `CODE, --stars (a number or 未评价) and --via are required.\n${caseRateUsage}`);
  const via = values.via.trim() as RatingWay;
  const { record, text } = await withCaseDesk(io, async (desk) => {
    const record = await desk.recordRating(code, { value, via, ...(values.on ? { on: values.on } : {}) }, 'cli');
    const rating = (await desk.history(record.code)).filter((e) => e.kind === 'rated').at(-1);
    return { record, text: ratingText(rating?.note, desk.ratingScales) };
  });
  io.stdout.write(`Recorded the rating of ${record.code}: ${text} (${via}).\n`);
  return 0;
}
