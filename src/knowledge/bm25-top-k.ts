import type { Bm25Index } from './bm25-postings.js';
import { sortSmall } from './sort-small.js';

/**
 * The k best documents for an OR query by MiniSearch's BM25, without materialising every match.
 *
 * `MiniSearch.search` builds a result object (score, term list, match object) for every document any
 * query term matches — ~1,000 a message at 10,000 entries, ~5,000 at 50,000 — sorts them all, and the
 * index keeps 20. Here the posting lists (bm25-postings.ts, typed arrays) are scored into a reused
 * typed-array accumulator, and max-score pruning bounds what a common term can add:
 *
 * - Each query term has an exact upper bound on what it can add to any document: per field, field boost ×
 *   IDF × the largest length normalisation of a document.
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
 * So the result is MiniSearch's `search(terms.join(' ')).slice(0, k)` over the same documents, ids and
 * scores, bit for bit (tests/knowledge/bm25-top-k.test.ts compares them on random corpora and queries).
 */
export interface TopKHit {
  /** The document's number: the order in which documents were added. */
  doc: number;
  score: number;
}

export interface TopK {
  search(query: string, k: number): TopKHit[];
}

/** MiniSearch 7's default BM25 parameters (its `defaultBM25params`), which the index has always used. */
export const BM25_PARAMS = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** Slack for comparing sums added in another order (relative rounding error is ~1e-15 a term). */
const SLACK = 1 - 1e-9;
/** More query terms than this (bits of the per-document term mask) are scored without pruning. */
const MAX_TERMS = 31;

interface List {
  ids: Uint16Array | Uint32Array;
  termId: number;
  /** Whether some posting has a term frequency other than 1 (slow path). */
  tf: boolean;
  idf: number;
  boost: number;
  fi: number;
}

/**
 * `boosts[f]` is the boost of field f, the fields in the order MiniSearch iterates its `boost` option;
 * `termId` finds a query term in the index's vocabulary.
 */
