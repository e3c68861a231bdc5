/**
 * The evaluation protocol as pure data (DESIGN.md section 4): which faces are probes, which photo of each identity
 * is in the gallery, each face's seed, and which methods run. Both evaluators (TypeScript and Python) follow it.
 */
import type { PresetName } from '../sampling/presets';

/** One row of a data set's manifest: a photo and its identity. */
export interface ManifestRow {
  readonly file: string;
  readonly identity: string;
}

/** Probe faces and gallery chosen from a manifest. */
export interface FaceSelection {
  readonly probes: readonly ManifestRow[];
  /** One photo per identity, never the probe's own photo. */
  readonly gallery: readonly ManifestRow[];
}

/**
 * Picks `count` probe photos and a gallery from the manifest, deterministically: the gallery holds the first photo
 * of every identity (manifest order); probes go round-robin over identities (in order of first appearance), taking
 * each identity's 2nd photo, then its 3rd, and so on, so the first faces cover as many identities as possible.
 */
export function selectFaces(rows: readonly ManifestRow[], count: number): FaceSelection {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`selectFaces: count must be a positive integer, not ${count}.`);
  const byIdentity = new Map<string, string[]>();
  for (const r of rows) {
    const list = byIdentity.get(r.identity);
    if (list) list.push(r.file);
    else byIdentity.set(r.identity, [r.file]);
  }
  const gallery: ManifestRow[] = [];
  for (const [identity, files] of byIdentity) gallery.push({ identity, file: files[0]! });
  const probes: ManifestRow[] = [];
  for (let round = 1; probes.length < count; round++) {
    let added = false;
    for (const [identity, files] of byIdentity) {
      const file = files[round];
      if (file === undefined) continue;
      probes.push({ identity, file });
      added = true;
      if (probes.length === count) break;
    }
    if (!added) break;
  }
  if (probes.length < count) {
    throw new Error(
      `selectFaces: the manifest has only ${probes.length} photos besides the gallery; ${count} asked for.`,
    );
  }
  return { probes, gallery };
}

/** How face seeds derive from the run's base seed; recorded in the results. */
export const SEED_RULE = 'face i samples candidate 0 of C5 with seed (baseSeed + i) mod 2^64';

/** The seed of face `index` as a decimal string (SEED_RULE). */
export function faceSeed(baseSeed: string, index: number): string {
  return ((BigInt(baseSeed) + BigInt(index)) % (1n << 64n)).toString();
}

/** Overrides of a preset's sampler settings. */
export interface SamplerOverrides {
  readonly steps?: number;
  readonly snr?: number;
  readonly correctorSteps?: number;
  /** Score the pixel mean of candidates 0..K-1 (C5 streams (seed, k)) instead of candidate 0. */
  readonly candidates?: number;
}

/** An experiment tag before the run (the NFE of an `nfe` tag is measured by the run). */
export type PlannedTag =
  | { readonly experiment: 'table' }
  | { readonly experiment: 'r-sweep'; readonly r: number }
  | { readonly experiment: 'nfe'; readonly family: 'fast' | 'pc' };

/** A baseline that needs no model: bicubic, or the HR itself (upper bound). */
export interface BaselineSpec {
  readonly kind: 'bicubic' | 'hr';
  readonly id: string;
  readonly label: string;
  readonly tags: readonly PlannedTag[];
}

/**
 * A peer upscaler (not this project's model, e.g. ESRGAN-thick x8): it takes the same 16x16 C2 LR and returns a
 * 128x128 image; `id` names both the row and the loaded peer.
 */
export interface PeerSpec {
  readonly kind: 'peer';
  readonly id: string;
  readonly label: string;
  readonly tags: readonly PlannedTag[];
}

/** A method to run. */
export type MethodSpec =
  | (BaselineSpec & { readonly kind: 'bicubic' })
  | (BaselineSpec & { readonly kind: 'hr' })
  | PeerSpec
  | {
      readonly kind: 'model';
      readonly id: string;
      readonly label: string;
      readonly modelId: string;
      readonly preset: PresetName;
      readonly overrides: SamplerOverrides;
      readonly tags: readonly PlannedTag[];
    };

