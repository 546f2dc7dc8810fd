import type { CaseType } from '../types.js';
import type { IntentFile, IntentName, PatternSpec } from './schema.js';
import { traditionalToSimplified } from '../../knowledge/normalize.js';

/** A pattern ready to test: `unless` (if any) vetoes a match. */
export interface CompiledPattern {
  match: RegExp;
  unless: RegExp | null;
}

export interface CompiledIntent {
  name: IntentName;
  priority: number;
  menu: boolean;
  examples: { zh: string[]; en: string[] };
  counterExamples: { zh: string[]; en: string[] };
  patterns: CompiledPattern[];
  caseTypes: { type: CaseType; patterns: CompiledPattern[] }[];
}

/** Compiles one file's patterns; pushes `file: path: message` for every bad regex. */
export function compileIntent(file: IntentFile, source: string, problems: string[]): CompiledIntent {
  const compile = (spec: PatternSpec, where: string): CompiledPattern | null => {
    const match = typeof spec === 'string' ? spec : spec.match;
    const unless = typeof spec === 'string' ? undefined : spec.unless;
    try {
      return { match: new RegExp(match, 'iu'), unless: unless ? new RegExp(unless, 'iu') : null };
    } catch (error) {
      problems.push(`${source}: ${where}: invalid regular expression (${(error as Error).message})`);
      return null;
    }
  };
  const compileList = (list: PatternSpec[], where: string) =>
    list.map((p, i) => compile(p, `${where}[${i}]`)).filter((p): p is CompiledPattern => p !== null);
  return {
    name: file.intent,
    priority: file.priority,
    menu: file.menu,
    examples: file.examples,
    counterExamples: file.counterExamples ?? { zh: [], en: [] },
    patterns: compileList(file.patterns, 'patterns'),
    caseTypes: Object.entries(file.caseTypes ?? {}).map(([type, list]) => ({
      type: type as CaseType,
      patterns: compileList(list ?? [], `caseTypes.${type}`),
    })),
  };
}

export function matches(pattern: CompiledPattern, text: string): boolean {
  return pattern.match.test(text) && !(pattern.unless?.test(text) ?? false);
}

/**
 * Traditional characters are converted to simplified (轉人工 → 转人工); NFKC folds full-width letters, digits and most punctuation (，？！) to ASCII;
 * the remaining CJK punctuation is left for the patterns. Whitespace collapses.
 */
export function normaliseText(text: string): string {
  const convert = traditionalToSimplified();
  return convert(text.normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Emoji, their modifiers and joiners: decoration, not words ("晚上好 👋", "谢啦🙏"). */
const EMOJI = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\u{FE0E}|\u{FE0F}|\u{200D}/gu;

/**
 * What the intent patterns see: the normalised text without emoji, with regional
 * variants folded (妳 → 你, Taiwan/HK 资讯 → 信息) and compounds that merely contain
 * a trigger word defused (人工智能 is not 人工, so "人工智能课程收费吗" stays a question).
 */
export function intentText(text: string): string {
  return normaliseText(text)
    .replace(EMOJI, ' ')
    .replace(/妳/g, '你')
    .replace(/资讯/g, '信息')
    .replace(/人工(?=智能|湖|河|降雨|降雪|合成|草坪|耳蜗|晶体)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
