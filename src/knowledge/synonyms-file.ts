import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { yamlValues } from './yaml-values.js';
import { synonymsFileSchema, type Problem, type SynonymGroups } from './schema.js';

/**
 * Read the optional `<knowledge dir>/_synonyms.yaml`: a bureau's own additions
 * to the shipped lexicon. A missing file is not a problem.
 *
 * @example
 *   synonyms:
 *     - [溪湖一小, 溪湖区第一小学]
 *   typos:
 *     溪胡区: 溪湖区
 */
export async function loadSynonymsFile(path: string): Promise<{ synonyms: SynonymGroups; problems: Problem[] }> {
  const empty: SynonymGroups = { groups: [], typos: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { synonyms: empty, problems: [] };
    return { synonyms: empty, problems: [{ path, line: 1, message: `cannot read the file: ${(error as Error).message}` }] };
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      synonyms: empty,
      problems: doc.errors.map((e) => ({ path, line: e.linePos?.[0]?.line ?? 1, message: `malformed YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` })),
    };
  }
  const values = yamlValues(doc, text);
  if (!values.ok) return { synonyms: empty, problems: [{ path, line: values.line, message: values.message }] };
  const parsed = synonymsFileSchema.safeParse(values.value ?? {});
  if (!parsed.success) {
    return {
      synonyms: empty,
      problems: parsed.error.issues.map((i) => ({ path, line: 1, message: `${i.path.join('.') || 'file'}: ${i.message}` })),
    };
  }
  return { synonyms: { groups: parsed.data.synonyms, typos: Object.entries(parsed.data.typos) }, problems: [] };
}
