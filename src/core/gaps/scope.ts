import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { projectPath } from '../../project-root.js';
import type { GapGroup } from './types.js';

/**
 * Refused questions that are not knowledge gaps: for another authority (驾照 → 车管所) or outside any
 * government service (天气). Classified from rules/refusal-scope.yaml; only groups the bot refused
 * outright (no low-confidence answer, no 👎) are moved, so a real education question is never hidden.
 */
const termList = z.array(z.string().trim().min(1)).min(1);
const scopeSchema = z.object({
  educationTerms: z.array(z.string().trim().min(1)).default([]),
  otherJurisdictions: z.array(z.object({ authority: z.string().trim().min(1), terms: termList })).default([]),
  outOfScope: z.array(z.object({ topic: z.string().trim().min(1), terms: termList })).default([]),
});
export type RefusalScope = z.infer<typeof scopeSchema>;

export function loadRefusalScope(path = projectPath('rules', 'refusal-scope.yaml')): RefusalScope {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('rules_invalid', `${path}: cannot read the refusal scope (${(error as Error).message})`, { cause: error });
  }
  const parsed = scopeSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('rules_invalid', `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export type RefusalKind = { kind: 'gap' } | { kind: 'other-jurisdiction'; label: string } | { kind: 'out-of-scope'; label: string };

export function classifyRefusal(text: string, scope: RefusalScope): RefusalKind {
  const has = (terms: string[]) => terms.some((term) => text.includes(term));
  if (has(scope.educationTerms)) return { kind: 'gap' };
  const other = scope.otherJurisdictions.find((j) => has(j.terms));
  if (other) return { kind: 'other-jurisdiction', label: other.authority };
  const out = scope.outOfScope.find((o) => has(o.terms));
  if (out) return { kind: 'out-of-scope', label: out.topic };
  return { kind: 'gap' };
}

export interface ScopedGroups {
  gaps: GapGroup[];
  otherJurisdiction: { label: string; count: number }[];
  outOfScope: { label: string; count: number }[];
}

/** Splits the groups: refused-only groups whose wording names another authority or an off-topic subject go apart. */
export function splitByScope(groups: readonly GapGroup[], scope: RefusalScope): ScopedGroups {
  const result: ScopedGroups = { gaps: [], otherJurisdiction: [], outOfScope: [] };
  const tally = (list: { label: string; count: number }[], label: string, n: number) => {
    const row = list.find((r) => r.label === label);
    if (row) row.count += n;
    else list.push({ label, count: n });
  };
  for (const group of groups) {
    const refusedOnly = group.reasons.refused === group.count;
    const kind = refusedOnly ? classifyRefusal([group.representative, ...group.samples].join('\n'), scope) : { kind: 'gap' as const };
    if (kind.kind === 'gap') result.gaps.push(group);
    else tally(kind.kind === 'other-jurisdiction' ? result.otherJurisdiction : result.outOfScope, kind.label, group.count);
  }
  return result;
}
