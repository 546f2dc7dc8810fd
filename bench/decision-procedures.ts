import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { AGREEMENT_FEATURES, FEATURES, probability, WORDING_FEATURES, type Feature } from '../src/knowledge/answer-model.js';
import { intentOf } from './kb-sets.js';
import { auc, bagged, botPointAt, collectRows, corpusRows, drawnThreshold, fitWeighted, heldOutThreshold, quantileThreshold, TRAIN, type Row, type Scored } from './train-decision.js';

/**
 * `npx tsx bench/decision-procedures.ts [--cache FILE]`: training procedures for the answer-or-suggest model,
 * compared on data none of them was fitted or thresholded on. Nested leave-one-bureau-out: for each own bureau,
 * the whole procedure (fit, threshold, inner held-out estimates) runs on the other bureaus' sets only, and that
 * bureau's messages are scored by what it gives — so the threshold rule is judged as well as the weights. The
 * generated corpus's knowledge questions are held out the same way (by corpus bureau). Reads only the team's own
 * sets and the corpus: the outside set is measured separately (outside-eval), never here.
 *
 * Also prints, per procedure, the drop-one-training-set spread of the threshold (stability), and writes each
 * drop-one model to /tmp when `--write-drops DIR` is given, so the outside set can be scored on each with the
 * CLI alone.
 *
 * `--compare` prints, for each procedure's features, one curve instead of the nested run: each own bureau scored by
 * the bagged fits that did not see it, its AUC and the most answered right at held-out wrong-answer rates of 2, 3
 * and 4 % (a minute, against several for a nested run): how the agreement features (agreement.ts) were first compared.
 */
interface Procedure {
  name: string;
  features: readonly Feature[];
  /** 'single': one fit on every training row; 'bagged': mean of the leave-one-bureau-out fits' weights. */
  weights: 'single' | 'bagged';
  /** 'pooled': pooled held-out rate ≤ 4 %; a number q: the q-quantile over bureau bootstraps ≤ 4 %. */
  threshold: 'pooled' | number | { drawn: number };
  /** Weight of a corpus row in the fit, relative to an own row (0: not fitted on). */
  corpus: number;
}

/** The 14 features c14 chose and the model shipped before agree14 (procedures 0–14 use them, so their rows stay comparable). */
const C14: readonly Feature[] = [...FEATURES, ...WORDING_FEATURES];

const P: Procedure[] = [
  { name: 'main: single fit, pooled', features: C14, weights: 'single', threshold: 'pooled', corpus: 0 },
  { name: 'bagged, pooled', features: C14, weights: 'bagged', threshold: 'pooled', corpus: 0 },
  { name: 'single, bootstrap q0.5', features: C14, weights: 'single', threshold: 0.5, corpus: 0 },
  { name: 'bagged, bootstrap q0.5', features: C14, weights: 'bagged', threshold: 0.5, corpus: 0 },
  { name: 'bagged, bootstrap q0.75', features: C14, weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'bagged, bootstrap q0.9', features: C14, weights: 'bagged', threshold: 0.9, corpus: 0 },
  { name: 'bagged + corpus ×0.1, pooled', features: C14, weights: 'bagged', threshold: 'pooled', corpus: 0.1 },
  { name: 'bagged + corpus ×0.1, q0.75', features: C14, weights: 'bagged', threshold: 0.75, corpus: 0.1 },
  { name: 'bagged + corpus ×0.3, q0.75', features: C14, weights: 'bagged', threshold: 0.75, corpus: 0.3 },
  { name: 'bagged, 10 features, q0.75', features: FEATURES, weights: 'bagged', threshold: 0.75, corpus: 0 },
  {
    name: 'bagged, 9 (no fit/info/singles/oov/factHeld), q0.75',
    features: ['bias', 'top', 'margin', 'coverage', 'near', 'offKey', 'offEntry', 'unseen', 'asks'],
    weights: 'bagged',
    threshold: 0.75,
    corpus: 0,
  },
  { name: 'bagged, drawn threshold median', features: C14, weights: 'bagged', threshold: { drawn: 0.5 }, corpus: 0 },
  { name: 'bagged, drawn threshold q0.75', features: C14, weights: 'bagged', threshold: { drawn: 0.75 }, corpus: 0 },
  { name: 'bagged, bootstrap q0.6', features: C14, weights: 'bagged', threshold: 0.6, corpus: 0 },
  { name: 'single + corpus ×0.1, pooled', features: [...FEATURES, ...WORDING_FEATURES], weights: 'single', threshold: 'pooled', corpus: 0.1 },
  // Agreement between independently built orders of the same candidates (agreement.ts; branch agree14), each added
  // to the shipped procedure (4: bagged, bootstrap q0.75).
  { name: 'q0.75 + bigramAgree, bigramLead', features: [...C14, 'bigramAgree', 'bigramLead'], weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'q0.75 + clauseAgree', features: [...C14, 'clauseAgree'], weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'q0.75 + dropLightAgree', features: [...C14, 'dropLightAgree'], weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'q0.75 + dropHeavyAgree', features: [...C14, 'dropHeavyAgree'], weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'q0.75 + all five agreement', features: [...C14, ...AGREEMENT_FEATURES], weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'q0.75 + bigramAgree', features: [...C14, 'bigramAgree'], weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'q0.75 + bigramLead', features: [...C14, 'bigramLead'], weights: 'bagged', threshold: 0.75, corpus: 0 },
  { name: 'q0.75 + bigramAgree, bigramLead, dropLightAgree', features: [...C14, 'bigramAgree', 'bigramLead', 'dropLightAgree'], weights: 'bagged', threshold: 0.75, corpus: 0 },
];

