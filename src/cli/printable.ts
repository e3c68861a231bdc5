/**
 * Text from a case (names, file names, actors, error messages quoting them) made safe to print on one terminal line:
 * control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides are written as JSON-style
 * escapes (`\n`, `\u001b`), as `audit log` prints payloads, so a name can neither start a forged listing line nor send
 * escape sequences to the terminal. `keepNewlines` keeps `\n` (multi-line messages such as usage).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string, opts: { keepNewlines?: boolean } = {}): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n' && opts.keepNewlines) return c;
    return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
