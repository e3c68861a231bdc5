/**
 * Canonical JSON for hashing (C6). The rules, so another implementation can recompute every hash:
 * - objects: keys sorted by their UTF-16 code units (JavaScript's default string order, as RFC 8785), no
 *   whitespace anywhere, `"key":value` pairs joined by `,`; keys whose value is `undefined` are refused;
 * - arrays: elements in order, joined by `,`;
 * - strings: JSON.stringify escaping (`"`, `\\`, control characters as \uXXXX or the short escapes);
 * - numbers: finite only, written as ECMAScript Number.prototype.toString (what JSON.stringify writes);
 * - `true`, `false`, `null` as is; nothing else (no undefined, functions, bigint, NaN, Infinity);
 * - the resulting text is encoded as UTF-8 before hashing.
 * This is the JSON Canonicalization Scheme (RFC 8785) for the values we store.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The canonical JSON text of a value; throws on anything that is not plain JSON. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Canonical JSON has no ${value}.`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError('Canonical JSON takes plain objects only.');
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      return `{${keys
        .map((k) => {
          if (obj[k] === undefined) throw new TypeError(`Canonical JSON has no undefined (key ${k}).`);
          return `${JSON.stringify(k)}:${canonicalJson(obj[k])}`;
        })
        .join(',')}}`;
    }
    default:
      throw new TypeError(`Canonical JSON has no ${typeof value}.`);
  }
}
