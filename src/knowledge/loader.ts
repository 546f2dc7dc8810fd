import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { decodeKnowledgeFile, encodingWarning } from './file-encoding.js';
import { keyLine, splitFrontMatter, splitSections } from './markdown.js';
import { packEntry } from './packed-entry.js';
import { yamlValues } from './yaml-values.js';
import { missingServiceGuideFields } from './service-guide-fields.js';
import { KNOWN_KEYS, frontMatterSchema, type KnowledgeEntry, type Problem, type SynonymGroups } from './schema.js';
import { loadSynonymsFile } from './synonyms-file.js';

export interface LoadResult {
  entries: KnowledgeEntry[];
  synonyms: SynonymGroups;
  problems: Problem[];
  warnings: Problem[];
  /** Paths of entry files that were not loaded because of a problem. */
  skipped: string[];
  /** `_synonyms.yaml` exists but could not be used (malformed YAML, schema error): `synonyms` is then empty. */
  synonymsBroken?: boolean;
  /** The folder itself could not be read (removed, renamed, permission denied): nothing in it was looked at. */
  folderUnreadable?: boolean;
}

/**
 * Load every entry under `dir`. Never throws for a bad file: each problem is
 * reported as `{ path, line, message }` and the file is skipped. Files and
 * folders whose names start with `_` (and README.md) are not entries.
 * `today` (YYYY-MM-DD) decides which entries are past `review_by`. `owners`
 * (entry id → path of the file serving it now) keeps an id with its file: a
 * duplicate never takes it over, not even while the owner file is broken.
 *
 * @example
 *   const { entries, problems } = await loadKnowledge('knowledge');
 *   problems.forEach((p) => console.error(formatProblem(p)));
 */
export async function loadKnowledge(dir: string, options: { today?: string; owners?: ReadonlyMap<string, string> } = {}): Promise<LoadResult> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const result: LoadResult = { entries: [], synonyms: { groups: [], typos: [] }, problems: [], warnings: [], skipped: [] };
  let files: string[];
  try {
    const listing = await listMarkdown(dir);
    files = listing.files;
    result.problems.push(...listing.problems);
    result.warnings.push(...listing.warnings);
  } catch (error) {
    result.problems.push({ path: dir, line: 0, message: `cannot read the knowledge folder: ${(error as Error).message}` });
    result.folderUnreadable = true;
    return result;
  }
  const loaded: KnowledgeEntry[] = [];
  const failed = new Set<string>();
  for (const path of files) {
    const before = result.problems.length;
    const entry = await loadFile(path, result, today).catch((error: unknown) => {
      // The folder listing and the read are not atomic, and the service user may lack rights on a file an admin copied.
      result.problems.push({ path, line: 1, message: unreadableFile(error) });
      return null;
    });
    if (entry) loaded.push(entry);
    if (result.problems.length > before) failed.add(path);
  }
  // An id belongs to the file that held it (`owners`, from the live index) for as long as that file
  // exists, broken or not; otherwise to the first file in path order. Any other file using it is a duplicate.
  const present = new Set(files);
  const ownerOf = new Map<string, string>();
  for (const entry of loaded) {
    const owner = options.owners?.get(entry.id);
    if (owner !== undefined && present.has(owner)) ownerOf.set(entry.id, owner);
    else if (!ownerOf.has(entry.id)) ownerOf.set(entry.id, entry.path);
  }
  for (const entry of loaded) {
    const owner = ownerOf.get(entry.id)!;
    if (owner === entry.path) {
      result.entries.push(entry);
      continue;
    }
    const state = failed.has(owner) ? ', which is broken: its previous version stays live' : '';
    result.problems.push({ path: entry.path, line: 1 + keyLine(await frontYaml(entry.path), 'id'), message: `duplicate id "${entry.id}" (also in ${owner}${state})` });
    failed.add(entry.path);
  }
  result.skipped.push(...files.filter((f) => failed.has(f)));
  const syn = await loadSynonymsFile(join(dir, '_synonyms.yaml'));
  result.synonyms = syn.synonyms;
  result.problems.push(...syn.problems);
  result.warnings.push(...syn.warnings);
  if (syn.problems.length > 0) result.synonymsBroken = true;
  return result;
}

