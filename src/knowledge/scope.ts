import { BODY, HEADING, KEY, QUALIFIER, type EntryTerms } from './entry-profile.js';
import { GENERIC_TERMS } from './lexicon.js';
import { termWeight } from './term-weights.js';

/**
 * Scope: does the knowledge base cover what the message is about? A message can share many words with an
 * entry and still be about something no entry is about (kindergarten admission against an entry on opening a
 * kindergarten; a question on senior-school entrance against the primary-to-junior entry). The test rests only
 * on the bureau's own files, so it transfers to another bureau without word lists:
 *   - the message's topic terms are its informative words (general-language weight ≥ TOPIC_WEIGHT, not generic
 *     words such as 孩子/学校/材料);
 *   - a topic term is known when some entry has it anywhere (title, questions, tags, headings or body);
 *   - the head is the heaviest topic term; the message is out of scope when its head is known to no entry, most
 *     of its topic weight is unknown to every entry, and the best entry holds little of it in its title,
 *     questions, tags or headings.
 */
const TOPIC_WEIGHT = 2;
const GENERIC = new Set(GENERIC_TERMS);
/**
 * Measured with `npm run bench -- scope` (docs/BENCHMARKS.md, issue 14): on every set the team holds and the outside
 * set, no setting of these bars declined more must-decline messages than it cost answerable ones, so the check is
 * off by default (IndexOptions.scope) until a better signal is found.
 */
export const SCOPE_BARS = { keyShare: 0.34, unknownShare: 0.9 } as const;

export interface ScopeVerdict {
  outside: boolean;
  /** The heaviest topic term, and whether any entry knows it. */
  head: string | null;
  /** Share of the topic weight no entry knows, and share the best entry holds in its key fields. */
  unknownShare: number;
  keyShare: number;
}

/** Han words of two or more characters and Latin words: a single character or a digit says too little to judge. */
const JUDGEABLE = /^(\p{Script=Han}{2,}|[a-z]{3,})$/u;

export function judgeScope(terms: readonly string[], df: (term: string) => number, top: EntryTerms, bars: { keyShare: number; unknownShare: number } = SCOPE_BARS): ScopeVerdict {
  const topics = [...new Set(terms)].filter((t) => JUDGEABLE.test(t) && !GENERIC.has(t) && termWeight(t) >= TOPIC_WEIGHT);
  if (topics.length === 0) return { outside: false, head: null, unknownShare: 0, keyShare: 0 };
  const weights = topics.map(termWeight);
  const total = weights.reduce((a, b) => a + b, 0);
  let unknown = 0;
  let key = 0;
  let head = 0;
  topics.forEach((t, i) => {
    if (weights[i]! > weights[head]!) head = i;
    if (df(t) === 0 && !top.has(BODY, t)) unknown += weights[i]!;
    if (top.has(KEY, t) || top.has(QUALIFIER, t) || top.has(HEADING, t)) key += weights[i]!;
  });
  const headTerm = topics[head]!;
  const headUnknown = df(headTerm) === 0;
  const keyShare = key / total;
  return { outside: headUnknown && keyShare < bars.keyShare && unknown / total >= bars.unknownShare, head: headTerm, unknownShare: unknown / total, keyShare };
}
