import { BODY, HEADING, KEY, QUALIFIER, SECTION_SETS, type EntryTerms } from './entry-profile.js';
import type { Place } from './jurisdiction.js';
import type { KnowledgeEntry } from './schema.js';
import { GENERIC_TERMS, OUT_OF_SCOPE_TERMS, SCHOOL_LEVELS } from './lexicon.js';
import { termWeight } from './term-weights.js';
import { entryHoldsAsked, holdsFact, type Fact } from './facts.js';
import { RANKING_DEFAULT, type RankingWeights } from './ranking-model.js';
import type { Vocabulary } from './term-set.js';
import { sortSmall } from './sort-small.js';
import { sectionCount, sectionHeading, sectionText } from './packed-entry.js';

/** A term of Han characters only (no g/y flag: `test` keeps no state, so one object serves every call). */
const ALL_HAN = /^\p{Script=Han}+$/u;

/**
 * The answer decision. BM25 scores grow with the size of a knowledge base, so
 * they are only used to order candidates; the confidence is a normalised
 * match between the message and an entry:
 *   coverage — share of the message's informative weight found in the entry
 *              (title/questions/tags count fully, title qualifiers, headings and a word found whole in
 *              the title/questions/tags text but segmented otherwise 0.85, body 0.6);
 *   fit      — share of the entry's best-matching title/question found in the message.
 * Term weights come from a general-language IDF table, so the same thresholds
 * hold for a 30-entry and a 10,000-entry base. A message naming another
 * authority's business (身份证, 驾照, 社保 … see OUT_OF_SCOPE_TERMS) scores
 * × 0.5 against any entry that is not about it (see isOffTopic); a message
 * asking how to get one thing the entry only mentions in its body (居住证在哪办理
 * against a materials list) scores × 0.6; a message naming a school level scores × 0.7 against an entry
 * about other levels only (see isOtherLevel: an entry's level is read from its title and tags first); and a message
 * that says very little (total weight < 8) is damped. Terms the message only implies (a child's age → its school
 * level) are credited where the entry has them and cost nothing where not. Holding the kind of fact asked can add to
 * the score (ranking-model.ts; off by default, it did not help held out).
 */
export interface Hit {
  id: string;
  section: string | null;
  score: number;
}

export type Decision =
  | {
      kind: 'answer';
      best: Hit & { entry: KnowledgeEntry; sectionText: string };
      /** Close runners-up for "您是不是想问…" (titles only, never ids, are shown). */
      alternatives: Alternative[];
      confident: boolean;
      results: Hit[];
    }
  /** Not clearly right: "您是不是想问" with up to 3 titles, no answer. */
  | { kind: 'suggest'; alternatives: Alternative[]; results: Hit[] }
  /** About another district, city or province (jurisdiction.ts): no answer, and not a knowledge gap. */
  | { kind: 'elsewhere'; place: Place; home: string; results: Hit[] }
  | { kind: 'none'; results: Hit[] };

export interface Alternative {
  entryId: string;
  section: string | null;
  title: string;
}

export interface ScoringProfile {
  hit: Hit;
  profile: EntryTerms;
  sectionIndex: number;
  /** The parts of the score (for the answer model): weighted coverage of the message, best question fit. */
  coverage: number;
  fit: number;
  /** Its BM25 score over the best candidate's (1: BM25 alone ranks it first too). */
  bm25Share: number;
  /** Share of its covered weight earned through learned associates (associations.ts), not the message's own words. */
  associatedShare: number;
  /**
   * What it is ordered by: its score + the fusion's bonus (fusion.ts: weight × its bigram BM25 over the bigram
   * order's best; 0 unfused). The score itself is what every bar reads.
   */
  order: number;
}

/**
 * Thresholds, tuned on two bureaus' dev sets (docs/BENCHMARKS.md). `answer` is the answer model's domain: only a
 * best entry scoring at least this is ever answered outright (answer-model.json was fitted on those). Whether a
 * message not answered gets "您是不是想问" or nothing is not decided here: `suggestFrom` is learned
 * (models/answer-model.json, bench/suggest-floor.ts).
 */