/** An entry file larger than this is refused: no answer needs it, and reading it would take the bot's memory. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/** Editors' backup and lock files beside an entry: not worth a warning. */
const EDITOR_LEFTOVER = /(^~\$|~$|\.(bak|swp|swo|tmp|orig)$)/i;

interface Listing {
  files: string[];
  /** Symbolic links to folders (or dangling): not followed, so a link back up the tree cannot loop. */
  problems: Problem[];
  warnings: Problem[];
}

/**
 * The entry files under `dir`, in path order. A symbolic link to a file is read like the file (a loop of file
 * links fails its read with ELOOP, reported for that file); a link to a folder is not followed and is reported.
 */
async function listMarkdown(dir: string): Promise<Listing> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true });
  const listing: Listing = { files: [], problems: [], warnings: [] };
  for (const d of all) {
    const path = join(d.parentPath, d.name);
    if (relative(dir, path).split(sep).some((part) => part.startsWith('_') || part.startsWith('.'))) continue;
    const isEntryName = d.name.toLowerCase().endsWith('.md') && d.name.toLowerCase() !== 'readme.md';
    if (d.isSymbolicLink()) {
      const target = await stat(path).catch((error: unknown) => error as NodeJS.ErrnoException);
      if (target instanceof Error) {
        if (target.code === 'ELOOP') listing.problems.push({ path, line: 0, message: 'symbolic link that loops back to itself: it is not followed; remove it' });
        else if (isEntryName) listing.problems.push({ path, line: 0, message: 'symbolic link to a file that does not exist: remove the link or restore the file' });
      } else if (target.isDirectory()) {
        listing.problems.push({ path, line: 0, message: 'symbolic link to a folder: folders behind links are not read (a link can loop back up the tree); move or copy the folder here instead' });
      } else if (isEntryName) listing.files.push(path);
      continue;
    }
    if (!d.isFile()) continue;
    if (isEntryName) listing.files.push(path);
    else if (d.name.toLowerCase() !== 'readme.md' && !EDITOR_LEFTOVER.test(d.name))
      listing.warnings.push({ path, line: 0, message: 'not a .md file: not read; if it is an entry, save it as Markdown with a .md name' });
  }
  listing.files.sort();
  return listing;
}

/**
 * A copy of a front-matter value. The YAML parser returns substrings of the file's front-matter text and V8
 * keeps a substring as a slice of its source, so one kept title would keep the whole front matter alive
 * (~4 MB for a 10,000-entry base).
 */
const detach = (value: string): string => (value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string));

function unreadableFile(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the file was removed while the folder was being read: it is not loaded';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file (permission denied): give the service user read access to it';
  return `cannot read the file: ${(error as Error).message}`;
}

/** The front matter of a file read again (only to point at a duplicate's id line): '' when it is gone or unreadable now. */
async function frontYaml(path: string): Promise<string> {
  const decoded = decodeKnowledgeFile(await readFile(path).catch(() => Buffer.alloc(0)));
  return decoded.ok ? (splitFrontMatter(decoded.text).yaml ?? '') : '';
}

