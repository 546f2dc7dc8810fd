import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { AppError } from '../core/errors.js';
import { decodeKnowledgeFile } from './file-encoding.js';
import { splitFrontMatter } from './markdown.js';
import { withoutPersonalDetails, type PersonalDetail } from './taught-privacy.js';

/**
 * Staff teach the bot: a parent's message that was missed or answered wrongly becomes one more
 * line of the right entry's `questions`. The edit is textual and minimal — one added line in the
 * front matter (or one changed line for a flow list `[a, b]`) — so the change reviews as a one-line
 * diff and every other byte of the file stays as the author wrote it.
 */
export const MAX_TAUGHT_CHARS = 200;

export const DETAIL_NAMES: Record<PersonalDetail, string> = { number: 'a phone or ID number', name: 'a name', address: 'an address' };

/** The parts of a taught message not written because they held personal details. */
export interface LeftOut {
  parts: number;
  kinds: PersonalDetail[];
}

/**
 * The wording as it goes into the file: one line, personal numbers masked, the clauses that carry a name, an
 * address or a number left out (taught-privacy.ts), trimmed. A message that is nothing but such clauses is refused.
 */
export function taughtQuestion(message: string): { question: string; leftOut: LeftOut | null } {
  if (!message.trim()) throw new AppError('cli_usage', 'The message to teach is empty.');
  const wording = withoutPersonalDetails(message);
  const kinds = wording.removed.map((k) => DETAIL_NAMES[k]).join(', ');
  if (!wording.text)
    throw new AppError('kb_teach', `The message holds nothing but personal details (${kinds}); nothing was written. Teach the question in words without them.`);
  if ([...wording.text].length > MAX_TAUGHT_CHARS) throw new AppError('cli_usage', `The message to teach is longer than ${MAX_TAUGHT_CHARS} characters; teach its question part.`);
  const leftOut = wording.clauses > 0 ? { parts: wording.clauses, kinds: wording.removed } : null;
  return { question: wording.text, leftOut };
}

