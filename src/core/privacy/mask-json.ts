import { maskPersonalData } from './mask.js';

/**
 * Every string of a JSON value with phones and ID numbers masked, except its refs and ids (generated values, not a
 * parent's text): a stored message payload (the outbox's Reply[], a transcript line) kept after it served its turn.
 */
export function maskJson(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return /(^ref$|id$)/i.test(key) ? value : maskPersonalData(value);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, k)]));
  return value;
}

/** maskJson of a JSON text; a text that is not JSON is masked as text. */
export function maskJsonText(text: string): string {
  try {
    return JSON.stringify(maskJson(JSON.parse(text)));
  } catch {
    return maskPersonalData(text);
  }
}