export function createTopK(index: Bm25Index, boosts: readonly number[], termId: (term: string) => number | undefined, params = BM25_PARAMS): TopK {
  const docs = index.documentCount;
  const total = docs;
  const fields = boosts.length;
  const { k: k1, b, d } = params;
  const avg = index.avgFieldLength;
  /** The term-independent part of calcBM25Score, written as MiniSearch writes it so that it rounds the same way. */
  const normalise = (tf: number, fieldLength: number, avgLength: number) => d + (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * fieldLength) / avgLength));
  // Per field and document, for term frequency 1 (nearly every posting: index.ts dedupes terms).
  const norms = boosts.map((_, f) => {
    const out = new Float64Array(docs);
    for (let doc = 0; doc < docs; doc++) out[doc] = normalise(1, index.fieldLength(doc, f), avg[f]!);
    return out;
  });
  const maxNorms = norms.map((norm) => norm.reduce((max, v) => Math.max(max, v), 0));
  const acc = new Float64Array(docs);
  const mask = new Uint32Array(docs);
  const seen = new Int32Array(docs);
  let top = new Float64Array(32);

  const normOf = (list: List, doc: number): number => {
    const tf = list.tf ? index.frequency(list.termId, list.fi, doc) : 1;
    return tf === 1 ? norms[list.fi]![doc]! : normalise(tf, index.fieldLength(doc, list.fi), avg[list.fi]!);
  };
  const add = (list: List, doc: number, bit: number) => {
    acc[doc] = acc[doc]! + list.boost * list.idf * normOf(list, doc);
    mask[doc]! |= bit;
  };

  return {
    search(query, k) {
      // What MiniSearch's search does with the query string (tokenize: split on ' ', processTerm drops '').
      const terms = query.split(' ').filter((t) => t);
      if (terms.length === 0 || k <= 0 || docs === 0) return [];
      const distinct = terms.map((t) => terms.indexOf(t));
      const lists: (List | null)[][] = terms.map((term) => {
        const id = termId(term);
        return boosts.map((boost, fi) => {
          if (id === undefined) return null;
          const ids = index.postings(id, fi);
          if (ids.length === 0) return null;
          const idf = Math.log(1 + (total - ids.length + 0.5) / (ids.length + 0.5));
          return { ids, termId: id, tf: index.hasFrequencies(id, fi), idf, boost, fi };
        });
      });
      let touched = 0;
      if (terms.length > MAX_TERMS) {
        // Too many terms for the mask: every matching document is scored exactly (as MiniSearch does).
        for (const ls of lists)
          for (const list of ls)
            if (list)
              for (const doc of list.ids)
                if (mask[doc] === 0) {
                  mask[doc] = 1;
                  seen[touched++] = doc;
                }
        return finish(0);
      }
      const bounds = lists.map((ls) => ls.reduce((s, l) => s + (l ? l.boost * l.idf * maxNorms[l.fi]! : 0), 0));
      const order = sortSmall(terms.map((_, i) => i), (x, y) => bounds[y]! - bounds[x]! || x - y);

      let open = true;
      for (let j = 0; j < order.length; j++) {
        if (open && touched >= k) {
          // The most a document not seen yet can reach: it matches at most the remaining distinct terms.
          let restBound = 0;
          let restTerms = 0;
          for (let r = j; r < order.length; r++) {
            restBound += bounds[order[r]!]!;
            if (distinctFrom(r, j)) restTerms++;
          }
          if (restTerms * restBound < kthLargest(touched, k) * SLACK) open = false;
        }
        const t = order[j]!;
        const bit = 1 << distinct[t]!;
        for (const list of lists[t]!) {
          if (!list) continue;
          const ids = list.ids;
          if (open && !list.tf) {
            const weight = list.boost * list.idf;
            const norm = norms[list.fi]!;
            for (let i = 0; i < ids.length; i++) {
              const doc = ids[i]!;
              if (mask[doc] === 0) seen[touched++] = doc;
              acc[doc] = acc[doc]! + weight * norm[doc]!;
              mask[doc]! |= bit;
            }
          } else if (open) {
            for (let i = 0; i < ids.length; i++) {
              const doc = ids[i]!;
              if (mask[doc] === 0) seen[touched++] = doc;
              add(list, doc, bit);
            }
          } else if (touched * Math.log2(ids.length + 1) < ids.length) {
            for (let i = 0; i < touched; i++) if (index.has(list.termId, list.fi, seen[i]!)) add(list, seen[i]!, bit);
          } else {
            for (let i = 0; i < ids.length; i++) if (mask[ids[i]!] !== 0) add(list, ids[i]!, bit);
          }
        }
      }
      return finish(touched > k ? kthLargest(touched, k) * SLACK : 0);

      /** Whether order[r] is the first of the remaining terms (from j) with its distinct term. */
      function distinctFrom(r: number, j: number): boolean {
        for (let q = j; q < r; q++) if (distinct[order[q]!] === distinct[order[r]!]) return false;
        return true;
      }

      /** The documents that can reach `floor`, scored exactly and ordered as MiniSearch orders them. */
      function finish(floor: number): TopKHit[] {
        const kept: { doc: number; score: number; key: number }[] = [];
        for (let i = 0; i < touched; i++) {
          const doc = seen[i]!;
          if (floor === 0 || acc[doc]! * popcount(mask[doc]!) >= floor) kept.push(exact(doc));
        }
        for (let i = 0; i < touched; i++) {
          acc[seen[i]!] = 0;
          mask[seen[i]!] = 0;
        }
        // MiniSearch's stable sort by score keeps its result Map's order among equal scores.
        sortSmall(kept, (x, y) => y.score - x.score || x.key - y.key);
        return kept.slice(0, k).map(({ doc, score }) => ({ doc, score }));
      }

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
            if (!list || !index.has(list.termId, list.fi, doc)) continue;
            termScore += list.boost * (list.idf * normOf(list, doc));
            if (key < 0) key = (t * fields + list.fi) * docs + doc;
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

  /** The k-th largest of acc × terms matched over the documents seen so far. */
  function kthLargest(touched: number, k: number): number {
    // `top` is a reused Float64Array (a plain array emptied and refilled allocated its store on every call).
    if (top.length < k) top = new Float64Array(k);
    let held = 0;
    for (let i = 0; i < touched; i++) {
      const doc = seen[i]!;
      const v = acc[doc]! * popcount(mask[doc]!);
      if (held < k) {
        top[held++] = v;
        if (held === k) sortAscending(top, k);
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
    return held < k ? 0 : top[0]!;
  }

  /** The first `n` values of `values` ascending (insertion sort: n is k, about 20). */
  function sortAscending(values: Float64Array, n: number): void {
    for (let i = 1; i < n; i++) {
      const v = values[i]!;
      let j = i - 1;
      while (j >= 0 && values[j]! > v) {
        values[j + 1] = values[j]!;
        j--;
      }
      values[j + 1] = v;
    }
  }
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}
