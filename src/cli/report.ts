import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConsolePoster } from '../../jobs/console-poster.js';
import { createJobContext } from '../../jobs/context.js';
import { buildMonthlyReport } from '../../jobs/monthly-report.js';
import { parseConfig, type Config } from '../config.js';
import { AppError } from '../core/errors.js';
import { renderChartPng } from '../core/reports/monthly/chart.js';
import { monthlyCsvRecords, renderMonthly } from '../core/reports/monthly/render.js';
import { silentLogger } from '../logger.js';
import { openStore } from '../storage/open-store.js';
import { toCsv } from './csv-out.js';
import { defaultOutDir } from './out-dir.js';
import { annualUsage, runAnnualReport } from './report-annual.js';
import type { CliGroup, CliIo } from './types.js';

/** One report kind: `report monthly …`, and `report annual …` when that lands. Add an entry to `reports`. */
export interface ReportCommand {
  usage: string;
  /** What `report KIND --help` prints. */
  help?: string;
  run(args: string[], io: CliIo, config: Config): Promise<number>;
}

const monthlyUsage = 'report monthly --month YYYY-MM [--format text|json|csv|png] [--out FILE]';
const monthlyHelp = `Usage: npm run cli -- ${monthlyUsage}
  The month's counts (disclosures, cases, ratings, knowledge) beside the previous month, the same month
  last year and the year to date. text, json and csv go to stdout, or to --out FILE.
  png is the 12-month chart (Chinese labels, drawn with the font the project installs); it is written to
  --out FILE, default reports/out/monthly-YYYY-MM.png, and the path is printed.`;

const monthly: ReportCommand = {
  usage: monthlyUsage,
  help: monthlyHelp,
  async run(args, io, config) {
    let values: { month?: string; format?: string; out?: string };
    try {
      ({ values } = parseArgs({ args, options: { month: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } } }));
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\nUsage: npm run cli -- ${monthlyUsage}`);
    }
    const month = values.month ?? '';
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new AppError('cli_usage', `--month must be YYYY-MM, e.g. 2026-10 (got "${month}").\nUsage: npm run cli -- ${monthlyUsage}`);
    const format = values.format ?? 'text';
    if (!['text', 'json', 'csv', 'png'].includes(format))
      throw new AppError('cli_usage', `--format must be text, json, csv or png (got "${format}").`);
    const db = await openStore(config.DATABASE_PATH);
    try {
      const ctx = createJobContext({ config, db, poster: createConsolePoster(io.stdout, undefined, config.STAFF_LOCALE), logger: silentLogger(), dryRun: true });
      const report = await buildMonthlyReport(ctx, month, new Date());
      if (format === 'png') {
        const path = resolve(values.out ?? join(defaultOutDir(), `monthly-${month}.png`));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, await renderChartPng(report.series, ctx.locale));
        io.stdout.write(`${path}\n`);
        return 0;
      }
      let text: string;
      if (format === 'json') text = `${JSON.stringify(report, null, 2)}\n`;
      else if (format === 'csv') text = toCsv(monthlyCsvRecords(report, ctx.locale));
      else text = renderMonthly(report, ctx.locale).map((post) => `${post.text}\n`).join('');
      if (values.out === undefined) io.stdout.write(text);
      else {
        await writeFile(values.out, text);
        io.stdout.write(`${resolve(values.out)}\n`);
      }
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
  summary: 'report monthly --month YYYY-MM [--format text|json|csv|png] | report annual ...: the figures reported upward',
  get usage() {
    return usage();
  },
  help: ([kind]) => {
    const command = kind ? reports[kind] : undefined;
    return command ? (command.help ?? `Usage: npm run cli -- ${command.usage}`) : undefined;
  },
  async run(args, io) {
    const [kind, ...rest] = args;
    const command = kind ? reports[kind] : undefined;
    if (!command) throw new AppError('cli_usage', `${kind ? `Unknown report "${kind}".\n` : ''}${usage()}`);
    return command.run(rest, io, parseConfig(io.env));
  },
};

export default group;
