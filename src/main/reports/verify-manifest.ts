import type { AnchorResult, ManifestVerification, VerifyResult } from '../../shared/contract';
import { sha256Hex } from '../crypto';
import type { RgbImage } from '../../core/image/types';
import type { RunExecutor, RunResult } from '../inference/run-executor';
import { runOutputImages } from '../inference/run-outputs';
import { decodeToRgb } from '../imaging/decode';
import { float32Sha256, toRgb8 } from '../imaging/encode';
import { findChainBreak, type AuditEventValue } from '../services/audit-chain';
import { headSignatureProblem } from '../services/audit-signature';
import type { JsonValue } from '../services/canonical-json';
import { ReportManifestSchema, type ReportManifest } from './manifest';
import { manifestRowProblems } from './manifest-rows';

type Check = ManifestVerification['checks'][number];

/** The case of a manifest as it is on this workstation today (the handler reads it from the database). */
export interface CaseToday {
  readonly events: readonly AuditEventValue[];
  readonly verification: VerifyResult;
  readonly anchor: (a: { seq: number; hash: string }) => AnchorResult;
}

/** What `facet verify` can reach besides the manifest: today's case, the case's files, evidence folders. */
export interface ManifestContext {
  /** Today's chain of the case, or null when the case is not on this workstation. */
  readonly caseToday?: (caseId: string) => CaseToday | null;
  /** Re-hashes a stored file of the case: null when it matches, 'missing', or the problem. */
  readonly storedFile?: (caseId: string, sha256: string) => string | null;
  /** Files found in the folders given with `--evidence`, by SHA-256, and by file name (name -> hashes). */
  readonly evidenceFiles?: { bySha: ReadonlyMap<string, string>; byName: ReadonlyMap<string, string[]> };
  /** This installation's key fingerprints. */
  readonly localKeys?: readonly string[];
}

/** The events of the manifest's chain in value form (payload as given). */
function chainValues(m: ReportManifest): AuditEventValue[] {
  return (m.audit.chain ?? []).map((e) => ({ ...e, payload: (e.payload ?? null) as JsonValue }));
}

