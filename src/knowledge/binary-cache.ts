import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Typed arrays saved to one file and read back straight into typed arrays, without parsing: the
 * segmenter's dictionary and the IDF table are precompiled into this form by `npm run build`
 * (precompile.ts), so a start reads ~25 MB instead of parsing ~10 MB of text into hash tables.
 *
 * Layout: "CDBC", a uint32 length, a JSON header ({ meta, arrays: [{ type, length }] }), then each array,
 * every part aligned to 8 bytes. A file made for another source file (size and mtime in `meta.source`) or
 * another format is ignored: the caller parses the text as before.
 */
export type CachedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
const TYPES = { Uint8Array, Uint16Array, Uint32Array, Int32Array, Float64Array } as const;
type TypeName = keyof typeof TYPES;
const MAGIC = 'CDBC';
const align = (n: number) => (n + 7) & ~7;

/** Where precompiled tables live: node_modules/.cache/civicdesk (rebuilt by `npm run build`, gone with node_modules). */
export function cacheDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@node-rs/jieba/dict.txt')), '..', '..', '.cache', 'civicdesk');
}

/** Identifies the text a table was compiled from. */
export function sourceStamp(path: string): { size: number; mtimeMs: number } {
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

export function writeArrays(path: string, meta: Record<string, unknown>, arrays: readonly CachedArray[]): void {
  const header = Buffer.from(JSON.stringify({ meta, arrays: arrays.map((a) => ({ type: a.constructor.name as TypeName, length: a.length })) }));
  const start = align(8 + header.length);
  const size = arrays.reduce((at, a) => align(at + a.byteLength), start);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at = align(at + a.byteLength);
  }
  mkdirSync(dirname(path), { recursive: true });
  // Written aside and renamed: a start that reads the file meanwhile sees the old one or the new one.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, out);
  renameSync(temp, path);
}

/**
 * The arrays saved at `path` when its meta matches `expect` on every key given; otherwise null. Each array is
 * read into its own buffer (positioned reads, no copy of the whole file): a table that grows after a restore
 * (the segmenter's dictionary gains the lexicon's words) replaces only the arrays it outgrows, where views on
 * one file buffer kept the whole file alive next to the grown copies (~4.5 MB at every start). `spare[i]`
 * elements of room are left after array `i` for such additions.
 */
export function readArrays(path: string, expect: Record<string, unknown>, spare: readonly number[] = []): { meta: Record<string, unknown>; arrays: CachedArray[] } | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(8);
    if (size < 8 || readSync(fd, head, 0, 8, 0) !== 8 || head.toString('latin1', 0, 4) !== MAGIC) return null;
    const headerLength = head.readUInt32LE(4);
    if (8 + headerLength > size) return null;
    const headerBytes = Buffer.alloc(headerLength);
    if (readSync(fd, headerBytes, 0, headerLength, 8) !== headerLength) return null;
    let header: { meta: Record<string, unknown>; arrays: { type: TypeName; length: number }[] };
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as typeof header;
    } catch {
      return null;
    }
    for (const [key, value] of Object.entries(expect)) if (JSON.stringify(header.meta[key]) !== JSON.stringify(value)) return null;
    const arrays: CachedArray[] = [];
    let at = align(8 + headerLength);
    for (const [i, { type, length }] of header.arrays.entries()) {
      const Type = TYPES[type];
      const bytes = length * (Type?.BYTES_PER_ELEMENT ?? 0);
      if (!Type || at + bytes > size) return null;
      const array = new Type(length + Math.max(0, spare[i] ?? 0));
      const view = new Uint8Array(array.buffer, 0, bytes);
      for (let done = 0; done < bytes; ) {
        const n = readSync(fd, view, done, bytes - done, at + done);
        if (n <= 0) return null;
        done += n;
      }
      arrays.push(array);
      at = align(at + bytes);
    }
    return { meta: header.meta, arrays };
  } finally {
    closeSync(fd);
  }
}
