/**
 * The report as one document model (issue 30): a pure function of the verified manifest (and previews of the
 * evidence originals) to an ordered list of sections and blocks. The PDF (pdf-report, laid out by pdfmake) and the
 * HTML (html-report) are both rendered from it, so they say the same thing in the same order.
 *
 * The body names things as the app does ("Still 1: cam3.jpg", "Face 1 of cam3.jpg", "Run 2", "Reference 1:
 * suspect-a.jpg"); identifiers (UUIDs), the raw C7 records and the models' provenance JSON appear only in the
 * appendix, after a heading that starts with APPENDIX_TITLE.
 */
import { COMPARISON_CAVEAT, SR_CAVEAT, type ReproRecord } from '../../shared/contract';
import { inputLrCaption, PRESET_LABELS, provenanceCaption } from '../../shared/labels';
import { rerunVerdict, verdictText } from '../../shared/rerun';
import { UNCERTAINTY_LEGEND, UNCERTAINTY_SCALE_TEXT } from '../../shared/uncertainty';
import { COMPARISON_NOTES, reportComparisonGroups, reportRunInput } from './comparisons';
import {
  FACE_METHOD,
  outputCaption,
  outputOrder,
  reportFaceTitle,
  reportRunTitle,
  reportSweeps,
  sweepSimilarityLine,
  testModelFlag,
  testModelShort,
} from './labels';
import type { ManifestRun, ReportManifest } from './manifest';
import { auditLines, examinerLine, shortHash } from './text';

/** A preview of an evidence original (downscaled; the SHA-256 shown is the original's). */
export interface StillPreview {
  /** PNG, base64. */
  readonly png: string;
  readonly width: number;
  readonly height: number;
  /** How many located faces are outlined on it (the region each aligned crop was taken from). */
  readonly outlinedFaces?: number;
}

/** What the document is built from besides the manifest. */
export interface ReportExtras {
  /** Previews of the evidence originals by evidence id (absent: "preview not available"). */
  readonly previews?: ReadonlyMap<string, StillPreview>;
}

/** How a paragraph reads: body text, smaller print, a boxed caveat, a red flag, or grey notes. */
export type Tone = 'normal' | 'small' | 'caveat' | 'flag' | 'muted';

/** A table cell: text, optionally monospaced (hashes) or flagged red. */
export type Cell = string | { readonly text: string; readonly mono?: boolean; readonly flag?: boolean };

/** One image with its caption lines (printed under it, never over its pixels). */
export interface Figure {
  readonly png: string;
  /** Displayed size in points (PDF) / CSS px (HTML). */
  readonly width: number;
  readonly height: number;
  readonly alt: string;
  readonly caption: readonly string[];
  /** Made by (or averaged from) the generative model: framed in red. */
  readonly ai?: boolean;
  /** Shown with hard pixel edges (a 16x16 image enlarged). */
  readonly pixelated?: boolean;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: 2 | 3; readonly text: string }
  | {
      readonly kind: 'para';
      readonly text: string;
      readonly tone?: Tone;
      readonly label?: string;
      readonly role?: string;
    }
  | {
      readonly kind: 'keyValues';
      readonly rows: ReadonlyArray<{ readonly key: string; readonly value: string; readonly mono?: boolean }>;
    }
  | {
      readonly kind: 'table';
      readonly header: readonly string[];
      readonly rows: ReadonlyArray<readonly Cell[]>;
      /** Column widths in points, '*' shares the rest. */
      readonly widths: ReadonlyArray<number | '*'>;
    }
  | { readonly kind: 'figures'; readonly items: readonly Figure[] }
  | { readonly kind: 'steps'; readonly items: readonly string[] }
  | { readonly kind: 'bullets'; readonly items: readonly string[] }
  | { readonly kind: 'code'; readonly title: string; readonly text: string }
  /** Blocks kept together on one page (PDF) / in one unbroken box when printed (HTML). */
  | { readonly kind: 'keep'; readonly blocks: readonly Block[] }
  | {
      readonly kind: 'signature';
      readonly rows: ReadonlyArray<{ readonly key: string; readonly value: string }>;
    };

export interface Section {
  readonly id: string;
  readonly title: string;
  /** Start the section on a new page (PDF). */
  readonly newPage?: boolean;
  /** A run's section (HTML marks it so each run is its own <section>). */
  readonly run?: boolean;
  readonly blocks: readonly Block[];
}

export interface ReportDocument {
  readonly title: string;
  readonly caseName: string;
  /** The running header and footer texts (every page). */
  readonly header: string;
  readonly footer: string;
  readonly metadata: {
    readonly title: string;
    readonly author: string;
    readonly subject: string;
    readonly creator: string;
    readonly date: Date;
  };
  /** The cover page's blocks (the title is `title`). */
  readonly cover: readonly Block[];
  readonly sections: readonly Section[];
}

/** The heading text the appendix starts with: nothing before it shows an identifier or raw JSON. */
export const APPENDIX_TITLE = 'Appendix';

