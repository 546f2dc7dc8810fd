import type MiniSearch from 'minisearch';
import { sortedHas } from './term-set.js';

/**
 * Compact posting lists for MiniSearch. MiniSearch 7 keeps, for every term and field, a `Map` from
 * document to term frequency: about 35 bytes a posting, ~38 MB for the million postings of a
 * 10,000-entry base. Our documents hold each term once per field (index.ts dedupes them), so a posting
 * list is just its document ids: a typed array in the Map's own order (2 bytes a posting up to 65,536
 * documents, else 4). MiniSearch's search reads a list only through `size`, `keys()` and `get()`, and
 * its addTerm through `get()` and `set()`, which `FrozenPostings` provides, so results, scores and the
 * order of ties are unchanged (tests/knowledge/frozen-postings.test.ts compares them with an unfrozen
 * index). buildIndex freezes between chunks of documents, so the Maps never hold more than a chunk.
 *
 * This reaches into MiniSearch's protected `_index` (version pinned in package.json); if a release
 * changes that layout, `freezePostings` returns null and leaves the index as it is (only memory is lost),
 * and the test above fails.
 */
export class FrozenPostings {
  constructor(
    private ids: Uint16Array | Uint32Array,
    /** Frequencies other than 1 (none for our documents; kept so any MiniSearch document works). */
    private extra?: Map<number, number>,
    private length = ids.length,
  ) {}

  get size(): number {
    return this.length;
  }

  keys(): IterableIterator<number> {
    return this.ids.subarray(0, this.length).values();
  }

  /** The ids as one ascending typed array when every frequency is 1 (what bm25-top-k.ts scans); else null. */
  idArray(): Uint16Array | Uint32Array | null {
    return this.extra && this.extra.size > 0 ? null : this.ids.subarray(0, this.length);
  }

  has(id: number): boolean {
    return sortedHas(this.ids, 0, this.length, id);
  }

  get(id: number): number | undefined {
    return this.has(id) ? (this.extra?.get(id) ?? 1) : undefined;
  }

  /**
   * MiniSearch's addTerm for a document added after the list was frozen (buildIndex freezes between
   * chunks of documents). Documents arrive in ascending id order, so an id is appended or is the last one.
   */
  set(id: number, freq: number): this {
    const last = this.length > 0 ? this.ids[this.length - 1]! : -1;
    if (id === last) {
      if (freq === 1) this.extra?.delete(id);
      else (this.extra ??= new Map()).set(id, freq);
      return this;
    }
    if (id < last) throw new Error(`frozen posting list: document ${id} added after ${last}`);
    if (this.length === this.ids.length || (id > 0xffff && this.ids instanceof Uint16Array)) {
      const wider = id > 0xffff || this.ids instanceof Uint32Array ? new Uint32Array(Math.max(4, this.length * 2)) : new Uint16Array(Math.max(4, this.length * 2));
      wider.set(this.ids.subarray(0, this.length));
      this.ids = wider;
    }
    this.ids[this.length++] = id;
    if (freq !== 1) (this.extra ??= new Map()).set(id, freq);
    return this;
  }

  /** Drops the spare capacity left by `set`. */
  trim(): void {
    if (this.ids.length !== this.length) this.ids = this.ids.slice(0, this.length);
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.length; i++) yield [this.ids[i]!, this.extra?.get(this.ids[i]!) ?? 1];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

type FieldIndex = Map<number, Map<number, number> | FrozenPostings>;
interface Internals {
  _index?: { values?: () => IterableIterator<FieldIndex> };
}

/**
 * Replaces every posting list in ascending id order (documents added once, never removed) with a
 * FrozenPostings; with `trim` (the default, once no documents follow) also drops spare capacity.
 * Returns how many lists were replaced, or null if MiniSearch's layout is not the one known here.
 */
export function freezePostings(mini: MiniSearch<never> | MiniSearch<object>, { trim = true } = {}): number | null {
  const index = (mini as unknown as Internals)._index;
  if (!index || typeof index.values !== 'function') return null;
  let frozen = 0;
  for (const fields of index.values()) {
    if (!(fields instanceof Map)) return null;
    for (const [fieldId, postings] of fields) {
      if (postings instanceof FrozenPostings) {
        if (trim) postings.trim();
        continue;
      }
      if (!(postings instanceof Map)) continue;
      let previous = -1;
      let ascending = true;
      for (const id of postings.keys()) {
        if (id <= previous) ascending = false;
        previous = id;
      }
      if (!ascending) continue;
      const ids = previous <= 0xffff ? Uint16Array.from(postings.keys()) : Uint32Array.from(postings.keys());
      let extra: Map<number, number> | undefined;
      for (const [id, freq] of postings) if (freq !== 1) (extra ??= new Map()).set(id, freq);
      fields.set(fieldId, new FrozenPostings(ids, extra));
      frozen += 1;
    }
  }
  return frozen;
}
