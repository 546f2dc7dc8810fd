import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { AGREEMENT_FEATURES, ALL_FEATURES, CONTRAST_FEATURES, FEATURES, WORDING_FEATURES, type Feature } from '../src/knowledge/answer-model.js';
import { intentOf } from './kb-sets.js';
import { auc, bagged, bestAt, botPointAt, collectRows, quantileThreshold, TRAIN, type Row, type Scored } from './train-decision.js';
import { baggedStumps } from './stumps.js';

/**
 * `npx tsx bench/answer-model-heldout.ts [--cache FILE] [--curve]`: the answer model's candidate feature sets (and
 * boosted stumps over them, bench/stumps.ts) compared held out by bureau on the training data of `npm run
 * train:decision` (the team's sets and the written rows; each bureau's messages ranked with the association table
 * and clause weight learned without it, as training ranks them), in one run (issue 14, branch answer15).
 *
 * For each candidate every training bureau's rows are scored by the fits made without that bureau (`bagged`, as
 * training makes them), and the curve is read with every candidate counted as answered (as the threshold rule counts):
 * the most answered right at pooled held-out wrong-answer rates ≤ 2, 3 and 4 %, the AUC (right first against every
 * other candidate), and the point the shipped threshold rule (75th percentile over bureau bootstraps ≤ 4 %) picks on
 * the same held-out scores, with its worst bureau. No evaluation set is read (bench/gulou-bureau, shinan-bureau, the
 * outside set): TRAIN only.
 */
interface Candidate {
  name: string;
  features: readonly Feature[];
  /** Boosted stumps instead of the logistic over the same features. */
  stumps?: boolean;
}

const C14: readonly Feature[] = [...FEATURES, ...WORDING_FEATURES];
const BIGRAM: readonly Feature[] = ['bigramAgree', 'bigramLead'];
export const CANDIDATES: Candidate[] = [
  { name: "main's 14 (shipped)", features: C14 },
  { name: '14 + bigramAgree, bigramLead', features: [...C14, ...BIGRAM] },
  { name: '14 + clauseAgree', features: [...C14, 'clauseAgree'] },
  { name: '14 + dropLightAgree', features: [...C14, 'dropLightAgree'] },
  { name: '14 + dropHeavyAgree', features: [...C14, 'dropHeavyAgree'] },
  { name: '14 + keyHeavy', features: [...C14, 'keyHeavy'] },
  { name: '14 + rivalKey', features: [...C14, 'rivalKey'] },
  { name: '14 + length', features: [...C14, 'length'] },
  { name: '14 + bm25Share', features: [...C14, 'bm25Share'] },
  { name: '14 + associatedShare', features: [...C14, 'associatedShare'] },
  { name: '14 + contrast (5)', features: [...C14, ...CONTRAST_FEATURES] },
  { name: '14 + bigram pair + contrast (5)', features: [...C14, ...BIGRAM, ...CONTRAST_FEATURES] },
  { name: '14 + all agreement + contrast (5)', features: [...C14, ...AGREEMENT_FEATURES, ...CONTRAST_FEATURES] },
  { name: 'all features (logistic)', features: ALL_FEATURES },
  { name: "stumps over main's 14", features: C14, stumps: true },
  { name: 'stumps over 14 + bigram pair + contrast (5)', features: [...C14, ...BIGRAM, ...CONTRAST_FEATURES], stumps: true },
  { name: 'stumps over all features', features: ALL_FEATURES, stumps: true },
];

const TARGETS = [0.02, 0.03, 0.04];
const f3 = (x: number) => x.toFixed(3);
const every = (held: readonly Scored[]) => held.map((r) => ({ ...r, kbIntent: true }));


export function heldOutOf(c: Candidate, rows: readonly Row[]): Scored[] {
  const train = rows.map((row) => ({ row, w: 1 }));
  return c.stumps ? baggedStumps(rows, train, c.features).held : bagged(rows, train, c.features).held;
}

async function main(): Promise<void> {
  const cacheAt = process.argv.indexOf('--cache');
  const cache = cacheAt > 0 ? process.argv[cacheAt + 1]! : '';
  let rows: Row[];
  if (cache && existsSync(cache)) rows = JSON.parse(readFileSync(cache, 'utf8')) as Row[];
  else {
    rows = await collectRows(await intentOf(), TRAIN);
    if (cache) writeFileSync(cache, JSON.stringify(rows));
  }
  const only = process.env.ONLY?.split(',').map(Number);
  const bureaus = [...new Set(rows.map((r) => r.bureau))];
  process.stdout.write(`${rows.length} rows (${rows.filter((r) => r.candidate).length} candidates, ${rows.filter((r) => r.answerable).length} answerable), ${bureaus.length} bureaus\n\n`);
  process.stdout.write(
    `| candidate | AUC | ${TARGETS.map((t) => `answered right at wrong ≤ ${t * 100} %`).join(' | ')} | threshold rule (q0.75): p ≥, wrong / answered right, worst bureau | as the bot runs at that p |\n|---|---|${TARGETS.map(() => '---').join('|')}|---|---|\n`,
  );
  const curves: [string, Scored[]][] = [];
  for (const [i, c] of CANDIDATES.entries()) {
    if (only && !only.includes(i)) continue;
    const held = heldOutOf(c, rows);
    curves.push([c.name, held]);
    const at = quantileThreshold(held, 0.75);
    const rule = botPointAt(every(held), at);
    const worst = Math.max(...bureaus.map((b) => botPointAt(every(held.filter((r) => r.bureau === b)), at).wrong));
    const cells = TARGETS.map((t) => {
      const x = bestAt(held, t);
      return `${f3(x.answeredRight)} (p ≥ ${x.at})`;
    });
    process.stdout.write(`| ${i}. ${c.name} | ${f3(auc(held))} | ${cells.join(' | ')} | ${at}: ${f3(rule.wrong)} / ${f3(rule.answeredRight)}, ${f3(worst)} | ${f3(botPointAt(held, at).wrong)} / ${f3(botPointAt(held, at).answeredRight)} |\n`);
  }
  if (process.argv.includes('--curve')) {
    process.stdout.write(`\nHeld-out trade-off (every candidate answered; wrong answers over all rows / answered right over answerable):\n\n| wrong ≤ | ${curves.map(([n]) => n).join(' | ')} |\n|---|${curves.map(() => '---').join('|')}|\n`);
    for (const cap of [0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.05, 0.06]) {
      process.stdout.write(`| ${(cap * 100).toFixed(1)} % | ${curves.map(([, h]) => f3(bestAt(h, cap).answeredRight)).join(' | ')} |\n`);
    }
  }
}

if (process.argv[1]?.endsWith('answer-model-heldout.ts')) await main();