/** A time as the report prints it: "2026-12-07 16:20:31 UTC" (every time in the report is UTC and says so). */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Bytes in words: "12,345 bytes (12.1 KiB)". */
function bytesText(n: number): string {
  const kib = n / 1024;
  const unit = kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib.toFixed(1)} KiB`;
  return `${n.toLocaleString('en-US')} bytes (${unit})`;
}

/** The names of the five landmarks, in the order they are stored (C1). */
export const LANDMARK_NAMES: readonly string[] = [
  'image-left eye centre',
  'image-right eye centre',
  'nose tip',
  'image-left mouth corner',
  'image-right mouth corner',
];

/** A similarity transform [a, b, tx, c, d, ty] as scale, rotation (degrees, clockwise on screen) and shift. */
export function similarityParts(t: readonly number[]): {
  scale: number;
  angleDeg: number;
  tx: number;
  ty: number;
} {
  const [a = NaN, , tx = NaN, c = NaN, , ty = NaN] = t;
  return { scale: Math.hypot(a, c), angleDeg: (Math.atan2(c, a) * 180) / Math.PI, tx, ty };
}

const fmt = (v: number, digits: number): string =>
  Object.is(Number(v.toFixed(digits)), -0) ? (0).toFixed(digits) : v.toFixed(digits);

type Evidence = ReportManifest['evidence'][number];
type Face = ReportManifest['faces'][number];
type Output = ManifestRun['outputs'][number];

/** The names the body uses for every identified thing, and the identifiers they stand for (for the appendix). */
export class ReportNames {
  private readonly names = new Map<string, string>();
  /** Name -> id, in the order the names were made (the appendix's table). */
  readonly table: Array<{ name: string; id: string }> = [];

  constructor(readonly m: ReportManifest) {
    this.add(m.case.id, `Case “${m.case.name}”`);
    let still = 0;
    let ref = 0;
    for (const e of m.evidence)
      this.add(
        e.id,
        e.role === 'probe' ? `Still ${++still}: ${e.originalName}` : `Reference ${++ref}: ${e.originalName}`,
      );
    for (const f of m.faces) this.add(f.id, reportFaceTitle(m, f));
    for (const r of m.runs) {
      this.add(r.id, this.runName(r));
      for (const o of [...r.outputs].sort((a, b) => outputOrder(a) - outputOrder(b)))
        this.add(o.id, `${this.runName(r)} ${this.outputWord(o)}`);
    }
    for (const c of m.comparisons)
      this.add(c.id, `${this.subjectOf(c)} vs ${this.fileOf(c.referenceEvidenceId)}`);
  }

  private add(id: string, name: string): void {
    if (this.names.has(id)) return;
    this.names.set(id, name);
    this.table.push({ name, id });
  }

  /** "Run 2": the run's number in its case. */
  runName(r: ManifestRun): string {
    return `Run ${r.number ?? this.m.runs.indexOf(r) + 1}`;
  }

  /** "candidate 2", "candidate mean", "bicubic baseline", "uncertainty map". */
  outputWord(o: Output): string {
    return {
      candidate: `candidate ${o.index + 1}`,
      mean: 'candidate mean',
      bicubic: 'bicubic baseline',
      uncertainty: 'uncertainty map',
    }[o.kind];
  }

  /** An evidence file's name (no id). */
  fileOf(evidenceId: string | null): string {
    return this.m.evidence.find((e) => e.id === evidenceId)?.originalName ?? 'a file not in this report';
  }

  /** What a comparison scored: "Run 2 candidate mean", or the still itself. */
  subjectOf(c: ReportManifest['comparisons'][number]): string {
    if (c.outputId) return this.get(c.outputId) ?? 'an output not in this report';
    return `${this.fileOf(c.probeEvidenceId)} (no AI)`;
  }

  /** The name of an id, or undefined when the report does not contain it. */
  get(id: string): string | undefined {
    return this.names.get(id);
  }

  /** The evidence's name: "Still 1: cam3.jpg". */
  evidence(e: Evidence): string {
    return this.names.get(e.id)!;
  }
}

/** The audit actions in words. */
const ACTION_WORDS: Readonly<Record<string, string>> = {
  'case.created': 'case created',
  'case.exported': 'case exported',
  'case.imported': 'case imported',
  'evidence.imported': 'evidence imported',
  'face.aligned': 'face aligned',
  'run.queued': 'run queued',
  'run.requeued': 're-run queued',
  'run.started': 'run started',
  'run.done': 'run finished',
  'run.interrupted': 'run interrupted',
  'comparison.recorded': 'comparison recorded',
  'report.created': 'report created',
  'report.exported': 'report exported',
};

/** An audit event's action in words ("comparison recorded"). */
export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action.replace(/[._]/g, ' ');
}

/** An audit event's subject by name ("Run 2 candidate mean vs suspect-a.jpg"); never its id. */
export function subjectWords(
  names: ReportNames,
  e: { action: string; subject: string; payload: unknown },
): string {
  const known = names.get(e.subject);
  if (known) return known;
  const p = (e.payload && typeof e.payload === 'object' ? e.payload : {}) as Record<string, unknown>;
  if (e.action.startsWith('report.'))
    return `${typeof p.format === 'string' ? p.format.toUpperCase() : 'a'} report${typeof p.sha256 === 'string' ? ` (SHA-256 ${shortHash(p.sha256)})` : ''}`;
  return 'an item outside this report (see the appendix)';
}

/** The SDE of a record in words. */
function sdeWords(sde: ReproRecord['sde']): string {
  if (sde.kind === 've') return `variance-exploding (VE) SDE, σmin ${sde.sigmaMin}, σmax ${sde.sigmaMax}`;
  return `${sde.kind === 'vp' ? 'variance-preserving (VP)' : 'sub-VP'} SDE, βmin ${sde.betaMin}, βmax ${sde.betaMax}`;
}

/** The sampler of a record in words, with its number of network evaluations where it is fixed. */
function samplerWords(s: ReproRecord['sampler']): string {
  if (s.kind === 'pc') {
    const pred = {
      'reverse-diffusion': 'reverse diffusion',
      'euler-maruyama': 'Euler–Maruyama',
      none: 'none',
    }[s.predictor];
    const corr =
      s.corrector === 'langevin'
        ? `Langevin corrector, M = ${s.correctorSteps} step${s.correctorSteps === 1 ? '' : 's'} per step, signal-to-noise ratio r = ${s.snr}`
        : 'no corrector';
    const nfe =
      s.steps * ((s.predictor === 'none' ? 0 : 1) + (s.corrector === 'langevin' ? s.correctorSteps : 0));
    return `predictor–corrector sampler: predictor ${pred}, ${corr}; N = ${s.steps} steps from t = 1 down to ε = ${s.eps} (${nfe} network evaluations per candidate)`;
  }
  if (s.kind === 'heun')
    return `deterministic Heun ODE sampler on the EDM schedule: ${s.steps} steps, ρ = ${s.rho}, churn ${s.churn}, ε = ${s.eps}`;
  return `DPM-Solver++ (order ${s.order}) on the model's schedule: ${s.steps} steps, ε = ${s.eps}`;
}

