import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import {
  ANNUAL_FORMATS,
  draftAnnualReport,
  loadAnnualTemplates,
  renderAnnualReport,
  type AnnualFormat,
} from '../core/reports/annual/index.js';
import { countServiceGuides } from '../core/reports/annual/service-guides.js';
import { createAnnualSource } from '../storage/annual-report-repo.js';
import { openStore } from '../storage/open-store.js';
import { defaultOutDir } from './out-dir.js';
import type { CliIo } from './types.js';

/**
 * `report annual --year YYYY --format md|docx|html [--out FILE]`: drafts the
 * 政府信息公开工作年度报告 from the database. Markdown and HTML go to stdout
 * unless --out is given; a .docx needs --out (or is written to
 * 政府信息公开工作年度报告-YYYY.docx). Unbalanced figures stop it with every failing check.
 */
export const annualUsage =
  'report annual --year YYYY [--format md|docx|html] [--out FILE] [--service-guides N] [--templates DIR]';

export interface AnnualCommandDeps {
  now?: () => Date;
}

function usageError(message: string): AppError {
  return new AppError('cli_usage', `${message}\nUsage: npm run cli -- ${annualUsage}`);
}

export function parseAnnualArgs(args: string[], now: Date) {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        year: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'service-guides': { type: 'string' },
        templates: { type: 'string' },
      },
    }));
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const year = Number(values.year);
  if (!values.year || !/^\d{4}$/.test(values.year) || year < 2008 || year > now.getUTCFullYear())
    throw usageError(`--year must be a year from 2008 to ${now.getUTCFullYear()}, e.g. ${now.getUTCFullYear() - 1} (got "${values.year ?? ''}").`);
  const format = (values.format ?? 'md') as AnnualFormat;
  if (!ANNUAL_FORMATS.includes(format)) throw usageError(`--format must be md, docx or html (got "${values.format}").`);
  const guides = values['service-guides'];
  if (guides !== undefined && !/^\d{1,5}$/.test(guides))
    throw usageError(`--service-guides must be a whole number, e.g. 5 (got "${guides}").`);
  return {
    year,
    format,
    // A .docx cannot go to a terminal: without --out it goes to reports/out/ (git-ignored), not the checkout's root.
    out: values.out ?? (format === 'docx' ? join(defaultOutDir(), `政府信息公开工作年度报告-${year}.docx`) : undefined),
    serviceGuides: guides === undefined ? undefined : Number(guides),
    templatesDir: values.templates ?? 'reports/annual',
  };
}

export async function runAnnualReport(args: string[], io: CliIo, config: Config, deps: AnnualCommandDeps = {}): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const opts = parseAnnualArgs(args, now);
  const templates = loadAnnualTemplates(opts.templatesDir);
  const serviceGuides = opts.serviceGuides ?? (await countServiceGuides(config.KNOWLEDGE_DIR));
  const db = await openStore(config.DATABASE_PATH);
  try {
    const { report, warnings } = await draftAnnualReport({
      year: opts.year,
      bureau: config.BUREAU_NAME,
      timezone: config.TIMEZONE,
      now,
      serviceGuides,
      source: createAnnualSource(db),
      templates,
    });
    for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
    const bytes = await renderAnnualReport(report, opts.format);
    if (opts.out) {
      const path = resolve(opts.out);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
      io.stderr.write(`${report.title}：已写入 ${path}\n`);
    } else io.stdout.write(bytes.toString('utf8'));
  } finally {
    await db.close();
  }
  return 0;
}