export function runProcedure(p: Procedure, own: readonly Row[], corpus: readonly Row[]): { weights: number[]; answerAt: number } {
  const train = [...own.map((r) => ({ row: r, w: 1 })), ...(p.corpus > 0 ? corpus.map((r) => ({ row: r, w: p.corpus })) : [])];
  const { weights: bag, held } = bagged(own, train, p.features);
  const weights = p.weights === 'bagged' ? bag : fitWeighted(train, p.features);
  const answerAt =
    p.threshold === 'pooled' ? heldOutThreshold(held) : typeof p.threshold === 'number' ? quantileThreshold(held, p.threshold) : drawnThreshold(held, p.threshold.drawn);
  return { weights, answerAt };
}

const f3 = (x: number) => x.toFixed(3);

const cell = (x: { wrong: number; answeredRight: number }) => `${f3(x.wrong)} / ${f3(x.answeredRight)}`;

async function main(): Promise<void> {
  const cacheAt = process.argv.indexOf('--cache');
  const cache = cacheAt > 0 ? process.argv[cacheAt + 1]! : '';
  let own: Row[];
  let corpus: Row[];
  if (cache && existsSync(cache)) ({ own, corpus } = JSON.parse(readFileSync(cache, 'utf8')) as { own: Row[]; corpus: Row[] });
  else {
    const detect = await intentOf();
    own = await collectRows(detect, TRAIN);
    corpus = await corpusRows(detect);
    if (cache) writeFileSync(cache, JSON.stringify({ own, corpus }));
  }
  if (process.argv.includes('--curve')) {
    // The held-out curve both main's fit and the bagged one have: each bureau scored by the fit that did not see it
    // (the bagged model is the mean of these very fits). Own sets and corpus, as the bot runs.
    const train = own.map((r) => ({ row: r, w: 1 }));
    const { held } = bagged(own, train);
    const { held: corpusHeld } = bagged(corpus, train);
    process.stdout.write('| p ≥ | own held out (bot) | all candidates | corpus held out (bot) |\n|---|---|---|---|\n');
    for (const t of [0.6, 0.7, 0.75, 0.78, 0.8, 0.81, 0.83, 0.85, 0.9]) {
      process.stdout.write(`| ${t} | ${cell(botPointAt(held, t))} | ${cell(botPointAt(held.map((r) => ({ ...r, kbIntent: true })), t))} | ${cell(botPointAt(corpusHeld, t))} |\n`);
    }
    return;
  }
  const only = process.env.ONLY?.split(',').map(Number);
  const bureaus = [...new Set(own.map((r) => r.bureau))];
  if (process.argv.includes('--compare')) {
    // Feature sets compared on one curve each: every own bureau scored by the bagged fits that did not see it (no
    // threshold rule), as the bot runs. AUC (right first vs not, over candidates) and the most answered right
    // at each held-out wrong-answer rate, so a feature is not judged by where a threshold rule happens to land.
    const train = own.map((r) => ({ row: r, w: 1 }));
    process.stdout.write('| procedure | held-out AUC | answered right at wrong ≤ 2 % | ≤ 3 % | ≤ 4 % | worst bureau at the pooled 3 % point |\n|---|---|---|---|---|---|\n');
    for (const [i, p] of P.entries()) {
      if (only && !only.includes(i)) continue;
      const { held } = bagged(own, train, p.features);
      const best = (cap: number) => {
        let at = 1;
        for (let t = 100; t >= 0; t--) if (botPointAt(held, t / 100).wrong <= cap) at = t / 100;
        return { at, ...botPointAt(held, at) };
      };
      const b3 = best(0.03);
      const worst = Math.max(...bureaus.map((b) => botPointAt(held.filter((r) => r.bureau === b), b3.at).wrong));
      const cells = [0.02, 0.03, 0.04].map((c) => {
        const x = best(c);
        return `${f3(x.answeredRight)} (p ≥ ${x.at}, ${f3(x.wrong)})`;
      });
      process.stdout.write(`| ${p.name} | ${f3(auc(held))} | ${cells.join(' | ')} | ${f3(worst)} |\n`);
    }
    return;
  }
  const dropsAt = process.argv.indexOf('--write-drops');
  const corpusBureaus = [...new Set(corpus.map((r) => r.bureau))];
  const table = ['| procedure | answerAt (all sets) | nested held out, own (bot): wrong / answered right | all candidates | by bureau: wrong (worst) | corpus nested held out (bot) | drop-one-set answerAt: min–max |', '|---|---|---|---|---|---|---|'];
  for (const [i, p] of P.entries()) {
    if (only && !only.includes(i)) continue;
    const full = runProcedure(p, own, corpus);
    const scored: Scored[] = [];
    const perBureau: number[] = [];
    for (const b of bureaus) {
      const m = runProcedure(p, own.filter((r) => r.bureau !== b), corpus.filter((r) => r.bureau !== b));
      const these = own.filter((r) => r.bureau === b).map((r) => ({ ...r, p: r.candidate && r.x ? probability({ features: [...p.features], weights: m.weights }, r.x) >= m.answerAt ? 1 : 0 : null }));
      scored.push(...these);
      perBureau.push(botPointAt(these.map((r) => ({ ...r, kbIntent: true })), 1).wrong);
    }
    const corpusScored: Scored[] = [];
    for (const b of corpusBureaus) {
      const m = runProcedure(p, own.filter((r) => r.bureau !== b), corpus.filter((r) => r.bureau !== b));
      corpusScored.push(...corpus.filter((r) => r.bureau === b).map((r) => ({ ...r, p: r.candidate && r.x ? (probability({ features: [...p.features], weights: m.weights }, r.x) >= m.answerAt ? 1 : 0) : null })));
    }
    const drops: number[] = [];
    for (const set of TRAIN) {
      const m = runProcedure(p, own.filter((r) => r.set !== set), corpus);
      drops.push(m.answerAt);
      if (dropsAt > 0) {
        const model = { features: [...p.features], weights: m.weights, answerAt: m.answerAt, suggestFrom: 0.365, trainedOn: TRAIN.filter((s) => s !== set) };
        writeFileSync(`${process.argv[dropsAt + 1]}/p${i}-drop-${TRAIN.indexOf(set)}.json`, `${JSON.stringify(model)}\n`);
      }
    }
    if (dropsAt > 0) writeFileSync(`${process.argv[dropsAt + 1]}/p${i}-all.json`, `${JSON.stringify({ features: [...p.features], weights: full.weights, answerAt: full.answerAt, suggestFrom: 0.365, trainedOn: TRAIN })}\n`);
    const all = scored.map((r) => ({ ...r, kbIntent: true }));
    table.push(
      `| ${p.name} | ${full.answerAt} | ${cell(botPointAt(scored, 1))} | ${cell(botPointAt(all, 1))} | ${perBureau.map((w) => f3(w)).join(' ')} (${f3(Math.max(...perBureau))}) | ${cell(botPointAt(corpusScored, 1))} | ${Math.min(...drops)}–${Math.max(...drops)} |`,
    );
    process.stdout.write(`${table.at(-1)}\n`);
  }
  process.stdout.write(`\n${table.join('\n')}\n`);
}

if (process.argv[1]?.endsWith('decision-procedures.ts')) await main();
