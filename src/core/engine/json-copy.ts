/**
 * `JSON.parse(JSON.stringify(value))` without the text in between: the same plain copy (objects and arrays new,
 * undefined and function properties dropped, undefined array items and non-finite numbers as null, `toJSON` applied,
 * keys in the same order), but strings are shared — they are immutable, so a copy of a conversation state with its
 * ten recent lines allocates a few arrays and objects instead of the serialised text and ten new strings.
 * Anything else a round trip would treat specially (a class instance, a Map, a BigInt, a `__proto__` key) is handed
 * to JSON itself, so the result never differs from the round trip.
 */
export function jsonCopy<T>(value: T): T {
  const copied = copy(value, true);
  return (copied === SKIP ? undefined : copied) as T;
}

const SKIP = Symbol('skip');

function copy(value: unknown, topLevel = false): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null; // -0 is written as 0
    case 'undefined':
    case 'function':
    case 'symbol':
      return topLevel ? undefined : SKIP;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return roundTrip(value);
        const out: unknown[] = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = copy(value[i]);
          out[i] = item === SKIP ? null : item;
        }
        return out;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) return roundTrip(value);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === '__proto__') return roundTrip(value);
        const item = copy((value as Record<string, unknown>)[key]);
        if (item !== SKIP) out[key] = item;
      }
      return out;
    }
    default:
      return roundTrip(value); // bigint: JSON throws, as before
  }
}

function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? SKIP : (JSON.parse(text) as unknown);
}
