import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { splitClauses } from './clauses.js';
import { projectPath } from '../project-root.js';

/**
 * Whether a place named in a message is the place the parent asks about (慈溪的学校几号报名, 在江宁那边上学要啥) or
 * a place in the family's story (在江宁上班, 从慈溪转来, 去敦煌研学, 老家余姚). Read from what the place attaches to:
 * the characters just before and after it within its clause, whether its clause asks, whether the message is one
 * clause. A logistic model over those features, learned from the written training messages (another-place
 * questions against answerable questions that name a place): `npm run train:places` writes models/place-role.json.
 */
export const placeRoleModelSchema = z.object({
  version: z.literal(1),
  /** Probability of "asked about" at or above which a stem (浦东, 慈溪) counts as the place asked about. */
  threshold: z.number(),
  bias: z.number(),
  weights: z.record(z.string(), z.number()),
});
export type PlaceRoleModel = z.infer<typeof placeRoleModelSchema>;

/** A stand-in for the place itself, so the features read what surrounds it, never which place it is. */
const SLOT = '＠';
const CLAUSE_END = /[,，。!！?？;；:：~～…\n、\s]/u;

/**
 * The features of the place at [at, end) of `norm`: the 1–3 characters before it and after it within its clause
 * (or the clause's start/end), the character bigrams of the 4 before and 6 after, whether its clause asks, whether
 * the message is one clause, and other places named in the same clause replaced by the slot too (`others`).
 */
export function placeRoleFeatures(norm: string, at: number, end: number, others: readonly [number, number][] = []): string[] {
  let text = norm;
  // Other places read as the slot (北京朝阳区 is one place; 从＠搬到＠ is a move).
  for (const [s, e] of [...others].sort((a, b) => b[0] - a[0])) if (e <= at || s >= end) text = text.slice(0, s) + SLOT + text.slice(e);
  const shift = others.filter(([, e]) => e <= at).reduce((n, [s, e]) => n + (e - s - 1), 0);
  const a = at - shift;
  const b = a + (end - at);
  let from = a;
  while (from > 0 && !CLAUSE_END.test(text[from - 1]!)) from--;
  let to = b;
  while (to < text.length && !CLAUSE_END.test(text[to]!)) to++;
  const left = text.slice(from, a);
  const right = text.slice(b, to);
  const f: string[] = [];
  for (let n = 1; n <= 3; n++) {
    f.push(left.length >= n ? `L${n}:${left.slice(-n)}` : `L${n}:^${left}`);
    f.push(right.length >= n ? `R${n}:${right.slice(0, n)}` : `R${n}:${right}$`);
  }
  const l4 = left.slice(-4);
  for (let i = 0; i + 2 <= l4.length; i++) f.push(`Lb:${l4.slice(i, i + 2)}`);
  const r6 = right.slice(0, 6);
  for (let i = 0; i + 2 <= r6.length; i++) f.push(`Rb:${r6.slice(i, i + 2)}`);
  const clauses = splitClauses(norm);
  const mine = [...clauses].reverse().find((c) => c.start <= at);
  f.push(clauses.length === 1 ? 'one-clause' : mine?.asks ? 'clause-asks' : 'clause-tells');
  return [...new Set(f)];
}

export const roleScore = (model: PlaceRoleModel, features: readonly string[]): number => {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
};

let shipped: PlaceRoleModel | undefined;
/** The committed model (models/place-role.json), read once. */
export function placeRoleModel(): PlaceRoleModel {
  shipped ??= placeRoleModelSchema.parse(JSON.parse(readFileSync(projectPath('models/place-role.json'), 'utf8')));
  return shipped;
}
