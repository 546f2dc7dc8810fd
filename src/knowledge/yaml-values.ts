import type { Document } from 'yaml';

/**
 * At most this many alias uses (`*name`) in one front matter or `_synonyms.yaml`. A hand-written knowledge file
 * needs none; nested aliases ("billion laughs") would otherwise expand a few lines into millions of values.
 */
export const MAX_YAML_ALIASES = 50;

/**
 * The plain values of a parsed YAML document, or a problem (line within `text`, 1-based, and a message an admin
 * can act on) when building them fails: too many aliases, or an alias to an anchor that is not defined.
 */
export function yamlValues(doc: Document, text: string): { ok: true; value: unknown } | { ok: false; line: number; message: string } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (error) {
    const aliasLine = text.split('\n').findIndex((l) => /(^|[\s,[{:-])\*[^\s,\]}]/.test(l));
    const line = aliasLine >= 0 ? aliasLine + 1 : 1;
    const detail = (error as Error).message;
    if (/alias/i.test(detail)) {
      return { ok: false, line, message: `too many YAML aliases (*name, at most ${MAX_YAML_ALIASES} uses): write the values out instead of using anchors and aliases` };
    }
    return { ok: false, line, message: `cannot read the YAML values (${detail.split('\n')[0]}): write plain "key: value" lines` };
  }
}
