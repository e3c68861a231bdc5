import type { ScoreCalibration } from './calibration';
import type { EmbedderFraming } from './framing';

/** Names of the converted face-recognition networks (models/face/<name>.onnx + .json). */
export const EMBEDDER_NAMES = ['faceres', 'mobileface', 'faceapi'] as const;
export type EmbedderName = (typeof EMBEDDER_NAMES)[number];

/** Where a converted model came from (DESIGN.md C4 provenance). */
export interface ModelProvenance {
  readonly package: string;
  readonly version: string;
  readonly packageLicence: string;
  /** SHA-256 of each original TF.js file (model JSON and weight shards). */
  readonly files: Readonly<Record<string, string>>;
  readonly upstream: string;
  readonly licenceNote: string;
  readonly converter: string;
}

/** How an embedder's input is formed from a C1 crop. */
export interface EmbedderInputSpec {
  readonly name: string;
  readonly layout: 'NHWC';
  readonly size: number;
  /** Pixel values are scaled from [0,1] to [0, scale]. */
  readonly scale: number;
  readonly resize: string;
  /** Where the C1 crop sits in the input (absent: it fills the input). */
  readonly framing?: EmbedderFraming;
}

/** Identity separation measured on eval/celeba (see docs/results/face-identity.json). */
export interface IdentityMeasurement {
  readonly auc: number;
  readonly tarAtFar1: number;
  readonly tarAtFar01: number;
}

/** The JSON manifest next to an embedder ONNX file (DESIGN.md C4). */
export interface EmbedderManifest {
  readonly id: EmbedderName;
  readonly task: 'embedder';
  readonly file: string;
  readonly sha256: string;
  readonly provenance: ModelProvenance;
  readonly input: EmbedderInputSpec;
  readonly output: { readonly name: string; readonly dim: number };
  /** Filled by tools/face-eval; absent until measured. */
  readonly identity?: {
    readonly protocol: string;
    readonly hr: IdentityMeasurement;
    readonly hrVsBicubic16?: IdentityMeasurement;
  };
  /** Score placement for the comparison screen (HR genuine/impostor distributions). */
  readonly calibration?: ScoreCalibration;
}
