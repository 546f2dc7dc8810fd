import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { FEATURES, probability, type AnswerModel, type FeatureVector } from '../src/knowledge/answer-model.js';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { BUREAUS } from '../train/corpus/generate.js';
import { intentOf, KB_SETS } from './kb-sets.js';

/**
 * `npm run train:decision [-- --check]`: fits the answer-or-suggest model (src/knowledge/answer-model.ts) and
 * writes models/answer-model.json. Deterministic: Newton's method from zero weights run to convergence (a fixed
 * number of steps, far more than it needs), weights rounded to 1e-6 (`--check` retrains and exits 1 when the
 * file differs).
 *
 * Weights: fitted on every candidate of the team's own sets (TRAIN), intents left out (a petition matching an
 * entry is a message not to answer, which is right to learn). The generated corpus (train/corpus.jsonl) is not
 * fitted on: its messages are built from the entries' own titles and questions, and fitting on them taught the
 * model to trust that wording (docs/BENCHMARKS.md); it is reported held out.
 *
 * Threshold: chosen on held-out probabilities, never on in-sample fit. Each bureau's messages are scored by a
 * model fitted without that bureau (leave one bureau out) and run as the bot runs them (answered only when the
 * detected intent is `kb`); `answerAt` is the lowest probability at which the wrong-answer rate over all TRAIN
 * messages stays ≤ TARGET with a margin: its one-sided 95 % Wilson bound, and the 95th percentile of the rate over
 * bureaus drawn with replacement (messages cluster by bureau and author, which the Wilson bound ignores).
 * The outside set is never used to fit or choose anything; its curve is printed from the same run to report.
 */
const TRAIN = ['溪湖区 dev', '溪湖区 fresh', '溪湖区 English', '大东区 dev', '大东区 fresh', '甘井子区 dev', '甘井子区 fresh', '天河区 dev', '天河区 fresh', '武侯区 (new)', '金水区 (new)'];
const TARGET = 0.04;
const NEWTON_STEPS = 50;
const L2 = 1e-3;
const Z95 = 1.645;
const BOOTSTRAP = { draws: 400, seed: 20261206 } as const;

interface Row {
  set: string;
  /** The bureau whose knowledge base the message is about (the unit left out in the held-out curve). */
  bureau: string;
  /** The detected intent is `kb` (only when collected with an intent detector; true otherwise). */
  kbIntent: boolean;
  /** The knowledge decision has a candidate to answer with (not elsewhere, not none). Intents are left out on
   * purpose: the model must not change when the intent detector does (a petition matching an entry is a
   * message not to answer, which is right to learn). */
  candidate: boolean;
  answerable: boolean;
  right: boolean;
  x: FeatureVector | null;
}

const bureauOf = (set: string) => set.split(' ')[0]!;

/** Features do not depend on the model: training must not need (or read) the file it writes. */
const UNUSED = { features: [...FEATURES], weights: FEATURES.map(() => 0), answerAt: 1 };

export async function collectRows(detect?: (text: string) => string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const set of KB_SETS) {
    if (!existsSync(set.file)) continue;
    const kb = await loadKnowledge(set.dir);
    const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(set.home), answerModel: UNUSED });
    for (const c of parseEvalFile(readFileSync(set.file, 'utf8'), set.file)) {
      const e = index.explain(c.q);
      const candidate = e.kind === 'candidate';
      rows.push({ set: set.name, bureau: bureauOf(set.name), kbIntent: detect ? detect(c.q) === 'kb' : true, candidate, answerable: c.expect.length > 0, right: e.top !== null && c.expect.includes(e.top), x: e.features });
    }
  }
  return rows;
}

/** The corpus's knowledge questions (each with its entry), for the held-out curve; never fitted on. */
async function corpusRows(detect: (text: string) => string): Promise<Row[]> {
  const corpus = readFileSync('train/corpus.jsonl', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { bureau: string; text: string; entry?: string });
  const rows: Row[] = [];
  for (const b of BUREAUS) {
    const set = KB_SETS.find((s) => s.dir === b.dir);
    const kb = await loadKnowledge(b.dir, { today: '2026-09-01' });
    const index = buildIndex(kb.entries, kb.synonyms, { answerModel: UNUSED, ...(set ? { jurisdiction: createJurisdiction(set.home) } : {}) });
    for (const r of corpus) {
      if (r.bureau !== b.bureau || !r.entry) continue;
      const e = index.explain(r.text);
      const bureau = set ? bureauOf(set.name) : b.area;
      rows.push({ set: 'corpus', bureau, kbIntent: detect(r.text) === 'kb', candidate: e.kind === 'candidate', answerable: true, right: e.top === r.entry, x: e.features });
    }
  }
  return rows;
}