/** The chain, signature, row, anchor and evidence checks, by name, before the images and the re-runs. */
function integrityChecks(raw: unknown, m: ReportManifest, ctx: ManifestContext): Check[] {
  const checks: Check[] = [];
  const caseId = m.scope.caseId;
  const head = { seq: m.audit.headSeq, hash: m.audit.headHash };
  const chain = chainValues(m);
  // 1. The manifest's own chain recomputes and ends at its recorded head.
  if (!m.audit.chain) {
    checks.push({
      name: 'manifest chain',
      status: 'fail',
      detail:
        'the manifest carries no audit chain (made before chains were embedded, or removed): its values cannot be checked against tampering',
    });
  } else {
    const brk = findChainBreak(chain, head);
    checks.push(
      brk
        ? { name: 'manifest chain', status: 'fail', detail: `event ${brk.seq}: ${brk.reason}` }
        : {
            name: 'manifest chain',
            status: 'ok',
            detail: `${chain.length} events recompute to the head ${head.seq}:${head.hash}`,
          },
    );
  }
  // 2. The head is signed, and by which key.
  const sig = m.audit.headSignature;
  if (!sig) {
    checks.push({ name: 'head signature', status: 'fail', detail: 'the head carries no signature' });
  } else {
    const problem = headSignatureProblem({ caseId, ...head, ...sig });
    const local = ctx.localKeys?.includes(sig.keyFingerprint)
      ? "this installation's key"
      : 'not a key of this installation';
    checks.push(
      problem
        ? {
            name: 'head signature',
            status: 'fail',
            detail: `${problem}: the head or the signature was changed without the key`,
          }
        : {
            name: 'head signature',
            status: 'ok',
            detail: `signed by key ${sig.keyFingerprint} (${local}); compare it with the fingerprint printed in the report`,
          },
    );
  }
  // 3. Every value the manifest shows is what its chain records.
  if (m.audit.chain) {
    const problems = manifestRowProblems(raw, chain);
    checks.push(
      problems.length > 0
        ? {
            name: 'manifest values against the chain',
            status: 'fail',
            detail: problems.slice(0, 5).join('; '),
          }
        : {
            name: 'manifest values against the chain',
            status: 'ok',
            detail: 'every evidence, face, run, output and comparison value is recorded by its event',
          },
    );
  }
  // 4. The anchor against today's chain of the case, where the case is on this workstation.
  const today = ctx.caseToday?.(caseId) ?? null;
  if (!today) {
    checks.push({
      name: 'anchor in the case today',
      status: 'skipped',
      detail: `case ${caseId} is not in this data folder (import its archive, or pass --data-dir)`,
    });
  } else {
    const a = today.anchor(head);
    const byHash = new Map(today.events.map((e) => [e.seq, e.hash]));
    // The manifest carries every event up to the anchor: the first whose hash differs today is the first change.
    const firstChanged = chain.find((e) => byHash.get(e.seq) !== e.hash);
    if (a.ok) {
      checks.push({
        name: 'anchor in the case today',
        status: 'ok',
        detail: `event ${head.seq} still has hash ${head.hash} and the chain up to it recomputes (head today: ${a.headSeq})`,
      });
    } else {
      const where = firstChanged
        ? `first changed event: ${firstChanged.seq} (${firstChanged.action})${byHash.has(firstChanged.seq) ? '' : ', missing today'}`
        : `first difference at event ${a.firstDifference}`;
      checks.push({ name: 'anchor in the case today', status: 'fail', detail: `${where}: ${a.reason}` });
    }
    const v = today.verification;
    checks.push(
      v.ok
        ? {
            name: 'case chain and signatures today',
            status: 'ok',
            detail: `${v.events} events, head ${v.headSeq ?? v.events}:${v.headHash}; ${(v.signers ?? []).map((s) => `events ${s.fromSeq}..${s.toSeq} signed by ${s.fingerprint}`).join('; ') || 'no signatures'}`,
          }
        : {
            name: 'case chain and signatures today',
            status: 'fail',
            detail: `at ${v.location.table}${v.location.seq !== undefined ? ` seq ${v.location.seq}` : ''}: ${v.reason}`,
          },
    );
  }
  // 5. The evidence files, re-hashed where they can be found.
  const found: string[] = [];
  const missing: string[] = [];
  const bad: string[] = [];
  for (const e of m.evidence) {
    // null means found and matching, so no `??` here.
    const stored = ctx.storedFile ? ctx.storedFile(caseId, e.sha256) : 'missing';
    if (stored === null) found.push(`${e.originalName} (case folder)`);
    else if (stored !== 'missing') bad.push(`${e.originalName}: ${stored}`);
    else if (ctx.evidenceFiles?.bySha.has(e.sha256))
      found.push(`${e.originalName} (${ctx.evidenceFiles.bySha.get(e.sha256)!})`);
    else if (ctx.evidenceFiles?.byName.has(e.originalName))
      bad.push(
        `${e.originalName} in the evidence folder hashes to ${ctx.evidenceFiles.byName.get(e.originalName)!.join(', ')}, the manifest says ${e.sha256}`,
      );
    else missing.push(e.originalName);
  }
  checks.push(
    bad.length > 0
      ? { name: 'evidence files', status: 'fail', detail: bad.join('; ') }
      : missing.length > 0
        ? {
            name: 'evidence files',
            status: 'skipped',
            detail: `${found.length} of ${m.evidence.length} found and re-hashed; not found: ${missing.join(', ')} (pass --evidence DIR)`,
          }
        : {
            name: 'evidence files',
            status: 'ok',
            detail: `all ${found.length} re-hashed: ${found.join(', ')}`,
          },
  );
  return checks;
}

