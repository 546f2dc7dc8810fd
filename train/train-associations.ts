import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ASSOCIATIONS_PATH, learnAssociations, tableOf, type AssociationFold, type AssociationModel, type Associations, type LearnParams, type Observation } from '../src/knowledge/associations.js';
import { parseEvalFile, type EvalCase } from '../src/knowledge/evaluate.js';
import { buildIndex, NO_FUSION } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { createAnalyzer } from '../src/knowledge/tokenize.js';
import type { KnowledgeEntry } from '../src/knowledge/schema.js';
import { WRITTEN } from '../bench/kb-sets.js';

/**
 * `npm run train:associations [-- --check]`: learns the parents'-words → entry-words table (src/knowledge/associations.ts)
 * from the answerable rows of the data written in parents' own voice (train/written/<bureau>.jsonl, for the knowledge
 * bases train/written/bureaus.json names), and writes models/associations.json.
 *
 * Hyper-parameters on a fixed grid (STRENGTHS × MIN_LIFTS × PRIORS), chosen by leave-one-bureau-out: for each bureau,
 * the table is learned from the other bureaus' rows only and the bureau's own rows are ranked with it (right entry
 * first, `search`); the setting with the most right first entries summed over the held-out bureaus is shipped (ties:
 * the smaller strength, then the larger minLift, then the larger prior: the smaller change). Each fold's stored figure
 * is nested: the setting chosen on the other bureaus' held-out counts, scored on that bureau. The shipped table is
 * learned from every bureau. Nothing else is read (no evaluation set under bench/ or ../shared/eval/).
 * Deterministic: counts, a grid, no randomness (`--check` retrains and exits 1 when the file differs).
 */
export const STRENGTHS = [0.25, 0.5, 0.75, 1];
export const MIN_LIFTS = [2, 4, 8];
export const PRIORS = [1, 5];
const PER_TERM = 3;

const INTENT_KIND = /^intent/;
/** Rows a message of which the knowledge base answers (kinds paraphrase, fact, long, noisy, keyword, multi). */
const answerable = (c: EvalCase) => c.expect.length > 0 && !INTENT_KIND.test(c.kind ?? '') && c.intent === undefined;

export interface WrittenBureau {
  /** The bureau's area (溪湖区): the unit left out, as in bench/train-decision.ts. */
  bureau: string;
  file: string;
  entries: readonly KnowledgeEntry[];
  index: (associations: Associations) => { search(text: string, limit?: number): { id: string }[] };
  cases: EvalCase[];
  observations: Observation[];
}

let cached: Promise<WrittenBureau[]> | undefined;

/** Every written bureau present: its answerable rows and their observations (analysed as its index analyses). */
export function writtenBureaus(): Promise<WrittenBureau[]> {
  cached ??= (async () => {
    const out: WrittenBureau[] = [];
    for (const w of WRITTEN) {
      if (!existsSync(w.file)) continue;
      const kb = await loadKnowledge(w.dir, { today: '2026-09-01' });
      const analyzer = createAnalyzer(kb.synonyms);
      const jurisdiction = createJurisdiction(w.home);
      const bureau = w.name.split(' ')[0]!;
      const cases = parseEvalFile(readFileSync(w.file, 'utf8'), w.file).filter(answerable);
      const terms = new Map<string, { key: Set<string>; all: Set<string> }>();
      for (const e of kb.entries) {
        const key = analyzer.analyzeMany([e.title, ...e.questions, ...e.tags, ...e.sections.map((s) => s.heading ?? '')]).flatMap((a) => a.terms);
        const body = analyzer.analyzeMany(e.sections.map((s) => s.text)).flatMap((a) => a.terms);
        terms.set(e.id, { key: new Set(key), all: new Set([...key, ...body]) });
      }
      const observations: Observation[] = [];
      for (const c of cases) {
        const held = c.expect.filter((id) => terms.has(id));
        const message = [...new Set(analyzer.terms(c.q).filter((t) => !jurisdiction.isOwnName(t)))];
        for (const id of held) observations.push({ bureau, message, entryKey: terms.get(id)!.key, entryAll: terms.get(id)!.all, weight: 1 / held.length });
      }
      out.push({
        bureau,
        file: w.file,
        entries: kb.entries,
        index: (associations) => buildIndex(kb.entries, kb.synonyms, { jurisdiction, associations, fusion: NO_FUSION }),
        cases,
        observations,
      });
    }
    return out;
  })();
  return cached;
}

const paramsOf = (minLift: number, prior: number): LearnParams => ({ minLift, prior, perTerm: PER_TERM });

/** The table learned from every written bureau but `without` (all of them when it is undefined). */
export function learnWithout(bureaus: readonly WrittenBureau[], without: string | undefined, minLift: number, prior: number): [string, string, number][] {
  return learnAssociations(
    bureaus.filter((b) => b.bureau !== without).flatMap((b) => b.observations),
    paramsOf(minLift, prior),
  );
}

/**
 * The shipped setting's table learned without `bureau` (for bench/train-decision.ts: a training message is ranked
 * with a table that did not see its bureau, as the threshold is chosen on it held out). The shipped table when the
 * bureau has no written rows; none when the model is off.
 */
export async function associationsWithout(bureau: string, model: AssociationModel): Promise<Associations> {
  if (model.strength <= 0) return { table: new Map(), strength: 0 };
  const bureaus = await writtenBureaus();
  return { table: tableOf(learnWithout(bureaus, bureau, model.minLift, model.prior)), strength: model.strength };
}

