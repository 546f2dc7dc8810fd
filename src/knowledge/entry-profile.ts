import type { KnowledgeEntry } from './schema.js';
import type { PackedQuestions, PackedTermSets } from './term-set.js';

/** An entry's term sets in `EntryTerms.sets`: the key (title/questions/tags), title qualifiers, all headings, all text. */
export const KEY = 0;
/** Title words that only qualify its subject (an enumeration in brackets or before it: 幼儿园、小学… in 幼儿园、小学教师资格认定). */
export const QUALIFIER = 1;
export const HEADING = 2;
export const BODY = 3;
/** Section `i`'s heading set is `SECTION_SETS + 2 * i`, its text set the next one. */
export const SECTION_SETS = 4;

/**
 * Normalised texts of entries, for partial (character) matches, made on demand: they are read only for a
 * message's few candidates, and stored for every entry they were among the largest strings of the index.
 * The `LIMIT` entries asked about most recently are kept.
 */
export class EntryTexts {
  private static readonly LIMIT = 512;
  private readonly keys = new Map<KnowledgeEntry, Held>();
  private readonly sections = new Map<KnowledgeEntry, Held>();
  // The entry each cache served last, and its text: already held, so serving it again needs no Map work (decide
  // asks for one candidate's texts once per character pair of a term). Updated in place, not reallocated.
  private readonly lastKey: { entry: KnowledgeEntry | null; text: string } = { entry: null, text: '' };
  private readonly lastSection: { entry: KnowledgeEntry | null; text: string } = { entry: null, text: '' };
  /** Counts lookups: an entry used within the last LIMIT / 2 of them is not moved to the recent end again. */
  private clock = 0;

  constructor(private readonly normalize: (text: string) => string) {}

  /** Title, questions and tags. */
  key(entry: KnowledgeEntry): string {
    const last = this.lastKey;
    if (last.entry === entry) return last.text;
    last.entry = entry;
    last.text = this.held(this.keys, entry) ?? this.hold(this.keys, entry, [entry.title, ...entry.questions, ...entry.tags].map(this.normalize).join(' '));
    return last.text;
  }

  /** Every section's heading and text. */
  section(entry: KnowledgeEntry): string {
    const last = this.lastSection;
    if (last.entry === entry) return last.text;
    last.entry = entry;
    last.text =
      this.held(this.sections, entry) ??
      this.hold(this.sections, entry, entry.sections.map((s) => `${this.normalize(s.heading ?? '')} ${this.normalize(s.text)}`).join(' '));
    return last.text;
  }

  /**
   * The held text, moved to the recent end of the Map only when it was last moved LIMIT / 2 lookups ago or more:
   * a delete + set on every hit made V8 rebuild the Map's table every few dozen hits. Anything used within the
   * last LIMIT / 2 lookups is still never evicted.
   */
  private held(cache: Map<KnowledgeEntry, Held>, entry: KnowledgeEntry): string | undefined {
    const now = ++this.clock;
    const held = cache.get(entry);
    if (held === undefined) return undefined;
    if (now - held.moved >= EntryTexts.LIMIT / 2) {
      cache.delete(entry);
      cache.set(entry, held);
      held.moved = now;
    }
    return held.text;
  }

  private hold(cache: Map<KnowledgeEntry, Held>, entry: KnowledgeEntry, text: string): string {
    if (cache.size >= EntryTexts.LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(entry, { text, moved: this.clock });
    return text;
  }
}

interface Held {
  text: string;
  /** `clock` when it was last put at the recent end. */
  moved: number;
}

/** Analysed terms of one entry, used for coverage scoring (compact sets: see term-set.ts). */
export class EntryTerms {
  constructor(
    readonly entry: KnowledgeEntry,
    /** KEY, QUALIFIER, HEADING, BODY, then each section's heading and text (SECTION_SETS). */
    readonly sets: PackedTermSets,
    /** Title and each question: its distinct terms with their weights, and the weights' sum (for `fit`). */
    readonly questions: PackedQuestions,
    private readonly texts: EntryTexts,
  ) {}

  has(set: number, term: string): boolean {
    return this.sets.has(set, term);
  }

  /** `has` for a term id of `sets.vocabulary` (looked up once for all of a message's candidates). */
  hasId(set: number, id: number | undefined): boolean {
    return this.sets.hasId(set, id);
  }

  /** Normalised text of the title/questions/tags. */
  keyText(): string {
    return this.texts.key(this.entry);
  }

  /** Normalised text of the sections (headings and text). */
  sectionText(): string {
    return this.texts.section(this.entry);
  }
}
