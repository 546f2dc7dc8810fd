import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Typed arrays saved to one file and read back as views on the file's bytes, without parsing: the
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

/** The arrays saved at `path` when its meta matches `expect` on every key given; otherwise null. */
export function readArrays(path: string, expect: Record<string, unknown>): { meta: Record<string, unknown>; arrays: CachedArray[] } | null {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return null;
  }
  if (file.length < 8 || file.toString('latin1', 0, 4) !== MAGIC) return null;
  const headerLength = file.readUInt32LE(4);
  let header: { meta: Record<string, unknown>; arrays: { type: TypeName; length: number }[] };
  try {
    header = JSON.parse(file.toString('utf8', 8, 8 + headerLength)) as typeof header;
  } catch {
    return null;
  }
  for (const [key, value] of Object.entries(expect)) if (JSON.stringify(header.meta[key]) !== JSON.stringify(value)) return null;
  // Views need 8-byte alignment of the file's bytes in memory; copy once in the rare case they are not.
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(new Uint8Array(file));
  const arrays: CachedArray[] = [];
  let at = align(8 + headerLength);
  for (const { type, length } of header.arrays) {
    const Type = TYPES[type];
    if (!Type || at + length * Type.BYTES_PER_ELEMENT > bytes.length) return null;
    arrays.push(new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, length));
    at = align(at + length * Type.BYTES_PER_ELEMENT);
  }
  return { meta: header.meta, arrays };
}
