/**
 * The verdict of a re-run against the run it repeats: output by output (kind and number), the pixel hashes the
 * executor returned. One function, so the app, the CLI and the report say the same thing.
 */

/** What a verdict needs of a run: its id, status and its outputs' pixel hashes. */
export interface VerdictRun {
  readonly id: string;
  readonly status: string;
  readonly outputs: ReadonlyArray<{
    readonly kind: string;
    readonly index: number;
    readonly pixelsSha256: string;
  }>;
}

/** identical: every output matches; differs: the first that does not; pending: the re-run has no outputs yet. */
export type RerunVerdict =
  | { readonly kind: 'identical'; readonly matched: number; readonly total: number }
  | { readonly kind: 'differs'; readonly matched: number; readonly total: number; readonly first: string }
  | { readonly kind: 'pending' };

/** Outputs in a stable order: candidates, then the rest, by kind and index. */
const key = (o: { kind: string; index: number }): string => `${o.kind} ${o.index + 1}`;

/** Compares a finished re-run with the run it repeats. */
export function rerunVerdict(original: VerdictRun, rerun: VerdictRun): RerunVerdict {
  if (rerun.status !== 'done') return { kind: 'pending' };
  const theirs = new Map(original.outputs.map((o) => [key(o), o.pixelsSha256]));
  const ours = new Map(rerun.outputs.map((o) => [key(o), o.pixelsSha256]));
  const names = [...new Set([...theirs.keys(), ...ours.keys()])];
  let matched = 0;
  let first: string | null = null;
  for (const n of names) {
    const a = theirs.get(n);
    const b = ours.get(n);
    if (a !== undefined && a === b) matched++;
    else
      first ??=
        a === undefined
          ? `${n} is new in the re-run`
          : b === undefined
            ? `${n} is missing from the re-run`
            : `${n} differs (pixels ${a.slice(0, 12)} then ${b.slice(0, 12)})`;
  }
  return first === null
    ? { kind: 'identical', matched, total: names.length }
    : { kind: 'differs', matched, total: names.length, first };
}

/** The verdict in words: "identical: 6 of 6 outputs match" or "differs: 4 of 6 outputs match; first: ...". */
export function verdictText(v: RerunVerdict): string {
  if (v.kind === 'pending') return 'not finished';
  return v.kind === 'identical'
    ? `identical: ${v.matched} of ${v.total} outputs match`
    : `differs: ${v.matched} of ${v.total} outputs match; first difference: ${v.first}`;
}

/** "Re-run of run 2 (3f2a1c…): identical: 6 of 6 outputs match". */
export function rerunLine(originalLabel: string, v: RerunVerdict): string {
  return `Re-run of ${originalLabel}: ${verdictText(v)}`;
}
