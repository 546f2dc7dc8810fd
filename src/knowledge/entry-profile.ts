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
  private readonly keys = new Map<KnowledgeEntry, string>();
  private readonly sections = new Map<KnowledgeEntry, string>();
  // The entry each cache served last, and its text: already the most recent in its Map, so serving it again
  // needs no Map work (decide asks for one candidate's texts once per character pair of a term).
  private lastKey: { entry: KnowledgeEntry | null; text: string } = { entry: null, text: '' };
  private lastSection: { entry: KnowledgeEntry | null; text: string } = { entry: null, text: '' };

  constructor(private readonly normalize: (text: string) => string) {}

  /** Title, questions and tags. */
  key(entry: KnowledgeEntry): string {
    if (this.lastKey.entry === entry) return this.lastKey.text;
    const text = this.cached(this.keys, entry, () => [entry.title, ...entry.questions, ...entry.tags].map(this.normalize).join(' '));
    this.lastKey = { entry, text };
    return text;
  }

  /** Every section's heading and text. */
  section(entry: KnowledgeEntry): string {
    if (this.lastSection.entry === entry) return this.lastSection.text;
    const text = this.cached(this.sections, entry, () => entry.sections.map((s) => `${this.normalize(s.heading ?? '')} ${this.normalize(s.text)}`).join(' '));
    this.lastSection = { entry, text };
    return text;
  }

  private cached(cache: Map<KnowledgeEntry, string>, entry: KnowledgeEntry, make: () => string): string {
    let text = cache.get(entry);
    if (text !== undefined) cache.delete(entry);
    else {
      text = make();
      if (cache.size >= EntryTexts.LIMIT) cache.delete(cache.keys().next().value!);
    }
    cache.set(entry, text);
    return text;
  }
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
