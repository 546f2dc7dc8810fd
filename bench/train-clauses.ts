import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { NO_ASSOCIATIONS } from '../src/knowledge/associations.js';
import { CLAUSE_WEIGHT_PATH, type ClauseWeightModel } from '../src/knowledge/clause-weight.js';
import { splitClauses } from '../src/knowledge/clauses.js';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex, NO_FUSION } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { BUREAUS } from '../train/corpus/generate.js';
import { KB_SETS } from './kb-sets.js';
import { OWN_TRAIN as TRAIN } from './train-decision.js';

/**
 * `npm run train:clauses [-- --check]`: learns how a long message's context clauses count in the ranking
 * (src/knowledge/clauses.ts, clause-weight.ts) and writes models/clause-weight.json.
 *
 * Two parameters on a fixed grid: `weight`, what a term said only in context counts (× its weight), and `from`,
 * the total weight of context-only terms from which the context is read as background (a short remark before a
 * question often names its topic: 孩子是自闭症 能上普通小学吗). Data: the answerable messages of more than one
 * clause of the team's own sets (TRAIN, as for the answer model) and the training corpus's knowledge questions
 * (train/corpus.jsonl: many open with the family's situation). Chosen by the most right entries first, then the
 * highest MRR@5, then the least change (weight nearest 1, then the highest `from`). Each bureau is also left
 * out: fitted without it, its own hit@1 before and after is stored as the fold's figure (the estimate held out).
 * Never read: the long-message sets (bench/…/long.jsonl), the fresh sets outside TRAIN and the outside set.
 * Deterministic: a grid, integer counts, no randomness (`--check` retrains and exits 1 when the file differs).
 */
const WEIGHTS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** In units of term weight: a general-language word weighs ~4–10 (term-weights.ts). */
const FROM = [0, 4, 8, 12, 16, 20, 24, 28, 32, 40, 48];

interface Row {
  bureau: string;
  /** Rank (0-based, 5 = not in the top 5) of the right entry at each grid point, [weight][from]. */
  rank: number[][];
}

const bureauOf = (set: string) => set.split(' ')[0]!;

async function collect(): Promise<Row[]> {
  const sources: { bureau: string; dir: string; home?: (typeof KB_SETS)[number]['home']; cases: { q: string; expect: string[] }[] }[] = [];
  for (const set of KB_SETS) {
    if (!TRAIN.includes(set.name) || !existsSync(set.file)) continue;
    sources.push({ bureau: bureauOf(set.name), dir: set.dir, home: set.home, cases: parseEvalFile(readFileSync(set.file, 'utf8'), set.file) });
  }
  const corpus = readFileSync('train/corpus.jsonl', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { bureau: string; text: string; entry?: string });
  for (const b of BUREAUS) {
    const set = KB_SETS.find((s) => s.dir === b.dir);
    const cases = corpus.filter((r) => r.bureau === b.bureau && r.entry).map((r) => ({ q: r.text, expect: [r.entry!] }));
    sources.push({ bureau: set ? bureauOf(set.name) : b.area, dir: b.dir, home: set?.home, cases });
  }
  const rows: Row[] = [];
  for (const s of sources) {
    const kb = await loadKnowledge(s.dir, { today: '2026-09-01' });
    const focus = { weight: 1, from: 0 };
    // Ranked without the association table: it is learned after the clause weight (npm run train), with it.
    const index = buildIndex(kb.entries, kb.synonyms, { ...(s.home ? { jurisdiction: createJurisdiction(s.home) } : {}), clauses: focus, associations: NO_ASSOCIATIONS, fusion: NO_FUSION });
    const rankAt = (q: string, expect: readonly string[], weight: number, from: number): number => {
      focus.weight = weight;
      focus.from = from;
      const r = index.search(q, 5).findIndex((h) => expect.includes(h.id));
      return r < 0 ? 5 : r;
    };
    for (const c of s.cases) {
      // A message of one clause ranks the same at every grid point.
      if (c.expect.length === 0 || splitClauses(c.q).length < 2) continue;
      // `from` only decides whether the weight applies to a message: the index weighs its context terms by `weight`
      // when their total weight `said` is ≥ `from`, and ranks it unweighted otherwise (index.ts, read()); nothing
      // else reads either parameter. So a message has one ranking per weight (searched with `from` 0, where the
      // weight always applies) and one unweighted (weight 1), and each grid point takes one of them: 11 searches
      // per message instead of 110, the same ranks.
      const said = index.contextWeight(c.q);
      const unweighted = rankAt(c.q, c.expect, 1, 0);
      const rank = WEIGHTS.map((weight) => {
        const weighted = weight < 1 ? rankAt(c.q, c.expect, weight, 0) : unweighted;
        return FROM.map((from) => (said >= from ? weighted : unweighted));
      });
      rows.push({ bureau: s.bureau, rank });
    }
  }
  return rows;
}

