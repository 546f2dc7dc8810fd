/**
 * Compact, immutable term sets for a knowledge index. A 10,000-entry base has about two million
 * (entry, field, term) memberships; as `Set<string>`s of per-entry term strings they took ~120 MB of
 * heap. Here every distinct term is stored once in the index's `Vocabulary` and each set is a sorted
 * run of term ids in one typed array shared by the whole index (`Arenas`: 2 bytes a membership while the
 * vocabulary has at most 65,536 terms, else 4), looked up by binary search. Shared, because a typed array
 * costs ~200 bytes of objects of its own: five per entry were ~5 MB for a 10,000-entry base.
 *
 * @example
 *   const vocab = new Vocabulary();
 *   const sets = packTerms(vocab, [['入学', '年龄'], ['户籍', '入学']]);
 *   sets.has(0, '入学'); // true
 *   [...sets.set(1)];    // ['入学', '户籍'] (in id order)
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

/** A typed array that grows while an index is built and is trimmed to its length when the build ends. */
class Growable<T extends Uint16Array | Uint32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}

  append(values: ArrayLike<number>, widen?: () => T): number {
    const start = this.length;
    let capacity = this.data.length;
    while (capacity < start + values.length) capacity *= 2;
    const next = widen?.() ?? (capacity > this.data.length ? (new (this.data.constructor as new (n: number) => T)(capacity)) : this.data);
    if (next !== this.data) {
      next.set(this.data.subarray(0, start));
      this.data = next;
    }
    this.data.set(values, start);
    this.length += values.length;
    return start;
  }

  seal(): void {
    if (this.data.length !== this.length) this.data = this.data.slice(0, this.length) as T;
  }
}

/** Term ids: 2 bytes each until an id needs more, then the whole array becomes 4 bytes an id. */
export class IdArena extends Growable<Uint16Array | Uint32Array> {
  constructor() {
    super(new Uint16Array(1024));
  }

  add(ids: ArrayLike<number>): number {
    const needed = this.length + ids.length;
    let wide = false;
    if (this.data instanceof Uint16Array) for (let i = 0; i < ids.length && !wide; i++) wide = ids[i]! > 0xffff;
    return this.append(ids, wide ? () => new Uint32Array(Math.max(needed, this.data.length)) : undefined);
  }
}

/** The shared storage of one index's packed sets and questions. Seal it once the index is built. */
export class Arenas {
  readonly ids = new IdArena();
  readonly offsets = new Growable(new Uint32Array(1024));
  readonly weights = new Growable(new Float64Array(1024));

  seal(): void {
    this.ids.seal();
    this.offsets.seal();
    this.weights.seal();
  }
}

/** Whether the ascending run `data[start, end)` holds `id` (binary search). */
export function sortedHas(data: ArrayLike<number>, start: number, end: number, id: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = data[mid]!;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** A read-only set of terms: a sorted run `[start, end)` of ids in the index's id arena. */
export class TermSet implements Iterable<string> {
  constructor(
    private readonly vocab: Vocabulary,
    private readonly ids: IdArena,
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
    return sortedHas(this.ids.data, this.start, this.end, id);
  }

  /** Calls `fn` with every term id, in ascending order. */
  forEachId(fn: (id: number) => void): void {
    const data = this.ids.data;
    for (let i = this.start; i < this.end; i++) fn(data[i]!);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let i = this.start; i < this.end; i++) yield this.vocab.term(this.ids.data[i]!);
  }
}

/**
 * Several term sets of one entry, made into `TermSet` objects only when asked for: an entry's per-section
 * sets are read for the few best candidates of a message, so 100,000 small objects for a 10,000-entry
 * base would mostly sit unused.
 */
export class PackedTermSets {
  constructor(
    private readonly vocab: Vocabulary,
    private readonly arenas: Arenas,
    /** Set `i` is ids `[offsets[at + i], offsets[at + i + 1])`. */
    private readonly at: number,
    readonly count: number,
  ) {}

  set(i: number): TermSet {
    const offsets = this.arenas.offsets.data;
    return new TermSet(this.vocab, this.arenas.ids, offsets[this.at + i]!, offsets[this.at + i + 1]!);
  }

  /** The vocabulary the ids of these sets index (one per knowledge index). */
  get vocabulary(): Vocabulary {
    return this.vocab;
  }

  /** `has(i, term)` for a term already looked up in `vocabulary` (undefined: no entry has it). */
  hasId(i: number, id: number | undefined): boolean {
    const offsets = this.arenas.offsets.data;
    return id !== undefined && sortedHas(this.arenas.ids.data, offsets[this.at + i]!, offsets[this.at + i + 1]!, id);
  }

  /** `set(i).has(term)` without making the set. */
  has(i: number, term: string): boolean {
    const id = this.vocab.id(term);
    const offsets = this.arenas.offsets.data;
    return id !== undefined && sortedHas(this.arenas.ids.data, offsets[this.at + i]!, offsets[this.at + i + 1]!, id);
  }
}