export function fit(rows: readonly Row[]): number[] {
  const data = rows.filter((r) => r.candidate && r.x).map((r) => ({ x: FEATURES.map((f) => r.x![f]), y: r.right ? 1 : 0 }));
  const d = FEATURES.length;
  const w = FEATURES.map(() => 0);
  // Newton's method on the mean log-loss + L2 (not on the bias): converges in a few steps; the rest change nothing.
  for (let step = 0; step < NEWTON_STEPS; step++) {
    const grad = w.map((wi, i) => (i === 0 ? 0 : L2 * wi));
    const hess = w.map((_, i) => w.map((__, j) => (i === j ? (i === 0 ? 1e-9 : L2) : 0)));
    for (const { x, y } of data) {
      const p = 1 / (1 + Math.exp(-x.reduce((sum, xi, i) => sum + xi * w[i]!, 0)));
      const h = p * (1 - p);
      for (let i = 0; i < d; i++) {
        grad[i]! += ((p - y) * x[i]!) / data.length;
        for (let j = 0; j < d; j++) hess[i]![j]! += (h * x[i]! * x[j]!) / data.length;
      }
    }
    const delta = solve(hess, grad);
    w.forEach((wi, i) => (w[i] = wi - delta[i]!));
  }
  return w.map((wi) => Math.round(wi * 1e6) / 1e6);
}

/** Solves a·x = b by Gaussian elimination with partial pivoting (a is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = m[r]![n]!;
    for (let k = r + 1; k < n; k++) sum -= m[r]![k]! * x[k]!;
    x[r] = sum / m[r]![r]!;
  }
  return x;
}

/** A row with the probability a model gives it (null: no candidate). */
type Scored = Row & { p: number | null };

/** Each row scored by a model fitted on the training rows of the other bureaus. */
function heldOut(rows: readonly Row[], trainRows: readonly Row[]): Scored[] {
  const fits = new Map<string, number[]>();
  return rows.map((r) => {
    if (!fits.has(r.bureau)) fits.set(r.bureau, fit(trainRows.filter((t) => t.bureau !== r.bureau)));
    return { ...r, p: r.candidate && r.x ? probability({ features: [...FEATURES], weights: fits.get(r.bureau)! }, r.x) : null };
  });
}

/** As `pointAt`, answered only when the detected intent is `kb` too. */
function botPointAt(rows: readonly Scored[], at: number): { wrong: number; answeredRight: number } {
  let wrong = 0;
  let right = 0;
  const answerable = rows.filter((r) => r.answerable).length;
  for (const r of rows) {
    if (!r.kbIntent || r.p === null || r.p < at) continue;
    if (r.answerable && r.right) right += 1;
    else wrong += 1;
  }
  return { wrong: rows.length ? wrong / rows.length : 0, answeredRight: answerable ? right / answerable : 0 };
}

/** Wrong-answer rate and answered-right share of `rows` when answering from probability `at` up. */
export function pointAt(rows: readonly Row[], model: Pick<AnswerModel, 'features' | 'weights'>, at: number): { wrong: number; answeredRight: number } {
  let wrong = 0;
  let right = 0;
  const answerable = rows.filter((r) => r.answerable).length;
  for (const r of rows) {
    if (!r.candidate || !r.x || probability(model, r.x) < at) continue;
    if (r.answerable && r.right) right += 1;
    else wrong += 1;
  }
  return { wrong: wrong / rows.length, answeredRight: answerable ? right / answerable : 0 };
}

export async function train(collected?: Row[]): Promise<{ model: AnswerModel; rows: Row[] }> {
  const rows = collected ?? (await collectRows(await intentOf()));
  return { model: fitModel(rows, TRAIN), rows };
}

function fitModel(rows: readonly Row[], sets: readonly string[]): AnswerModel {
  const trainRows = rows.filter((r) => sets.includes(r.set));
  return { features: [...FEATURES], weights: fit(trainRows), answerAt: threshold(heldOut(trainRows, trainRows)), trainedOn: [...sets] };
}

