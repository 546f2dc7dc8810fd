import type MiniSearch from 'minisearch';
import { FrozenPostings } from './frozen-postings.js';
import { sortedHas } from './term-set.js';

/**
 * The k best documents for an OR query by MiniSearch's BM25, without materialising every match.
 *
 * `MiniSearch.search` builds a result object (score, term list, match object) for every document any
 * query term matches — ~1,000 a message at 10,000 entries, ~5,000 at 50,000 — sorts them all, and the
 * index keeps 20. Here the same posting lists (MiniSearch's own, frozen into typed arrays) are scored
 * into a reused typed-array accumulator, and max-score pruning bounds what a common term can add:
 *
 * - Each query term has an exact upper bound on what it can add to any document: per field, field boost ×
 *   IDF × the largest length normalisation of a document that has that field.
 * - Terms are taken heaviest bound first. Once k documents are seen, the k-th best score they already have
 *   (a lower bound of their final score) is compared with the most a document not yet seen could reach from
 *   the remaining terms alone (their bounds summed, times how many of them it could match: MiniSearch
 *   multiplies a score by the number of query terms matched). When that is lower, the remaining terms only
 *   add to documents already seen: a very common term then contributes no new candidates at all.
 * - The documents that can still be in the top k are re-scored exactly as MiniSearch does (same formula,
 *   same order of additions, so the same floating-point result) and ordered as its stable sort orders them:
 *   score, then the position of the document in its result Map (first query term that matched it, first
 *   field of that term, document id).
 *
 * So the result is MiniSearch's `search(terms.join(' ')).slice(0, k)`, ids and scores, bit for bit
 * (tests/knowledge/bm25-top-k.test.ts compares them on random queries). This reads MiniSearch's protected
 * fields (version pinned in package.json); `createTopK` returns null if their layout is not the one known
 * here, and the index then uses `MiniSearch.search`.
 */
export interface TopKHit {
  /** MiniSearch's short document id: the order in which documents were added. */
  doc: number;
  score: number;
}

export interface TopK {
  search(query: string, k: number): TopKHit[];
}

type Postings = Map<number, number> | FrozenPostings;
interface Internals {
  _index?: { get?: (term: string) => Map<number, Postings> | undefined };
  _fieldIds?: Record<string, number>;
  _avgFieldLength?: number[];
  _fieldLength?: Map<number, number[]>;
  _documentCount?: number;
  _nextId?: number;
  _options?: { searchOptions?: { bm25?: { k: number; b: number; d: number } } };
}

/** Slack for comparing sums added in another order (relative rounding error is ~1e-15 a term). */
const SLACK = 1 - 1e-9;
/** More query terms than this (bits of the per-document term mask) go through `MiniSearch.search`. */
const MAX_TERMS = 31;