/** A YAML scalar for the question: plain where that is safe, else double-quoted (JSON strings are valid YAML). */
function yamlScalar(value: string, inFlow: boolean): string {
  const risky = /^[-?:,[\]{}#&*!|>'"%@`\s]|[:#]\s|\s#|:$|[\u0000-\u001f]|^(true|false|null|yes|no|on|off|~)$|^[\d.+-]+$/i.test(value) || (inFlow && /[,[\]{}]/.test(value));
  return risky ? JSON.stringify(value) : value;
}

export interface TeachEdit {
  /** The new file text (equal to the old one when the question was already there). */
  text: string;
  added: boolean;
  question: string;
  /** The parts of the message not written because they held personal details (null: none). */
  leftOut?: LeftOut | null;
}

/**
 * Adds `question` to the `questions` of a knowledge file's front matter. Handles a block list
 * (`questions:` then `  - …` lines), a one-line flow list (`questions: [a, b]`, also `[]`) and a
 * missing key (added after `title:`). The result is parsed again and must list exactly the old
 * questions plus the new one; anything else is refused rather than written.
 */
export function addQuestion(fileText: string, question: string): TeachEdit {
  const eol = fileText.includes('\r\n') ? '\r\n' : '\n';
  const split = splitFrontMatter(fileText.replace(/^\uFEFF/, ''));
  if (split.yaml === null || split.unclosed) throw new AppError('kb_teach', 'The entry file has no front matter to add the question to.');
  const before = questionsOf(split.yaml);
  if (before.some((q) => q.replace(/\s+/g, ' ').trim() === question)) return { text: fileText, added: false, question };
  const lines = fileText.split(eol);
  const start = lines[0]?.replace(/^\uFEFF/, '').trim() === '---' ? 1 : -1;
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (start < 0 || end < 0) throw new AppError('kb_teach', 'The entry file has no front matter to add the question to.');
  const keyAt = lines.findIndex((l, i) => i >= start && i < end && /^questions\s*:/.test(l));
  if (keyAt < 0) {
    const titleAt = lines.findIndex((l, i) => i >= start && i < end && /^title\s*:/.test(l));
    // After the title's value, which may go on over indented lines (`title: >-` or a long plain title).
    let at = titleAt >= 0 ? titleAt + 1 : end;
    if (titleAt >= 0) {
      for (let i = titleAt + 1; i < end; i++) {
        if (/^\s+\S/.test(lines[i]!)) at = i + 1;
        else if (lines[i]!.trim() !== '') break;
      }
    }
    lines.splice(at, 0, 'questions:', `  - ${yamlScalar(question, false)}`);
  } else {
    const rest = lines[keyAt]!.replace(/^questions\s*:\s*/, '');
    const flow = /^\[(.*)\]\s*(#.*)?$/.exec(rest);
    if (flow) {
      const inner = flow[1]!.trim();
      const item = yamlScalar(question, true);
      lines[keyAt] = `questions: [${inner ? `${inner.replace(/,\s*$/, '')}, ${item}` : item}]${flow[2] ? ` ${flow[2]}` : ''}`;
    } else if (rest.trim() === '' || rest.trim().startsWith('#')) {
      let last = keyAt;
      let indent = '  ';
      // Items may sit at column 0 (`- a` right under `questions:`, valid YAML); a column-0 line that is not an item ends the list.
      for (let i = keyAt + 1; i < end; i++) {
        const line = lines[i]!;
        if (line.trim() === '') continue;
        const item = /^(\s*)-(\s|$)/.exec(line);
        if (!item && /^\S/.test(line)) break;
        last = i;
        if (item) indent = item[1]!;
      }
      lines.splice(last + 1, 0, `${indent}- ${yamlScalar(question, false)}`);
    } else {
      throw new AppError('kb_teach', 'The entry lists its questions in a form this command does not edit (a multi-line [...] list); add the question by hand.');
    }
  }
  const text = lines.join(eol);
  let after: string[];
  try {
    after = questionsOf(splitFrontMatter(text.replace(/^\uFEFF/, '')).yaml ?? '');
  } catch {
    // The entry itself parsed; only our edit of it did not.
    throw new AppError('kb_teach', 'The question could not be added to this entry\'s front matter automatically (its layout is one this command does not edit); add it to `questions` by hand.');
  }
  if (after.length !== before.length + 1 || after[after.length - 1] !== question || before.some((q, i) => after[i] !== q))
    throw new AppError('kb_teach', 'Adding the question would change the entry in an unexpected way; add it by hand.');
  return { text, added: true, question };
}

function questionsOf(yaml: string): string[] {
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) throw new AppError('kb_teach', `The entry's front matter is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const data = doc.toJS() as Record<string, unknown> | null;
  const list = data?.questions;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new AppError('kb_teach', 'The entry\'s `questions` is not a list.');
  return list.map((q) => String(q));
}

/**
 * Edits of one file queue behind each other in this process: two admins filing questions into the
 * same entry at once (Slack 归入 clicks, or a click and a reload) each read the file the other wrote.
 */
const editQueues = new Map<string, Promise<unknown>>();

async function underPathLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  const previous = editQueues.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  const tail = run.catch(() => undefined);
  editQueues.set(key, tail);
  try {
    return await run;
  } finally {
    if (editQueues.get(key) === tail) editQueues.delete(key);
  }
}

/**
 * The file's text when it is UTF-8. A file saved as GBK or UTF-16 is read by the loader but never rewritten here:
 * writing it back as UTF-8 would change its encoding under the admin's editor, writing it as it was needs its bytes.
 */
async function utf8Text(path: string): Promise<string> {
  const bytes = await readFile(path);
  const decoded = decodeKnowledgeFile(bytes);
  if (decoded.ok && decoded.encoding !== 'utf-8')
    throw new AppError('kb_teach', `${path} is saved as ${decoded.encoding.toUpperCase()}, not UTF-8: save it as UTF-8 in the editor, then teach the question again.`);
  return bytes.toString('utf8');
}

/** Another process (the CLI beside the bot) may write the file between our read and our rename; then the edit is redone. */
const MAX_EDIT_ATTEMPTS = 5;

/**
 * Writes the edit in place, serialised per file: a temporary file of its own (never shared with a
 * concurrent edit), the file's mode kept, and a rename only when the file still holds the text the
 * edit was made from — so a watcher never reads half a file and no other edit is overwritten.
 */
export async function teachFile(path: string, message: string): Promise<TeachEdit> {
  const { question, leftOut } = taughtQuestion(message);
  return underPathLock(path, async () => {
    for (let attempt = 0; attempt < MAX_EDIT_ATTEMPTS; attempt++) {
      const old = await utf8Text(path);
      const edit = { ...addQuestion(old, question), leftOut };
      if (!edit.added) return edit;
      const { mode } = await stat(path);
      const tmp = `${path}.teach-${randomUUID()}.tmp`;
      try {
        await writeFile(tmp, edit.text, { encoding: 'utf8', flag: 'wx' });
        await chmod(tmp, mode);
        if ((await readFile(path, 'utf8')) !== old) continue;
        await rename(tmp, path);
      } finally {
        await rm(tmp, { force: true });
      }
      return edit;
    }
    throw new AppError('kb_teach', 'The entry file kept changing while the question was being added (another edit is under way); try again.');
  });
}
