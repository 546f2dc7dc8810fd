import { createBm25Builder, type Bm25Builder } from './bm25-postings.js';
import { createTopK } from './bm25-top-k.js';
import { AGREEING, AGREEMENT_FEATURES, answerFeatures, answerModel, nothingSeparates, probability, unheldTopics, type AgreementValues, type AnswerModel, type Feature, type FeatureVector } from './answer-model.js';
import { bigramAgreement, hanBigrams, sameFirst } from './agreement.js';
import { decideFrom, emphasisOf, informationOf, leadOf, listScore, NO_FOCUS, rankCandidates, THRESHOLDS, type Decision, type Focus, type Hit, type ScoringProfile } from './decide.js';
import { inHistory, readFocus, splitClauses, type Clause } from './clauses.js';
import { clauseFocus } from './clause-weight.js';
import type { KnowledgeEntry, SynonymGroups } from './schema.js';
import { inGeneralTable, termWeight } from './term-weights.js';
import { askedFacts, entryHoldsAsked, type Fact } from './facts.js';
import type { Jurisdiction } from './jurisdiction.js';
import { AGE_LEVELS, AGE_PATTERN, NAMES_LEVEL } from './lexicon.js';
import { createAnalyzer, type AnalyzedMessage, type Analyzer, type TokenizerMode } from './tokenize.js';
import { BODY, EntryTerms, EntryTexts, HEADING, KEY } from './entry-profile.js';
import { Arenas, packIdSets, packQuestions, Vocabulary } from './term-set.js';
import { judgeScope } from './scope.js';
import { RANKING_DEFAULT, type RankingWeights } from './ranking-model.js';
import { sortSmall } from './sort-small.js';
import { associations, type Associations } from './associations.js';
import { nearTopics, type NearTopicRate } from './near-topics.js';
import type { AssociatedTerms, FusedOrder } from './decide.js';
import { createBigramOrder, type BigramOrder, type BigramOrderBuilder } from './bigram-order.js';
import { BIGRAM_BEST, fusion as shippedFusion, type Fusion } from './fusion.js';

export { NO_FUSION, type Fusion } from './fusion.js';

export type { Decision, Hit } from './decide.js';

/**
 * The Chinese-aware index over a knowledge base. BM25 with field boosts, scored
 * exactly as MiniSearch scores it (bm25-postings.ts, bm25-top-k.ts; MiniSearch is
 * the reference the tests compare with), finds candidate entries from analysed
 * terms; `decide.ts` turns them into a size-independent confidence and picks the
 * section to answer with.
 *
 * @example
 *   const index = buildIndex(entries, synonyms);
 *   index.decide('娃8月30号生的能上一年级吗'); // { kind: 'answer', best: { id: 'enrollment-age', ... } }
 */
export interface KnowledgeIndex {
  search(text: string, limit?: number): Hit[];
  decide(text: string): Decision;
  /** What the answer decision is made from (for `npm run train:decision`): no features when nothing matched well enough. */
  explain(text: string): {
    kind: 'elsewhere' | 'none' | 'candidate';
    top: string | null;
    /** The answer model's features: null below the ranking's answer bar. */
    features: FeatureVector | null;
    /** The same features for any message with a candidate (the suggest decision reads them below the bar too). */
    vector: FeatureVector | null;
    /** The three titles "您是不是想问" would show. */
    top3: string[];
    /** The message's topic words the best entry does not hold (answer-model.ts `unheldTopics`; the near-topic table learns from them). */
    unheld: string[];
    /** A story: its context clauses are weighed down (clauses.ts); the model's `storyAnswerFrom` applies to it. */
    story: boolean;
    /** The tie rule holds (answer-model.ts `nothingSeparates`): the model is not asked, the message gets a list. */
    tied: boolean;
    /** What a "您是不是想问" list would be judged by (decide.ts `listScore`); null without a candidate. */
    listScore: number | null;
  };
  /**
   * The candidates in the order shown, each with its score and its share of the bigram order's best (0 when not
   * among the bigram order's BIGRAM_BEST; always 0 unfused): `npm run train:fusion` orders them at each weight.
   */
  orderParts(text: string): { id: string; score: number; bigram: number }[];
  /**
   * The total weight of the terms said only in the message's context clauses (0 for a message of one clause): what
   * the clause weight's `from` is compared with (for `npm run train:clauses`).
   */
  contextWeight(text: string): number;
  entry(id: string): KnowledgeEntry | undefined;
  size: number;
}