function score(rows: readonly Row[], w: number, f: number): { hit1: number; mrr: number } {
  let hit1 = 0;
  let mrr = 0;
  for (const r of rows) {
    const rank = r.rank[w]![f]!;
    if (rank === 0) hit1 += 1;
    if (rank < 5) mrr += 1 / (rank + 1);
  }
  return { hit1, mrr };
}

/** The grid point with the most right entries first, then MRR, then weight nearest 1, then the highest `from`. */
function best(rows: readonly Row[]): { w: number; f: number } {
  let at = { w: WEIGHTS.length - 1, f: FROM.length - 1 };
  let top = score(rows, at.w, at.f);
  for (let w = WEIGHTS.length - 1; w >= 0; w--) {
    for (let f = FROM.length - 1; f >= 0; f--) {
      const s = score(rows, w, f);
      if (s.hit1 > top.hit1 || (s.hit1 === top.hit1 && s.mrr > top.mrr + 1e-9)) {
        top = s;
        at = { w, f };
      }
    }
  }
  return at;
}

export async function trainClauses(): Promise<{ model: ClauseWeightModel; rows: Row[] }> {
  const rows = await collect();
  const folds = [...new Set(rows.map((r) => r.bureau))].map((bureau) => {
    const fitted = best(rows.filter((r) => r.bureau !== bureau));
    const held = rows.filter((r) => r.bureau === bureau);
    const off = score(held, WEIGHTS.length - 1, 0).hit1;
    return { bureau, weight: WEIGHTS[fitted.w]!, from: FROM[fitted.f]!, messages: held.length, hit1Before: off, hit1After: score(held, fitted.w, fitted.f).hit1 };
  });
  const all = best(rows);
  const trainedOn = [...TRAIN, 'train/corpus.jsonl (kb rows)'];
  return { model: { weight: WEIGHTS[all.w]!, from: FROM[all.f]!, trainedOn, folds }, rows };
}

async function main(): Promise<void> {
  const { model, rows } = await trainClauses();
  const json = `${JSON.stringify(model)}\n`;
  if (process.argv.includes('--check')) {
    const same = existsSync(CLAUSE_WEIGHT_PATH) && readFileSync(CLAUSE_WEIGHT_PATH, 'utf8') === json;
    process.stdout.write(same ? 'models/clause-weight.json is what training gives\n' : 'models/clause-weight.json differs from a retrain: run npm run train:clauses\n');
    process.exitCode = same ? 0 : 1;
    return;
  }
  writeFileSync(CLAUSE_WEIGHT_PATH, json);
  process.stdout.write(`${rows.length} multi-clause messages; fitted weight ${model.weight} from ${model.from}\n\n| bureau left out | fitted without it | its messages | its hit@1 unweighted | at the fold's fit |\n|---|---|---|---|---|\n`);
  for (const f of model.folds) process.stdout.write(`| ${f.bureau} | ${f.weight} from ${f.from} | ${f.messages} | ${(f.hit1Before / f.messages).toFixed(3)} | ${(f.hit1After / f.messages).toFixed(3)} |\n`);
  const before = model.folds.reduce((s, f) => s + f.hit1Before, 0);
  const after = model.folds.reduce((s, f) => s + f.hit1After, 0);
  process.stdout.write(`| all, held out by bureau | | ${rows.length} | ${(before / rows.length).toFixed(3)} | ${(after / rows.length).toFixed(3)} |\n`);
  process.stdout.write('\nhit@1 over all rows by weight (rows) and from (columns):\n\n');
  process.stdout.write(`| weight | ${FROM.join(' | ')} |\n|---|${FROM.map(() => '---').join('|')}|\n`);
  WEIGHTS.forEach((w, i) => process.stdout.write(`| ${w} | ${FROM.map((_, j) => (score(rows, i, j).hit1 / rows.length).toFixed(3)).join(' | ')} |\n`));
}

if (process.argv[1]?.endsWith('train-clauses.ts')) await main();