export const THRESHOLDS = { answer: 0.375, confident: 0.6, margin: 0.08, alternativeGap: 0.1 } as const;
const OFF_TOPIC_PENALTY = 0.5;
const BODY_ONLY_PENALTY = 0.6;
/** A message naming a school level scores × this against an entry whose title/questions/tags name only other levels. */
const OTHER_LEVEL_PENALTY = 0.7;
const LEVELS = new Set(SCHOOL_LEVELS);
const NONE: ReadonlySet<string> = new Set();
const GENERIC = new Set(GENERIC_TERMS);
/** Words asking how to obtain something (where, how, materials …). */
const HOW_TO_GET = new Set(['地点', '办理', '流程', '补办', '材料', '条件', '时限']);
/** Total term weight of a message that says enough to be answered with full confidence. */
const INFO_FULL = 8;
const OUT_OF_SCOPE = new Set(OUT_OF_SCOPE_TERMS);
const FIELD = { key: 1, qualifier: 0.85, heading: 0.85, body: 0.6, keyVerbatim: 0.85, keyGram: 0.4, bodyGram: 0.25, keyChar: 0.3, bodyChar: 0.15 } as const;
const W = { coverage: 0.7, fit: 0.3, bm25: 0.04 } as const;

/** The terms said only in the context clauses of a long message, and the learned weight they count with. */
export interface Focus {
  context: ReadonlySet<string>;
  weight: number;
}
export const NO_FOCUS: Focus = { context: NONE, weight: 1 };

/** How much term `t` counts under `focus` (1, or `focus.weight` for a context-only term); undefined when all count 1. */
export function emphasisOf(focus: Focus): ((t: string) => number) | undefined {
  return focus.context.size === 0 ? undefined : (t) => (focus.context.has(t) ? focus.weight : 1);
}

/**
 * Scores every candidate and sorts them, best first. The section to answer with is picked only for the
 * first `withSections` (the others keep section null, sectionIndex -1): it is the costliest step and only
 * the top results are ever shown.
 */
export function rankCandidates(
  terms: readonly string[],
  candidates: { profile: EntryTerms; bm25: number }[],
  withSections = 5,
  facts: readonly Fact[] = [],
  learned: RankingWeights = RANKING_DEFAULT,
  implied: ReadonlySet<string> = NONE,
  focus: Focus = NO_FOCUS,
  associated?: AssociatedTerms,
  /**
   * The fusion (index.ts): each candidate's share of the bigram order's best (absent: 0) and the weight it is ordered
   * with (order = score + weight × share); the score stays.
   */
  fused?: FusedOrder,
): ScoringProfile[] {
  // A term said only in a long message's context clauses (clauses.ts) weighs `focus.weight` of its own weight.
  const emphasis = emphasisOf(focus);
  const weights = emphasis ? terms.map((t) => termWeight(t) * emphasis(t)) : terms.map(termWeight);
  const total = weights.reduce((a, b) => a + b, 0);
  const topBm25 = Math.max(...candidates.map((c) => c.bm25), 1e-9);
  // Everything that depends on the message only is computed once, not per candidate.
  const termSet = new Set(terms);
  const topics = terms.filter((t, i) => !GENERIC.has(t) && weights[i]! >= 2);
  const info = informationOf(terms);
  const asksHowToGet = topics.length === 1 && terms.some((t) => HOW_TO_GET.has(t));
  const levels = terms.filter((t) => LEVELS.has(t));
  const message = lookUp(terms, topics, candidates[0]?.profile.sets.vocabulary);
  const scored = candidates.map(({ profile, bm25 }) => {
    let covered = 0;
    let viaAssociates = 0;
    let unsaid = 0;
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i]!;
      let m = inSet(message, profile, KEY, i)
        ? FIELD.key
        : inSet(message, profile, QUALIFIER, i)
          ? FIELD.qualifier
          : inSet(message, profile, HEADING, i)
            ? FIELD.heading
            : verbatimInKey(profile, t, message.han[i]!)
              ? FIELD.keyVerbatim
              : inSet(message, profile, BODY, i)
                ? FIELD.body
                : partial(profile, t, message.han[i]!, message, i);
      // A word the candidate does not hold earns a learned share of an associate's field credit (associations.ts).
      const associates = associated?.lists[i];
      if (associates !== undefined && m < FIELD.body) {
        const credit = associatedCredit(profile, associates, associated!.strength);
        if (credit > m) {
          viaAssociates += weights[i]! * (credit - m);
          m = credit;
        }
      }
      covered += weights[i]! * m;
      // A term the message implies (a child's age → its school level) is credited where the entry has it;
      // where it has not, it costs nothing: the parent did not say it.
      if (implied.has(t)) unsaid += weights[i]! * (1 - m);
    }
    const coverage = total - unsaid > 0 ? covered / (total - unsaid) : 0;
    // By term ids when the profile is from the index the message was looked up in (a repeated term counts once either way).
    const fit = profile.questions.vocabulary === message.vocab ? profile.questions.bestFitOfIds(message.ids, weights) : profile.questions.bestFit(termSet);
    const offTopic = isOffTopic(message, profile);
    const bodyOnly = asksHowToGet && !profile.has(KEY, topics[0]!) && !profile.has(HEADING, topics[0]!);
    const otherLevel = levels.length > 0 && isOtherLevel(profile, levels);
    const confidence =
      (W.coverage * coverage + W.fit * fit) * (offTopic ? OFF_TOPIC_PENALTY : 1) * (bodyOnly ? BODY_ONLY_PENALTY : 1) * (otherLevel ? OTHER_LEVEL_PENALTY : 1) * Math.sqrt(info);
    // Holding the kind of fact asked for (ranking-model.ts; off by default: it did not help held out).
    const factHeld = facts.length > 0 && learned.fact > 0 ? entryHoldsAsked(profile.entry, facts) : 0;
    const score = round(Math.min(1, confidence + W.bm25 * (bm25 / topBm25) + learned.fact * factHeld));
    const order = fused ? score + fused.weight * (fused.shares.get(profile) ?? 0) : score;
    return { hit: { id: profile.entry.id, section: null as string | null, score }, profile, sectionIndex: -1, coverage, fit, bm25Share: bm25 / topBm25, associatedShare: covered > 0 ? viaAssociates / covered : 0, order };
  });
  // Ids are a-z, 0-9 and '-' (schema.ts): code-unit order is the order localeCompare gave, without loading ICU's collation data.
  sortSmall(scored, (a, b) => b.order - a.order || (a.hit.id < b.hit.id ? -1 : a.hit.id > b.hit.id ? 1 : 0));
  for (const r of scored.slice(0, withSections)) {
    r.sectionIndex = bestSection(message, r.profile, weights, facts);
    r.hit.section = r.sectionIndex >= 0 ? (sectionHeading(r.profile.entry, r.sectionIndex) ?? null) : null;
  }
  return scored;
}

