import { sortedHas } from './term-set.js';

/**
 * BM25 posting lists built directly into typed arrays, with the statistics MiniSearch's BM25 reads.
 *
 * The index used to add every entry to MiniSearch (a radix tree of Maps, ~35 bytes a posting, 4 s of a
 * 10,000-entry build) and then freeze its lists; bm25-top-k.ts only ever read the lists, the document
 * count and the field lengths. Here those are made from the term ids the index already interns: each
 * (term, field) pair is a key (term id × fields + field), the postings of a document are logged as keys
 * while entries are added, and `finish` lays them out by key with a counting sort (CSR: one offset per key,
 * one id array for all lists; 2 bytes a posting up to 65,536 documents). Documents are added in id order and
 * the sort is stable, so every list is ascending, as MiniSearch's Maps are.
 *
 * What MiniSearch would compute is kept exactly (tests/knowledge/bm25-top-k.test.ts compares the scores bit
 * for bit): a field's length is the number of distinct tokens MiniSearch's tokenizer gives (an empty field
 * is one empty token), the average field length is updated per document with MiniSearch's formula and in its
 * order, and a token repeated in a field has that term frequency.
 */
export interface Bm25Index {
  readonly fieldCount: number;
  readonly documentCount: number;
  /** Per field, MiniSearch's running average of the field lengths. */
  readonly avgFieldLength: Float64Array;
  /** Distinct tokens of field `field` of document `doc`. */
  fieldLength(doc: number, field: number): number;
  /** The documents having term `termId` in field `field`, ascending (a view: no copy). */
  postings(termId: number, field: number): Uint16Array | Uint32Array;
  /** The term frequency of a posting (1 unless a field repeated the token). */
  frequency(termId: number, field: number, doc: number): number;
  /** Whether the list of (termId, field) has a frequency other than 1. */
  hasFrequencies(termId: number, field: number): boolean;
  has(termId: number, field: number, doc: number): boolean;
}

/** A field's text as lists of tokens (concatenated: several texts make one field). */
export type FieldTokens = readonly (readonly string[])[];

export interface Bm25Builder {
  /**
   * One document (the next id) with, per field, the tokens MiniSearch's tokenizer would give; with
   * `distinct`, the field is its distinct tokens joined by spaces (what index.ts gave MiniSearch): repeats
   * are dropped, and a token holding a space is its pieces.
   */
  add(fields: readonly FieldTokens[]): void;
  finish(): Bm25Index;
}

/** Keys logged per chunk: fixed-size chunks, so a large build never copies its log to grow it. */
const CHUNK = 1 << 20;

/** `intern` gives a term's id (adding it when new); the index shares the knowledge index's vocabulary. */
export function createBm25Builder(fieldCount: number, intern: (term: string) => number, { distinct = false } = {}): Bm25Builder {
  const chunks: Uint32Array[] = [];
  let logged = 0;
  const docEnds: number[] = [];
  const lengths: number[] = [];
  const avg = new Float64Array(fieldCount);
  /** Per key, the last document that logged it (a token repeated in a field is one posting). */
  let lastDoc = new Int32Array(1024).fill(-1);
  const extra = new Map<string, number>();
  let docs = 0;

  const log = (key: number) => {
    const at = logged & (CHUNK - 1);
    if (at === 0) chunks.push(new Uint32Array(CHUNK));
    chunks[chunks.length - 1]![at] = key;
    logged++;
  };

  return {
    add(fields) {
      const doc = docs++;
      for (let f = 0; f < fieldCount; f++) {
        let lists = fields[f] ?? [];
        let repeatsCount = !distinct;
        if (distinct && lists.some((tokens) => tokens.some((t) => t.includes(' ')))) {
          // Rare: MiniSearch split such a term at its spaces, and a piece met twice had frequency 2.
          lists = [[...new Set(lists.flat())].join(' ').split(' ')];
          repeatsCount = true;
        }
        let pieces = 0;
        let unique = 0;
        let empty = false;
        for (const tokens of lists) {
          for (const token of tokens) {
            pieces++;
            if (token === '') {
              empty = true; // counted in the field's length (MiniSearch counts the distinct raw tokens), never indexed
              continue;
            }
            const key = intern(token) * fieldCount + f;
            if (key >= lastDoc.length) {
              const wider = new Int32Array(Math.max(key + 1, lastDoc.length * 2)).fill(-1);
              wider.set(lastDoc);
              lastDoc = wider;
            }
            if (lastDoc[key] === doc) {
              if (!repeatsCount) continue;
              const id = `${key},${doc}`;
              extra.set(id, (extra.get(id) ?? 1) + 1);
              continue;
            }
            lastDoc[key] = doc;
            unique++;
            log(key);
          }
        }
        // No token at all is MiniSearch's tokenizer on '': one empty token.
        const length = unique + (empty || pieces === 0 ? 1 : 0);
        lengths.push(length);
        // MiniSearch's addFieldLength, with the same operations in the same order (so the same rounding).
        avg[f] = ((avg[f] || 0) * doc + length) / (doc + 1);
      }
      docEnds.push(logged);
    },
    finish() {
      const keys = lastDoc.length;
      const offsets = new Uint32Array(keys + 1);
      for (let i = 0; i < logged; i++) offsets[chunks[i >>> 20]![i & (CHUNK - 1)]! + 1]! += 1;
      for (let k = 0; k < keys; k++) offsets[k + 1]! += offsets[k]!;
      const ids = docs <= 0x10000 ? new Uint16Array(logged) : new Uint32Array(logged);
      const fill = offsets.slice(0, keys);
      let doc = 0;
      for (let i = 0; i < logged; i++) {
        while (i >= docEnds[doc]!) doc++;
        const key = chunks[i >>> 20]![i & (CHUNK - 1)]!;
        ids[fill[key]!++] = doc;
      }
      chunks.length = 0;
      const fieldLengths = Uint32Array.from(lengths);
      const withFrequencies = new Set([...extra.keys()].map((id) => Number(id.slice(0, id.indexOf(',')))));
      const list = (termId: number, field: number) => {
        const key = termId * fieldCount + field;
        return key < keys ? ids.subarray(offsets[key]!, offsets[key + 1]!) : ids.subarray(0, 0);
      };
      return {
        fieldCount,
        documentCount: docs,
        avgFieldLength: avg,
        fieldLength: (d, f) => fieldLengths[d * fieldCount + f]!,
        postings: list,
        frequency: (termId, field, d) => extra.get(`${termId * fieldCount + field},${d}`) ?? 1,
        hasFrequencies: (termId, field) => withFrequencies.has(termId * fieldCount + field),
        has(termId, field, d) {
          const key = termId * fieldCount + field;
          return key < keys && sortedHas(ids, offsets[key]!, offsets[key + 1]!, d);
        },
      };
    },
  };
}
