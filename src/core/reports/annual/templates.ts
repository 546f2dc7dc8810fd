import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors.js';

/**
 * Narrative templates of the annual report: `reports/annual/<name>.md`, edited
 * by the office without touching code.
 *
 * Syntax:
 * - `{{disclosures.total}}` → the figure (a number or a ready-made phrase);
 * - `{{#if petitions.overdue}}有…{{else}}无超期件。{{/if}}` → first branch when the
 *   value is a non-zero number, a non-empty string or true; else the second
 *   (`{{else}}` is optional; blocks may nest);
 * - `<!-- … -->` comments are dropped; a blank line starts a new paragraph;
 *   line breaks inside a paragraph are removed (Chinese prose has no spaces).
 *
 * @example
 *   fillTemplate('六', '{{#if proposals.total}}办理{{proposals.total}}件。{{else}}未承办建议提案。{{/if}}', ctx)
 */
export type TemplateValue = string | number | boolean;
export interface TemplateContext {
  [key: string]: TemplateValue | TemplateContext;
}

export const TEMPLATE_NAMES = [
  'intro',
  'overview-proactive',
  'overview-on-request',
  'overview-management',
  'overview-platform',
  'overview-oversight',
  'problems',
  'other',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type AnnualTemplates = Record<TemplateName, { file: string; text: string }>;

/** Reads every template; a missing file is an error naming it (no silent empty section). */
export function loadAnnualTemplates(dir: string): AnnualTemplates {
  let present: string[];
  try {
    present = readdirSync(dir);
  } catch (error) {
    throw new AppError('config_invalid', `Annual report templates: cannot read folder ${dir} (${String(error)})`, {
      cause: error,
    });
  }
  const missing = TEMPLATE_NAMES.filter((n) => !present.includes(`${n}.md`));
  if (missing.length > 0)
    throw new AppError(
      'config_invalid',
      `Annual report templates: ${dir} lacks ${missing.map((m) => `${m}.md`).join(', ')}; restore them from the repository.`,
    );
  const entries = TEMPLATE_NAMES.map((n) => {
    const file = join(dir, `${n}.md`);
    return [n, { file, text: readFileSync(file, 'utf8') }] as const;
  });
  return Object.fromEntries(entries) as AnnualTemplates;
}

function lookup(ctx: TemplateContext, path: string): TemplateValue | TemplateContext | undefined {
  let value: TemplateValue | TemplateContext | undefined = ctx;
  for (const part of path.split('.')) {
    if (value === undefined || typeof value !== 'object') return undefined;
    value = value[part];
  }
  return value;
}

const TOKEN = /\{\{\s*(#if\s+|\/if|else)?\s*([\w.]*)\s*\}\}/g;

/** Every problem in a template at once: `file:line: message`. */
export function validateTemplate(file: string, raw: string, ctx: TemplateContext): string[] {
  const problems: string[] = [];
  const text = stripComments(raw);
  let depth = 0;
  for (const m of text.matchAll(TOKEN)) {
    const line = text.slice(0, m.index).split('\n').length;
    const [, kind, path] = m;
    if (kind?.startsWith('#if')) depth++;
    if (kind === '/if') depth--;
    if (depth < 0) problems.push(`${file}:${line}: {{/if}} without {{#if}}`);
    if ((kind === undefined || kind.startsWith('#if')) && path) {
      const v = lookup(ctx, path);
      if (v === undefined || (typeof v === 'object' && kind === undefined))
        problems.push(`${file}:${line}: unknown placeholder {{${path}}}`);
    }
  }
  if (depth > 0) problems.push(`${file}: {{#if}} without {{/if}}`);
  return problems;
}

/** Drops `<!-- … -->`, keeping its line breaks so reported line numbers stay right. */
const stripComments = (text: string) => text.replace(/<!--[\s\S]*?-->/g, (c) => '\n'.repeat(c.split('\n').length - 1));

function truthy(v: TemplateValue | TemplateContext | undefined): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.trim() !== '';
  return v === true;
}

function show(v: TemplateValue | TemplateContext | undefined): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  return typeof v === 'string' ? v : '';
}

const INNER_IF = /\{\{\s*#if\s+([\w.]+)\s*\}\}((?:(?!\{\{\s*#if)[\s\S])*?)\{\{\s*\/if\s*\}\}/;

/** Fills one template and returns its paragraphs; throws AppError listing every bad placeholder. */
export function fillTemplate(file: string, text: string, ctx: TemplateContext): string[] {
  const problems = validateTemplate(file, text, ctx);
  if (problems.length > 0)
    throw new AppError('config_invalid', `Annual report template errors:\n  ${problems.join('\n  ')}`, { details: problems });
  let out = stripComments(text);
  for (let m = INNER_IF.exec(out); m; m = INNER_IF.exec(out)) {
    const [whole, path = '', body = ''] = m;
    const [yes, no = ''] = body.split(/\{\{\s*else\s*\}\}/);
    out = out.slice(0, m.index) + (truthy(lookup(ctx, path)) ? (yes ?? '') : no) + out.slice(m.index + whole.length);
  }
  out = out.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_w, path: string) => show(lookup(ctx, path)));
  return out
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim())
        .join(''),
    )
    .filter((p) => p !== '');
}