interface Setting {
  strength: number;
  minLift: number;
  prior: number;
}
const key = (s: Setting) => `${s.strength}/${s.minLift}/${s.prior}`;
const OFF: Setting = { strength: 0, minLift: MIN_LIFTS.at(-1)!, prior: PRIORS.at(-1)! };
/** Off first, then by strength ascending, minLift descending, prior descending: earlier wins ties (the smaller change). */
const SETTINGS: Setting[] = [
  OFF,
  ...STRENGTHS.flatMap((strength) => [...MIN_LIFTS].reverse().flatMap((minLift) => [...PRIORS].reverse().map((prior) => ({ strength, minLift, prior })))),
];

/** Right first entries of each bureau's rows at every setting, the table learned without that bureau. */
export async function heldOutCounts(): Promise<{ bureaus: WrittenBureau[]; counts: Map<string, Map<string, number>> }> {
  const bureaus = await writtenBureaus();
  const counts = new Map<string, Map<string, number>>();
  for (const b of bureaus) {
    const mine = new Map<string, number>();
    for (const minLift of MIN_LIFTS) {
      for (const prior of PRIORS) {
        const live = { table: tableOf(learnWithout(bureaus, b.bureau, minLift, prior)), strength: 0 };
        const index = b.index(live);
        for (const s of SETTINGS) {
          if (s.strength > 0 && (s.minLift !== minLift || s.prior !== prior)) continue;
          if (s.strength === 0 && (minLift !== OFF.minLift || prior !== OFF.prior)) continue;
          live.strength = s.strength;
          mine.set(key(s), b.cases.filter((c) => c.expect.includes(index.search(c.q, 1)[0]?.id ?? '')).length);
        }
      }
    }
    counts.set(b.bureau, mine);
  }
  return { bureaus, counts };
}

function best(counts: Map<string, Map<string, number>>, over: readonly string[]): Setting {
  let chosen = OFF;
  let most = -1;
  for (const s of SETTINGS) {
    const total = over.reduce((sum, b) => sum + counts.get(b)!.get(key(s))!, 0);
    if (total > most) {
      most = total;
      chosen = s;
    }
  }
  return chosen;
}

export async function trainAssociations(): Promise<{ model: AssociationModel; counts: Map<string, Map<string, number>> }> {
  const { bureaus, counts } = await heldOutCounts();
  const names = bureaus.map((b) => b.bureau);
  const chosen = best(counts, names);
  const folds: AssociationFold[] = bureaus.map((b) => {
    const s = best(counts, names.filter((n) => n !== b.bureau));
    return { bureau: b.bureau, strength: s.strength, minLift: s.minLift, prior: s.prior, messages: b.cases.length, hit1Off: counts.get(b.bureau)!.get(key(OFF))!, hit1On: counts.get(b.bureau)!.get(key(s))! };
  });
  const pairs = chosen.strength > 0 ? learnWithout(bureaus, undefined, chosen.minLift, chosen.prior) : [];
  const model: AssociationModel = {
    version: 1,
    strength: chosen.strength,
    prior: chosen.prior,
    minLift: chosen.minLift,
    trainedOn: bureaus.map((b) => b.file),
    folds,
    pairs,
  };
  return { model, counts };
}

export const serialise = (model: AssociationModel) => `${JSON.stringify({ ...model, pairs: [] }).replace(/"pairs":\[\]\}$/, '"pairs":[\n')}${model.pairs.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`;

async function main(): Promise<void> {
  const { model, counts } = await trainAssociations();
  const text = serialise(model);
  if (process.argv.includes('--check')) {
    const same = existsSync(ASSOCIATIONS_PATH) && readFileSync(ASSOCIATIONS_PATH, 'utf8') === text;
    process.stdout.write(same ? 'models/associations.json is what training gives\n' : 'models/associations.json differs from a retrain: run npm run train:associations\n');
    process.exitCode = same ? 0 : 1;
    return;
  }
  writeFileSync(ASSOCIATIONS_PATH, text);
  const bureaus = [...counts.keys()];
  process.stdout.write(`chosen: strength ${model.strength}, minLift ${model.minLift}, prior ${model.prior}; ${model.pairs.length} pairs over ${new Set(model.pairs.map((p) => p[0])).size} parents' terms\n\n`);
  process.stdout.write(`Held out by bureau (table learned without it), right first:\n\n| setting | ${bureaus.join(' | ')} | total |\n|---|${bureaus.map(() => '---').join('|')}|---|\n`);
  for (const s of SETTINGS) {
    const row = bureaus.map((b) => counts.get(b)!.get(key(s))!);
    process.stdout.write(`| ${s.strength === 0 ? 'off' : key(s)} | ${row.join(' | ')} | ${row.reduce((a, b) => a + b, 0)} |\n`);
  }
  const off = model.folds.reduce((s, f) => s + f.hit1Off, 0);
  const on = model.folds.reduce((s, f) => s + f.hit1On, 0);
  const n = model.folds.reduce((s, f) => s + f.messages, 0);
  process.stdout.write(`\nNested (each bureau at the setting chosen on the others): ${off} → ${on} of ${n} right first (hit@1 ${(off / n).toFixed(3)} → ${(on / n).toFixed(3)})\n`);
  for (const f of model.folds) process.stdout.write(`- ${f.bureau}: ${f.messages} messages, setting ${f.strength}/${f.minLift}: ${f.hit1Off} → ${f.hit1On}\n`);
}

if (process.argv[1]?.endsWith('train-associations.ts')) await main();