/** The processing chain of one run as numbered steps in words. */
export function chainSteps(m: ReportManifest, names: ReportNames, r: ManifestRun): string[] {
  const face = m.faces.find((f) => f.id === r.faceId);
  const ev = face ? m.evidence.find((e) => e.id === face.evidenceId) : undefined;
  const steps: string[] = [];
  if (ev) {
    steps.push(
      `Decode: ${names.evidence(ev)} (${ev.mediaType}, ${ev.width} × ${ev.height} px, ${bytesText(ev.sizeBytes)}, SHA-256 ${shortHash(ev.sha256)}) was read from the case's evidence store, where the original is kept once, read-only, under its SHA-256, and decoded to 8-bit sRGB (EXIF orientation applied; greyscale and CMYK converted; transparency flattened onto white).`,
    );
  } else steps.push('Decode: the still of this run is not in this report.');
  if (!face) return steps;
  const faceName = reportFaceTitle(m, face);
  if (face.method === 'auto')
    steps.push(
      `Locate: ${faceName} was found by the app's face detector, which also placed its five landmarks.`,
    );
  if (face.method === 'manual')
    steps.push(
      `Locate: the examiner (${face.createdBy}) placed the landmarks of ${faceName} by hand, on ${utc(face.createdAt)}.`,
    );
  if (face.method === 'aligned')
    steps.push(
      `Locate: the file is itself an aligned face crop (${faceName}); no detection or alignment was made, it was only resized to 128 × 128 px if needed.`,
    );
  if (face.method === 'lr16')
    steps.push(
      `Locate: the file is itself the 16 × 16 px face the model takes (${faceName}); no detection, alignment or downscale was made.`,
    );
  if (face.method === 'auto' || face.method === 'manual') {
    const t = similarityParts(face.transform);
    const points = face.points
      .map((p, i) => `${LANDMARK_NAMES[i] ?? `point ${i + 1}`} at (${fmt(p.x, 1)}, ${fmt(p.y, 1)})`)
      .join('; ');
    const iod = reportRunInput(m, r).line.match(/(\d+) px between the eyes/)?.[1];
    steps.push(
      `Align: the landmarks (pixel coordinates in the still: ${points}) were mapped onto the canonical 128 × 128 face frame (C1: the ArcFace five-point template scaled by 128/112) by a least-squares similarity transform: scale ${fmt(t.scale, 3)} (the face is ${iod ?? '?'} px between the eyes in the still), rotation ${fmt(t.angleDeg, 1)}° (clockwise on screen), shift (${fmt(t.tx, 1)}, ${fmt(t.ty, 1)}) px. The aligned 128 × 128 crop was resampled from the still by that transform (SHA-256 ${shortHash(face.cropSha256)}).`,
    );
  }
  if (face.method === 'lr16') {
    steps.push(
      `Model input: the 16 × 16 file itself (SHA-256 ${shortHash(face.lrSha256)}); the model is conditioned on its bicubic upscale to 128 × 128 (Keys kernel, a = −0.5).`,
    );
  } else {
    steps.push(
      `Downscale (C2): the aligned crop, as values in [0, 1], was reduced 8 times to 16 × 16 px with antialiased bicubic resampling (Keys kernel, a = −0.5, kernel support widened by the factor 8) and quantised to 8 bits. This 16 × 16 face (SHA-256 ${shortHash(face.lrSha256)}) is all the model sees of the still; it is conditioned on its bicubic upscale back to 128 × 128 with the same kernel.`,
    );
  }
  const rec = r.record;
  if (!rec) {
    steps.push(
      `Enhance: the run has no reproduction record (status ${r.status}); it produced no outputs that can be checked.`,
    );
    return steps;
  }
  steps.push(
    `Model: ${rec.model.id}, SHA-256 ${rec.model.sha256}, a score network for the ${sdeWords(rec.sde)}.`,
  );
  steps.push(
    `Sample: preset ${PRESET_LABELS[rec.preset]}, ${samplerWords(rec.sampler)}; ${rec.candidates} candidate${rec.candidates === 1 ? '' : 's'}; data consistency ${rec.dataConsistency ? 'on' : 'off'}. Seed ${rec.seed}: candidate k draws its own noise from Philox4x32-10 keyed by the seed (C5), so each candidate is reproduced alone or in a batch.`,
  );
  steps.push(
    `Execute: on the ${rec.provider} execution provider with ${rec.threads} thread${rec.threads === 1 ? '' : 's'}, ONNX Runtime ${rec.onnxruntimeVersion}, Facet SR ${rec.appVersion}; queued ${utc(r.queuedAt)}, started ${utc(r.startedAt)}, finished ${utc(r.finishedAt)}.`,
  );
  const kinds = new Set(r.outputs.map((o) => o.kind));
  steps.push(
    `Outputs: ${rec.candidates} AI-generated candidate${rec.candidates === 1 ? '' : 's'}${kinds.has('mean') ? ', their per-pixel mean' : ''}${kinds.has('bicubic') ? ', the bicubic upscale of the 16 × 16 input (no AI)' : ''}${kinds.has('uncertainty') ? ' and the uncertainty map (per-pixel spread of the candidates)' : ''}, each stored as a PNG under its SHA-256 (listed below).`,
  );
  return steps;
}

