import { firstInvalidUtf8 } from './markdown.js';

/**
 * How a knowledge file's bytes become text. Staff save entries with whatever their tool writes: UTF-8 (with or
 * without a byte-order mark), UTF-16 from Windows Notepad's "Unicode" choice (always with a byte-order mark), or
 * GBK from older Chinese editors. Each is read when it can be read without guessing:
 * - a UTF-8 or UTF-16 byte-order mark says the encoding;
 * - bytes that are valid UTF-8 are UTF-8;
 * - otherwise bytes that decode as GB18030 (a superset of GBK and GB2312) with no invalid sequence are read as
 *   GB18030, with a warning that names the encoding and the title as read, so an admin sees at once when a file
 *   in yet another encoding (Big5, Shift-JIS) came out as the wrong characters.
 * Anything else is refused with the line of the first byte that fits no encoding. NUL bytes in UTF-8 mean UTF-16
 * without a byte-order mark (or not a text file at all): refused too.
 */
export type KnowledgeEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export type DecodedFile = { ok: true; text: string; encoding: KnowledgeEncoding } | { ok: false; line: number; message: string };

const lineAt = (buf: Uint8Array, offset: number): number => buf.subarray(0, offset).filter((b) => b === 0x0a).length + 1;

export function decodeKnowledgeFile(buf: Uint8Array): DecodedFile {
  if (buf[0] === 0xff && buf[1] === 0xfe) return utf16(buf, 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return utf16(buf, 'utf-16be');
  const bad = firstInvalidUtf8(buf);
  if (bad < 0) {
    const nul = buf.indexOf(0);
    if (nul >= 0)
      return {
        ok: false,
        line: lineAt(buf, nul),
        message: 'contains NUL bytes: it is UTF-16 without a byte-order mark, or not a text file; save it as UTF-8',
      };
    return { ok: true, text: new TextDecoder('utf-8').decode(buf).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  }
  try {
    return { ok: true, text: new TextDecoder('gb18030', { fatal: true }).decode(buf), encoding: 'gb18030' };
  } catch {
    const byte = buf[bad]!.toString(16).toUpperCase().padStart(2, '0');
    return { ok: false, line: lineAt(buf, bad), message: `not UTF-8 (invalid byte 0x${byte}), nor GBK: save the file as UTF-8` };
  }
}

function utf16(buf: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedFile {
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(buf).replace(/^\uFEFF/, ''), encoding };
  } catch {
    return { ok: false, line: 1, message: `starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()}: save the file as UTF-8` };
  }
}

/** The warning for a file read in another encoding than UTF-8 (null for UTF-8). */
export function encodingWarning(encoding: KnowledgeEncoding, title: string | undefined): string | null {
  if (encoding === 'utf-8') return null;
  const name = encoding === 'gb18030' ? 'GBK (GB18030)' : encoding.toUpperCase();
  const shown = title ? `; title read as "${title}": if that is not the title, the file is in another encoding` : '';
  return `saved as ${name}, not UTF-8: read as ${name}${shown}. Save it as UTF-8 (kb teach writes only UTF-8 files)`;
}