/** Packs lists of terms (duplicates dropped) into the arenas (fresh, sealed ones when none are given). */
export function packTerms(vocab: Vocabulary, lists: readonly (readonly string[])[], arenas?: Arenas): PackedTermSets {
  const target = arenas ?? new Arenas();
  const packed = packIdSets(
    vocab,
    lists.map((list) => [list.map((t) => vocab.intern(t))]),
    target,
  );
  if (!arenas) target.seal();
  return packed;
}

/** Working space of `packIdSets` (reused: an index build packs ~10 sets for each of its entries). */
let scratch = new Uint32Array(1024);

/**
 * `packTerms` for terms already interned: set `i` is the union of the id lists `sets[i]` (an entry's body is
 * its sections' texts, without concatenating them first). Each set is sorted in place in a typed array and
 * its repeats dropped as it is copied: no per-list arrays or Sets.
 */
export function packIdSets(vocab: Vocabulary, sets: readonly (readonly (readonly number[])[])[], arenas: Arenas): PackedTermSets {
  let total = 0;
  for (const parts of sets) for (const ids of parts) total += ids.length;
  if (total > scratch.length) scratch = new Uint32Array(Math.max(total, 2 * scratch.length));
  const offsets = new Array<number>(sets.length + 1);
  offsets[0] = 0;
  let n = 0;
  for (let i = 0; i < sets.length; i++) {
    const from = n;
    for (const ids of sets[i]!) for (let k = 0; k < ids.length; k++) scratch[n++] = ids[k]!;
    scratch.subarray(from, n).sort();
    let kept = from;
    for (let k = from; k < n; k++) if (k === from || scratch[k] !== scratch[kept - 1]) scratch[kept++] = scratch[k]!;
    n = kept;
    offsets[i + 1] = n;
  }
  const start = arenas.ids.add(scratch.subarray(0, n));
  for (let i = 0; i < offsets.length; i++) offsets[i]! += start;
  const at = arenas.offsets.append(offsets);
  return new PackedTermSets(vocab, arenas, at, sets.length);
}

/**
 * An entry's title and questions as weighted term lists (each list's distinct terms in their order and the
 * sum of their weights), stored in the index's arenas: a 10,000-entry base has ~60,000 of them, and as
 * objects with two arrays each they took ~10 MB. A term's weight is not stored: `weight` (term-weights.ts)
 * is a pure, cached function of the term.
 */
export class PackedQuestions {
  constructor(
    private readonly vocab: Vocabulary,
    private readonly arenas: Arenas,
    private readonly weight: (term: string) => number,
    /** List `q` is items `[offsets[at + q], offsets[at + q + 1])`, counted from the entry's first item. */
    private readonly at: number,
    /** Item `k`'s id is `ids[idsAt + k]`; list `q`'s total weight is `weights[totalsAt + q]`. */
    private readonly idsAt: number,
    private readonly totalsAt: number,
    readonly count: number,
  ) {}

  /**
   * The best share of one list's weight that `terms` holds (0 when no list has weight): `bestFitOfIds` of the
   * terms' ids in this vocabulary (a term it lacks matches nothing), for a message read with another vocabulary.
   */
  bestFit(terms: ReadonlySet<string>): number {
    const list = [...terms];
    return this.bestFitOfIds(
      list.map((term) => this.vocab.id(term)),
      list.map((term) => this.weight(term)),
    );
  }

  get vocabulary(): Vocabulary {
    return this.vocab;
  }

  /**
   * `bestFit` of a message's distinct terms given by their ids in this vocabulary (`ids[i]`, undefined for a term
   * not in it) and their weights (`weights[i]`, `weight` of the term): the same sums, with no term string
   * looked up for each item of each list (a message has ~20 candidates, each several lists).
   */
  bestFitOfIds(ids: readonly (number | undefined)[], weights: readonly number[]): number {
    const items = this.arenas.ids.data;
    const offsets = this.arenas.offsets.data;
    const totals = this.arenas.weights.data;
    let best = 0;
    for (let q = 0; q < this.count; q++) {
      const total = totals[this.totalsAt + q]!;
      let fit = 0;
      if (total > 0) {
        let hit = 0;
        for (let k = offsets[this.at + q]!; k < offsets[this.at + q + 1]!; k++) {
          const id = items[this.idsAt + k]!;
          for (let i = 0; i < ids.length; i++) {
            if (ids[i] === id) {
              hit += weights[i]!;
              break;
            }
          }
        }
        fit = hit / total;
      }
      best = Math.max(best, fit);
    }
    return best;
  }
}

/** Packs weighted term lists (lists without terms are left out). */
export function packQuestions(vocab: Vocabulary, lists: readonly (readonly string[])[], weight: (term: string) => number, arenas: Arenas): PackedQuestions {
  const kept = lists.filter((l) => l.length > 0);
  const offsets = [0];
  kept.forEach((l) => offsets.push(offsets[offsets.length - 1]! + l.length));
  const totals = kept.map((list) => list.map(weight).reduce((a, b) => a + b, 0));
  const idsAt = arenas.ids.add(kept.flat().map((t) => vocab.intern(t)));
  const totalsAt = arenas.weights.append(totals);
  const at = arenas.offsets.append(offsets);
  return new PackedQuestions(vocab, arenas, weight, at, idsAt, totalsAt, kept.length);
}
