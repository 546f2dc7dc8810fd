import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-root.js';

/**
 * Parents' words → entry words, learned from (message, labelled entry) pairs of the training data written in parents'
 * own voice (train/written/, `npm run train:associations`, train/train-associations.ts). For a message term the
 * labelled entry does not hold anywhere, which terms of the entry's title, questions, tags and headings it stands
 * for: 要带啥 → 材料, 娃 → 适龄儿童 and the like, whatever the data show, not a hand list.
 *
 * The estimate is a translation probability with a prior at the base rate: over the messages where parents' term m
 * is not held by the entry they meant, p(e | m) = (c(m, e) + α·p0(e)) / (n(m) + α), where c counts those messages
 * whose entry holds entry term e in its key or headings, n(m) counts the messages, and p0(e) is the share of all
 * messages whose entry holds e (so a word every entry has is not "associated" with anything). A pair is kept when
 * it lifts p(e | m) at least `minLift` over p0(e), is seen at least twice, and in at least two bureaus' knowledge
 * bases (no single bureau's content or labels make it). Deterministic: counts, a fixed order, rounded values.
 *
 * In the ranking (decide.ts), a message term the candidate does not hold earns `strength × p(e | m)` of the field
 * credit of an associate e the candidate holds; candidates are also fetched through the best associate of a term no
 * entry holds. `strength` and `minLift` are chosen by leave-one-bureau-out on the written data (each fold's table
 * learned without the held-out bureau); the file keeps each fold's figures.
 */
const pairSchema = z.tuple([z.string().min(1), z.string().min(1), z.number().min(0).max(1)]);
const foldSchema = z.object({ bureau: z.string(), strength: z.number(), minLift: z.number(), prior: z.number(), messages: z.number(), hit1Off: z.number(), hit1On: z.number() });
const modelSchema = z.object({
  version: z.literal(1),
  /** Share of an associate's field credit a message term earns, × p(e | m); 0: off. */
  strength: z.number().min(0).max(1),
  /** The prior's weight α (pseudo-messages at the base rate). */
  prior: z.number().positive(),
  minLift: z.number().min(1),
  trainedOn: z.array(z.string()),
  folds: z.array(foldSchema),
  /** [parents' term, entry term, p(e | m)], sorted by parents' term, then p descending, then entry term. */
  pairs: z.array(pairSchema),
});
export type AssociationModel = z.infer<typeof modelSchema>;
export type AssociationFold = z.infer<typeof foldSchema>;

/** A parents' term's associates, best first: [entry term, p(e | m)]. */
export type AssociationTable = ReadonlyMap<string, readonly (readonly [string, number])[]>;

/** What the ranking reads: the table and the share of field credit an associate earns. */
export interface Associations {
  table: AssociationTable;
  strength: number;
}

export const ASSOCIATIONS_PATH = projectPath('models', 'associations.json');
export const NO_ASSOCIATIONS: Associations = { table: new Map(), strength: 0 };

export function parseAssociationModel(json: string, source = 'models/associations.json'): AssociationModel {
  const parsed = modelSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues[0]?.message ?? 'invalid'} (retrain: npm run train:associations)`);
  return parsed.data;
}

export function tableOf(pairs: readonly (readonly [string, string, number])[]): AssociationTable {
  const table = new Map<string, [string, number][]>();
  for (const [m, e, p] of pairs) {
    let list = table.get(m);
    if (!list) table.set(m, (list = []));
    list.push([e, p]);
  }
  return table;
}

let loaded: Associations | undefined;

/** The shipped table and strength (read once); none when the file is absent (a checkout without models/). */
export function associations(): Associations {
  if (!loaded) {
    if (!existsSync(ASSOCIATIONS_PATH)) return (loaded = NO_ASSOCIATIONS);
    const model = parseAssociationModel(readFileSync(ASSOCIATIONS_PATH, 'utf8'));
    loaded = model.strength > 0 ? { table: tableOf(model.pairs), strength: model.strength } : NO_ASSOCIATIONS;
  }
  return loaded;
}

/** One (message, labelled entry) pair, analysed. */
export interface Observation {
  bureau: string;
  /** The message's distinct terms. */
  message: readonly string[];
  /** Terms of the entry's title, questions, tags and headings. */
  entryKey: ReadonlySet<string>;
  /** Every term the entry holds (key, headings, body). */
  entryAll: ReadonlySet<string>;
  /** 1, or 1/k for a message labelled with k entries (each counted). */
  weight: number;
}

export interface LearnParams {
  prior: number;
  minLift: number;
  /** Associates kept per parents' term. */
  perTerm: number;
}

const MIN_COUNT = 2;
const MIN_BUREAUS = 2;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
/** An entry term that can stand for a topic: two characters or more, not a number. */
const topical = (t: string) => t.length >= 2 && !/^\d+$/.test(t);

/** The table's pairs from observations (see the module comment), sorted, values rounded to 1e-4. */
export function learnAssociations(observations: readonly Observation[], params: LearnParams): [string, string, number][] {
  let total = 0;
  const base = new Map<string, number>();
  const seen = new Map<string, number>();
  const joint = new Map<string, Map<string, { c: number; bureaus: Set<string> }>>();
  for (const o of observations) {
    total += o.weight;
    for (const e of o.entryKey) if (topical(e)) base.set(e, (base.get(e) ?? 0) + o.weight);
    const message = new Set(o.message);
    for (const m of message) {
      if (o.entryAll.has(m) || /^\d+$/.test(m)) continue;
      seen.set(m, (seen.get(m) ?? 0) + o.weight);
      let row = joint.get(m);
      if (!row) joint.set(m, (row = new Map()));
      for (const e of o.entryKey) {
        if (message.has(e) || !topical(e)) continue;
        let cell = row.get(e);
        if (!cell) row.set(e, (cell = { c: 0, bureaus: new Set() }));
        cell.c += o.weight;
        cell.bureaus.add(o.bureau);
      }
    }
  }
  const pairs: [string, string, number][] = [];
  for (const m of [...joint.keys()].sort()) {
    const n = seen.get(m)!;
    const kept: [string, number][] = [];
    for (const [e, { c, bureaus }] of joint.get(m)!) {
      if (c < MIN_COUNT - 1e-9 || bureaus.size < MIN_BUREAUS) continue;
      const p0 = base.get(e)! / total;
      const p = (c + params.prior * p0) / (n + params.prior);
      if (p >= params.minLift * p0) kept.push([e, round4(p)]);
    }
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [e, p] of kept.slice(0, params.perTerm)) if (p > 0) pairs.push([m, e, p]);
  }
  return pairs;
}
