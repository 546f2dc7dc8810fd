import { readFileSync, writeFileSync } from 'node:fs';
import { createClassifier, type ClassifierLabel } from '../src/core/intents/classifier.js';
import { detectIntent, intentText, loadIntents } from '../src/core/intents/index.js';
import { projectPath } from '../src/project-root.js';
import { fit, serialiseModel, toModel, type LabelledText } from './intent-model.js';

/**
 * `npm run train`: trains the intent classifier on train/corpus.jsonl and writes models/intent-v1.json.
 *
 * The threshold at which the classifier may override the rules' `kb` is chosen by leave-one-bureau-out
 * cross-validation on the corpus: each bureau's messages are classified by a model trained on the other
 * five, combined with the rules, and the threshold with the most right intents wins (ties: the higher).
 */
export async function trainIntentModel(corpusText: string, log: (line: string) => void = () => {}): Promise<string> {
  const rows: LabelledText[] = corpusText
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { text: string; intent: ClassifierLabel; bureau: string })
    .map((r) => ({ text: intentText(r.text), label: r.intent, group: r.bureau }));
  const rules = await loadIntents(undefined, { model: null });
  const ruled = rows.map((r) => detectIntent(rules, r.text).intent);
  const held: { label: ClassifierLabel; probability: number }[] = new Array(rows.length);
  for (const group of [...new Set(rows.map((r) => r.group))]) {
    const classifier = createClassifier(toModel(fit(rows.filter((r) => r.group !== group)), 1, '', 0));
    rows.forEach((r, i) => {
      if (r.group === group) held[i] = classifier.predict(r.text);
    });
  }
  let best = { threshold: 1, right: -1 };
  for (let t = 50; t <= 99; t++) {
    const threshold = t / 100;
    const right = rows.filter((r, i) => combine(ruled[i]!, held[i]!, threshold) === r.label).length;
    if (right >= best.right) best = { threshold, right };
  }
  const rulesRight = rows.filter((r, i) => ruled[i] === r.label).length;
  log(`cross-validated intent accuracy on the corpus: rules ${(rulesRight / rows.length).toFixed(3)}, rules + classifier ${(best.right / rows.length).toFixed(3)} at threshold ${best.threshold}`);
  return serialiseModel(toModel(fit(rows), best.threshold, corpusText, rows.length));
}

/** The decision the engine makes (see detectIntent): the classifier speaks only where the rules found nothing. */
function combine(ruled: string, predicted: { label: ClassifierLabel; probability: number }, threshold: number): string {
  return ruled === 'kb' && predicted.label !== 'kb' && predicted.probability >= threshold ? predicted.label : ruled;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const corpus = readFileSync(projectPath('train/corpus.jsonl'), 'utf8');
  const model = await trainIntentModel(corpus, (line) => process.stdout.write(`${line}\n`));
  writeFileSync(projectPath('models/intent-v1.json'), model);
  process.stdout.write(`models/intent-v1.json: ${model.length} bytes\n`);
}
