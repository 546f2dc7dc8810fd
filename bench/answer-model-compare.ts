import { ALL_FEATURES, FEATURES, probability, SEEN_FEATURES, WORDING_FEATURES, type Feature } from '../src/knowledge/answer-model.js';
import { intentOf } from './kb-sets.js';
import { rewordedRows } from './parent-wording.js';
import { auc, botPointAt, collectRows, corpusRows, fit, heldOut, heldOutThreshold, TRAIN, type Row, type Scored } from './train-decision.js';

/**
 * `npx tsx bench/answer-model-compare.ts`: the answer model's candidate feature sets and training data, compared
 * in one run. Each candidate is judged on the team's own sets held out by bureau (each bureau's messages scored by
 * a model fitted without that bureau); its threshold is the lowest probability at which those held-out wrong
 * answers stay ≤ 4 % (every candidate counted as answered, as training does). The generated corpus's knowledge
 * questions (held out by bureau) and the outside 溪湖区 set (scored by the model fitted on every own set, at that
 * threshold, answered only when the intent is `kb`, as the bot runs) are reported, never chosen on.
 */
interface Candidate {
  name: string;
  features: readonly Feature[];
  /** Also fit on the generated corpus's knowledge questions (right = its entry ranked first). */
  corpus: boolean;
  /** Also fit on this many re-worded copies of each own message (parent-wording.ts). */
  reworded?: number;
}

const SEEN_SET: Feature[] = ['bias', 'top', 'fit', 'info', 'unseen', 'seen', 'coverageSeen', 'marginSeen', 'nearSeen', 'offKeySeen', 'offEntrySeen'];
export const CANDIDATES: Candidate[] = [
  { name: 'shipped features (10)', features: FEATURES, corpus: false },
  { name: 'seen-scaled in place of the diluted ones', features: SEEN_SET, corpus: false },
  { name: 'shipped + seen-scaled (16)', features: [...FEATURES, ...SEEN_FEATURES], corpus: false },
  { name: 'shipped features, own + corpus', features: FEATURES, corpus: true },
  { name: 'seen-scaled, own + corpus', features: SEEN_SET, corpus: true },
  { name: 'shipped features, own + own re-worded ×2', features: FEATURES, corpus: false, reworded: 2 },
  { name: 'seen-scaled, own + own re-worded ×2', features: SEEN_SET, corpus: false, reworded: 2 },
  { name: 'shipped + singles, oov', features: [...FEATURES, 'singles', 'oov'], corpus: false },
  { name: 'shipped + asks, factHeld', features: [...FEATURES, 'asks', 'factHeld'], corpus: false },
  { name: 'shipped + wording (14)', features: [...FEATURES, ...WORDING_FEATURES], corpus: false },
  { name: 'shipped + wording (14), own + own re-worded ×2', features: [...FEATURES, ...WORDING_FEATURES], corpus: false, reworded: 2 },
  { name: 'all (20)', features: ALL_FEATURES, corpus: false },
];

/** Wrong answers over all rows / answered right over answerable rows, every candidate counted as answered. */
function point(rows: readonly Scored[], at: number): { wrong: number; answeredRight: number } {
  return botPointAt(
    rows.map((r) => ({ ...r, kbIntent: true })),
    at,
  );
}



const f3 = (x: number) => x.toFixed(3);
const cell = (p: { wrong: number; answeredRight: number }) => `${f3(p.wrong)} / ${f3(p.answeredRight)}`;

async function main(): Promise<void> {
  const detect = await intentOf();
  const rows = await collectRows(detect);
  const own = rows.filter((r) => TRAIN.includes(r.set));
  const outside = rows.filter((r) => r.set === 'outside 溪湖区');
  const corpus = await corpusRows(detect);
  const reworded = await rewordedRows(2);
  const out: string[] = [
    '| candidate | own held-out AUC | threshold (own held out ≤ 4 %) | own held out: wrong / answered right | as the bot runs | corpus held out (bot) | outside (bot) | outside AUC |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const curves: string[] = [];
  const rw = reworded.filter((r) => r.candidate);
  out.unshift(`re-worded own messages: ${reworded.length}, with a candidate ${rw.length}, right first ${rw.filter((r) => r.answerable && r.right).length}\n`);
  // ONLY=0,3 runs those candidates (by position) alone.
  const only = process.env.ONLY?.split(',').map(Number);
  for (const c of CANDIDATES.filter((_, i) => !only || only.includes(i))) {
    const trainRows: Row[] = [...own, ...(c.corpus ? corpus : []), ...(c.reworded ? reworded : [])];
    const held = heldOut(own, trainRows, c.features);
    const at = heldOutThreshold(held);
    const weights = fit(trainRows, c.features);
    const model = { features: [...c.features], weights };
    const outsideScored = outside.map((r) => ({ ...r, p: r.candidate && r.x ? probability(model, r.x) : null }));
    const corpusHeld = heldOut(corpus, trainRows, c.features);
    out.push(
      `| ${c.name} | ${f3(auc(held))} | ${at} | ${cell(point(held, at))} | ${cell(botPointAt(held, at))} | ${cell(botPointAt(corpusHeld, at))} | ${cell(botPointAt(outsideScored, at))} | ${f3(auc(outsideScored))} |`,
    );
    curves.push(`\n${c.name}: weights ${c.features.map((f, i) => `${f} ${weights[i]}`).join(', ')}\n`);
    curves.push('| p ≥ | own held out (bot) | corpus held out (bot) | outside (bot) |\n|---|---|---|---|');
    for (const t of [0.5, 0.6, 0.7, 0.75, 0.77, 0.8, 0.85, 0.9, at].sort((a, b) => a - b).filter((t, i, a) => a.indexOf(t) === i)) {
      curves.push(`| ${t === at ? `**${t}**` : t} | ${cell(botPointAt(held, t))} | ${cell(botPointAt(corpusHeld, t))} | ${cell(botPointAt(outsideScored, t))} |`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n${curves.join('\n')}\n`);
}

if (process.argv[1]?.endsWith('answer-model-compare.ts')) await main();
