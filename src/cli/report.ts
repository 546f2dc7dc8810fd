import { parseArgs } from 'node:util';
import { createConsolePoster } from '../../jobs/console-poster.js';
import { createJobContext } from '../../jobs/context.js';
import { buildMonthlyReport } from '../../jobs/monthly-report.js';
import { parseConfig, type Config } from '../config.js';
import { AppError } from '../core/errors.js';
import { monthlyCsvRecords, renderMonthly } from '../core/reports/monthly/render.js';
import { silentLogger } from '../logger.js';
import { openStore } from '../storage/open-store.js';
import { toCsv } from './csv-out.js';
import { annualUsage, runAnnualReport } from './report-annual.js';
import type { CliGroup, CliIo } from './types.js';

/** One report kind: `report monthly …`, and `report annual …` when that lands. Add an entry to `reports`. */
export interface ReportCommand {
  usage: string;
  run(args: string[], io: CliIo, config: Config): Promise<number>;
}

const monthlyUsage = 'report monthly --month YYYY-MM [--format text|json|csv]';

const monthly: ReportCommand = {
  usage: monthlyUsage,
  async run(args, io, config) {
    let values: { month?: string; format?: string };
    try {
      ({ values } = parseArgs({ args, options: { month: { type: 'string' }, format: { type: 'string' } } }));
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\nUsage: npm run cli -- ${monthlyUsage}`);
    }
    const month = values.month ?? '';
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new AppError('cli_usage', `--month must be YYYY-MM, e.g. 2026-10 (got "${month}").\nUsage: npm run cli -- ${monthlyUsage}`);
    const format = values.format ?? 'text';
    if (!['text', 'json', 'csv'].includes(format))
      throw new AppError('cli_usage', `--format must be text, json or csv (got "${format}").`);
    const db = await openStore(config.DATABASE_PATH);
    try {
      const ctx = createJobContext({ config, db, poster: createConsolePoster(io.stdout), logger: silentLogger(), dryRun: true });
      const report = await buildMonthlyReport(ctx, month, new Date());
      if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (format === 'csv') io.stdout.write(toCsv(monthlyCsvRecords(report, ctx.locale)));
      else for (const post of renderMonthly(report, ctx.locale)) io.stdout.write(`${post.text}\n`);
    } finally {
      await db.close();
    }
    return 0;
  },
};

const annual: ReportCommand = { usage: annualUsage, run: (args, io, config) => runAnnualReport(args, io, config) };

const reports: Record<string, ReportCommand> = { monthly, annual };

const usage = () => `Usage:\n${Object.values(reports).map((r) => `  npm run cli -- ${r.usage}`).join('\n')}`;

const group: CliGroup = {
  summary: 'report monthly --month YYYY-MM [--format text|json|csv] | report annual ...: the figures reported upward',
  get usage() {
    return usage();
  },
  async run(args, io) {
    const [kind, ...rest] = args;
    const command = kind ? reports[kind] : undefined;
    if (!command) throw new AppError('cli_usage', `${kind ? `Unknown report "${kind}".\n` : ''}${usage()}`);
    return command.run(rest, io, parseConfig(io.env));
  },
};

export default group;
