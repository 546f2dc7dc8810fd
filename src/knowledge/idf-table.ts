/**
 * A read-only string → number table for jieba's IDF list (~270,000 words). As a `Map` it held ~33 MB of
 * heap; here the words are one string (with start offsets), the values 2-byte indexes into the list's
 * distinct values and the lookup an open-addressing hash of word indexes: ~5 MB. A word listed twice keeps its last value, as `Map.set` would.
 *
 * @example
 *   const table = parseIdfTable('入学 7.1\n户籍 8.2\n');
 *   table.get('户籍'); // 8.2
 */
export interface IdfTable {
  get(word: string): number | undefined;
  size: number;
}

function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The arrays an IDF table is made of (what precompile.ts saves). */
export interface IdfArrays {
  /** Word i is units[starts[i], starts[i + 1]). */
  units: Uint16Array;
  starts: Uint32Array;
  /** Open addressing: a word index or -1; the length is a power of two. */
  slots: Int32Array;
  /** Per word: an index into `palette`, or the value itself when there is no palette. */
  values: Uint16Array | Float64Array;
  palette: Float64Array | null;
  size: number;
}

/** Parses "word value" lines (the value after the last space; other lines are skipped). */
export function parseIdfTable(text: string): IdfTable {
  return idfTable(idfArrays(text));
}

export function idfArrays(text: string): IdfArrays {
  const words: string[] = [];
  const parsed: number[] = [];
  // Line by line with indexOf rather than split('\n'): no array of 270,000 line strings at start.
  for (let from = 0; from < text.length; ) {
    let end = text.indexOf('\n', from);
    if (end === -1) end = text.length;
    const space = text.lastIndexOf(' ', end - 1);
    if (space > from) {
      words.push(text.slice(from, space));
      parsed.push(Number(text.slice(space + 1, end)));
    }
    from = end + 1;
  }
  const starts = new Uint32Array(words.length + 1);
  words.forEach((w, i) => (starts[i + 1] = starts[i]! + w.length));
  const all = words.join('');
  const units = new Uint16Array(all.length);
  for (let i = 0; i < all.length; i++) units[i] = all.charCodeAt(i);
  let capacity = 1;
  while (capacity < words.length / 0.6) capacity *= 2; // load ≤ 0.6: short probes, 2 MB of slots for jieba's list
  const slots = new Int32Array(capacity).fill(-1);
  // jieba's list has only ~3,300 distinct values: each word keeps a 2-byte index into them (exact values, 0.5
  // instead of 2.2 MB); a list with more distinct values than that keeps them per word.
  const distinct = [...new Set(parsed)];
  const palette = distinct.length <= 0x10000 ? Float64Array.from(distinct) : null;
  const paletteIndex = new Map(distinct.map((v, i) => [v, i]));
  const values = palette ? new Uint16Array(words.length) : new Float64Array(words.length);
  const encode = (v: number): number => (palette ? paletteIndex.get(v)! : v);
  let size = 0;
  for (let i = 0; i < words.length; i++) {
    const slot = findSlot(units, starts, slots, all, starts[i]!, starts[i + 1]!);
    const existing = slots[slot]!;
    if (existing === -1) {
      slots[slot] = i;
      values[i] = encode(parsed[i]!);
      size += 1;
    } else values[existing] = encode(parsed[i]!); // listed again: the last value wins
  }
  return { units, starts, slots, values, palette, size };
}

/** The slot holding source[from, to), or the empty slot where it belongs. */
function findSlot(units: Uint16Array, starts: Uint32Array, slots: Int32Array, source: string, from: number, to: number): number {
  const mask = slots.length - 1;
  let slot = hash(source, from, to) & mask;
  for (;;) {
    const index = slots[slot]!;
    if (index === -1) return slot;
    const start = starts[index]!;
    if (starts[index + 1]! - start === to - from) {
      let same = true;
      for (let i = 0; i < to - from && same; i++) same = units[start + i] === source.charCodeAt(from + i);
      if (same) return slot;
    }
    slot = (slot + 1) & mask;
  }
}

/** The lookup over a table's arrays (parsed now or precompiled). */
export function idfTable({ units, starts, slots, values, palette, size }: IdfArrays): IdfTable {
  return {
    size,
    get(word) {
      const index = slots[findSlot(units, starts, slots, word, 0, word.length)]!;
      if (index === -1) return undefined;
      return palette ? palette[values[index]!] : values[index];
    },
  };
}
