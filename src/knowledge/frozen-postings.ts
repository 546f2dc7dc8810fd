import type MiniSearch from 'minisearch';

/**
 * Shrinks a built MiniSearch index in place. MiniSearch 7 keeps, for every term and field, a `Map` from
 * document to term frequency: about 35 bytes a posting, ~38 MB for the million postings of a
 * 10,000-entry base. Our documents hold each term at most once per field (index.ts dedupes them), so
 * every frequency is 1 and a posting list is just its document ids: a typed array in the Map's own
 * order (2 bytes a posting up to 65,536 documents, else 4). MiniSearch's search reads a posting list only through `size`, `keys()`
 * and `get()`, which `FrozenPostings` provides, so results, scores and the order of ties are unchanged
 * (tests/knowledge/frozen-postings.test.ts compares them with an unfrozen index).
 *
 * This reaches into MiniSearch's protected `_index` (version pinned in package.json); if a release
 * changes that layout, `freezePostings` returns null and leaves the index as it is (only memory is lost),
 * and the test above fails.
 */
export class FrozenPostings {
  constructor(private readonly ids: Uint16Array | Uint32Array) {}

  get size(): number {
    return this.ids.length;
  }

  keys(): IterableIterator<number> {
    return this.ids.values();
  }

  has(id: number): boolean {
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] === id) return true;
      if (ids[mid]! < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** The term frequency: always 1 (see above). */
  get(id: number): number | undefined {
    return this.has(id) ? 1 : undefined;
  }

  *entries(): IterableIterator<[number, number]> {
    for (const id of this.ids) yield [id, 1];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

type FieldIndex = Map<number, Map<number, number> | FrozenPostings>;
interface Internals {
  _index?: { values?: () => IterableIterator<FieldIndex> };
}

/** Replaces every posting list whose frequencies are all 1; returns how many were replaced, or null if the layout is unknown. */
export function freezePostings(mini: MiniSearch<never> | MiniSearch<object>): number | null {
  const index = (mini as unknown as Internals)._index;
  if (!index || typeof index.values !== 'function') return null;
  let frozen = 0;
  for (const fields of index.values()) {
    if (!(fields instanceof Map)) return null;
    for (const [fieldId, postings] of fields) {
      if (!(postings instanceof Map)) continue;
      // Only lists in ascending id order (documents added once, never removed) with every frequency 1.
      let frozenable = true;
      let previous = -1;
      for (const [id, freq] of postings) {
        if (freq !== 1 || id <= previous) frozenable = false;
        previous = id;
      }
      if (!frozenable) continue;
      fields.set(fieldId, new FrozenPostings(previous <= 0xffff ? Uint16Array.from(postings.keys()) : Uint32Array.from(postings.keys())));
      frozen += 1;
    }
  }
  return frozen;
}
