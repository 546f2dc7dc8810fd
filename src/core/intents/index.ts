import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AppError } from '../errors.js';
import type { CaseType } from '../types.js';
import { loadIntentModel, thresholdFor, DEFAULT_INTENT_MODEL, type IntentClassifier } from './classifier.js';
import { loadAskActModel, DEFAULT_ASK_ACT_MODEL, type AskActClassifier } from './ask-or-act.js';
import { compileIntent, intentText, matches, type CompiledIntent } from './compile.js';
import { INTENT_NAMES, intentFileSchema, type IntentName } from './schema.js';
import { projectPath } from '../../project-root.js';
import { canonicaliseCaseCodes, findCaseCode } from '../cases/case-code.js';

export { INTENT_NAMES, type IntentName } from './schema.js';
export { intentText, normaliseText, type CompiledIntent } from './compile.js';

/** All intents, highest priority first. `kb` is the default when nothing matches. */
export interface IntentSet {
  intents: CompiledIntent[];
  byName: Map<IntentName, CompiledIntent>;
  /** Normalised example text → its intent (exact matches win). */
  examples: Map<string, IntentName>;
  /** The learned classifier consulted when no pattern matches (models/intent-v1.json); absent = rules only. */
  classifier?: IntentClassifier;
  /** Turns a classifier's petition whose ask wants a rule explained back into `kb` (models/ask-act.json); absent = off. */
  askAct?: AskActClassifier;
}

export interface DetectedIntent {
  intent: IntentName;
  caseType?: CaseType;
  caseCode?: string;
}

/** The repository's own `intents/` folder, independent of the working directory. */
export const DEFAULT_INTENTS_DIR = projectPath('intents');

export { CASE_CODE_PATTERN, findCaseCode } from '../cases/case-code.js';

/**
 * Reads and validates every `*.yaml` in `dir`. Reports all problems at once
 * (`file: path: message`) as AppError('intents_invalid').
 *
 * @example
 *   const set = await loadIntents();
 *   detectIntent(set, '我要投诉彩屯小学乱收费'); // { intent: 'petition', caseType: 'complaint' }
 */
export async function loadIntents(dir: string = DEFAULT_INTENTS_DIR, options: { model?: string | null; askAct?: string | null } = {}): Promise<IntentSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    throw new AppError('intents_invalid', `Cannot read the intents folder ${dir}: ${(error as Error).message}. Set INTENTS_DIR to the folder of intent YAML files.`, { cause: error });
  }
  const problems: string[] = [];
  const intents: CompiledIntent[] = [];
  for (const name of names) {
    const source = join(dir, name);
    let raw: unknown;
    try {
      raw = parse(await readFile(source, 'utf8'));
    } catch (error) {
      problems.push(`${source}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const parsed = intentFileSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${source}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
      continue;
    }
    if (intents.some((i) => i.name === parsed.data.intent)) problems.push(`${source}: intent "${parsed.data.intent}" is defined twice`);
    intents.push(compileIntent(parsed.data, source, problems));
  }
  for (const required of INTENT_NAMES) {
    if (!intents.some((i) => i.name === required)) problems.push(`${dir}: no file defines intent "${required}"`);
  }
  if (problems.length > 0) {
    throw new AppError('intents_invalid', `Invalid intent definitions:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  intents.sort((a, b) => b.priority - a.priority);
  const examples = new Map<string, IntentName>();
  for (const intent of [...intents].reverse()) {
    for (const e of [...intent.examples.zh, ...intent.examples.en]) examples.set(intentText(e), intent.name);
  }
  const model = options.model === undefined ? DEFAULT_INTENT_MODEL : options.model;
  const set: IntentSet = { intents, byName: new Map(intents.map((i) => [i.name, i])), examples };
  if (model !== null) set.classifier = await loadIntentModel(model);
  // The ask-or-act model only ever corrects the classifier, so it goes with it.
  const askAct = options.askAct === undefined ? DEFAULT_ASK_ACT_MODEL : options.askAct;
  if (model !== null && askAct !== null) set.askAct = await loadAskActModel(askAct);
  return set;
}

function caseTypeOf(intent: CompiledIntent | undefined, text: string): CaseType | undefined {
  return intent?.caseTypes.find((ct) => ct.patterns.some((p) => matches(p, text)))?.type;
}

/**
 * The intent of one citizen message. Exact matches of an example win; then
 * the highest-priority intent with a matching pattern; then the learned classifier
 * when it is confident enough (its threshold is part of the model); else `kb`.
 * `caseType` is set for petition (and for human when the parent names a type);
 * `caseCode` whenever the message carries a case code.
 */
/**
 * A phone number the parent leaves ("电话13812345678") is contact data, not
 * part of what they ask: without this, "我要投诉…，电话138…" would trip the
 * guards that veto "投诉电话是多少". "给我回个电话 138…" keeps its 电话: there it is the request.
 */
const LEFT_CONTACT =
  /((?<!(回|打|拨|致)个?)(联系方式|联系电话|联系|电话|手机号码|手机号|手机|tel|phone))?[是为:：\s]*(\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\(?0\d{2,3}\)?[\s-]?\d{7,8})(?!\d)/gi;

/** Intents for short social acts; a long post that trips one of their patterns is judged by the classifier. */
const SOCIAL_ACTS = new Set<IntentName>(['greeting', 'thanks', 'rate', 'farewell']);

export function detectIntent(set: IntentSet, text: string): DetectedIntent {
  // Codes typed with an IME ("XH—2026—000001", full width) read as the canonical code the status pattern knows.
  const norm = intentText(canonicaliseCaseCodes(text)).replace(LEFT_CONTACT, ' ').trim();
  const code = findCaseCode(text);
  const withCode = (d: DetectedIntent): DetectedIntent => (code ? { ...d, caseCode: code } : d);
  const exact = set.examples.get(norm);
  let found: CompiledIntent | undefined = exact ? set.byName.get(exact) : undefined;
  found ??= set.intents.find((intent) => intent.patterns.some((p) => matches(p, norm)) || caseTypeOf(intent, norm) !== undefined);
  let name: IntentName = found?.name ?? 'kb';
  // Where no pattern speaks, the learned classifier may: a grievance told as a story, a person asked for in new words.
  // It may also overrule a pattern for a social act (greeting, thanks, rating, goodbye) that matched inside a long
  // post: "…还要家长点评打分…" in a grievance is not a rating.
  const overrulable = !found || (SOCIAL_ACTS.has(found.name) && set.classifier !== undefined && [...norm].length >= set.classifier.model.longFrom);
  if (overrulable && set.classifier && norm) {
    const predicted = set.classifier.predict(norm);
    const bar = thresholdFor(set.classifier.model, norm, predicted.label);
    const allowed = !found || predicted.label === 'petition' || predicted.label === 'human';
    if (allowed && predicted.label !== 'kb' && predicted.probability >= bar && set.byName.has(predicted.label)) name = predicted.label;
    // A petition no pattern asked for, whose ask reads as a rule question ("…孩子还能在这边上学吗") rather than a
    // request to act, and which the classifier is not sure of: a knowledge question told as a story.
    if (!found && name === 'petition' && set.askAct && predicted.probability < set.askAct.model.ceiling && set.askAct.probabilityKb(norm) >= set.askAct.model.bar) name = 'kb';
  }
  if (name === 'petition' || name === 'human') {
    const caseType = caseTypeOf(set.byName.get('petition'), norm);
    return withCode(caseType ? { intent: name, caseType } : name === 'petition' ? { intent: name, caseType: 'complaint' } : { intent: name });
  }
  return withCode({ intent: name });
}