export interface IndexOptions {
  mode?: TokenizerMode;
  /** Candidates taken from BM25 before re-scoring. */
  candidates?: number;
  /** The bureau's area: a message about another place is answered `elsewhere` (jurisdiction.ts). */
  jurisdiction?: Jurisdiction;
  /** The answer-or-suggest model; the fitted answer-model.json by default. */
  answerModel?: Pick<AnswerModel, 'features' | 'weights' | 'answerAt'> & { suggestFrom?: number; storyAnswerFrom?: number };
  /** Decline a message about something no entry is about (scope.ts); off by default: see SCOPE_BARS for why. */
  scope?: boolean;
  /** Ranking weights (ranking-model.ts); RANKING_DEFAULT unless given. Read at each message (bench/train-ranking.ts varies them). */
  ranking?: RankingWeights;
  /**
   * Weight of a term said only in a long message's context clauses (clauses.ts); models/clause-weight.json unless
   * given. Read at each message (bench/train-clauses.ts varies it).
   */
  clauses?: { weight: number; from: number };
  /** Parents' words → entry words (associations.ts); models/associations.json unless given. */
  associations?: Associations;
  /** A topic word's learned near-topic rate (near-topics.ts); models/near-topics.json unless given. */
  nearTopics?: NearTopicRate;
  /**
   * The character-bigram order fused into the ranking's order (fusion.ts); models/fusion.json unless given
   * (`NO_FUSION`: the unfused order, no bigram order built).
   */
  fusion?: Fusion;
}

/**
 * Retrieval limits: terms in more than max(minCommon, commonShare × size) entries do not fetch candidates; at most
 * `associates` more query terms are a learned associate of a term no entry holds (associations.ts).
 */
const RETRIEVAL = { minCommon: 200, commonShare: 0.2, maxTerms: 5, associates: 2 } as const;

/** Entries having each term id in their key, headings or body. */
function documentFrequencies(profiles: readonly EntryTerms[], vocab: Vocabulary): Uint32Array {
  const df = new Uint32Array(vocab.size);
  const seen = new Int32Array(vocab.size).fill(-1);
  profiles.forEach((p, i) => {
    const count = (id: number) => {
      if (seen[id] === i) return;
      seen[id] = i;
      df[id]! += 1;
    };
    p.sets.set(KEY).forEachId(count);
    p.sets.set(HEADING).forEachId(count);
    p.sets.set(BODY).forEachId(count);
  });
  return df;
}

export const FIELD_BOOSTS = { title: 3, questions: 3, tags: 2, headings: 1.5, body: 1 } as const;
/** BM25 fields in boost order (the order MiniSearch iterated them in): title, questions, tags, headings, body. */
const FIELD_COUNT = Object.keys(FIELD_BOOSTS).length;
const BOOSTS = Object.values(FIELD_BOOSTS);

export function buildIndex(entries: readonly KnowledgeEntry[], synonyms?: SynonymGroups, options: IndexOptions = {}): KnowledgeIndex {
  const build = startBuild(synonyms, options);
  for (let i = 0; i < entries.length; i += BUILD_CHUNK) build.add(entries.slice(i, i + BUILD_CHUNK));
  return build.finish();
}

/** Entries analysed at a time; `buildIndexAsync` yields to the event loop between chunks. */
const BUILD_CHUNK = 50;

/**
 * `buildIndex` that yields to the event loop between chunks of entries, so messages keep being answered
 * from the live index while a large knowledge base is rebuilt (used by the service's reload).
 */
