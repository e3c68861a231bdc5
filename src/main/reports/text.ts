/** Helpers to lay out report text. */
import { rerunVerdict, verdictText, type VerdictRun } from '../../shared/rerun';
import { SIGNATURE_SCOPE, type ReportManifest } from './manifest';

/**
 * The audit section's lines: the anchor to keep, the signing key, and what the signature does and does not prove.
 * The report states what was checked at report time; it cannot vouch for itself, so it says how to check it.
 */
export function auditLines(m: ReportManifest): string[] {
  const v = m.audit.verification;
  const sig = m.audit.headSignature;
  return [
    v.ok
      ? `Audit chain checked by the generating workstation at report time: ${v.events} events, append-only triggers present. Check it yourself with facet verify.`
      : `NOT VERIFIED at report time: ${v.reason}`,
    `Anchor (audit head): ${m.audit.headSeq}:${m.audit.headHash}`,
    sig
      ? `Head signed with Ed25519 key ${sig.keyFingerprint} (SHA-256 of the public key; public key ${sig.publicKey})`
      : 'The head carries no signature.',
    SIGNATURE_SCOPE,
  ];
}

/** A short form of a SHA-256 for tables (the full hash is in the manifest). */
export function shortHash(h: string): string {
  return h.length > 16 ? `${h.slice(0, 16)}…` : h;
}

/** Human-readable list of a run's settings and C7 record fields. */
export function runParameterLines(run: {
  settings: Record<string, unknown>;
  seed: string;
  record: Record<string, unknown> | null;
}): string[] {
  const lines = [`seed: ${run.seed}`];
  for (const [k, v] of Object.entries(run.settings))
    if (k !== 'seed') lines.push(`${k}: ${JSON.stringify(v)}`);
  if (run.record) {
    for (const [k, v] of Object.entries(run.record)) {
      if (k === 'seed') continue;
      lines.push(`record.${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
  }
  return lines;
}

/** The examiner and OS account of the report, in words. */
export function examinerLine(m: { readonly examiner?: { name: string | null; osAccount: string } }): string {
  if (!m.examiner) return 'not recorded (report made before examiner names)';
  return m.examiner.name === null
    ? `no name given (OS account ${m.examiner.osAccount})`
    : `${m.examiner.name} (OS account ${m.examiner.osAccount})`;
}

/** Who made an audited change: the examiner's name with the OS account, or the OS account alone. */
export function whoDid(e: { readonly actor: string; readonly examiner?: string | null }): string {
  return e.examiner ? `${e.examiner} (${e.actor})` : e.actor;
}

/**
 * A re-run's line: the run it repeats and the verdict ("re-run of run 2: identical: 6 of 6 outputs match"), or
 * only the id when that run is not in this report; '' for a run that is no re-run.
 */
export function rerunText(
  runs: ReadonlyArray<VerdictRun & { readonly number?: number }>,
  r: VerdictRun & { readonly rerunOf: string | null },
): string {
  if (!r.rerunOf) return '';
  const original = runs.find((x) => x.id === r.rerunOf);
  if (!original) return `re-run of ${r.rerunOf} (not in this report)`;
  const label = original.number ? `run ${original.number} (${original.id})` : original.id;
  return `re-run of ${label}: ${verdictText(rerunVerdict(original, r))}`;
}
