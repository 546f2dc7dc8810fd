/**
 * The intent model's features looked up by the message's code points instead of by strings. `featureSet` builds a
 * string for every character n-gram of a message (a few hundred), hashes each into a Set and again into the weight
 * Map; here no n-gram string is made. The result is exactly what scoring `featureSet` finds, in the same order:
 *
 * - The message is the same array of characters (`['^', ...text.replace(/\s+/g, ' '), '$']`: code points, a lone
 *   surrogate being one), and two n-grams are the same string exactly when they hold the same code points: a
 *   string splits into code points one way only, and two lone surrogates that would join into a pair are never
 *   neighbours in a message.
 * - `featureSet` keeps the first of equal n-grams (a Set) and counts them all for the scale; so does `collect`, by
 *   a table of the n-grams seen so far (their start and length in the message) compared code point by code point.
 * - An n-gram is a model feature when its code points are: each of the model's characters has a number 1…A-1, and
 *   an n-gram of them one number (base A), the key of a table built from the feature list. A character the model
 *   never saw makes any n-gram holding it unknown to the model.
 * - The shape features (`#len3`…) go through the same table of seen strings, then the key (or, longer than any
 *   n-gram, a Map of the model's long features by string).
 */
export class NgramLookup {
  /** Code point → its number among the model's characters (1…); absent: no feature holds it. */
  private readonly alphabet = new Map<number, number>();
  private readonly base: number;
  private readonly keys: Float64Array;
  private readonly keyRows: Int32Array;
  private readonly mask: number;
  /** Features whose length is outside the n-gram lengths (the shape features), by string. */
  private readonly longer = new Map<string, number>();
  // The message being scored and what was found in it, reused from message to message.
  private points: Int32Array = new Int32Array(256);
  private letters: Int32Array = new Int32Array(256);
  private seenStart = new Int32Array(1024);
  private seenLength = new Int32Array(1024);
  private seenStamp = new Int32Array(1024);
  private stamp = 0;
  /** The message read: its code points with '^' and '$'. */
  private length = 0;
  /** After `collect`: the rows (feature numbers) found, in order (the first `found` of them). */
  rows: Int32Array = new Int32Array(64);
  /** After `collect`: how many distinct features the message has (`featureSet(…).size`, the scale's count). */
  distinct = 0;

  /** Null when the model's keys would not fit a double exactly (more characters than a 3-gram model has): use strings. */
  static build(features: readonly string[], min: number, max: number): NgramLookup | null {
    const alphabet = new Set<number>();
    for (const f of features) {
      const points = codePoints(f);
      if (points.length >= min && points.length <= max) for (const p of points) alphabet.add(p);
    }
    return (alphabet.size + 1) ** max < Number.MAX_SAFE_INTEGER ? new NgramLookup(features, min, max, alphabet) : null;
  }

