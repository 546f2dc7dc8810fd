import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseIdfTable, type IdfTable } from './idf-table.js';
import { PLACE_NAMES } from './lexicon.js';

/**
 * How informative a term is, from a general-language IDF table (the one
 * shipped with jieba), so that weights do not depend on the size of a
 * bureau's knowledge base. Loaded once, on first use.
 */
let table: IdfTable | undefined;

function load(): IdfTable {
  // The file itself, not `@node-rs/jieba/dict.js`: that module keeps both of jieba's lists (11 MB) in memory for good.
  const require = createRequire(import.meta.url);
  return parseIdfTable(readFileSync(require.resolve('@node-rs/jieba/idf.txt'), 'utf8'));
}

const UNKNOWN = 9;
const PLACES = new Set(PLACE_NAMES);
const PLACE_SUFFIX = /^\p{Script=Han}{2,4}[省市区县]$/u;
/** A place name weighs this much: it says where the family lives, not what it asks. */
const PLACE = 1;
const MAX = 12;

/** Weights already computed (a term's weight never changes); cleared when it grows past CACHE_MAX. */
const cache = new Map<string, number>();
const CACHE_MAX = 100_000;

/** Weight in [0.5, 12]: pure numbers count little, unknown words count a lot. */
export function termWeight(term: string): number {
  let w = cache.get(term);
  if (w === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear();
    w = computeWeight(term);
    cache.set(term, w);
  }
  return w;
}

function computeWeight(term: string): number {
  if (/^\d+$/.test(term)) return term.length >= 5 ? 6 : 0.5;
  if (PLACES.has(term) || PLACE_SUFFIX.test(term)) return PLACE;
  table ??= load();
  const idf = table.get(term);
  if (idf === undefined) return term.length === 1 ? 3 : UNKNOWN;
  const w = Math.min(MAX, Math.max(1, idf));
  return term.length === 1 ? Math.min(w, 4) : w;
}