/** The re-run verdict of a run in words ("This run repeats Run 1: identical: 7 of 7 outputs match"), or null. */
export function rerunWords(m: ReportManifest, names: ReportNames, r: ManifestRun): string | null {
  if (!r.rerunOf) return null;
  const original = m.runs.find((x) => x.id === r.rerunOf);
  if (!original)
    return 'This run repeats a run that is not in this report (its identifier is in the appendix).';
  return `This run repeats ${names.runName(original)} from its record: ${verdictText(rerunVerdict(original, r))}.`;
}

/** The figures of a run: the still's aligned crop, the 16x16 input, then the outputs in the report's order. */
function runFigures(m: ReportManifest, r: ManifestRun): Figure[] {
  const face = m.faces.find((f) => f.id === r.faceId);
  const size = 72;
  const items: Figure[] = [];
  if (face && face.method !== 'lr16') {
    items.push({
      png: face.cropPng,
      width: size,
      height: size,
      alt: 'the still’s aligned face',
      caption: [provenanceCaption('still')],
    });
  }
  if (face)
    items.push({
      png: face.lrPng,
      width: size,
      height: size,
      alt: 'LR 16x16',
      caption: [inputLrCaption(face.method)],
      pixelated: true,
    });
  const short = testModelShort(r);
  const bicubic = r.outputs.find((o) => o.kind === 'bicubic')?.metrics.consistency;
  for (const o of [...r.outputs].sort((a, b) => outputOrder(a) - outputOrder(b))) {
    const caption = [outputCaption(r, o)];
    if (short) caption.unshift(short);
    if (o.metrics.consistency !== undefined) {
      caption.push(
        `consistency ${o.metrics.consistency.toFixed(1)} (MSE, lower is closer to the input)${o.kind === 'bicubic' || bicubic === undefined ? '' : `; bicubic ${bicubic.toFixed(1)}`}`,
      );
    }
    if (o.metrics.meanStd !== undefined)
      caption.push(`mean spread ${(o.metrics.meanStd * 255).toFixed(1)} levels`);
    items.push({
      png: o.png,
      width: size,
      height: size,
      alt: outputCaption(r, o),
      caption,
      ai: o.kind === 'candidate' || o.kind === 'mean',
    });
  }
  return items;
}

/** The question the report answers, from the work recorded in the case (the manifest holds no written request). */
function questionText(m: ReportManifest, names: ReportNames): string {
  const stills = [...new Set(m.runs.map((r) => m.faces.find((f) => f.id === r.faceId)?.evidenceId))]
    .map((id) => m.evidence.find((e) => e.id === id))
    .filter((e): e is Evidence => !!e)
    .map((e) => names.evidence(e));
  const refs = [...new Set(m.comparisons.map((c) => c.referenceEvidenceId))]
    .map((id) => m.evidence.find((e) => e.id === id))
    .filter((e): e is Evidence => !!e)
    .map((e) => names.evidence(e));
  const what = stills.length ? stills.join(', ') : 'the case’s stills';
  const compare = refs.length
    ? ` and, for each run, how strongly a comparison of its candidates with ${refs.join(' and ')} supports that the same person is shown rather than a different person`
    : '';
  return `What plausible higher-resolution versions of the face in ${what} a face super-resolution model produces from a 16 × 16 version of it${compare}. The report documents how each result was made so that it can be reproduced and checked; it does not identify anyone.`;
}

