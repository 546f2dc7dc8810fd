import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { askActFeatures, createAskAct, type AskActModel } from '../src/core/intents/ask-or-act.js';
import { encodeWeights } from '../src/core/intents/classifier.js';
import { detectIntent, intentText, loadIntents } from '../src/core/intents/index.js';
import { projectPath } from '../src/project-root.js';
import { createRng } from './corpus/random.js';
import { readWritten, writtenText } from './written.js';

/**
 * `npm run train:ask`: trains the ask-or-act model (src/core/intents/ask-or-act.ts) on the knowledge questions and
 * petitions of train/corpus.jsonl, train/written/*.jsonl and train/written/narratives/*.jsonl, and writes
 * models/ask-act.json.
 *
 * The bar and the ceiling: the model only acts where the shipped detector (rules + models/intent-v1.json) makes a
 * petition by its classifier alone (no pattern matched), and only when its rule-question probability is at least the
 * bar while the classifier's petition probability is under the ceiling. Every training row in that region is scored
 * by a model trained without its bureau (corpus and written rows of a bureau share its name, so leaving it out hides
 * both); the pair chosen turns the most held-out knowledge questions back with no held-out petition turned (ties: the
 * higher bar, then the lower ceiling), since a petition read as a question fails the bureau's duty while a question
 * read as a petition still reaches a person.
 */
export interface AskActRow {
  text: string;
  kb: boolean;
  group: string;
}

const EPOCHS = 12;
const LEARNING_RATE = 0.8;
const L2 = 1e-5;

export interface RawAskAct {
  bias: number;
  weights: Map<string, number>;
}

/** Binary logistic regression by plain SGD in a seeded order (the same rows give the same bytes). */
export function fitAskAct(rows: readonly AskActRow[], seed = 7): RawAskAct {
  const feats = rows.map((r) => [...askActFeatures(r.text)]);
  const counts = new Map<string, number>();
  for (const fs of feats) for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = [...counts].filter(([, c]) => c >= 2).map(([f]) => f);
  const slot = new Map(vocab.map((f, i) => [f, i]));
  const indexed = feats.map((fs) => Int32Array.from(fs.map((f) => slot.get(f) ?? -1).filter((i) => i >= 0)));
  const scales = feats.map((fs) => 1 / Math.sqrt(fs.length));
  const w = new Float64Array(vocab.length);
  let bias = 0;
  const rng = createRng(seed);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = LEARNING_RATE / (1 + epoch);
    for (const i of order) {
      const fs = indexed[i]!;
      const scale = scales[i]!;
      let z = bias;
      for (const f of fs) z += w[f]! * scale;
      const g = 1 / (1 + Math.exp(-z)) - (rows[i]!.kb ? 1 : 0);
      bias -= lr * g * 0.1;
      const step = lr * g * scale;
      for (const f of fs) w[f] = w[f]! * (1 - lr * L2) - step;
    }
  }
  return { bias, weights: new Map(vocab.map((f, i) => [f, w[i]!])) };
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export function toAskActModel(raw: RawAskAct, bar: number, ceiling: number, trainingText: string, messages: number): AskActModel {
  const kept = [...raw.weights.keys()].sort().filter((f) => Math.abs(round(raw.weights.get(f)!)) >= 0.01);
  return {
    format: 'civicdesk-ask-act',
    version: 1,
    bar,
    ceiling,
    bias: round(raw.bias),
    features: kept,
    weights: encodeWeights(kept.map((f) => round(raw.weights.get(f)!))),
    trainedOn: { messages, sha256: createHash('sha256').update(trainingText).digest('hex') },
  };
}

/** Knowledge questions and petitions of the corpus and of the written messages (other intents are not its business). */
export function askActRows(corpusText: string): AskActRow[] {
  const corpus = corpusText
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { text: string; intent: string; bureau: string })
    .filter((r) => r.intent === 'kb' || r.intent === 'petition')
    .map((r) => ({ text: intentText(r.text), kb: r.intent === 'kb', group: r.bureau }));
  const written = readWritten()
    .filter((r) => r.label === 'kb' || r.label === 'petition')
    .map((r) => ({ text: intentText(r.q), kb: r.label === 'kb', group: r.bureau }));
  return [...corpus, ...written];
}

