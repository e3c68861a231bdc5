/** Anchors (C6): a head handed out, written `SEQ:HASH`; parsed and printed the same way by the CLI and the app. */

/** A head as handed out: the event's sequence number and hash. */
export interface Anchor {
  readonly seq: number;
  readonly hash: string;
}

/** Parses `SEQ:HASH` (a positive decimal seq, a colon, 64 hex digits), or returns null. */
export function parseAnchor(text: string): Anchor | null {
  const m = /^(\d{1,12}):([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  if (!m || Number(m[1]) < 1) return null;
  return { seq: Number(m[1]), hash: m[2]! };
}

/** `SEQ:HASH`, as printed. */
export function formatAnchor(a: Anchor): string {
  return `${a.seq}:${a.hash}`;
}