/** The report's document model, from the verified manifest. */
export function buildReportDocument(
  m: ReportManifest,
  manifestSha256: string,
  extras: ReportExtras = {},
): ReportDocument {
  const names = new ReportNames(m);
  const examiner = m.examiner?.name ?? m.examiner?.osAccount ?? 'not recorded';
  const stills = m.evidence.filter((e) => e.role === 'probe');
  const refs = m.evidence.filter((e) => e.role === 'reference');
  const flags = [...new Set(m.runs.map((r) => testModelFlag(r)).filter((f): f is string => !!f))];
  const groups = reportComparisonGroups(m);

  // Cover.
  const cover: Block[] = [
    {
      kind: 'keyValues',
      rows: [
        { key: 'Case', value: m.case.name },
        { key: 'Case status', value: `${m.case.status}, opened ${utc(m.case.createdAt)}` },
        { key: 'Examiner', value: examinerLine(m) },
        { key: 'Report date', value: utc(m.generatedAt) },
        {
          key: 'Scope',
          value: m.scope.runId
            ? `${names.get(m.scope.runId) ?? 'one run'} of the case`
            : `the whole case: ${stills.length} still${stills.length === 1 ? '' : 's'}, ${refs.length} reference photo${refs.length === 1 ? '' : 's'}, ${m.runs.length} run${m.runs.length === 1 ? '' : 's'}, ${m.comparisons.length} comparison${m.comparisons.length === 1 ? '' : 's'}`,
        },
        { key: 'Produced with', value: `${m.generator.app} ${m.generator.version}` },
        { key: 'Report manifest SHA-256', value: manifestSha256, mono: true },
        { key: 'Audit anchor', value: `${m.audit.headSeq}:${m.audit.headHash}`, mono: true },
      ],
    },
    { kind: 'heading', level: 3, text: 'Question examined' },
    { kind: 'para', text: questionText(m, names) },
    { kind: 'heading', level: 3, text: 'Caveats' },
    { kind: 'para', tone: 'caveat', text: SR_CAVEAT },
    { kind: 'para', tone: 'caveat', text: COMPARISON_CAVEAT },
    ...flags.map((f): Block => ({ kind: 'para', tone: 'flag', text: f })),
    {
      kind: 'para',
      text: 'Every image marked AI-generated was produced by a generative model from a 16 × 16 face: it shows one plausible face consistent with those pixels, not the person’s actual appearance. The still’s own pixels, its aligned crop and the bicubic baseline are not AI-generated. Limitations are stated in section 6.',
    },
    { kind: 'heading', level: 3, text: 'Contents' },
    {
      kind: 'keyValues',
      rows: [
        { key: '1', value: 'Summary of findings' },
        { key: '2', value: 'Evidence: the stills and reference photos, with their SHA-256' },
        { key: '3', value: 'Processing chain and results, run by run' },
        { key: '4', value: 'Comparisons with the reference photos' },
        { key: '5', value: 'Audit trail' },
        { key: '6', value: 'Limitations' },
        { key: '7', value: 'Examiner’s statement and signature' },
        { key: 'Appendices', value: 'A identifiers, B how to verify, C machine-readable records' },
      ],
    },
  ];

  const sections: Section[] = [];

  // 1. Summary.
  const summary: Block[] = [
    {
      kind: 'table',
      header: ['Run', 'Input', 'Model and method', 'Status'],
      widths: [40, 150, '*', 100],
      rows: m.runs.map((r) => {
        const face = m.faces.find((f) => f.id === r.faceId);
        const verdict = rerunWords(m, names, r);
        return [
          names.runName(r),
          face ? reportFaceTitle(m, face) : 'face not in this report',
          `${r.model?.id ?? r.settings.modelId}, ${PRESET_LABELS[r.settings.preset]}, ${r.settings.candidates} candidate${r.settings.candidates === 1 ? '' : 's'}, seed ${r.seed}${testModelShort(r) ? ` (${testModelShort(r)})` : ''}`,
          `${r.status}${verdict ? `; ${verdict.replace(/^This run repeats /, 'repeats ')}` : ''}`,
        ];
      }),
    },
  ];
  if (groups.length) {
    summary.push({
      kind: 'para',
      text: 'The declared likelihood ratio (LR) of each run against each reference photo (section 4 states the propositions and the calibration):',
    });
    summary.push({
      kind: 'table',
      header: ['Reference photo', 'Run', 'Declared LR'],
      widths: [130, 40, '*'],
      rows: groups.flatMap((g) =>
        g.rows.map((row) => [g.reference, row.run.split(' · ')[0] ?? row.run, row.lr]),
      ),
    });
  } else summary.push({ kind: 'para', text: 'No comparison with a reference photo was recorded.' });
  summary.push({ kind: 'para', tone: 'caveat', text: SR_CAVEAT });
  sections.push({ id: 'summary', title: '1. Summary of findings', newPage: true, blocks: summary });

  // 2. Evidence.
  const evidence: Block[] = [];
  const previewBlock = (e: Evidence): Block[] => {
    const p = extras.previews?.get(e.id);
    if (!p)
      return [
        {
          kind: 'para',
          tone: 'muted',
          text: 'Preview not available in this report (the original is identified by its SHA-256 below).',
        },
      ];
    const scale = Math.min(240 / p.width, 170 / p.height, 1.5);
    return [
      {
        kind: 'figures',
        items: [
          {
            png: p.png,
            width: Math.max(1, Math.round(p.width * scale)),
            height: Math.max(1, Math.round(p.height * scale)),
            alt: e.originalName,
            caption: [
              `${e.originalName}: the whole original, downscaled for this page — no AI`,
              ...(p.outlinedFaces
                ? [
                    p.outlinedFaces === 1
                      ? 'Blue outline: the region its face was aligned from'
                      : `Blue outlines: the regions its ${p.outlinedFaces} faces were aligned from`,
                  ]
                : []),
            ],
          },
        ],
      },
    ];
  };
  const evidenceRows = (e: Evidence) => [
    { key: 'File name', value: e.originalName },
    { key: 'Role', value: e.role === 'probe' ? 'Still to enhance' : 'Reference photo' },
    { key: 'SHA-256', value: e.sha256, mono: true },
    {
      key: 'Format and size',
      value: `${e.mediaType}, ${e.width} × ${e.height} px, ${bytesText(e.sizeBytes)}`,
    },
    { key: 'Imported', value: `${utc(e.importedAt)} by ${e.importedBy}` },
  ];
  for (const e of [...stills, ...refs]) {
    // The heading is kept with the picture and its table (it never ends a page on its own).
    evidence.push({
      kind: 'keep',
      blocks: [
        { kind: 'heading', level: 3, text: names.evidence(e) },
        ...previewBlock(e),
        { kind: 'keyValues', rows: evidenceRows(e) },
      ],
    });
    for (const f of m.faces.filter((x) => x.evidenceId === e.id)) {
      evidence.push({
        kind: 'para',
        label: `${reportFaceTitle(m, f)} (${FACE_METHOD[f.method]})`,
        text: faceSummary(f),
      });
      const figs: Figure[] = [];
      if (f.method !== 'lr16')
        figs.push({
          png: f.cropPng,
          width: 96,
          height: 96,
          alt: 'aligned crop',
          caption: [provenanceCaption('still'), `SHA-256 ${shortHash(f.cropSha256)}`],
        });
      figs.push({
        png: f.lrPng,
        width: 96,
        height: 96,
        alt: f.method === 'lr16' ? '16x16 LR face (no crop)' : 'LR 16x16',
        caption: [inputLrCaption(f.method), `SHA-256 ${shortHash(f.lrSha256)}`],
        pixelated: true,
      });
      evidence.push({ kind: 'figures', items: figs });
    }
  }
  if (m.evidence.length === 0) evidence.push({ kind: 'para', text: 'No evidence in this report.' });
  sections.push({ id: 'evidence', title: '2. Evidence', newPage: true, blocks: evidence });

  // 3. Processing chain, per run.
  sections.push({
    id: 'chain',
    title: '3. Processing chain and results',
    newPage: true,
    blocks: [
      {
        kind: 'para',
        text: `Each run below is described step by step in words, from the evidence file to the stored outputs. The exact record each run was made from (the C7 record) is in appendix C and in the report manifest; re-running it on the same execution provider reproduces the same output hashes. The uncertainty map shows the per-pixel spread (standard deviation) of a run's candidates: ${UNCERTAINTY_LEGEND.unit}; ${UNCERTAINTY_SCALE_TEXT}, linear in between. AI-generated images are framed in red. The method (score-based SDE face super-resolution) is described in ${m.citation}`,
      },
      ...(m.runs.length === 0 ? [{ kind: 'para', text: 'No run in this report.' } as Block] : []),
    ],
  });
  for (const r of m.runs) {
    const input = reportRunInput(m, r);
    const blocks: Block[] = [{ kind: 'para', text: input.line, role: 'run-input' }];
    if (input.warning)
      blocks.push({ kind: 'para', tone: 'flag', text: input.warning, role: 'resolution-warning' });
    const flag = testModelFlag(r);
    if (flag) blocks.push({ kind: 'para', tone: 'flag', text: flag });
    const rerun = rerunWords(m, names, r);
    if (rerun) blocks.push({ kind: 'para', label: 'Re-run.', text: rerun });
    blocks.push({ kind: 'steps', items: chainSteps(m, names, r) });
    if (r.outputs.length) {
      blocks.push({
        kind: 'keep',
        blocks: [
          { kind: 'para', tone: 'caveat', text: m.caveat },
          { kind: 'figures', items: runFigures(m, r) },
        ],
      });
      blocks.push({
        kind: 'keep',
        blocks: [
          {
            kind: 'table',
            header: ['Image', 'SHA-256 of the PNG file'],
            widths: [110, '*'],
            rows: [...r.outputs]
              .sort((a, b) => outputOrder(a) - outputOrder(b))
              .map((o) => [names.outputWord(o), { text: o.sha256, mono: true }]),
          },
        ],
      });
    }
    sections.push({
      id: `run-${r.number ?? m.runs.indexOf(r) + 1}`,
      title: reportRunTitle(m, r),
      run: true,
      blocks,
    });
  }

  // r sweeps.
  for (const sweep of reportSweeps(m)) {
    const blocks: Block[] = [];
    const flagged = sweep.points.filter((p) => testModelFlag(p.run));
    if (flagged.length)
      blocks.push({
        kind: 'para',
        tone: 'flag',
        text: `${flagged.map((p) => `r = ${p.r}`).join(', ')}: ${testModelFlag(flagged[0]!.run)}`,
      });
    blocks.push({
      kind: 'para',
      text: 'Consistency (MSE in 8-bit levels, lower is closer to the input) of each r:',
    });
    blocks.push({
      kind: 'bullets',
      items: sweep.points.map((p) => {
        const c = p.output?.metrics.consistency;
        return `r = ${p.r}: ${c === undefined ? p.run.status : `consistency ${c.toFixed(1)}`} (${reportRunTitle(m, p.run)})`;
      }),
    });
    if (sweep.similarities.length === 0)
      blocks.push({
        kind: 'para',
        text: 'Cosine similarity (CS) to a reference photo: none. It needs a reference photo chosen for the sweep in the app.',
      });
    for (const s of sweep.similarities) {
      blocks.push({
        kind: 'para',
        text: `Cosine similarity (CS) of each candidate to reference ${s.reference} by ${s.embedderId}, of each r (every comparison is in the audit trail):`,
      });
      blocks.push({ kind: 'bullets', items: s.points.map((p) => sweepSimilarityLine(p)) });
    }
    if (sweep.similarities.length > 0)
      blocks.push({ kind: 'para', tone: 'caveat', text: `${SR_CAVEAT} ${COMPARISON_CAVEAT}` });
    blocks.push({
      kind: 'figures',
      items: sweep.points
        .filter((p) => p.output)
        .map((p) => ({
          png: p.output!.png,
          width: 72,
          height: 72,
          alt: `r = ${p.r}`,
          caption: [
            ...(testModelShort(p.run) ? [testModelShort(p.run)!] : []),
            `r = ${p.r}`,
            outputCaption(p.run, p.output!),
          ],
          ai: true,
        })),
    });
    sections.push({ id: 'sweep', title: sweep.title, blocks });
  }

  // 4. Comparisons.
  const comp: Block[] = [];
  if (m.comparisons.length === 0) comp.push({ kind: 'para', text: 'None.' });
  else {
    const embedders = [...new Map(m.comparisons.map((c) => [c.embedderSha256, c])).values()];
    comp.push({
      kind: 'para',
      label: 'Propositions.',
      text: `${COMPARISON_NOTES[1]} ${COMPARISON_NOTES[2]}`,
    });
    comp.push({ kind: 'para', label: 'Statistic.', text: COMPARISON_NOTES[0]! });
    comp.push({
      kind: 'para',
      label: 'Calibration and comparison method.',
      text: `${embedders.map((c) => `Embedder ${c.embedderId} (SHA-256 ${shortHash(c.embedderSha256)})${typeof c.calibration.set === 'string' ? `, calibration set “${c.calibration.set}”` : ''}${typeof c.calibration.impostorPairs === 'number' ? ` (${c.calibration.impostorPairs} different-person pairs)` : ''}`).join('; ')}. ${COMPARISON_NOTES[3]}`,
    });
    comp.push({ kind: 'para', tone: 'caveat', text: COMPARISON_CAVEAT });
  }
  for (const g of groups) {
    comp.push({ kind: 'heading', level: 3, text: `Reference photo: ${g.reference}` });
    for (const row of g.rows) {
      comp.push({ kind: 'para', label: row.run, text: '' });
      if (row.sameSource)
        comp.push({ kind: 'para', tone: 'flag', text: row.sameSource, role: 'same-source' });
      comp.push({ kind: 'para', text: row.input });
      comp.push({ kind: 'para', text: `Likelihood ratio (declared): ${row.lr}` });
      comp.push({ kind: 'para', tone: 'small', text: row.similarity });
    }
  }
  if (m.comparisons.length) {
    comp.push({ kind: 'heading', level: 3, text: 'Every comparison recorded' });
    comp.push({
      kind: 'table',
      header: ['Image compared', 'Reference photo', 'Embedder', 'Score', 'Calibration'],
      widths: ['*', 95, 75, 40, 100],
      rows: m.comparisons.map((c) => [
        names.subjectOf(c),
        names.fileOf(c.referenceEvidenceId),
        c.embedderId,
        c.score.toFixed(4),
        c.calibrationPercentile === null
          ? 'uncalibrated'
          : `percentile ${c.calibrationPercentile.toFixed(1)} of the calibration set`,
      ]),
    });
  }
  sections.push({ id: 'comparisons', title: '4. Comparisons', newPage: true, blocks: comp });

  // 5. Audit trail.
  const events = m.audit.excerpt;
  sections.push({
    id: 'audit',
    title: '5. Audit trail',
    newPage: true,
    blocks: [
      ...auditLines(m).map((l): Block => ({ kind: 'para', text: l, tone: 'small' })),
      {
        kind: 'para',
        text: `${events.length === m.audit.events ? `All ${events.length} events` : `The last ${events.length} of ${m.audit.events} events`} of the case's append-only audit trail (every event, with its hash, is in the report manifest):`,
      },
      {
        kind: 'table',
        header: ['#', 'Time', 'By', 'Action', 'Subject'],
        widths: [20, 92, 80, 85, '*'],
        rows: events.map((e) => [
          String(e.seq),
          utc(e.time),
          e.examiner ? `${e.examiner} (${e.actor})` : e.actor,
          actionWords(e.action),
          subjectWords(names, e),
        ]),
      },
    ],
  });

  // 6. Limitations.
  sections.push({
    id: 'limitations',
    title: '6. Limitations',
    blocks: [
      {
        kind: 'bullets',
        items: [
          SR_CAVEAT,
          'The model sees only the 16 × 16 face made from the still (step “Downscale”); any detail finer than that is invented by the model, and different candidates of one run show how much it varies.',
          'A face larger than about 10 px between the eyes in its still is shrunk before the model sees it: the run then discards real detail, and the still’s own aligned crop is the better view (flagged RESOLUTION where it applies).',
          COMPARISON_CAVEAT,
          'A likelihood ratio is valid only for the condition it was calibrated for (named with each LR) and for the population of the calibration set; outside them it is not reported.',
          ...flags,
          `Method: ${m.citation}`,
        ],
      },
    ],
  });

  // 7. Statement and signature.
  sections.push({
    id: 'statement',
    title: '7. Examiner’s statement',
    blocks: [
      {
        kind: 'para',
        text: `I, ${m.examiner?.name ?? '____________________'}, made the work recorded in this report with ${m.generator.app} ${m.generator.version}. The evidence files were handled read-only and are identified by their SHA-256; every step that changed the case is in its audit trail, which verified at report time. The AI-generated images in this report are investigative aids: they are not evidence of identity and must not be used as such. The opinions in this report are limited to the questions stated on its cover and to the limitations in section 6.`,
      },
      {
        kind: 'signature',
        rows: [
          { key: 'Name', value: m.examiner?.name ?? '' },
          { key: 'OS account', value: m.examiner?.osAccount ?? '' },
          { key: 'Date', value: '' },
          { key: 'Signature', value: '' },
        ],
      },
    ],
  });

  // Appendices: identifiers, how to verify, the machine-readable records.
  sections.push({
    id: 'appendix-a',
    title: `${APPENDIX_TITLE} A: identifiers`,
    newPage: true,
    blocks: [
      {
        kind: 'para',
        text: 'The names used in this report and the identifiers the case database and the manifest use for them.',
      },
      {
        kind: 'table',
        header: ['Name in this report', 'Identifier'],
        widths: ['*', 200],
        rows: names.table.map((n) => [n.name, { text: n.id, mono: true }]),
      },
    ],
  });
  sections.push({
    id: 'appendix-b',
    title: `${APPENDIX_TITLE} B: how to verify`,
    blocks: [
      {
        kind: 'keyValues',
        rows: [
          {
            key: 'Report manifest',
            value: `the JSON file made with this report (format ${m.format}; \`facet report\` names it report-<case>-<date>.manifest.json)`,
          },
          { key: 'Manifest SHA-256', value: manifestSha256, mono: true },
          { key: 'Case identifier', value: m.case.id, mono: true },
        ],
      },
      { kind: 'steps', items: m.howToVerify },
    ],
  });
  const records: Block[] = [
    {
      kind: 'para',
      text: 'The records each run was made from, exactly as stored (JSON). They are also in the report manifest, which is the machine-readable form of this whole report.',
    },
  ];
  for (const r of m.runs) {
    records.push({
      kind: 'code',
      title: `${names.runName(r)}: settings and C7 record (run ${r.id})`,
      text: JSON.stringify({ settings: r.settings, seed: r.seed, record: r.record }, null, 2),
    });
  }
  const models = new Map<string, NonNullable<ManifestRun['model']>>();
  for (const r of m.runs) if (r.model) models.set(r.model.sha256, r.model);
  for (const model of models.values()) {
    records.push({
      kind: 'code',
      title: `Model ${model.id}: provenance (SHA-256 ${model.sha256})`,
      text: model.provenance
        ? JSON.stringify(model.provenance, null, 2)
        : 'No provenance manifest found for this model.',
    });
  }
  for (const f of m.faces) {
    records.push({
      kind: 'code',
      title: `${reportFaceTitle(m, f)}: alignment (face ${f.id})`,
      text: JSON.stringify(
        {
          method: f.method,
          points: f.points,
          transform: f.transform,
          cropSha256: f.cropSha256,
          lrSha256: f.lrSha256,
        },
        null,
        2,
      ),
    });
  }
  sections.push({
    id: 'appendix-c',
    title: `${APPENDIX_TITLE} C: machine-readable records`,
    blocks: records,
  });

  const title = 'Facial image enhancement report';
  return {
    title,
    caseName: m.case.name,
    header: `Facet SR · ${title} · ${m.case.name}`,
    footer: `Case ${m.case.name} · examiner ${examiner} · ${utc(m.generatedAt)}`,
    metadata: {
      title: `${title}: ${m.case.name}`,
      author: examiner,
      subject: m.caveat,
      creator: `${m.generator.app} ${m.generator.version}`,
      date: new Date(m.generatedAt),
    },
    cover,
    sections,
  };
}

/** A face's alignment in a sentence (the run's chain gives the numbers). */
function faceSummary(f: Face): string {
  if (f.method === 'lr16') return 'The file is the 16 × 16 face itself: no crop.';
  if (f.method === 'aligned') return 'The file is an aligned crop, used as is.';
  const t = similarityParts(f.transform);
  return `${f.points.length} landmarks (${LANDMARK_NAMES.slice(0, f.points.length).join(', ')}); similarity transform scale ${fmt(t.scale, 3)}, rotation ${fmt(t.angleDeg, 1)}°. Aligned by ${f.createdBy} on ${utc(f.createdAt)}.`;
}