/** The bigram order's best (bigram-order.ts), each with its BM25 over the best's, and the fusion's weight. */
export interface FusedOrder {
  shares: ReadonlyMap<EntryTerms, number>;
  weight: number;
}

/**
 * Each message term's learned associates (associations.ts), by position in `terms` (undefined: none), and the share of
 * an associate's field credit a term the candidate does not hold earns, × the associate's p(e | m).
 */
export interface AssociatedTerms {
  lists: readonly (readonly (readonly [string, number])[] | undefined)[];
  strength: number;
}

/** The best credit a term earns through the associates the candidate holds (key 1, qualifier/heading 0.85, body 0.6). */
function associatedCredit(profile: EntryTerms, associates: readonly (readonly [string, number])[], strength: number): number {
  let best = 0;
  for (const [a, p] of associates) {
    const field = profile.has(KEY, a) ? FIELD.key : profile.has(QUALIFIER, a) || profile.has(HEADING, a) ? FIELD.heading : profile.has(BODY, a) ? FIELD.body : 0;
    best = Math.max(best, strength * p * field);
  }
  return best;
}

/**
 * What scoring asks about the message's terms for every candidate, worked out once per message (a message has
 * ~20 candidates): each term's id in the index's vocabulary (one Map lookup instead of one per set tested),
 * whether it is all Han characters, and which terms are out of scope or topics (as positions in `terms`).
 */
interface MessageTerms {
  terms: readonly string[];
  vocab: Vocabulary | undefined;
  ids: (number | undefined)[];
  han: boolean[];
  /** The character pairs of a term, in order, made when a candidate first needs them (see pairsOf). */
  pairs: (readonly string[] | undefined)[];
  outOfScope: number[];
  topics: number[];
}

function lookUp(terms: readonly string[], topics: readonly string[], vocab: Vocabulary | undefined): MessageTerms {
  const topicSet = new Set(topics);
  const outOfScope: number[] = [];
  const topicAt: number[] = [];
  terms.forEach((t, i) => {
    if (OUT_OF_SCOPE.has(t)) outOfScope.push(i);
    if (topicSet.has(t)) topicAt.push(i);
  });
  return {
    terms,
    vocab,
    ids: vocab ? terms.map((t) => vocab.id(t)) : [],
    han: terms.map((t) => ALL_HAN.test(t)),
    pairs: new Array<readonly string[] | undefined>(terms.length),
    outOfScope,
    topics: topicAt,
  };
}

