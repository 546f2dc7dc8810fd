import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ASSOCIATIONS_PATH, parseAssociationModel } from '../src/knowledge/associations.js';
import { clauseWeightModel } from '../src/knowledge/clause-weight.js';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { FUSION_PATH, type FusionModel } from '../src/knowledge/fusion.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { NO_NEAR_TOPICS } from '../src/knowledge/near-topics.js';
import { associationsWithout } from '../train/train-associations.js';
import { NARRATIVES, WRITTEN } from './kb-sets.js';

/**
 * `npm run train:fusion [-- --check]`: learns how much the character-bigram order adds to the ranking's order
 * (src/knowledge/fusion.ts) and writes models/fusion.json (`--check` retrains and exits 1 when the file differs).
 *
 * Over the answerable messages written in parents' own voice (train/written/<bureau>.jsonl and the narratives'
 * knowledge questions), each bureau's messages ranked as `npm run train:decision` ranks them (the association table
 * learned without that bureau, its clause-weight fold), every candidate is ordered at each weight of a fixed grid
 * (0–0.5 in steps of 0.05: score + weight × its bigram share; the scores do not depend on the weight, so one ranking
 * a message serves the whole grid). The weight is the grid's with the most right entries first (ties: the smaller);
 * each bureau is also ranked with the weight chosen without it, for the held-out figure. Integer counts on a grid:
 * deterministic. `SHIP` says whether the index uses it by default.
 */
export const GRID: readonly number[] = Array.from({ length: 11 }, (_, k) => k / 20);
/** The fusion is on by default (issue 14, fuse23). */
const SHIP = true;

interface Ranked {
  bureau: string;
  expect: readonly string[];
  parts: { id: string; score: number; bigram: number }[];
}

/** The id first at `weight` (order = score + weight × bigram share, then id, as decide.ts sorts). */
export function firstAt(parts: Ranked['parts'], weight: number): string | null {
  let best: Ranked['parts'][number] | null = null;
  let bestOrder = -Infinity;
  for (const p of parts) {
    const order = p.score + weight * p.bigram;
    if (order > bestOrder || (order === bestOrder && best !== null && p.id < best.id)) {
      best = p;
      bestOrder = order;
    }
  }
  return best?.id ?? null;
}

const bureauOf = (name: string) => name.split(' ')[0]!;

/** Every answerable written message of the named bureaus (all when none named), ranked with the bigram order built. */
async function rankAll(only?: readonly string[]): Promise<Ranked[]> {
  const table = existsSync(ASSOCIATIONS_PATH) ? parseAssociationModel(readFileSync(ASSOCIATIONS_PATH, 'utf8')) : null;
  const out: Ranked[] = [];
  for (const set of [...WRITTEN, ...NARRATIVES]) {
    const bureau = bureauOf(set.name);
    if ((only && !only.includes(bureau)) || !existsSync(set.file)) continue;
    const kb = await loadKnowledge(set.dir);
    const fold = clauseWeightModel().folds.find((f) => f.bureau === bureau);
    const associations = table ? await associationsWithout(bureau, table) : undefined;
    // Any weight above 0 builds the bigram order; `orderParts` gives the shares, the weights are applied below.
    const index = buildIndex(kb.entries, kb.synonyms, {
      jurisdiction: createJurisdiction(set.home),
      nearTopics: NO_NEAR_TOPICS,
      fusion: { weight: 1 },
      ...(fold ? { clauses: { weight: fold.weight, from: fold.from } } : {}),
      ...(associations ? { associations } : {}),
    });
    for (const c of parseEvalFile(readFileSync(set.file, 'utf8'), set.file)) {
      if (c.expect.length === 0 || /^intent/.test(c.kind ?? '') || c.intent !== undefined) continue;
      out.push({ bureau, expect: c.expect, parts: index.orderParts(c.q) });
    }
  }
  return out;
}

const rightAt = (rows: readonly Ranked[], weight: number) =>
  rows.reduce((n, r) => {
    const first = firstAt(r.parts, weight);
    return n + (first !== null && r.expect.includes(first) ? 1 : 0);
  }, 0);

/** The grid weight with the most right (the first, i.e. smallest, of equals). */
const bestWeight = (counts: readonly number[]) => GRID[counts.indexOf(Math.max(...counts))]!;

export async function trainFusion(only?: readonly string[]): Promise<FusionModel> {
  const rows = await rankAll(only);
  const bureaus = [...new Set(rows.map((r) => r.bureau))];
  const byBureau = new Map(bureaus.map((b) => [b, GRID.map((w) => rightAt(rows.filter((r) => r.bureau === b), w))]));
  const rightByWeight = GRID.map((_, k) => bureaus.reduce((n, b) => n + byBureau.get(b)![k]!, 0));
  const folds = bureaus.map((bureau) => {
    const others = GRID.map((_, k) => rightByWeight[k]! - byBureau.get(bureau)![k]!);
    const weight = bestWeight(others);
    const own = byBureau.get(bureau)!;
    return { bureau, weight, messages: rows.filter((r) => r.bureau === bureau).length, unfused: own[0]!, fused: own[GRID.indexOf(weight)]! };
  });
  return { weight: bestWeight(rightByWeight), shipped: SHIP, grid: [...GRID], rightByWeight, messages: rows.length, folds, trainedOn: bureaus };
}

async function main(): Promise<void> {
  const model = await trainFusion();
  const json = `${JSON.stringify(model)}\n`;
  if (process.argv.includes('--check')) {
    const same = existsSync(FUSION_PATH) && readFileSync(FUSION_PATH, 'utf8') === json;
    process.stdout.write(same ? 'models/fusion.json is what training gives\n' : 'models/fusion.json differs from a retrain: run npm run train:fusion\n');
    if (!same) process.exitCode = 1;
    return;
  }
  writeFileSync(FUSION_PATH, json);
  const unfused = model.folds.reduce((s, f) => s + f.unfused, 0);
  const fused = model.folds.reduce((s, f) => s + f.fused, 0);
  process.stdout.write(`fusion weight ${model.weight} (shipped: ${model.shipped}); grid ${model.grid.map((w, k) => `${w} → ${model.rightByWeight[k]}`).join(', ')} of ${model.messages}\n`);
  process.stdout.write(`held out by bureau: ${unfused} → ${fused} of ${model.messages} right first\n`);
  for (const f of model.folds) process.stdout.write(`- ${f.bureau}: ${f.messages} messages, weight ${f.weight}: ${f.unfused} → ${f.fused}\n`);
}

if (process.argv[1]?.endsWith('train-fusion.ts')) await main();
