import { parseArgs } from 'node:util';
import { appealText, type AppealInput } from '../core/cases/appeals.js';
import { AppError } from '../core/errors.js';
import type { CliIo } from './types.js';
import { withCaseDesk } from './with-case-desk.js';

export const caseAppealUsage = `Usage: npm run cli -- cases appeal CODE --category 行政复议|未经复议直接起诉|复议后起诉 --filed YYYY-MM-DD
         [--outcome 维持|纠正|其他|尚未审结] [--decided YYYY-MM-DD] [--ref 案号] [--note TEXT]
  Records that the answer to disclosure request CODE went to 行政复议 or 行政诉讼 (《政府信息公开条例》第五十一条);
  --filed: when the bureau learned of it (the year table 四 counts it in); record again with --outcome and
  --decided when it is decided (the latest entry counts). The annual report's table 四 counts these entries
  together with register entries of kind review (appeals about no single request).
       npm run cli -- cases appeals CODE
  Lists the request's 行政复议 / 行政诉讼 entries.`;

const options = {
  category: { type: 'string' }, filed: { type: 'string' }, outcome: { type: 'string' }, decided: { type: 'string' },
  ref: { type: 'string' }, note: { type: 'string' },
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
  if (!code || !values.category || !values.filed) throw new AppError('cli_usage', `CODE, --category and --filed are required.\n${caseAppealUsage}`);
  const input: AppealInput = {
    category: values.category as AppealInput['category'], filedOn: values.filed,
    ...(values.outcome ? { outcome: values.outcome as AppealInput['outcome'] } : {}), ...(values.decided ? { decidedOn: values.decided } : {}),
    ...(values.ref ? { caseRef: values.ref } : {}), ...(values.note ? { note: values.note } : {}),
  };
  const { case: record, appeal } = await withCaseDesk(io, (desk) => desk.recordAppeal(code, input, 'cli'));
  io.stdout.write(`Recorded for ${record.code}: ${appealText(appeal, 'zh')}\n`);
  return 0;
}

/** `cases appeals CODE`: the request's entries, one line each. */
export async function listCaseAppeals(args: string[], io: CliIo): Promise<number> {
  const [code] = args;
  if (!code) throw new AppError('cli_usage', caseAppealUsage);
  const appeals = await withCaseDesk(io, (desk) => desk.appeals(code));
  io.stdout.write(appeals.length ? `${appeals.map((a) => appealText(a, 'zh')).join('\n')}\n` : `${code.toUpperCase()}: no 行政复议/行政诉讼 recorded.\n`);
  return 0;
}