/** `profile.has(set, terms[i])`, by the looked-up id when the profile belongs to the same index. */
function inSet(message: MessageTerms, profile: EntryTerms, set: number, i: number): boolean {
  return profile.sets.vocabulary === message.vocab ? profile.hasId(set, message.ids[i]) : profile.has(set, message.terms[i]!);
}

function about(message: MessageTerms, profile: EntryTerms, i: number): boolean {
  return inSet(message, profile, KEY, i) || inSet(message, profile, QUALIFIER, i) || inSet(message, profile, HEADING, i);
}

/**
 * The message names another authority's business that the entry is not about (not in its title, questions,
 * tags or headings). A word the entry's body mentions is context, not off-topic, when the message also asks
 * about something the entry is about (外地户口上学要交社保证明吗 against an entry listing 社保 as a material).
 */
function isOffTopic(message: MessageTerms, profile: EntryTerms): boolean {
  let outside = false;
  let outsideInBody = true;
  for (const i of message.outOfScope) {
    if (about(message, profile, i)) continue;
    outside = true;
    if (!inSet(message, profile, BODY, i)) outsideInBody = false;
  }
  if (!outside) return false;
  const onTopic = message.topics.some((i) => !OUT_OF_SCOPE.has(message.terms[i]!) && about(message, profile, i));
  return !(onTopic && outsideInBody);
}

/**
 * The message names a school level (大学毕业证) and the entry is about other levels only (初中毕业证书遗失补办). What
 * an entry is about is read from its title and tags first: an entry titled for 初中 whose questions or headings
 * mention 小学 only as where the child comes from (外区小学毕业回来上初中) is still about 初中. An entry whose title
 * and tags name no level is judged by its questions as well.
 */
function isOtherLevel(profile: EntryTerms, levels: readonly string[]): boolean {
  const about = titleLevels(profile.entry);
  if (about.size > 0) return !levels.some((l) => about.has(l));
  if (levels.some((l) => profile.has(KEY, l) || profile.has(QUALIFIER, l))) return false;
  for (const l of LEVELS) if (profile.has(KEY, l)) return true;
  return false;
}

/** How a title or tag names each school level (中小学, 中学 and 义务教育 cover several; 小升初 leads to 初中). */
const LEVEL_NAMES: readonly (readonly [string, RegExp])[] = [
  ['幼儿园', /幼儿园|学前/],
  ['小学', /小学|一年级|义务教育/],
  ['初中', /初中|中学|中小学|七年级|初一|小升初|义务教育/],
  ['高中', /高中|中学|中小学/],
  ['本科', /本科|大学|高校/],
];
const titleLevelCache = new WeakMap<KnowledgeEntry, ReadonlySet<string>>();

/** The school levels an entry's title and tags name. */
function titleLevels(entry: KnowledgeEntry): ReadonlySet<string> {
  let levels = titleLevelCache.get(entry);
  if (!levels) {
    const about = `${entry.title} ${entry.tags.join(' ')}`;
    levels = new Set(LEVEL_NAMES.filter(([, re]) => re.test(about)).map(([l]) => l));
    titleLevelCache.set(entry, levels);
  }
  return levels;
}

/**
 * The whole word is in the title/questions/tags, segmented otherwise there (中小学校车 cut as 中小学校 + 车), and
 * not inside a title qualifier (小学 in 教师资格认定（中小学、幼儿园）).
 */
function verbatimInKey(profile: EntryTerms, term: string, han: boolean): boolean {
  if (term.length < 2 || !han || !profile.keyText().includes(term)) return false;
  for (const q of profile.sets.set(QUALIFIER)) if (q.includes(term)) return false;
  return true;
}

/** Credit for a term found only in pieces (an unsegmented or misspelt word). */
function partial(profile: EntryTerms, term: string, han: boolean, message: MessageTerms, at: number): number {
  if (!han) return 0;
  const keyText = profile.keyText();
  // Han-only terms hold no space, so "in the key text or in the section text" is "anywhere in the entry".
  if (term.length === 1) return keyText.includes(term) ? FIELD.keyChar : profile.sectionText().includes(term) ? FIELD.bodyChar : 0;
  let key = 0;
  let all = 0;
  let sectionText: string | undefined; // made only when a pair is not in the key text
  for (const g of pairsOf(message, at)) {
    if (keyText.includes(g)) key += 1;
    else if ((sectionText ??= profile.sectionText()).includes(g)) all += 1;
  }
  return (key * FIELD.keyGram + all * FIELD.bodyGram) / (term.length - 1);
}


