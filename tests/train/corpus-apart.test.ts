import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intentText } from '../../src/core/intents/index.js';
import { projectPath } from '../../src/project-root.js';

/**
 * The training corpus stays apart from everything the engine is measured on: no message of an evaluation set (every
 * labelled set under bench/, and the outside-written set when it is checked out next to the repository) is a row of
 * train/corpus.jsonl. One-word messages ("你好", "校车") occur in both by nature, so the check starts at 10 characters.
 */
const MIN_CHARS = 10;

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonlFiles(path) : name.endsWith('.jsonl') ? [path] : [];
  });
}

function messages(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => intentText((JSON.parse(l) as { q: string }).q))
    .filter((q) => [...q].length >= MIN_CHARS);
}

describe('train/corpus.jsonl', () => {
  const corpus = new Set(
    readFileSync(projectPath('train/corpus.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => intentText((JSON.parse(l) as { text: string }).text)),
  );
  const sets = jsonlFiles(projectPath('bench'));
  const outside = [projectPath('../shared/eval/outside-xihu/questions.jsonl'), projectPath('../../shared/eval/outside-xihu/questions.jsonl')].find((f) => existsSync(f));
  if (outside) sets.push(outside);

  it('holds no message of any evaluation set', () => {
    expect(sets.length).toBeGreaterThanOrEqual(15);
    const shared = sets.flatMap((file) => messages(file).filter((q) => corpus.has(q)).map((q) => `${file}: ${q}`));
    expect(shared).toEqual([]);
  });

});
