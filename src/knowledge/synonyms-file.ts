import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { decodeKnowledgeFile, encodingWarning } from './file-encoding.js';
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
export async function loadSynonymsFile(path: string): Promise<{ synonyms: SynonymGroups; problems: Problem[]; warnings: Problem[] }> {
  const empty: SynonymGroups = { groups: [], typos: [] };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { synonyms: empty, problems: [], warnings: [] };
    return { synonyms: empty, problems: [{ path, line: 1, message: `cannot read the file: ${(error as Error).message}` }], warnings: [] };
  }
  // Saved as GBK or UTF-16 by a staff editor: read like an entry file (read as UTF-8 it became U+FFFD words that match nothing).
  const decoded = decodeKnowledgeFile(bytes);
  if (!decoded.ok) return { synonyms: empty, problems: [{ path, line: decoded.line, message: decoded.message }], warnings: [] };
  const text = decoded.text;
  const encoding = encodingWarning(decoded.encoding, undefined);
  const warnings = encoding ? [{ path, line: 1, message: encoding }] : [];
  const failed = (problems: Problem[]) => ({ synonyms: empty, problems, warnings });
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return failed(doc.errors.map((e) => ({ path, line: e.linePos?.[0]?.line ?? 1, message: `malformed YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` })));
  }
  const values = yamlValues(doc, text);
  if (!values.ok) return failed([{ path, line: values.line, message: values.message }]);
  const parsed = synonymsFileSchema.safeParse(values.value ?? {});
  if (!parsed.success) {
    return failed(parsed.error.issues.map((i) => ({ path, line: 1, message: `${i.path.join('.') || 'file'}: ${i.message}` })));
  }
  return { synonyms: { groups: parsed.data.synonyms, typos: Object.entries(parsed.data.typos) }, problems: [], warnings };
}
