import { buildAnnualReport } from './build.js';
import { collectAnnualFacts, type AnnualSource } from './gather.js';
import type { AnnualReport } from './model.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-md.js';
import type { AnnualTemplates } from './templates.js';

/**
 * The annual 政府信息公开工作年度报告: gather the year's facts, fill the
 * templates, check the arithmetic, render. Every step refuses with an AppError
 * a person can act on (unbalanced tables, incomplete data, a bad template).
 *
 * @example
 *   const { report } = await draftAnnualReport({ year: 2018, bureau, timezone, now: new Date(),
 *     serviceGuides: 5, source: createAnnualSource(db), templates: loadAnnualTemplates('reports/annual') });
 *   const bytes = await renderAnnualReport(report, 'docx');
 */
export type AnnualFormat = 'md' | 'html' | 'docx';
export const ANNUAL_FORMATS: readonly AnnualFormat[] = ['md', 'html', 'docx'];

export async function draftAnnualReport(options: {
  year: number;
  bureau: string;
  timezone: string;
  now: Date;
  serviceGuides: number;
  source: AnnualSource;
  templates: AnnualTemplates;
}): Promise<{ report: AnnualReport; warnings: string[] }> {
  const { facts, warnings } = await collectAnnualFacts(options);
  return { report: buildAnnualReport(facts, options.templates), warnings };
}

export async function renderAnnualReport(report: AnnualReport, format: AnnualFormat): Promise<Buffer> {
  // docx (and its ~2 MB of code) loads only when someone asks for a .docx: the bot's memory stays small.
  if (format === 'docx') return (await import('./render-docx.js')).renderDocx(report);
  return Buffer.from(format === 'html' ? renderHtml(report) : renderMarkdown(report), 'utf8');
}

export { buildAnnualReport } from './build.js';
export { checkAnnualReport, assertBalanced, type CheckFailure } from './checks.js';
export { loadAnnualTemplates } from './templates.js';
export type { AnnualFacts } from './facts.js';
export type { AnnualReport } from './model.js';
