import { createRequire } from 'node:module';

/**
 * How informative a term is, from a general-language IDF table (the one
 * shipped with jieba), so that weights do not depend on the size of a
 * bureau's knowledge base. Loaded once, on first use.
 */
let table: Map<string, number> | undefined;

function load(): Map<string, number> {
  const require = createRequire(import.meta.url);
  const { idf } = require('@node-rs/jieba/dict.js') as { idf: Uint8Array };
  const map = new Map<string, number>();
  for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space > 0) map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

const UNKNOWN = 9;
const MAX = 12;

/** Weight in [0.5, 12]: pure numbers count little, unknown words count a lot. */
export function termWeight(term: string): number {
  if (/^\d+$/.test(term)) return term.length >= 5 ? 6 : 0.5;
  table ??= load();
  const idf = table.get(term);
  if (idf === undefined) return term.length === 1 ? 3 : UNKNOWN;
  const w = Math.min(MAX, Math.max(1, idf));
  return term.length === 1 ? Math.min(w, 4) : w;
}
