/**
 * Compact, immutable term sets for a knowledge index. A 10,000-entry base has about two million
 * (entry, field, term) memberships; as `Set<string>`s of per-entry term strings they took ~120 MB of
 * heap. Here every distinct term is stored once in the index's `Vocabulary` and each set is a sorted
 * run of term ids inside one typed array per entry (2 bytes a membership while the vocabulary has at most
 * 65,536 terms, else 4), looked up by binary search.
 *
 * @example
 *   const vocab = new Vocabulary();
 *   const [key, body] = packTermSets(vocab, [['入学', '年龄'], ['户籍', '入学']]);
 *   key.has('入学'); // true
 *   [...body];       // ['入学', '户籍'] (in id order)
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];

  /** The id of a term, adding it when new. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  /** The id of a known term; undefined for a term no entry has. */
  id(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** The stored (shared) string of a term id. */
  term(id: number): string {
    return this.terms[id]!;
  }

  /** The shared copy of a term: equal strings from different entries are kept once. */
  canonical(term: string): string {
    return this.terms[this.intern(term)]!;
  }

  get size(): number {
    return this.terms.length;
  }
}

/** Index in an entry's packed sets (knowledge index) of the first section's heading set: after key, qualifier, heading, body. */
export const SECTION_SETS = 4;

/** Term ids of packed sets: 2 bytes an id while the vocabulary fits, else 4. */
type IdArray = Uint16Array | Uint32Array;

/** A read-only set of terms: a sorted run `[start, end)` of ids in a shared array. */
export class TermSet implements Iterable<string> {
  constructor(
    private readonly vocab: Vocabulary,
    private readonly data: IdArray,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  has(term: string): boolean {
    const id = this.vocab.id(term);
    return id !== undefined && this.hasId(id);
  }

  hasId(id: number): boolean {
    let lo = this.start;
    let hi = this.end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.data[mid]!;
      if (v === id) return true;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Calls `fn` with every term id, in ascending order. */
  forEachId(fn: (id: number) => void): void {
    for (let i = this.start; i < this.end; i++) fn(this.data[i]!);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let i = this.start; i < this.end; i++) yield this.vocab.term(this.data[i]!);
  }
}

/**
 * Several term sets stored in one array, made into `TermSet` objects only when asked for: an entry's
 * per-section sets are read for the few best candidates of a message, so 100,000 small objects for a
 * 10,000-entry base would mostly sit unused.
 */
export class PackedTermSets {
  constructor(
    private readonly vocab: Vocabulary,
    private readonly data: IdArray,
    /** Set `i` is `data[bounds[i], bounds[i + 1])`. */
    private readonly bounds: Uint32Array,
  ) {}

  get count(): number {
    return this.bounds.length - 1;
  }

  set(i: number): TermSet {
    return new TermSet(this.vocab, this.data, this.bounds[i]!, this.bounds[i + 1]!);
  }
}

/** Packs lists of terms (duplicates dropped) into one array. */
export function packTerms(vocab: Vocabulary, lists: readonly (readonly string[])[]): PackedTermSets {
  const sorted = lists.map((list) => {
    const ids = [...new Set(list.map((t) => vocab.intern(t)))];
    return ids.sort((a, b) => a - b);
  });
  const bounds = new Uint32Array(sorted.length + 1);
  sorted.forEach((ids, i) => (bounds[i + 1] = bounds[i]! + ids.length));
  const data = vocab.size <= 0x10000 ? new Uint16Array(bounds[sorted.length]!) : new Uint32Array(bounds[sorted.length]!);
  sorted.forEach((ids, i) => data.set(ids, bounds[i]!));
  return new PackedTermSets(vocab, data, bounds);
}

/** Term sets for several lists of terms (duplicates dropped), all stored in one array. */
export function packTermSets(vocab: Vocabulary, lists: readonly (readonly string[])[]): TermSet[] {
  const packed = packTerms(vocab, lists);
  return Array.from({ length: packed.count }, (_, i) => packed.set(i));
}