  private constructor(features: readonly string[], private readonly min: number, private readonly max: number, alphabet: Set<number>) {
    for (const p of alphabet) this.alphabet.set(p, this.alphabet.size + 1);
    this.base = this.alphabet.size + 1;
    let size = 2;
    while (size < features.length * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.keyRows = new Int32Array(size);
    this.mask = size - 1;
    features.forEach((f, row) => {
      const points = codePoints(f);
      const key = points.length >= min && points.length <= max ? this.keyOfPoints(points) : 0;
      if (key === 0) this.longer.set(f, row);
      else this.insert(key, row);
    });
  }

  /** Reads a message (`featureSet`'s text); returns its characters' count with '^' and '$' (what the shape features take). */
  read(text: string): number {
    const spaced = text.replace(/\s+/g, ' ');
    this.room(spaced.length + 2);
    this.put(0, 0x5e); // '^'
    this.length = this.write(spaced, 1);
    this.put(this.length++, 0x24); // '$'
    return this.length;
  }

  /**
   * The model's features in `featureSet` of the message read, `shape` being its shape features: their rows go to
   * `rows` in the set's order; returns how many. `distinct` is then the set's size.
   */
  collect(shape: readonly string[]): number {
    const { length } = this;
    let room = length;
    for (const feature of shape) room += feature.length;
    this.room(room);
    this.startMessage(length * (this.max - this.min + 1) + shape.length);
    let found = 0;
    const add = (row: number) => {
      if (found === this.rows.length) this.rows = grown(this.rows, found * 2);
      this.rows[found++] = row;
    };
    for (let n = this.min; n <= this.max; n++) {
      for (let i = 0; i + n <= length; i++) {
        if (!this.firstSeen(i, n)) continue;
        this.distinct++;
        const key = this.keyOf(i, n);
        const row = key === 0 ? -1 : this.find(key);
        if (row >= 0) add(row);
      }
    }
    // Then the shape features, as `featureSet` adds them, each written after the message's code points.
    let at = length;
    for (const feature of shape) {
      const end = this.write(feature, at);
      const n = end - at;
      if (this.firstSeen(at, n)) {
        this.distinct++;
        const key = n >= this.min && n <= this.max ? this.keyOf(at, n) : 0;
        const row = key === 0 ? (this.longer.get(feature) ?? -1) : this.find(key);
        if (row >= 0) add(row);
      }
      at = end;
    }
    return found;
  }

  /** A fresh table of seen runs, with room for `entries` of them. */
  private startMessage(entries: number): void {
    this.distinct = 0;
    if (this.seenStart.length < 2 * entries || this.stamp === 0x7fffffff) {
      let size = this.seenStart.length;
      while (size < 2 * entries) size *= 2;
      this.seenStart = new Int32Array(size);
      this.seenLength = new Int32Array(size);
      this.seenStamp = new Int32Array(size);
      this.stamp = 0;
    }
    this.stamp++;
  }

  /** Room for `size` code points, keeping those written. */
  private room(size: number): void {
    if (size <= this.points.length) return;
    this.points = grown(this.points, size * 2);
    this.letters = grown(this.letters, size * 2);
  }

  /** Writes the code points of `text` from `at`; returns where the next goes. */
  private write(text: string, at: number): number {
    for (let i = 0; i < text.length; ) {
      const p = text.codePointAt(i)!;
      this.put(at++, p);
      i += p > 0xffff ? 2 : 1;
    }
    return at;
  }

  private put(at: number, point: number): void {
    this.points[at] = point;
    this.letters[at] = this.alphabet.get(point) ?? 0;
  }

  /** The n-gram at `start` (code points) as one number, or 0 when a character is not the model's. */
  private keyOf(start: number, n: number): number {
    let key = 0;
    let unit = 1;
    for (let j = 0; j < n; j++) {
      const letter = this.letters[start + j]!;
      if (letter === 0) return 0;
      key += letter * unit;
      unit *= this.base;
    }
    return key;
  }

  private keyOfPoints(points: readonly number[]): number {
    let key = 0;
    let unit = 1;
    for (const p of points) {
      key += this.alphabet.get(p)! * unit;
      unit *= this.base;
    }
    return key;
  }

  /** A feature listed twice keeps its last row, as a Map built from the list does. */
  private insert(key: number, row: number): void {
    let slot = hashKey(key) & this.mask;
    while (this.keys[slot] !== 0 && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.keyRows[slot] = row;
  }

  private find(key: number): number {
    for (let slot = hashKey(key) & this.mask; this.keys[slot] !== 0; slot = (slot + 1) & this.mask) {
      if (this.keys[slot] === key) return this.keyRows[slot]!;
    }
    return -1;
  }

  /** Records the code points at `start`..`start+n` as seen in this message; false when an equal run was seen before. */
  private firstSeen(start: number, n: number): boolean {
    const mask = this.seenStart.length - 1;
    let h = Math.imul(n, 0x9e3779b1);
    for (let j = 0; j < n; j++) h = Math.imul(h ^ this.points[start + j]!, 0x01000193);
    h ^= h >>> 15;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.seenStamp[slot] !== this.stamp) {
        this.seenStamp[slot] = this.stamp;
        this.seenStart[slot] = start;
        this.seenLength[slot] = n;
        return true;
      }
      if (this.seenLength[slot] === n && this.samePoints(this.seenStart[slot]!, start, n)) return false;
    }
  }

  private samePoints(a: number, b: number, n: number): boolean {
    for (let j = 0; j < n; j++) if (this.points[a + j] !== this.points[b + j]) return false;
    return true;
  }

}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; ) {
    const p = text.codePointAt(i)!;
    out.push(p);
    i += p > 0xffff ? 2 : 1;
  }
  return out;
}

function grown(array: Int32Array, size: number): Int32Array {
  const out = new Int32Array(size);
  out.set(array);
  return out;
}

/** A slot for a key below 2^53 (no allocation: the two halves as 32-bit integers). */
function hashKey(key: number): number {
  const low = key % 4294967296;
  const high = (key - low) / 4294967296;
  const h = Math.imul(low | 0, 0x9e3779b1) ^ Math.imul(high | 0, 0x85ebca77);
  return h ^ (h >>> 16);
}