export interface AskActTraining {
  model: string;
  /** Held out by bureau, in the region where the classifier alone makes a petition. */
  region: { kb: number; petitions: number };
  curve: { bar: number; ceiling: number; kbTurned: number; petitionsTurned: number }[];
}

export async function trainAskAct(corpusText: string, log: (line: string) => void = () => {}): Promise<AskActTraining> {
  const rows = askActRows(corpusText);
  const full = await loadIntents(undefined, { askAct: null });
  const rules = await loadIntents(undefined, { model: null });
  const inRegion = rows.map((r) => detectIntent(full, r.text).intent === 'petition' && detectIntent(rules, r.text).intent === 'kb');
  const classifierP = rows.map((r, i) => (inRegion[i] ? full.classifier!.predict(r.text).probability : 0));
  const held = new Array<number>(rows.length).fill(0);
  for (const group of [...new Set(rows.map((r) => r.group))].sort()) {
    const model = createAskAct(toAskActModel(fitAskAct(rows.filter((r) => r.group !== group)), 1, 1, '', 0));
    rows.forEach((r, i) => {
      if (r.group === group && inRegion[i]) held[i] = model.probabilityKb(r.text);
    });
  }
  const region = rows.map((r, i) => ({ r, p: held[i]!, pc: classifierP[i]!, inside: inRegion[i]! })).filter((x) => x.inside);
  const curve: AskActTraining['curve'] = [];
  for (let c = 55; c <= 100; c += 5) {
    for (let t = 50; t <= 99; t++) {
      const bar = t / 100;
      const ceiling = c / 100;
      const turned = region.filter((x) => x.p >= bar && x.pc < ceiling);
      curve.push({ bar, ceiling, kbTurned: turned.filter((x) => x.r.kb).length, petitionsTurned: turned.filter((x) => !x.r.kb).length });
    }
  }
  // The most knowledge questions turned back with no petition lost; ties: the higher bar, then the lower ceiling.
  let chosen = { bar: 1, ceiling: 0, kbTurned: 0, petitionsTurned: 0 };
  for (const c of curve) {
    if (c.petitionsTurned > 0) continue;
    if (c.kbTurned > chosen.kbTurned || (c.kbTurned === chosen.kbTurned && (c.bar > chosen.bar || (c.bar === chosen.bar && c.ceiling < chosen.ceiling)))) chosen = c;
  }
  const counts = { kb: region.filter((x) => x.r.kb).length, petitions: region.filter((x) => !x.r.kb).length };
  log(`region (classifier-made petitions): ${counts.kb} knowledge questions, ${counts.petitions} petitions of ${rows.length} rows`);
  log(`bar ${chosen.bar}, classifier petition probability under ${chosen.ceiling}: held out by bureau, ${chosen.kbTurned} of ${counts.kb} knowledge questions turned back, ${chosen.petitionsTurned} petitions`);
  const text = corpusText + writtenText();
  return { model: JSON.stringify(toAskActModel(fitAskAct(rows), chosen.bar, chosen.ceiling, text, rows.length)) + '\n', region: counts, curve };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const corpus = readFileSync(projectPath('train/corpus.jsonl'), 'utf8');
  const trained = await trainAskAct(corpus, (line) => process.stdout.write(`${line}\n`));
  if (process.argv.includes('--curve')) for (const c of trained.curve) if (Math.round(c.bar * 100) % 5 === 0) process.stdout.write(`${c.ceiling}\t${c.bar}\t${c.kbTurned}\t${c.petitionsTurned}\n`);
  writeFileSync(projectPath('models/ask-act.json'), trained.model);
  process.stdout.write(`models/ask-act.json: ${trained.model.length} bytes\n`);
}