async function loadFile(path: string, out: LoadResult, today: string): Promise<KnowledgeEntry | null> {
  const problem = (line: number, message: string) => out.problems.push({ path, line, message });
  const { size } = await stat(path);
  if (size > MAX_ENTRY_BYTES)
    return (problem(1, `the file is ${(size / 1024 / 1024).toFixed(1)} MB; an entry may be at most ${MAX_ENTRY_BYTES / 1024 / 1024} MB: split it into several entries`), null);
  const decoded = decodeKnowledgeFile(await readFile(path));
  if (!decoded.ok) return (problem(decoded.line, decoded.message), null);
  if (!decoded.text.trim()) return (problem(1, 'the file is empty: write the entry (front matter, then the answer) or remove the file'), null);
  const split = splitFrontMatter(decoded.text);
  if (split.yaml === null) return (problem(1, 'front matter is missing: the file must start with a line "---"'), null);
  if (split.unclosed) return (problem(1, 'front matter is not closed: add a line "---" after it (or the file is still being saved)'), null);
  const fullWidth = fullWidthKeys(split.yaml);
  if (fullWidth.length > 0) {
    for (const { line, key } of fullWidth) problem(1 + line, `"${key}：" has a full-width colon: write "${key}: " with the ASCII colon ":" and a space`);
    return null;
  }
  const doc = parseDocument(split.yaml, { prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problem(1 + (e.linePos?.[0]?.line ?? 0), yamlProblem(e.message));
    return null;
  }
  const values = yamlValues(doc, split.yaml);
  if (!values.ok) return (problem(1 + values.line, values.message), null);
  const data = values.value;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return (problem(2, 'front matter must be a set of "key: value" lines'), null);
  }
  const record = data as Record<string, unknown>;
  const lineOf = (key: string) => (keyLine(split.yaml!, key) ? 1 + keyLine(split.yaml!, key) : 1);
  const encoding = encodingWarning(decoded.encoding, typeof record.title === 'string' ? record.title : undefined);
  if (encoding) out.warnings.push({ path, line: 1, message: encoding });
  // "questions: 孩子几岁上学" (one line, not a list) means that one question; said back so the admin can add more.
  for (const key of ['questions', 'tags'] as const) {
    const value = record[key];
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    record[key] = [value];
    out.warnings.push({ path, line: lineOf(key), message: `${key} is one value, not a list: read as one item; write it as lines "  - …" under "${key}:" to add more` });
  }
  for (const key of Object.keys(record)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      out.warnings.push({ path, line: lineOf(key), message: `unknown front-matter key "${key}" (ignored)` });
    }
  }
  const parsed = frontMatterSchema.safeParse(record);
  let ok = parsed.success;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const value = record[key];
      if (typeof issue.path[1] === 'number') {
        problem(lineOf(key), `${key} item ${issue.path[1] + 1} is a list or a "key: value" pair: write each one as plain text on its own "  - " line (put one with ": " in quotes)`);
        continue;
      }
      const shown = value === undefined || typeof value === 'object' ? '' : ` "${String(value)}"`;
      problem(lineOf(key), value === undefined ? `${key} is required` : `${key}${shown} ${issue.message}`);
    }
  }
  const sections = splitSections(split.body);
  if (!split.body.trim()) {
    problem(split.bodyLine, 'body is empty: write the answer below the front matter');
    ok = false;
  } else if (sections.every((s) => !s.text)) {
    problem(split.bodyLine, 'body has headings but no text under them: write the answer under the headings');
    ok = false;
  }
  if (!ok || !parsed.success) return null;
  const fm = parsed.data;
  if (fm.review_by && fm.review_by < today) {
    out.warnings.push({ path, line: lineOf('review_by'), message: `review_by ${fm.review_by} has passed: review this entry and set a new date` });
  }
  if (fm.category === 'service-guide' && fm.lang === 'zh') {
    for (const field of missingServiceGuideFields(sections))
      out.warnings.push({ path, line: split.bodyLine, message: `service guide (办事指南) lacks ${field}: add a "## ${field}" section or a "${field}：…" line (standard fields: knowledge/_README.md)` });
  }
  // Packed (packed-entry.ts): the entry's texts in one string, ~half the memory of plain objects.
  return packEntry({
    id: detach(fm.id),
    title: detach(fm.title),
    category: fm.category,
    questions: fm.questions.map(detach),
    tags: fm.tags.map(detach),
    updated: fm.updated ?? null,
    reviewBy: fm.review_by ?? null,
    source: fm.source ?? null,
    lang: fm.lang,
    path,
    body: split.body.trim(),
    sections,
  });
}

/** Top-level lines whose key ends with a full-width colon ("id：faq-1"), as Chinese input methods type it. */
function fullWidthKeys(yaml: string): { line: number; key: string }[] {
  const found: { line: number; key: string }[] = [];
  yaml.split(/\r?\n/).forEach((text, i) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*：/.exec(text);
    if (m) found.push({ line: i + 1, key: m[1]! });
  });
  return found;
}

function yamlProblem(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (/tab/i.test(first)) return 'a tab indents this line: YAML front matter is indented with spaces only; replace the tab with two spaces';
  return `malformed YAML: ${first}`;
}
