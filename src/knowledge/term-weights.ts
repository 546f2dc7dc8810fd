import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, readArrays, sourceStamp, writeArrays } from './binary-cache.js';
import { idfArrays, idfTable, type IdfArrays, type IdfTable } from './idf-table.js';
import { PLACE_NAMES } from './lexicon.js';

/**
 * How informative a term is, from a general-language IDF table (the one
 * shipped with jieba), so that weights do not depend on the size of a
 * bureau's knowledge base. Loaded once, on first use.
 */
let table: IdfTable | undefined;

const IDF_FORMAT = 1;
const idfPath = () => createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt');
const cachePath = () => join(cacheDir(), 'jieba-idf.bin');
const cacheMeta = () => ({ format: IDF_FORMAT, source: sourceStamp(idfPath()) });

/** jieba's idf.txt as arrays: the file itself, not `@node-rs/jieba/dict.js` (which keeps both of jieba's lists, 11 MB, for good). */
function parseIdfFile(): IdfArrays {
  return idfArrays(readFileSync(idfPath(), 'utf8'));
}

/** The table `npm run build` precompiled (binary-cache.ts), or idf.txt parsed when there is none for this idf.txt. */
function load(): IdfTable {
  const cached = readArrays(cachePath(), cacheMeta());
  if (cached) {
    const [units, starts, slots, values, palette] = cached.arrays as [Uint16Array, Uint32Array, Int32Array, Uint16Array | Float64Array, Float64Array];
    return idfTable({ units, starts, slots, values, palette: cached.meta.palette ? palette : null, size: cached.meta.size as number });
  }
  return idfTable(parseIdfFile());
}

/** Writes the precompiled IDF table unless the one there is for this idf.txt; returns its path. */
export function precompileIdfTable(): string {
  if (readArrays(cachePath(), cacheMeta())) return cachePath();
  const a = parseIdfFile();
  writeArrays(cachePath(), { ...cacheMeta(), size: a.size, palette: a.palette !== null }, [a.units, a.starts, a.slots, a.values, a.palette ?? new Float64Array(0)]);
  return cachePath();
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

/** Whether the general-language IDF table knows the term (a word parents' typos, dialect or pinyin bring is not). */
export function inGeneralTable(term: string): boolean {
  table ??= load();
  return table.get(term) !== undefined;
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