export async function buildIndexAsync(entries: readonly KnowledgeEntry[], synonyms?: SynonymGroups, options: IndexOptions = {}): Promise<KnowledgeIndex> {
  const build = startBuild(synonyms, options);
  for (let i = 0; i < entries.length; i += BUILD_CHUNK) {
    build.add(entries.slice(i, i + BUILD_CHUNK));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return build.finish();
}

/**
 * One index being built: each entry is analysed once, into its profile (term sets for scoring) and its
 * BM25 postings (bm25-postings.ts), so no entry's term strings outlive its own analysis.
 */
function startBuild(synonyms: SynonymGroups | undefined, options: IndexOptions): { add(chunk: readonly KnowledgeEntry[]): void; finish(): KnowledgeIndex } {
  const analyzer = createAnalyzer(synonyms, options.mode ?? 'jieba');
  const state: BuildState = { vocab: new Vocabulary(), arenas: new Arenas(), texts: new EntryTexts(analyzer.normalize) };
  state.bm25 = createBm25Builder(FIELD_COUNT, (term) => state.vocab.intern(term), { distinct: true });
  const fused = options.fusion ?? shippedFusion();
  // Only a fusion that weighs it pays for the bigram postings.
  const bigrams: BigramOrderBuilder | undefined = fused.weight > 0 ? createBigramOrder() : undefined;
  const profiles: EntryTerms[] = [];
  return {
    add(chunk) {
      for (const e of chunk) {
        profiles.push(analyzeEntry(e, analyzer, state));
        bigrams?.add(e);
      }
    },
    finish() {
      state.arenas.seal();
      return assemble(profiles, state.bm25!, analyzer, state.vocab, options, bigrams ? { order: bigrams.finish(), weight: fused.weight } : undefined);
    },
  };
}

function assemble(
  profiles: readonly EntryTerms[],
  bm25: Bm25Builder,
  analyzer: Analyzer,
  vocab: Vocabulary,
  options: IndexOptions,
  bigrams?: { order: BigramOrder; weight: number },
): KnowledgeIndex {
  const byId = new Map(profiles.map((profile) => [profile.entry.id, profile]));
  const limitCandidates = options.candidates ?? 20;
  const ranking = options.ranking ?? RANKING_DEFAULT;
  const counts = documentFrequencies(profiles, vocab);
  const df = (t: string) => {
    const id = vocab.id(t);
    return id === undefined ? 0 : counts[id]!;
  };
  const common = Math.max(RETRIEVAL.minCommon, RETRIEVAL.commonShare * profiles.length);
  // The best BM25 candidates (MiniSearch's scores, without its full result list: bm25-top-k.ts).
  const topK = createTopK(bm25.finish(), BOOSTS, (term) => vocab.id(term));
  const bm25Top = (query: string): { profile: EntryTerms; bm25: number }[] =>
    topK.search(query, limitCandidates).map((r) => ({ profile: profiles[r.doc]!, bm25: r.score }));
  const clauseWeight = options.clauses ?? clauseFocus();
  const learned = options.associations ?? associations();
  const nearTopicRate = options.nearTopics ?? nearTopics();
  /** The message's clauses and the terms said only in its context clauses (none for a message of one clause). */
  const read = (analyzed: AnalyzedMessage): { clauses: Clause[]; focus: Focus; context: ReadonlySet<string>; said: number } => {
    const clauses = splitClauses(analyzed.norm);
    if (clauses.length < 2) return { clauses, focus: NO_FOCUS, context: NO_TERMS, said: 0 };
    // A clause's terms are the message's own (segmented once); one whose ends a token runs across is analysed alone.
    const termsOf = (texts: string[]) => clauses.map((c, i) => analyzed.termsIn(c.start, c.start + c.text.length) ?? analyzer.terms(texts[i]!));
    // Always read (it settles which clauses ask, for the jurisdiction too); a weight of 1 ranks as if unread.
    const { context, contextWeight: said } = readFocus(clauses, termsOf, termWeight);
    // A short remark before a question usually names its topic (孩子是自闭症 能上普通小学吗); a narrative that
    // says more than `from` is background, and its terms count `weight` of their own.
    const weight = said >= clauseWeight.from ? clauseWeight.weight : 1;
    return { clauses, focus: context.size === 0 || weight >= 1 ? NO_FOCUS : { context, weight }, context, said };
  };
  /**
   * The message terms' learned associates (undefined when the table is off or holds none of them); adds to `query`
   * (in place) the best associate, held by some entry, of each of the heaviest terms no entry holds.
   */
  const associatedTerms = (terms: readonly string[], byWeight: readonly string[], query: string[]): AssociatedTerms | undefined => {
    if (learned.strength <= 0 || learned.table.size === 0) return undefined;
    const lists = terms.map((t) => learned.table.get(t));
    if (lists.every((l) => l === undefined)) return undefined;
    let added = 0;
    for (const t of byWeight) {
      if (added >= RETRIEVAL.associates) break;
      if (df(t) > 0) continue;
      const best = learned.table.get(t)?.find(([a]) => df(a) > 0 && df(a) <= common);
      if (best && !query.includes(best[0])) {
        query.push(best[0]);
        added++;
      }
    }
    return { lists, strength: learned.strength };
  };
  /** The message without the bureau's own place names (they say where, not what). */
  const withoutOwnNames = (norm: string, terms: readonly string[]): string => {
    const own = options.jurisdiction;
    let text = norm;
    if (own) for (const t of terms) if (own.isOwnName(t)) text = text.split(t).join(' ');
    return text;
  };
  /**
   * The fusion's bonus of each of the bigram order's best (weight × its bigram BM25 over the best's), read from the
   * message without the bureau's own place names plus the associates the query gained (歇 → 休学: the bigram order
   * credits what the ranking credits through the association table). The entries it finds that the ranking had not
   * fetched join the candidates (with no BM25 share of the ranking's own).
   */
  const fusionBonus = (analyzed: AnalyzedMessage, gained: readonly string[], candidates: { profile: EntryTerms; bm25: number }[]): FusedOrder | undefined => {
    if (!bigrams) return undefined;
    const text = withoutOwnNames(analyzed.norm, analyzed.terms);
    const best = bigrams.order.best(gained.length > 0 ? `${text} ${gained.join(' ')}` : text, BIGRAM_BEST);
    const top = best[0]?.score ?? 0;
    if (!(top > 0)) return undefined;
    const shares = new Map<EntryTerms, number>();
    const fetched = new Set(candidates.map((c) => c.profile));
    for (const { doc, score } of best) {
      const profile = profiles[doc]!;
      shares.set(profile, score / top);
      if (!fetched.has(profile)) candidates.push({ profile, bm25: 0 });
    }
    return { shares, weight: bigrams.weight };
  };
  const rank = (
    analyzed: AnalyzedMessage,
    withSections = 5,
    { focus }: { focus: Focus } = read(analyzed),
  ): Ranking => {
    // The bureau's own place names say where, not what: ranked on, they favour entries whose title carries the
    // place (2026年溪湖区…) over the one about the question. They still decide the jurisdiction (judge below).
    const own = options.jurisdiction;
    const said = own ? analyzed.terms.filter((t) => !own.isOwnName(t)) : analyzed.terms;
    const implied = impliedTerms(analyzed.norm);
    const terms = [...new Set([...said, ...implied])];
    if (terms.length === 0) return { terms, ranked: [], asked: [], candidates: [], implied: NO_TERMS, weightOf: termWeight, associated: undefined, bonus: undefined };
    // Candidates come from the rarer, heavier terms (fast on a big base); every term still counts in the scoring.
    // A term of the question counts before one of the narrative around it (clauses.ts).
    const emphasis = emphasisOf(focus);
    const weightOf = emphasis ? (t: string) => termWeight(t) * emphasis(t) : termWeight;
    const byWeight = sortSmall([...terms], (a, b) => weightOf(b) - weightOf(a));
    const rare = byWeight.filter((t) => df(t) <= common);
    const query = rare.length > 0 ? rare.slice(0, RETRIEVAL.maxTerms) : byWeight.slice(0, 2);
    const chosen = query.length;
    const associated = associatedTerms(terms, byWeight, query);
    const asked = askedFacts(analyzed.norm);
    const candidates = bm25Top(query.join(' '));
    const bonus = fusionBonus(analyzed, query.slice(chosen), candidates);
    const unsaid = new Set(implied.filter((t) => !said.includes(t)));
    const ranked = rankCandidates(terms, candidates, withSections, asked, ranking, unsaid, focus, associated, bonus);
    return { terms, ranked, asked, candidates, implied: unsaid, weightOf, associated, bonus };
  };
  /**
   * Whether differently built orders of the same candidates put the same entry first (agreement.ts): character
   * bigrams; the asking clause alone; the message without its lightest or heaviest term. Re-scores at most the
   * ~20 candidates already fetched, no sections picked; nothing is kept.
   */
  const agreementOf = (norm: string, r: Ranking, focus: Focus, context: ReadonlySet<string>, all: boolean): AgreementValues => {
    const wanted = (f: Feature) => all || model.features.includes(f);
    const values = { ...AGREEING };
    if (wanted('bigramAgree') || wanted('bigramLead')) {
      // The bureau's own place names say where, not what (as in `rank`): entries whose title carries them would gain.
      const text = withoutOwnNames(norm, r.terms);
      const bigram = bigramAgreement(hanBigrams(text), r.ranked);
      values.bigramAgree = bigram.agree;
      values.bigramLead = bigram.lead;
    }
    const again = (terms: readonly string[], f: Focus) =>
      rankCandidates(terms, r.candidates, 0, r.asked, ranking, r.implied, f, r.associated && { lists: terms.map((t) => learned.table.get(t)), strength: r.associated.strength }, r.bonus);
    if (wanted('clauseAgree') && context.size > 0) values.clauseAgree = sameFirst(r.ranked, again(r.terms, { context, weight: 0 }));
    if ((wanted('dropLightAgree') || wanted('dropHeavyAgree')) && r.terms.length >= 2) {
      const byWeight = sortSmall([...r.terms], (a, b) => r.weightOf(a) - r.weightOf(b));
      if (wanted('dropLightAgree')) values.dropLightAgree = sameFirst(r.ranked, again(r.terms.filter((t) => t !== byWeight[0]), focus));
      if (wanted('dropHeavyAgree')) values.dropHeavyAgree = sameFirst(r.ranked, again(r.terms.filter((t) => t !== byWeight.at(-1)), focus));
    }
    return values;
  };
  const model = options.answerModel ?? answerModel();
  const modelAgrees = model.features.some((f) => (AGREEMENT_FEATURES as readonly string[]).includes(f));
  // A model given without a suggest floor (tests, older files) keeps the ranking's answer bar as the floor.
  const suggestFrom = model.suggestFrom ?? THRESHOLDS.answer;
  /** The ranking score from which the model is asked: the ranking's bar, or the model's own for a story (clauses.ts). */
  const answerFromOf = (focus: Focus) => (focus === NO_FOCUS ? THRESHOLDS.answer : (model.storyAnswerFrom ?? THRESHOLDS.answer));
  /** The message analysed once: its place (when another), its ranking and the answer model's features. */
  const judge = (text: string, everyCandidate = false) => {
    const analyzed = analyzer.analyze(text);
    const clauses = read(analyzed);
    const ranking = rank(analyzed, 5, clauses);
    const { terms, ranked, asked } = ranking;
    const { focus } = clauses;
    const answerFrom = answerFromOf(focus);
    // A place named where the message narrates the past (去年在X做过手术) is not the place asked about.
    const history = clauses.clauses.length > 1 ? (at: number) => inHistory(clauses.clauses, at) : undefined;
    const place = options.jurisdiction?.elsewhere(analyzed.norm, analyzed.terms, history) ?? null;
    const top = ranked[0];
    // Nothing the parent said separates the first two (answer-model.ts): a list, whatever the model would say.
    const tied = top !== undefined && top.hit.score >= answerFrom && ranked[1] !== undefined && nothingSeparates(terms, top.profile, ranked[1].profile);
    // The answer model reads them at or above the ranking's answer bar; `explain` asks for them below it too
    // (training and measuring the suggest floor), `decide` does not pay for them there.
    const vector =
      top && (everyCandidate || top.hit.score >= answerFrom)
        ? answerFeatures(
            terms,
            top.profile,
            {
              top: top.hit.score,
              runnerUp: ranked[1]?.hit.score ?? 0,
              lead: leadOf(ranked),
              coverage: top.coverage,
              fit: top.fit,
              near: nearCount(ranked),
              info: informationOf(terms),
              rivals: ranked.slice(1, 4).map((r) => r.hit.score),
              ...(ranked[1] ? { rival: ranked[1].profile } : {}),
              bm25Share: top.bm25Share,
              associatedShare: top.associatedShare,
              nearTopic: nearTopicRate,
              asks: asked.length > 0 ? 1 : 0,
              factHeld: asked.length > 0 ? entryHoldsAsked(top.profile.entry, asked) : 0,
              // Only when the model reads them (or training asks): they re-score the candidates.
              ...(everyCandidate || modelAgrees ? { agreement: agreementOf(analyzed.norm, ranking, focus, clauses.context, everyCandidate) } : {}),
            },
            df,
            profiles.length,
            termWeight,
            inGeneralTable,
            emphasisOf(focus),
          )
        : null;
    const features = top && top.hit.score >= answerFrom && !tied ? vector : null;
    const outside = options.scope === true && top !== undefined && judgeScope(terms, df, top.profile).outside;
    return { ranked, place, features, vector, outside, terms, focus, answerFrom, tied };
  };
  return {
    size: profiles.length,
    search: (text, limit = 5) => rank(analyzer.analyze(text), limit).ranked.slice(0, limit).map((s) => s.hit),
    decide: (text) => {
      const { ranked, place, features, outside, answerFrom } = judge(text);
      if (place) return { kind: 'elsewhere', place, home: options.jurisdiction!.homeLabel, results: ranked.slice(0, 5).map((r) => r.hit) };
      if (outside) return { kind: 'none', results: ranked.slice(0, 5).map((r) => r.hit) };
      return decideFrom(ranked, features ? probability(model, features) >= model.answerAt : false, suggestFrom, answerFrom);
    },
    explain: (text) => {
      const { ranked, place, features, vector, terms, focus, tied } = judge(text, true);
      const top = ranked[0];
      const unheld = top ? unheldTopics(terms, top.profile, termWeight, emphasisOf(focus)) : [];
      return {
        kind: place ? 'elsewhere' : features ? 'candidate' : 'none',
        top: top?.hit.id ?? null,
        features,
        vector,
        top3: ranked.slice(0, 3).map((r) => r.hit.id),
        unheld,
        story: focus !== NO_FOCUS,
        tied,
        listScore: top ? listScore(ranked) : null,
      };
    },
    orderParts: (text) => {
      const r = rank(analyzer.analyze(text), 0);
      return r.ranked.map((c) => ({ id: c.hit.id, score: c.hit.score, bigram: r.bonus?.shares.get(c.profile) ?? 0 }));
    },
    contextWeight: (text) => read(analyzer.analyze(text)).said,
    entry: (id) => byId.get(id)?.entry,
  };
}

const NO_TERMS: ReadonlySet<string> = new Set();

/** A message's ranking and what it was made from (the agreement features re-score the same candidates). */
interface Ranking {
  terms: string[];
  ranked: ScoringProfile[];
  asked: Fact[];
  candidates: { profile: EntryTerms; bm25: number }[];
  implied: ReadonlySet<string>;
  weightOf: (t: string) => number;
  associated: AssociatedTerms | undefined;
  /** The bigram order's best and the fusion's weight (undefined unfused, or when no bigram matched). */
  bonus: FusedOrder | undefined;
}

/** Other candidates within 0.1 of the best, over 3 (0–1): many close rivals mean the message fits several entries. */
function nearCount(ranked: readonly ScoringProfile[]): number {
  const top = ranked[0]!.hit.score;
  return Math.min(3, ranked.slice(1, 4).filter((r) => top - r.hit.score <= 0.1).length) / 3;
}

/** Terms a message implies without saying them (a child's age → the level it is at, 6 → first grade too). */
function impliedTerms(norm: string): string[] {
  const m = AGE_PATTERN.exec(norm);
  if (!m) return [];
  const age = /^\d+$/.test(m[1]!) ? Number(m[1]) : chineseNumber(m[1]!);
  const implied = AGE_LEVELS.find(([from, to]) => age >= from && age <= to)?.[2] ?? [];
  // A message naming a level or grade itself says which; its age adds first grade at most.
  return NAMES_LEVEL.test(norm) ? implied.filter((t) => t === '一年级') : [...implied];
}

/** 三 … 十四 as a number (AGE_PATTERN's Chinese numerals only). */
function chineseNumber(text: string): number {
  const digit = (c: string | undefined) => (c ? '一二三四五六七八九'.indexOf(c) + 1 : 0);
  return text.startsWith('十') ? 10 + digit(text[1]) : digit(text[0]);
}

/** What the entries of one index share while it is built. */
interface BuildState {
  vocab: Vocabulary;
  arenas: Arenas;
  texts: EntryTexts;
  bm25?: Bm25Builder;
}

/** Analyse every text of an entry once: term sets for scoring, its BM25 postings. */
function analyzeEntry(entry: KnowledgeEntry, analyzer: Analyzer, { vocab, arenas, texts, bm25 }: BuildState): EntryTerms {
  const all = analyzer.analyzeMany([entry.title, ...entry.questions, ...entry.tags, ...entry.sections.flatMap((s) => [s.heading ?? '', s.text]), titleCore(entry.title)]);
  const fullTitle = all[0]!;
  const title = all[all.length - 1]!;
  const questions = all.slice(1, 1 + entry.questions.length);
  const tags = all.slice(1 + entry.questions.length, 1 + entry.questions.length + entry.tags.length);
  const rest = all.slice(1 + entry.questions.length + entry.tags.length, -1);
  const headings = entry.sections.map((_, i) => rest[2 * i]!);
  const bodies = entry.sections.map((_, i) => rest[2 * i + 1]!);
  // Each text's terms interned once, in the order the sets below first meet them (key, qualifiers, headings,
  // body), so every term gets the id it always had.
  const keyIds = [title, ...questions, ...tags].map((a) => internAll(vocab, a.terms));
  const fullTitleIds = internAll(vocab, fullTitle.terms);
  const headingIds = headings.map((a) => internAll(vocab, a.terms));
  const bodyIds = bodies.map((a) => internAll(vocab, a.terms));
  const keySet = new Set(keyIds.flat());
  // One array holds all of the entry's sets: key, qualifier, heading, body, then each section's heading and text.
  const sets = packIdSets(
    vocab,
    [keyIds, [fullTitleIds.filter((id) => !keySet.has(id))], headingIds, bodyIds, ...headingIds.flatMap((h, i) => [[h], [bodyIds[i]!]])],
    arenas,
  );
  const profile = new EntryTerms(entry, sets, packQuestions(vocab, [title, ...questions].map((a) => [...new Set(a.terms)]), termWeight, arenas), texts);
  // Each term once per field: BM25 only orders candidates here, and this keeps a 10,000-entry build fast.
  const termsOf = (list: readonly { terms: string[] }[]) => list.map((a) => a.terms);
  bm25!.add([[fullTitle.terms], termsOf(questions), termsOf(tags), termsOf(headings), termsOf(bodies)]);
  return profile;
}

function internAll(vocab: Vocabulary, terms: readonly string[]): number[] {
  const ids = new Array<number>(terms.length);
  for (let i = 0; i < terms.length; i++) ids[i] = vocab.intern(terms[i]!);
  return ids;
}

/**
 * The title without enumerations that qualify its subject: a bracketed list (教师资格认定（中小学、幼儿园）) or a
 * list before it (幼儿园、小学、初级中学教师资格认定). A bracket with one alternative name (（小升初）) stays.
 */
function titleCore(title: string): string {
  const unbracketed = title.replace(/[（(][^）)]*、[^）)]*[）)]/g, ' ').trim();
  const listEnd = unbracketed.lastIndexOf('、');
  const core = listEnd >= 0 ? unbracketed.slice(listEnd + 1) : unbracketed;
  return core.trim() || title;
}

