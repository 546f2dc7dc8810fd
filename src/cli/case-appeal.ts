import { canonicalCaseCode } from '../core/cases/case-code.js';
import { parseArgs } from 'node:util';
import { appealRecordedText, appealText, type AppealInput } from '../core/cases/appeals.js';
import { AppError } from '../core/errors.js';
import type { CliIo } from './types.js';
import { staffLocale, withCaseDesk } from './with-case-desk.js';

export const caseAppealUsage = `Usage: npm run cli -- cases appeal CODE --category 行政复议|未经复议直接起诉|复议后起诉 [--filed YYYY-MM-DD]
         [--outcome 维持|纠正|其他|尚未审结] [--decided YYYY-MM-DD] [--ref 案号] [--appeal ID] [--note TEXT]
  Records that the answer to disclosure request CODE went to 行政复议 or 行政诉讼 (《政府信息公开条例》第五十一条);
  --filed: when the bureau learned of it (the year table 四 counts it in; required for a new appeal). The result
  of an appeal already recorded: the same command with --outcome and --decided, naming the appeal by its --filed
  day, by --appeal ID (cases appeals lists the ids), or by nothing when the request has one appeal of that
  category; it updates that appeal (one appeal in table 四, its latest entry counted). A repeated command that
  changes nothing is refused. Table 四 also counts register entries of kind review (appeals about no single
  request); one that is the same case as a linked appeal (same category and 案号, or same 收到日期, or naming the
  request's code) is counted once, through the request, and registers refuse a new one.
       npm run cli -- cases appeals CODE
  Lists the request's 行政复议 / 行政诉讼 entries.`;

const options = {
  category: { type: 'string' }, filed: { type: 'string' }, outcome: { type: 'string' }, decided: { type: 'string' },
  ref: { type: 'string' }, note: { type: 'string' }, appeal: { type: 'string' },
} as const;

/** `cases appeal CODE …`: one entry, checked by the desk (appeals.ts, zod). */
export async function recordCaseAppeal(args: string[], io: CliIo): Promise<number> {
  let values: Partial<Record<keyof typeof options, string>>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options, allowPositionals: true }));
  } catch (error) {
    throw new AppError('cli_usage', `${(error as Error).message}\n${caseAppealUsage}`);
  }
  const [code] = positionals;
  if (!code || !values.category) throw new AppError('cli_usage', `CODE and --category are required.\n${caseAppealUsage}`);
  const input: AppealInput = {
    category: values.category as AppealInput['category'], ...(values.filed ? { filedOn: values.filed } : {}),
    ...(values.appeal ? { appealId: values.appeal } : {}),
    ...(values.outcome ? { outcome: values.outcome as AppealInput['outcome'] } : {}), ...(values.decided ? { decidedOn: values.decided } : {}),
    ...(values.ref ? { caseRef: values.ref } : {}), ...(values.note ? { note: values.note } : {}),
  };
  const recorded = await withCaseDesk(io, (desk) => desk.recordAppeal(code, input, 'cli'));
  io.stdout.write(`${appealRecordedText(recorded, staffLocale(io))}\n`);
  return 0;
}

/** `cases appeals CODE`: the request's entries, one line each. */
export async function listCaseAppeals(args: string[], io: CliIo): Promise<number> {
  const [code] = args;
  if (!code) throw new AppError('cli_usage', caseAppealUsage);
  const appeals = await withCaseDesk(io, (desk) => desk.appeals(code));
  const locale = staffLocale(io);
  const lines = appeals.map((a) => `#${a.appealId ?? a.id}${a.appealId ? ' (update)' : ''} ${appealText(a, locale)}`);
  io.stdout.write(appeals.length ? `${lines.join('\n')}\n` : `${canonicalCaseCode(code)}: no 行政复议/行政诉讼 recorded.\n`);
  return 0;
}