/** One-sided upper confidence bound (Wilson score) of a rate of k in n. */
export function wilsonUpper(k: number, n: number, z = Z95): number {
  if (n === 0) return 0;
  const p = k / n;
  const d = 1 + (z * z) / n;
  return (p + (z * z) / (2 * n) + z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
}

/** The 95th percentile of the pooled wrong-answer rate over bureaus drawn with replacement (seeded: deterministic). */
function bureauBootstrap(scored: readonly Scored[], at: number): number {
  const byBureau = [...new Set(scored.map((r) => r.bureau))].map((b) => {
    const rows = scored.filter((r) => r.bureau === b);
    return { wrong: botPointAt(rows, at).wrong * rows.length, n: rows.length };
  });
  let state: number = BOOTSTRAP.seed;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rates: number[] = [];
  for (let d = 0; d < BOOTSTRAP.draws; d++) {
    let wrong = 0;
    let n = 0;
    for (let i = 0; i < byBureau.length; i++) {
      const b = byBureau[Math.floor(next() * byBureau.length)]!;
      wrong += b.wrong;
      n += b.n;
    }
    rates.push(wrong / n);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(0.95 * rates.length)]!;
}

/** The lowest probability (0.001 steps) at which held-out wrong answers stay ≤ TARGET under both margins. */
export function threshold(scored: readonly Scored[]): number {
  const holds = (t: number) => {
    const wrong = Math.round(botPointAt(scored, t).wrong * scored.length);
    return wilsonUpper(wrong, scored.length) <= TARGET && bureauBootstrap(scored, t) <= TARGET;
  };
  for (let t = 0; t <= 1000; t++) if (holds(t / 1000)) return t / 1000;
  return 1;
}

const fmt = (x: number) => x.toFixed(3);

async function main(): Promise<void> {
  const detect = await intentOf();
  const { model, rows } = await train(await collectRows(detect));
  const json = `${JSON.stringify(model)}\n`;
  const path = 'models/answer-model.json';
  if (process.argv.includes('--check')) {
    const same = existsSync(path) && readFileSync(path, 'utf8') === json;
    process.stdout.write(same ? `${path} is what training gives\n` : `${path} differs from a retrain: run npm run train:decision\n`);
    process.exitCode = same ? 0 : 1;
    return;
  }
  writeFileSync(path, json);
  process.stdout.write(`weights ${FEATURES.map((f, i) => `${f} ${model.weights[i]}`).join(', ')}; answer at p ≥ ${model.answerAt}\n\n`);
  const groups: [string, Row[]][] = [
    ['own sets (trained on)', rows.filter((r) => TRAIN.includes(r.set))],
    ...[...new Set(rows.map((r) => r.set))].filter((s) => !TRAIN.includes(s)).map((s): [string, Row[]] => [`${s} (held out)`, rows.filter((r) => r.set === s)]),
  ];
  process.stdout.write(`| p ≥ | ${groups.map(([g]) => `${g}: wrong / answered right`).join(' | ')} |\n|---|${groups.map(() => '---').join('|')}|\n`);
  for (const t of [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, model.answerAt, 0.8, 0.9].sort((a, b) => a - b).filter((t, i, a) => a.indexOf(t) === i)) {
    const cells = groups.map(([, g]) => {
      const p = pointAt(g, model, t);
      return `${fmt(p.wrong)} / ${fmt(p.answeredRight)}`;
    });
    process.stdout.write(`| ${t === model.answerAt ? `**${t}**` : t} | ${cells.join(' | ')} |\n`);
  }
  process.stdout.write('\nHeld out, as the bot runs (answered only when the intent is kb; each bureau scored by a model fitted without it):\n\n');
  const trainRows = rows.filter((r) => TRAIN.includes(r.set));
  const heldGroups: [string, Scored[]][] = [
    ['own sets, held out by bureau', heldOut(trainRows, trainRows)],
    ['corpus, held out by bureau', heldOut(await corpusRows(detect), trainRows)],
    ...[...new Set(rows.map((r) => r.set))]
      .filter((s) => !TRAIN.includes(s))
      .map((s): [string, Scored[]] => [s, rows.filter((r) => r.set === s).map((r) => ({ ...r, p: r.candidate && r.x ? probability(model, r.x) : null }))]),
  ];
  process.stdout.write(`| p ≥ | ${heldGroups.map(([g]) => g).join(' | ')} |\n|---|${heldGroups.map(() => '---').join('|')}|\n`);
  for (const t of [0.6, 0.7, 0.75, model.answerAt, 0.8, 0.85, 0.9].sort((a, b) => a - b).filter((t, i, a) => a.indexOf(t) === i)) {
    const cells = heldGroups.map(([, g]) => {
      const p = botPointAt(g, t);
      return `${fmt(p.wrong)} / ${fmt(p.answeredRight)}`;
    });
    process.stdout.write(`| ${t === model.answerAt ? `**${t}**` : t} | ${cells.join(' | ')} |\n`);
  }
  process.stdout.write(`\nPer bureau, held out, at p ≥ ${model.answerAt} (wrong answers / answered right):\n\n`);
  const held = heldGroups[0]![1];
  for (const b of [...new Set(held.map((r) => r.bureau))]) {
    const p = botPointAt(held.filter((r) => r.bureau === b), model.answerAt);
    process.stdout.write(`- ${b}: ${fmt(p.wrong)} / ${fmt(p.answeredRight)}\n`);
  }
}

if (process.argv[1]?.endsWith('train-decision.ts')) await main();