export function createTopK(mini: MiniSearch<never> | MiniSearch<object>, boosts: Readonly<Record<string, number>>): TopK | null {
  const m = mini as unknown as Internals;
  const { _index: index, _fieldIds: fieldIds, _avgFieldLength: avg, _fieldLength: lengths, _documentCount: total, _nextId: size } = m;
  const params = m._options?.searchOptions?.bm25;
  if (!index?.get || !fieldIds || !avg || !(lengths instanceof Map) || typeof total !== 'number' || typeof size !== 'number' || !params) return null;
  if (total !== size) return null; // a document was removed: ids have gaps MiniSearch skips lazily
  const docs: number = size;
  const fields = Object.keys(boosts).map((name) => ({ id: fieldIds[name]!, boost: boosts[name]! }));
  if (fields.some((f) => typeof f.id !== 'number')) return null;
  const { k: k1, b, d } = params;
  const lengthOf = (doc: number, fieldId: number) => lengths.get(doc)?.[fieldId] ?? 0;
  /** The term-independent part of calcBM25Score, written as MiniSearch writes it so that it rounds the same way. */
  const normalise = (tf: number, fieldLength: number, avgLength: number) => d + (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * fieldLength) / avgLength));
  // Per field and document, for term frequency 1 (every posting of our documents: index.ts dedupes terms).
  const norms = fields.map((f) => {
    const out = new Float64Array(size);
    for (let doc = 0; doc < size; doc++) out[doc] = normalise(1, lengthOf(doc, f.id), avg[f.id]!);
    return out;
  });
  const maxNorms = fields.map((f, fi) => {
    let max = 0;
    for (let doc = 0; doc < size; doc++) if (lengthOf(doc, f.id) > 0) max = Math.max(max, norms[fi]![doc]!);
    return max;
  });
  const acc = new Float64Array(size);
  const mask = new Uint32Array(size);
  const seen = new Int32Array(size);
  const top: number[] = [];

  interface List {
    postings: Postings;
    /** The ids as a typed array when every frequency is 1 (the fast path). */
    ids: Uint16Array | Uint32Array | null;
    idf: number;
    boost: number;
    fi: number;
    fieldId: number;
  }
  const normOf = (list: List, doc: number): number => {
    const tf = list.ids ? 1 : (list.postings.get(doc) ?? 0);
    return tf === 1 ? norms[list.fi]![doc]! : normalise(tf, lengthOf(doc, list.fieldId), avg[list.fieldId]!);
  };

  return {
    search(query, k) {
      // What MiniSearch's search does with the query string (tokenize: split on ' ', processTerm drops '').
      const terms = query.split(' ').filter((t) => t);
      if (terms.length === 0 || k <= 0) return [];
      if (terms.length > MAX_TERMS) return fallback(query, k);
      const distinct = terms.map((t) => terms.indexOf(t));
      const lists: (List | null)[][] = terms.map((term) => {
        const data = index.get!(term);
        return fields.map((f, fi) => {
          const postings = data?.get(f.id);
          if (!postings || postings.size === 0) return null;
          const idf = Math.log(1 + (total - postings.size + 0.5) / (postings.size + 0.5));
          const ids = postings instanceof FrozenPostings ? postings.idArray() : null;
          return { postings, ids, idf, boost: f.boost, fi, fieldId: f.id };
        });
      });
      const bounds = lists.map((ls) => ls.reduce((s, l) => s + (l ? l.boost * l.idf * maxNorms[l.fi]! : 0), 0));
      const order = terms.map((_, i) => i).sort((x, y) => bounds[y]! - bounds[x]! || x - y);

      let touched = 0;
      let open = true;
      const add = (list: List, doc: number, bit: number) => {
        acc[doc] = acc[doc]! + list.boost * list.idf * normOf(list, doc);
        mask[doc]! |= bit;
      };
      for (let j = 0; j < order.length; j++) {
        if (open && touched >= k) {
          // The most a document not seen yet can reach: it matches at most the remaining terms.
          const rest = order.slice(j);
          const reach = new Set(rest.map((i) => distinct[i])).size * rest.reduce((s, i) => s + bounds[i]!, 0);
          if (reach < kthLargest(touched, k) * SLACK) open = false;
        }
        const t = order[j]!;
        const bit = 1 << distinct[t]!;
        for (const list of lists[t]!) {
          if (!list) continue;
          const ids = list.ids;
          if (open && ids) {
            const weight = list.boost * list.idf;
            const norm = norms[list.fi]!;
            for (let i = 0; i < ids.length; i++) {
              const doc = ids[i]!;
              if (mask[doc] === 0) seen[touched++] = doc;
              acc[doc] = acc[doc]! + weight * norm[doc]!;
              mask[doc]! |= bit;
            }
          } else if (open) {
            for (const doc of list.postings.keys()) {
              if (mask[doc] === 0) seen[touched++] = doc;
              add(list, doc, bit);
            }
          } else if (ids && touched * Math.log2(ids.length + 1) < ids.length) {
            for (let i = 0; i < touched; i++) if (sortedHas(ids, 0, ids.length, seen[i]!)) add(list, seen[i]!, bit);
          } else {
            for (const doc of list.postings.keys()) if (mask[doc] !== 0) add(list, doc, bit);
          }
        }
      }

      const floor = touched > k ? kthLargest(touched, k) * SLACK : 0;
      const kept: { doc: number; score: number; key: number }[] = [];
      for (let i = 0; i < touched; i++) {
        const doc = seen[i]!;
        if (acc[doc]! * popcount(mask[doc]!) >= floor) kept.push(exact(doc));
      }
      for (let i = 0; i < touched; i++) {
        acc[seen[i]!] = 0;
        mask[seen[i]!] = 0;
      }
      // MiniSearch's stable sort by score keeps its result Map's order among equal scores.
      kept.sort((x, y) => y.score - x.score || x.key - y.key);
      return kept.slice(0, k).map(({ doc, score }) => ({ doc, score }));

      /**
       * MiniSearch's score, added in its order (per term the fields in order, then the terms in query order),
       * times the distinct terms matched; and the document's place in its result Map (first term, first field, id).
       */
      function exact(doc: number): { doc: number; score: number; key: number } {
        let score = 0;
        let key = -1;
        let matched = 0;
        for (let t = 0; t < terms.length; t++) {
          let termScore = 0;
          let hit = false;
          for (const list of lists[t]!) {
            if (!list || !list.postings.has(doc)) continue;
            termScore += list.boost * (list.idf * normOf(list, doc));
            if (key < 0) key = (t * fields.length + list.fi) * docs + doc;
            hit = true;
          }
          if (!hit) continue;
          score += termScore;
          if (distinct[t] === t) matched += 1;
        }
        return { doc, score: score * matched, key };
      }
    },
  };

  function fallback(query: string, k: number): TopKHit[] {
    const ids = (mini as unknown as { _idToShortId: Map<unknown, number> })._idToShortId;
    return mini
      .search(query)
      .slice(0, k)
      .map((r) => ({ doc: ids.get(r.id)!, score: r.score }));
  }

  /** The k-th largest of acc × terms matched over the documents seen so far. */
  function kthLargest(touched: number, k: number): number {
    top.length = 0;
    for (let i = 0; i < touched; i++) {
      const doc = seen[i]!;
      const v = acc[doc]! * popcount(mask[doc]!);
      if (top.length < k) {
        top.push(v);
        if (top.length === k) top.sort((x, y) => x - y);
      } else if (v > top[0]!) {
        // Keep `top` ascending: drop the smallest, insert v in place.
        let at = 1;
        while (at < k && top[at]! < v) {
          top[at - 1] = top[at]!;
          at++;
        }
        top[at - 1] = v;
      }
    }
    return top.length < k ? 0 : top[0]!;
  }
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}