/** The character pairs of `message.terms[at]`, made once per message (they were sliced again for every candidate). */
function pairsOf(message: MessageTerms, at: number): readonly string[] {
  let pairs = message.pairs[at];
  if (pairs === undefined) {
    const term = message.terms[at]!;
    const made: string[] = [];
    for (let i = 0; i + 1 < term.length; i++) made.push(term.slice(i, i + 2));
    message.pairs[at] = pairs = made;
  }
  return pairs;
}

/**
 * The section whose heading/text matches the message best; -1 for the entry as a whole. When the message asks
 * for a kind of fact (facts.ts), a section holding it by its heading gains half what the message's heaviest
 * word in its heading would give (a heading naming the message's subject still wins), by its text a quarter.
 */
function bestSection(message: MessageTerms, profile: EntryTerms, weights: number[], facts: readonly Fact[]): number {
  let best = -1;
  let bestScore = 0;
  const heaviest = Math.max(0, ...weights);
  // Sections by index: a packed entry (packed-entry.ts) would build all of them on every `sections` read.
  const { entry } = profile;
  for (let index = 0, n = sectionCount(entry); index < n; index++) {
    const heading = SECTION_SETS + 2 * index;
    const text = heading + 1;
    let score = 0;
    for (let i = 0; i < message.terms.length; i++) {
      if (inSet(message, profile, heading, i)) score += weights[i]!;
      else if (inSet(message, profile, text, i)) score += weights[i]! * 0.3;
    }
    // Holding the asked fact counts half what the message's heaviest word found in the heading would.
    if (facts.length > 0) score += holdsFact(facts, sectionHeading(entry, index) ?? null, sectionText(entry, index)!) * heaviest * 0.5;
    if (score > bestScore + 1e-9) {
      best = index;
      bestScore = score;
    }
  }
  return best;
}

/** How much a message says, 0–1: its total term weight over the weight of a message that says enough. */
export function informationOf(terms: readonly string[]): number {
  return Math.min(1, terms.reduce((sum, t) => sum + termWeight(t), 0) / INFO_FULL);
}

/**
 * `clearlyRight`: the answer model (answer-model.ts) says the best entry is right; only a best entry scoring at
 * least `answerFrom` is answered (THRESHOLDS.answer; for a story the model's own `storyAnswerFrom`, issue 14 long18). When it is not answered, the parent gets "您是不是想问" with the top three
 * titles if the best scores at least `suggestFrom` (learned: the score from which such a list holds a right entry
 * more often than it goes to a message that must be declined), and nothing otherwise.
 */
export function decideFrom(ranked: ScoringProfile[], clearlyRight: boolean, suggestFrom: number = THRESHOLDS.answer, answerFrom: number = THRESHOLDS.answer): Decision {
  const results = ranked.slice(0, 5).map((r) => r.hit);
  const top = ranked[0];
  if (!top) return { kind: 'none', results };
  if (!clearlyRight || top.hit.score < answerFrom) {
    if (listScore(ranked) < suggestFrom) return { kind: 'none', results };
    const alternatives = ranked.slice(0, 3).map((r) => ({ entryId: r.hit.id, section: r.hit.section, title: r.profile.entry.title }));
    return { kind: 'suggest', alternatives, results };
  }
  const alternatives = ranked
    .slice(1)
    .filter((r) => r.hit.score >= THRESHOLDS.answer && top.hit.score - r.hit.score <= THRESHOLDS.alternativeGap)
    .slice(0, 2)
    .map((r) => ({ entryId: r.hit.id, section: r.hit.section, title: r.profile.entry.title }));
  const entry = top.profile.entry;
  const text = top.sectionIndex >= 0 ? (sectionText(entry, top.sectionIndex) ?? entry.body) : entry.body;
  return {
    kind: 'answer',
    best: { ...top.hit, entry, sectionText: text },
    alternatives,
    confident: top.hit.score >= THRESHOLDS.confident && leadOf(ranked) >= THRESHOLDS.margin,
    results,
  };
}

/**
 * What a "您是不是想问" list is judged by: the best score among the three titles it shows. With the fusion on, the
 * first shown may score lower than another shown (the bigram order moved it up); the list holds that entry all the same.
 */
export function listScore(ranked: readonly ScoringProfile[]): number {
  let best = 0;
  for (const r of ranked.slice(0, 3)) best = Math.max(best, r.hit.score);
  return best;
}

/** The first's lead over the second in the order shown (the fused key when fused; the whole order when alone). */
export function leadOf(ranked: readonly ScoringProfile[]): number {
  const first = ranked[0];
  if (!first) return 0;
  return first.order - (ranked[1]?.order ?? 0);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