/**
 * Checks a report manifest, each check by name (OK, FAIL or SKIPPED): its chain recomputes to its head, the head's
 * signature holds, every value it shows is what its chain records, the head (the anchor) is still in today's chain
 * of the case when the case is here, the evidence files re-hash, every embedded image matches its SHA-256, and each
 * finished run re-runs through the executor from its record to the recorded pixel hashes (identical on the same
 * provider; otherwise the measured difference is stated).
 */
export async function verifyManifest(
  raw: unknown,
  executor: RunExecutor | null,
  ctx: ManifestContext = {},
): Promise<ManifestVerification> {
  const parsed = ReportManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = `Not a Facet SR report manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    return {
      ok: false,
      runs: [],
      problems: [detail],
      checks: [{ name: 'manifest format', status: 'fail', detail }],
    };
  }
  const m: ReportManifest = parsed.data;
  const checks: Check[] = [
    { name: 'manifest format', status: 'ok', detail: m.format },
    ...integrityChecks(raw, m, ctx),
  ];
  const problems: string[] = checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.detail}`);
  const imageProblems = problems.length;
  const faces = new Map(m.faces.map((f) => [f.id, f]));
  const damagedFaces = new Set<string>();
  for (const f of m.faces) {
    if (sha256Hex(Buffer.from(f.cropPng, 'base64')) !== f.cropSha256) {
      problems.push(`face ${f.id}: the embedded crop does not match cropSha256`);
      damagedFaces.add(f.id);
    }
    if (sha256Hex(Buffer.from(f.lrPng, 'base64')) !== f.lrSha256) {
      problems.push(`face ${f.id}: the embedded LR does not match lrSha256`);
      damagedFaces.add(f.id);
    }
  }
  const runs: ManifestVerification['runs'] = [];
  for (const r of m.runs) {
    for (const o of r.outputs) {
      if (sha256Hex(Buffer.from(o.png, 'base64')) !== o.sha256) {
        problems.push(`run ${r.id}: the embedded ${o.kind} ${o.index} does not match its sha256`);
      }
    }
    if (r.status !== 'done' || !r.record || !executor) continue;
    const face = faces.get(r.faceId);
    if (!face) {
      problems.push(`run ${r.id}: its face ${r.faceId} is not in the manifest`);
      continue;
    }
    if (damagedFaces.has(face.id)) {
      problems.push(`run ${r.id}: not re-run, its face's embedded images are damaged`);
      continue;
    }
    // The run's own fields must say what its record says, or one of them was edited.
    const mismatch = (
      [
        ['seed', r.seed, r.record.seed],
        ['preset', r.settings.preset, r.record.preset],
        ['candidates', r.settings.candidates, r.record.candidates],
        ['data consistency', r.settings.dataConsistency, r.record.dataConsistency],
      ] as const
    ).filter(([, a, b]) => a !== b);
    if (mismatch.length > 0) {
      for (const [what, a, b] of mismatch) {
        problems.push(`run ${r.id}: its ${what} (${String(a)}) differs from its record's (${String(b)})`);
      }
      continue;
    }
    let result: RunResult;
    let lr: RgbImage;
    try {
      lr = await decodeToRgb(Buffer.from(face.lrPng, 'base64'), 'LR');
      // An 'lr16' face has no crop (its cropPng is its LR): the run was given none.
      const crop =
        face.method === 'lr16' ? null : await decodeToRgb(Buffer.from(face.cropPng, 'base64'), 'crop');
      // The recorded plan is re-executed as is: nothing is planned again from the settings.
      const rec = r.record;
      const plan = {
        model: rec.model,
        preset: rec.preset,
        sde: rec.sde,
        sampler: rec.sampler,
        seed: rec.seed,
        candidates: rec.candidates,
        dataConsistency: rec.dataConsistency,
      };
      result = await executor.execute(
        { runId: r.id, settings: { ...r.settings, seed: r.seed }, plan, lr, crop },
        { onProgress: () => {}, signal: new AbortController().signal },
      );
    } catch (err) {
      problems.push(`run ${r.id}: the re-run failed: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const regenerated = runOutputImages(result, lr);
    const outputs: ManifestVerification['runs'][number]['outputs'] = [];
    for (const o of r.outputs) {
      const again = regenerated.find((x) => x.kind === o.kind && x.index === o.index);
      if (!again) {
        problems.push(`run ${r.id}: the re-run produced no ${o.kind} ${o.index}`);
        continue;
      }
      const actual = float32Sha256(again.img);
      const stored = await decodeToRgb(Buffer.from(o.png, 'base64'), 'output').then(toRgb8, () =>
        Buffer.alloc(0),
      );
      const now = toRgb8(again.img);
      // An image that cannot be compared (undecodable, other size) counts as entirely different.
      let max = 0;
      let sum = 0;
      if (stored.length !== now.length) {
        max = 255;
        sum = 255 * now.length;
      } else {
        for (let i = 0; i < stored.length; i++) {
          const d = Math.abs(stored[i]! - now[i]!);
          if (d > max) max = d;
          sum += d;
        }
      }
      outputs.push({
        kind: o.kind,
        index: o.index,
        expected: o.pixelsSha256,
        actual,
        identical: actual === o.pixelsSha256,
        maxAbsDiff8: max,
        meanAbsDiff8: now.length ? sum / now.length : 0,
      });
    }
    const identical = outputs.length === r.outputs.length && outputs.every((o) => o.identical);
    const rec = r.record;
    const sameProvider =
      rec.provider === result.record.provider &&
      rec.onnxruntimeVersion === result.record.onnxruntimeVersion &&
      rec.threads === result.record.threads;
    const maxDiff = Math.max(0, ...outputs.map((o) => o.maxAbsDiff8));
    const meanDiff = outputs.length ? outputs.reduce((a, o) => a + o.meanAbsDiff8, 0) / outputs.length : 0;
    const where = `${result.record.provider} (onnxruntime ${result.record.onnxruntimeVersion}, ${result.record.threads} threads)`;
    const was = `${rec.provider} (onnxruntime ${rec.onnxruntimeVersion}, ${rec.threads} threads)`;
    const summary = identical
      ? `identical: all ${outputs.length} output hashes match, re-run on ${where}`
      : `${outputs.filter((o) => !o.identical).length} of ${outputs.length} outputs differ: recorded on ${was}, re-run on ${where}; max abs difference ${maxDiff} and mean ${meanDiff.toFixed(4)} (8-bit levels)`;
    if (!identical && sameProvider)
      problems.push(`run ${r.id}: outputs differ on the same provider (${summary})`);
    if (result.record.model.sha256 !== rec.model.sha256) {
      problems.push(
        `run ${r.id}: re-run used model ${result.record.model.sha256}, the record names ${rec.model.sha256}`,
      );
    }
    runs.push({ runId: r.id, identical, sameProvider, outputs, summary });
  }
  const rerunProblems = problems.slice(imageProblems);
  const imageFails = rerunProblems.filter((p) => /embedded/.test(p));
  checks.push(
    imageFails.length > 0
      ? { name: 'embedded images', status: 'fail', detail: imageFails.join('; ') }
      : {
          name: 'embedded images',
          status: 'ok',
          detail: 'every embedded crop, LR and output matches its SHA-256',
        },
  );
  const runFails = rerunProblems.filter((p) => !/embedded/.test(p));
  const done = m.runs.filter((r) => r.status === 'done' && r.record).length;
  checks.push(
    !executor
      ? { name: 're-runs', status: 'skipped', detail: 'no sampling engine in this process' }
      : runFails.length > 0
        ? { name: 're-runs', status: 'fail', detail: runFails.join('; ') }
        : {
            name: 're-runs',
            status: 'ok',
            detail: `${runs.length} of ${done} finished runs re-run: ${runs.map((r) => r.summary).join('; ') || 'none'}`,
          },
  );
  return { ok: problems.length === 0, runs, problems, checks };
}