/** What to run besides bicubic and HR, which every run includes. */
export interface PlanOptions {
  readonly modelIds: readonly string[];
  /** Presets of the Table I rows, each at its own default settings (optionally with `steps` overridden). */
  readonly presets: readonly PresetName[];
  /** Override of N for the PC presets of the table (the paper uses 2000; CPU runs use fewer). */
  readonly pcSteps?: number;
  /** N of the r sweep (default `pcSteps`): the sweep costs 2N NFE per value of r. */
  readonly sweepSteps?: number;
  /** Fig. 4: values of r for SDE-VEcs; empty to skip. */
  readonly rSweep: readonly number[];
  /** Quality vs NFE: steps of the fast preset; empty to skip. */
  readonly fastSteps: readonly number[];
  /** Quality vs NFE: steps N of the PC preset SDE-VE; empty to skip. */
  readonly pcStepsSweep: readonly number[];
  /** Also a Table I row per preset scoring the mean of this many candidates (absent or 1: none). */
  readonly candidateMean?: number;
  /** Peer upscalers, a Table I row each after bicubic and HR (absent: none). */
  readonly peers?: readonly { readonly id: string; readonly label: string }[];
}

const PRESET_LABELS: Record<PresetName, string> = {
  fast: 'Fast',
  'sde-ve': 'SDE-VE',
  'sde-vecs': 'SDE-VEcs',
  'sde-vp': 'SDE-VP',
  'sde-subvp': 'SDE-subVP',
};

/** A method id from its model, preset and overrides, e.g. `m1/sde-vecs[N=100,r=0.16]`. */
export function methodId(modelId: string, preset: PresetName, o: SamplerOverrides): string {
  const parts: string[] = [];
  if (o.steps !== undefined) parts.push(`N=${o.steps}`);
  if (o.correctorSteps !== undefined) parts.push(`M=${o.correctorSteps}`);
  if (o.snr !== undefined) parts.push(`r=${o.snr}`);
  if (o.candidates !== undefined) parts.push(`K=${o.candidates}`);
  return `${modelId}/${preset}${parts.length ? `[${parts.join(',')}]` : ''}`;
}

/**
 * The list of methods of a run: bicubic and HR first, then the peers, then per model the table presets, the r sweep and the NFE
 * sweeps. A method asked for by several experiments runs once and carries all their tags.
 */
export function planMethods(o: PlanOptions): MethodSpec[] {
  const table: PlannedTag = { experiment: 'table' };
  const out: MethodSpec[] = [
    { kind: 'bicubic', id: 'bicubic', label: 'Bicubic', tags: [table] },
    { kind: 'hr', id: 'hr', label: 'HR (upper bound)', tags: [table] },
    ...(o.peers ?? []).map((p): PeerSpec => ({ kind: 'peer', id: p.id, label: p.label, tags: [table] })),
  ];
  const add = (modelId: string, preset: PresetName, overrides: SamplerOverrides, tag: PlannedTag): void => {
    const id = methodId(modelId, preset, overrides);
    const i = out.findIndex((m) => m.id === id);
    if (i >= 0) {
      const m = out[i]!;
      out[i] = { ...m, tags: [...m.tags, tag] };
      return;
    }
    const extra = Object.entries(overrides).map(([k, v]) =>
      k === 'candidates' ? `mean of ${v}` : `${k === 'steps' ? 'N' : k === 'snr' ? 'r' : 'M'}=${v}`,
    );
    const label = `${PRESET_LABELS[preset]}${extra.length ? ` (${extra.join(', ')})` : ''}`;
    out.push({
      kind: 'model',
      id,
      label: o.modelIds.length > 1 ? `${label} · ${modelId}` : label,
      modelId,
      preset,
      overrides,
      tags: [tag],
    });
  };
  const isPc = (p: PresetName): boolean => p !== 'fast';
  for (const modelId of o.modelIds) {
    for (const p of o.presets) {
      const base = isPc(p) && o.pcSteps !== undefined ? { steps: o.pcSteps } : {};
      add(modelId, p, base, table);
      if (o.candidateMean !== undefined && o.candidateMean > 1)
        add(modelId, p, { ...base, candidates: o.candidateMean }, table);
    }
    for (const r of o.rSweep) {
      const steps = o.sweepSteps ?? o.pcSteps;
      add(
        modelId,
        'sde-vecs',
        { ...(steps !== undefined ? { steps } : {}), snr: r },
        { experiment: 'r-sweep', r },
      );
    }
    for (const steps of o.fastSteps) add(modelId, 'fast', { steps }, { experiment: 'nfe', family: 'fast' });
    for (const steps of o.pcStepsSweep)
      add(modelId, 'sde-ve', { steps }, { experiment: 'nfe', family: 'pc' });
  }
  return out;
}
