import { parseArgs } from 'node:util';
import { assertIsoDate, loadWorkCalendar } from '../core/calendar/index.js';
import { computeDeadline, explainDeadline, loadDeadlineRules, ruleInForce } from '../core/deadlines/index.js';
import { AppError } from '../core/errors.js';
import { CASE_TYPES, type CaseType } from '../core/types.js';
import { explainCase } from './deadline-case.js';
import type { CliGroup } from './types.js';

const usage = `Usage: npm run cli -- deadline explain --type TYPE --from YYYY-MM-DD [--extended] [--rules FILE] [--overrides FILE]
       npm run cli -- deadline explain CODE   (a stored case, with its clock pauses: 补正, 征求第三方意见)
  TYPE: ${CASE_TYPES.join(', ')}
  Prints how the answer deadline is computed: rest days skipped (weekends, holidays by name),
  make-up working days (调休上班) counted, and whether the result is estimated.`;

const group: CliGroup = {
  summary: 'deadline explain: show how a case deadline is computed (working days, 调休, holidays)',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'explain') throw new AppError('cli_usage', sub ? `Unknown deadline command "${sub}".\n${usage}` : usage);
    let values: { type?: string; from?: string; extended?: boolean; rules?: string; overrides?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          type: { type: 'string' },
          from: { type: 'string' },
          extended: { type: 'boolean' },
          rules: { type: 'string' },
          overrides: { type: 'string' },
        },
      }));
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    if (positionals.length > 1) throw new AppError('cli_usage', `Give one case code.\n${usage}`);
    if (positionals[0]) return explainCase(positionals[0], io, { rules: values.rules, overrides: values.overrides });
    if (!values.type || !(CASE_TYPES as readonly string[]).includes(values.type))
      throw new AppError('cli_usage', `--type must be one of ${CASE_TYPES.join(', ')} (got "${values.type ?? ''}").\n${usage}`);
    if (!values.from) throw new AppError('cli_usage', `--from is required.\n${usage}`);
    const from = assertIsoDate(values.from, '--from');
    const type = values.type as CaseType;
    // --from is the day received: it picks the regime in force then (the 2007 条例 before 2019-05-15).
    const rule = ruleInForce(loadDeadlineRules(values.rules)[type], from);
    const calendar = loadWorkCalendar(values.overrides);
    const result = computeDeadline(calendar, rule, from, { extended: values.extended ?? false });
    io.stdout.write(explainDeadline(type, rule, result, { lastKnownYear: calendar.lastKnownYear, extended: values.extended }));
    return 0;
  },
};

export default group;
