import { canonicalCaseCode } from '../core/cases/case-code.js';
import { parseArgs } from 'node:util';
import { reviewLine } from '../core/cases/review-lines.js';
import type { ReviewInput } from '../core/cases/reviews.js';
import { AppError } from '../core/errors.js';
import type { CliIo } from './types.js';
import { staffLocale, withCaseDesk } from './with-case-desk.js';

export const caseReviewUsage = `Usage: npm run cli -- cases review CODE --level 复查|复核|再次信访 [--outcome 维持|撤销|变更|不予受理|撤回]
         --requested YYYY-MM-DD [--body-received YYYY-MM-DD] [--decided YYYY-MM-DD] [--received YYYY-MM-DD] [--body NAME]
         [--reply-received YYYY-MM-DD] [--note TEXT]
  Records a 复查 / 复核 decision about a closed 信访 case (《信访条例》第三十四条、第三十五条), or with
  --level 再次信访 the same complaint again after 复核 (不再受理). --requested: when the petitioner asked (their
  30 日 limit is checked against it); --body-received: when the deciding body received the request, if later (a
  request by post): the body's 30 日 to decide count from it; --decided: the date of the decision (撤回: the day
  the petitioner withdrew the request, which ends it without a decision); --received: when it reached the bureau (default today, TIMEZONE);
  --body: who decided (复查 default BUREAU_SUPERIOR; required for 复核); --reply-received: when the petitioner
  received the written reply (复查) or the 复查意见 (复核), if later. A request made after its 30 日 limit is
  recorded as out of time. 撤销 reopens the case with a new deadline and tells the petitioner.
  Without --outcome and --decided: the request is recorded before its decision (pending); the decision is due
  30 日 (calendar days) after --body-received (default --requested) and the daily digest lists it when due. Record the decision later with
  --outcome and --decided (--requested may be left out: the pending request's day stands).
       npm run cli -- cases reviews CODE
  Lists the case's 复查 / 复核 entries.`;

const options = {
  level: { type: 'string' }, outcome: { type: 'string' }, requested: { type: 'string' }, decided: { type: 'string' },
  received: { type: 'string' }, 'body-received': { type: 'string' }, body: { type: 'string' }, 'reply-received': { type: 'string' }, note: { type: 'string' },
} as const;

/** `cases review CODE …`: one entry, checked by the desk (reviews.ts, zod). */
export async function recordCaseReview(args: string[], io: CliIo): Promise<number> {
  let values: Partial<Record<keyof typeof options, string>>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options, allowPositionals: true }));
  } catch (error) {
    throw new AppError('cli_usage', `${(error as Error).message}\n${caseReviewUsage}`);
  }
  const [code] = positionals;
  if (!code || !values.level) throw new AppError('cli_usage', `CODE and --level are required.\n${caseReviewUsage}`);
  const input: ReviewInput = {
    level: values.level as ReviewInput['level'], ...(values.requested ? { requestedOn: values.requested } : {}),
    ...(values.outcome ? { outcome: values.outcome } : {}), ...(values.decided ? { decidedOn: values.decided } : {}),
    ...(values.received ? { receivedOn: values.received } : {}), ...(values['body-received'] ? { requestReceivedOn: values['body-received'] } : {}), ...(values.body ? { body: values.body } : {}),
    ...(values['reply-received'] ? { replyReceivedOn: values['reply-received'] } : {}), ...(values.note ? { note: values.note } : {}),
  };
  const { case: record, review } = await withCaseDesk(io, (desk) => desk.recordReview(code, input, 'cli'));
  const lines = [`Recorded for ${record.code}: ${reviewLine(review, staffLocale(io))}`];
  if (record.state === 'reopened' && review.outcome === '撤销')
    lines.push(`The decision was revoked: ${record.code} is reopened, new deadline ${record.deadlineOn ?? '-'}; the petitioner is told where the bot can reach them.`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** `cases reviews CODE`: the case's entries, one line each. */
export async function listCaseReviews(args: string[], io: CliIo): Promise<number> {
  const [code] = args;
  if (!code) throw new AppError('cli_usage', caseReviewUsage);
  const reviews = await withCaseDesk(io, (desk) => desk.reviews(code));
  const locale = staffLocale(io);
  io.stdout.write(reviews.length ? `${reviews.map((r) => reviewLine(r, locale)).join('\n')}\n` : `${canonicalCaseCode(code)}: no 复查/复核 recorded.\n`);
  return 0;
}
