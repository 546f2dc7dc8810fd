import { CATEGORIES, type Category, type KnowledgeEntry, type Section } from './schema.js';

/**
 * A knowledge entry that keeps its texts in one string. As plain objects, the 10,000 entries of the load
 * run held ~23 MB of the bot's heap, mostly not text: a `{ heading, text }` object, a sliced string and a
 * heading string per section, an array and a string per question and tag (issue 17, docs/BENCHMARKS.md).
 * Here the body, and after it every heading, question, tag and section text it does not already contain,
 * form one string; where each part lies is a header of UTF-16 units at its start. `body`, `sections`,
 * `questions` and `tags` are rebuilt from it when read (slices of the one string, so a read copies no
 * text), equal to what the loader parsed: the index build reads each once, scoring reads `sections` for a
 * message's few best candidates, the answer one entry's.
 *
 * Header, one number a unit (two units each, high first, when the string is 65,536 units or longer):
 * wide flag (1 unit), section count, question count, tag count, body end, then per section its heading
 * (start, end; start > end for none) and text (start, end), then each question's and each tag's (start,
 * end). Offsets count from the end of the header.
 */
export class PackedEntry implements KnowledgeEntry {
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  readonly updated: string | null;
  readonly reviewBy: string | null;
  readonly source: string | null;
  readonly lang: 'zh' | 'en';
  readonly path: string;
  private readonly packed: string;

  constructor(entry: KnowledgeEntry) {
    this.id = flat(entry.id);
    this.title = flat(entry.title);
    // The schema's own string: the parsed value can be a slice of the file's front matter, keeping all of it.
    this.category = CATEGORIES.find((c) => c === entry.category) ?? entry.category;
    this.updated = entry.updated === null ? null : flat(entry.updated);
    this.reviewBy = entry.reviewBy === null ? null : flat(entry.reviewBy);
    this.source = entry.source === null ? null : flat(entry.source);
    this.lang = entry.lang;
    this.path = flat(entry.path);
    this.packed = pack(entry);
  }

  get body(): string {
    const base = this.base();
    return this.packed.slice(base, base + this.num(4));
  }

  get sections(): Section[] {
    const base = this.base();
    const out: Section[] = [];
    for (let i = 0, at = 5; i < this.num(1); i++, at += 4) {
      const hs = this.num(at);
      const he = this.num(at + 1);
      out.push({ heading: hs > he ? null : this.part(at, base), text: this.part(at + 2, base) });
    }
    return out;
  }

  /** `sections.length`, without building the sections. */
  sectionCount(): number {
    return this.num(1);
  }

  /** `sections[index]?.heading`, without building the sections (scoring reads a few of a candidate's). */
  sectionHeading(index: number): string | null | undefined {
    if (!(index >= 0 && index < this.num(1))) return undefined;
    const at = 5 + 4 * index;
    return this.num(at) > this.num(at + 1) ? null : this.part(at);
  }

  /** `sections[index]?.text`, without building the sections. */
  sectionText(index: number): string | undefined {
    if (!(index >= 0 && index < this.num(1))) return undefined;
    return this.part(5 + 4 * index + 2);
  }

  get questions(): string[] {
    return this.list(5 + 4 * this.num(1), this.num(2));
  }

  get tags(): string[] {
    return this.list(5 + 4 * this.num(1) + 2 * this.num(2), this.num(3));
  }

  /** Plain data, so `JSON.stringify` and logging show the entry as the loader parsed it. */
  toJSON(): KnowledgeEntry {
    const { id, title, category, questions, tags, updated, reviewBy, source, lang, path, body, sections } = this;
    return { id, title, category, questions, tags, updated, reviewBy, source, lang, path, body, sections };
  }

  /**
   * Header number k (1: sections, 2: questions, 3: tags, 4: body end, 5…: spans). Read without a closure or
   * object a call: scoring reads a few of a candidate's every message.
   */
  private num(k: number): number {
    const s = this.packed;
    return s.charCodeAt(0) === 1 ? s.charCodeAt(2 * k - 1) * 0x10000 + s.charCodeAt(2 * k) : s.charCodeAt(k);
  }

  /** Where the texts start: the header's length follows from the counts. */
  private base(): number {
    const count = 5 + 4 * this.num(1) + 2 * (this.num(2) + this.num(3));
    return 1 + (this.packed.charCodeAt(0) === 1 ? 2 : 1) * (count - 1);
  }

  private part(at: number, base = this.base()): string {
    return this.packed.slice(base + this.num(at), base + this.num(at + 1));
  }

  private list(from: number, n: number): string[] {
    const base = this.base();
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = this.part(from + 2 * i, base);
    return out;
  }
}

/** The entry's texts and their header as one flat string. */
function pack(entry: KnowledgeEntry): string {
  const { body } = entry;
  let extra = '';
  const appended = new Map<string, number>();
  /** Where `text` lies: in the body when it is there (section texts and headings are), else appended once. */
  const span = (text: string, inBody: boolean): [number, number] => {
    const at = inBody && text.length > 0 ? body.indexOf(text) : -1;
    if (at >= 0) return [at, at + text.length];
    let start = appended.get(text);
    if (start === undefined) {
      start = body.length + extra.length;
      appended.set(text, start);
      extra += text;
    }
    return [start, start + text.length];
  };
  const numbers: number[] = [entry.sections.length, entry.questions.length, entry.tags.length, body.length];
  for (const s of entry.sections) numbers.push(...(s.heading === null ? [1, 0] : span(s.heading, true)), ...span(s.text, true));
  for (const q of entry.questions) numbers.push(...span(q, false));
  for (const t of entry.tags) numbers.push(...span(t, false));
  const wide = body.length + extra.length > 0xffff || numbers.some((n) => n > 0xffff);
  let header = String.fromCharCode(wide ? 1 : 0);
  for (const n of numbers) header += wide ? String.fromCharCode(Math.floor(n / 0x10000), n % 0x10000) : String.fromCharCode(n);
  return flat(header + body + extra);
}

/**
 * The string as one flat copy: a concatenation or a slice would otherwise keep its parts or its source alive
 * (a slice of a file's text keeps the whole file).
 */
function flat(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/** How many sections the entry has (a packed entry builds none of them to say). */
export function sectionCount(entry: KnowledgeEntry): number {
  return entry instanceof PackedEntry ? entry.sectionCount() : entry.sections.length;
}

/** `entry.sections[index]?.heading` (a packed entry builds no section to say). */
export function sectionHeading(entry: KnowledgeEntry, index: number): string | null | undefined {
  return entry instanceof PackedEntry ? entry.sectionHeading(index) : entry.sections[index]?.heading;
}

/** `entry.sections[index]?.text` (a packed entry builds no section to say). */
export function sectionText(entry: KnowledgeEntry, index: number): string | undefined {
  return entry instanceof PackedEntry ? entry.sectionText(index) : entry.sections[index]?.text;
}

/** The entry packed (an entry already packed is returned as it is). */
export function packEntry(entry: KnowledgeEntry): KnowledgeEntry {
  return entry instanceof PackedEntry ? entry : new PackedEntry(entry);
}

/**
 * The entry as a plain object: `{ ...entry }` of a PackedEntry copies only its own fields, not the texts its
 * getters rebuild, so spread this instead (`{ ...entryData(entry), id: 'copy' }`).
 */
export function entryData(entry: KnowledgeEntry): KnowledgeEntry {
  return entry instanceof PackedEntry ? entry.toJSON() : { ...entry };
}
