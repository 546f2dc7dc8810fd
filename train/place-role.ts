import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inHistory, readFocus, splitClauses } from '../src/knowledge/clauses.js';
import { createJurisdiction, type Mention } from '../src/knowledge/jurisdiction.js';
import { placeRoleFeatures, roleScore, type PlaceRoleModel } from '../src/knowledge/place-role.js';
import { createAnalyzer } from '../src/knowledge/tokenize.js';
import { projectPath } from '../src/project-root.js';
import { NARRATIVES, WRITTEN_DIR, writtenBureaus } from './written.js';

/**
 * Examples for the place-role model (src/knowledge/place-role.ts): every place another than the bureau's own named
 * in a written training message (train/written/<bureau>.jsonl and the answerable family stories of
 * narratives/<bureau>.jsonl), each bureau with its own home. A place named in an `elsewhere` message is the place
 * asked about (1); one named in an answerable message (expect non-empty) is part of the story (0), also where the
 * rule already reads it so (从X搬来, 老家X, 去年在X…). Other rows are left out.
 */
export interface RoleExample {
  bureau: string;
  q: string;
  form: Mention['form'];
  place: string;
  features: string[];
  asked: 0 | 1;
}

const NO_MODEL: PlaceRoleModel = { version: 1, threshold: 1, bias: 0, weights: {} };

export function roleExamples(): RoleExample[] {
  const analyzer = createAnalyzer();
  const out: RoleExample[] = [];
  for (const b of writtenBureaus()) {
    const jurisdiction = createJurisdiction(b, NO_MODEL);
    const files = [join(WRITTEN_DIR, `${b.bureau}.jsonl`), join(WRITTEN_DIR, NARRATIVES, `${b.bureau}.jsonl`)].filter((f) => existsSync(f));
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const row = JSON.parse(line) as { q: string; kind: string; expect?: string[] };
        const asked = row.kind === 'elsewhere' ? 1 : (row.expect ?? []).length > 0 ? 0 : null;
        if (asked === null) continue;
        const a = analyzer.analyze(row.q);
        // The clauses as the index reads them (clauses.ts settles which ask), for the history rule.
        const clauses = splitClauses(a.norm);
        readFocus(clauses, (texts) => texts.map((t) => analyzer.terms(t)), () => 1);
        const history = clauses.length > 1 ? (at: number) => inHistory(clauses, at) : undefined;
        const mentions = jurisdiction.mentions(a.norm, a.terms, history);
        // An another-place question that also names our own area is not clearly about the other place.
        if (asked === 1 && mentions.some((m) => m.name.own && !m.name.town && m.name.place.level !== 'province')) continue;
        const spans = mentions.map((m) => [m.at, m.end] as [number, number]);
        for (const m of mentions) {
          // Places the rule reads as story (从X搬来) are story examples too: they teach what a story around a place looks like.
          if (m.name.own || (m.story && asked === 1)) continue;
          out.push({ bureau: b.bureau, q: row.q, form: m.form, place: a.norm.slice(m.at, m.end), features: placeRoleFeatures(a.norm, m.at, m.end, spans), asked });
        }
      }
    }
  }
  return out;
}

/** L2-regularised logistic regression, full-batch gradient descent from zero: the same examples give the same model. */
export function fitRole(examples: readonly RoleExample[], { l2 = 0.01, epochs = 400, rate = 0.5, minCount = 2 } = {}): Omit<PlaceRoleModel, 'threshold'> {
  const count = new Map<string, number>();
  for (const e of examples) for (const f of e.features) count.set(f, (count.get(f) ?? 0) + 1);
  const kept = [...count.keys()].filter((f) => count.get(f)! >= minCount).sort();
  const index = new Map(kept.map((f, i) => [f, i]));
  const rows = examples.map((e) => e.features.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
  const w = new Float64Array(kept.length);
  let bias = 0;
  const n = examples.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Float64Array(kept.length);
    let gBias = 0;
    for (let k = 0; k < n; k++) {
      let z = bias;
      for (const i of rows[k]!) z += w[i]!;
      const err = 1 / (1 + Math.exp(-z)) - examples[k]!.asked;
      gBias += err;
      for (const i of rows[k]!) grad[i]! += err;
    }
    bias -= (rate * gBias) / n;
    for (let i = 0; i < kept.length; i++) w[i]! -= rate * (grad[i]! / n + l2 * w[i]!);
  }
  const weights: Record<string, number> = {};
  kept.forEach((f, i) => {
    const v = Math.round(w[i]! * 1e4) / 1e4;
    if (v !== 0) weights[f] = v;
  });
  return { version: 1, bias: Math.round(bias * 1e4) / 1e4, weights };
}

/** Held out by bureau: each bureau's examples scored by a model fitted without them. */
export function heldOutScores(examples: readonly RoleExample[]): number[] {
  const scores = new Array<number>(examples.length).fill(0);
  for (const bureau of [...new Set(examples.map((e) => e.bureau))]) {
    const model = { ...fitRole(examples.filter((e) => e.bureau !== bureau)), threshold: 0.5 };
    examples.forEach((e, k) => {
      if (e.bureau === bureau) scores[k] = roleScore(model, e.features);
    });
  }
  return scores;
}

/** The threshold with the most held-out examples right (ties: the higher one, fewer places read as asked). */
export function chooseThreshold(examples: readonly RoleExample[], scores: readonly number[]): number {
  const candidates = [...new Set(scores.map((s) => Math.round(s * 100) / 100))].sort((a, b) => a - b);
  let best = 0.5;
  let bestRight = -1;
  for (const t of candidates) {
    const right = examples.reduce((n, e, k) => n + ((scores[k]! >= t ? 1 : 0) === e.asked ? 1 : 0), 0);
    if (right >= bestRight) {
      best = t;
      bestRight = right;
    }
  }
  return best;
}

export const PLACE_ROLE_PATH = projectPath('models/place-role.json');
