import type { Section } from './schema.js';

/**
 * Small Markdown helpers for knowledge files: find the byte offset of the first
 * invalid UTF-8 sequence, split off the YAML front matter, and split the body
 * into `##` sections (headings inside code fences do not count).
 */

/** Index of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need = 0;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

export interface SplitFile {
  /** YAML text between the `---` lines, or null when the file has none. */
  yaml: string | null;
  /** Set when the opening `---` has no closing line. */
  unclosed: boolean;
  body: string;
  /** 1-based line number of the first body line. */
  bodyLine: number;
}

export function splitFrontMatter(text: string): SplitFile {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return { yaml: null, unclosed: false, body: text, bodyLine: 1 };
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) return { yaml: lines.slice(1).join('\n'), unclosed: true, body: '', bodyLine: lines.length + 1 };
  return { yaml: lines.slice(1, end).join('\n'), unclosed: false, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

/** Split a body on `##` headings; text before the first heading is the `null` section. */
export function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let heading: string | null = null;
  let buffer: string[] = [];
  let fenced = false;
  const flush = () => {
    const joined = buffer.join('\n').trim();
    // The same characters taken from `body`, which the entry keeps anyway: V8 stores them as a slice of it
    // instead of a second copy of the text (~6 MB for a 10,000-entry base).
    const at = joined ? body.indexOf(joined) : -1;
    const text = at >= 0 ? body.slice(at, at + joined.length) : joined;
    if (text || heading !== null) sections.push({ heading, text });
    buffer = [];
  };
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) {
      flush();
      heading = m[1]!.trim();
    } else if (!(heading === null && sections.length === 0 && buffer.every((l) => !l.trim()) && /^#\s/.test(line))) {
      buffer.push(line);
    }
  }
  flush();
  return sections;
}

/** 1-based line (within the YAML text) where `key:` is defined at the top level, or 0. */
export function keyLine(yaml: string, key: string): number {
  const lines = yaml.split(/\r?\n/);
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  return i + 1;
}
