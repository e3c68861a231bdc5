import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Affine } from '../../core/face/affine';
import { applyAffine, invertAffine } from '../../core/face/affine';
import { alignFace, type AlignedFace } from '../../core/face/align';
import {
  BLAZEFACE_SIZE,
  blazefaceAnchors,
  decodeBlazeface,
  iou,
  weightedNms,
  type Box,
  type Detection,
} from '../../core/face/blazeface';
import {
  FACEMESH_SIZE,
  fivePointsFromMesh,
  meshToImage,
  roiFromEyes,
  roiFromMesh,
  roiToCropTransform,
} from '../../core/face/facemesh';
import type { EmbedderManifest, EmbedderName } from '../../core/face/manifest';
import { warpAffine } from '../../core/face/warp';
import type { Point, RgbImage } from '../../core/image/types';

export type { AlignedFace } from '../../core/face/align';

/** A face found in an image: box and five C1 landmarks in image pixels. */
export interface DetectedFace {
  readonly box: Box;
  /** BlazeFace confidence in [0,1]. */
  readonly score: number;
  /** Eye centres, nose tip, mouth corners (C1 template order), image px, from FaceMesh. */
  readonly landmarks: Point[];
  /** FaceMesh's own face-presence confidence for the refined crop. */
  readonly meshScore: number;
}

/** Options for loading the face models. */
export interface FacePipelineOptions {
  /** onnxruntime intra-op threads per session (default 1). */
  readonly threads?: number;
  /** Minimum BlazeFace score (default 0.75). */
  readonly minScore?: number;
  /** Minimum FaceMesh face-presence score for a detection to be kept (default 0.5). */
  readonly minMeshScore?: number;
  /** Embedder used when `embed` is called without one (default: the measured default, see DEFAULT_EMBEDDER). */
  readonly defaultEmbedder?: EmbedderName;
}

/** The embedder chosen by the identity measurement in docs/results/face-identity.json. */
export const DEFAULT_EMBEDDER: EmbedderName = 'faceres';

const NMS_IOU = 0.3;
/** BlazeFace input: pixels mapped from [0,1] to [-1,1]. */
const BLAZEFACE_RANGE = { scale: 2, offset: -1 };

function toTensor(image: RgbImage, scale: number, offset: number): ort.Tensor {
  const data = new Float32Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i]! * scale + offset;
  return new ort.Tensor('float32', data, [1, image.height, image.width, 3]);
}

/** Square tiles (side, stride) covering a square canvas of side `side`, coarse to fine. */
function tiles(side: number): { x: number; y: number; size: number }[] {
  const out = [{ x: 0, y: 0, size: side }];
  // Half-size tiles at quarter strides: a face half as large relative to the frame is seen twice as big.
  const half = side / 2;
  for (let ty = 0; ty + half <= side + 1e-6; ty += half / 2) {
    for (let tx = 0; tx + half <= side + 1e-6; tx += half / 2) out.push({ x: tx, y: ty, size: half });
  }
  return out;
}

/** Face detection, landmarks, C1 alignment and identity embeddings over the converted ONNX models. */
export class FacePipeline {
  private readonly anchors = blazefaceAnchors();

  private constructor(
    private readonly detector: ort.InferenceSession,
    private readonly mesh: ort.InferenceSession,
    private readonly embedders: Record<
      EmbedderName,
      { session: ort.InferenceSession; manifest: EmbedderManifest }
    >,
    private readonly options: Required<FacePipelineOptions>,
  ) {}

  /** Loads the four models from `modelsDir` (models/face). */
  static async load(modelsDir: string, options: FacePipelineOptions = {}): Promise<FacePipeline> {
    const threads = options.threads ?? 1;
    const so: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const open = (name: string) => ort.InferenceSession.create(join(modelsDir, `${name}.onnx`), so);
    const manifest = (name: EmbedderName) =>
      JSON.parse(readFileSync(join(modelsDir, `${name}.json`), 'utf8')) as EmbedderManifest;
    const [detector, mesh, faceres, mobileface] = await Promise.all([
      open('blazeface'),
      open('facemesh'),
      open('faceres'),
      open('mobileface'),
    ]);
    return new FacePipeline(
      detector,
      mesh,
      {
        faceres: { session: faceres, manifest: manifest('faceres') },
        mobileface: { session: mobileface, manifest: manifest('mobileface') },
      },
      {
        threads,
        minScore: options.minScore ?? 0.75,
        minMeshScore: options.minMeshScore ?? 0.5,
        defaultEmbedder: options.defaultEmbedder ?? DEFAULT_EMBEDDER,
      },
    );
  }

  /** The manifest of an embedder (provenance, input spec, measured separation, calibration). */
  manifest(embedder: EmbedderName = this.options.defaultEmbedder): EmbedderManifest {
    return this.embedders[embedder].manifest;
  }

  /** Raw BlazeFace detections over the whole image and half-size tiles, in image px, after NMS. */
  async detectRaw(image: RgbImage): Promise<Detection[]> {
    assertImage(image);
    const side = Math.max(image.width, image.height);
    const found: Detection[] = [];
    for (const tile of tiles(side)) {
      // Skip tiles entirely outside the image (the canvas is padded at right/bottom).
      if (tile.x >= image.width || tile.y >= image.height) continue;
      const s = BLAZEFACE_SIZE / tile.size;
      const toInput: Affine = [s, 0, -tile.x * s, 0, s, -tile.y * s];
      const input = warpAffine(image, toInput, BLAZEFACE_SIZE, BLAZEFACE_SIZE);
      const out = await this.detector.run({
        [this.detector.inputNames[0]!]: toTensor(input, BLAZEFACE_RANGE.scale, BLAZEFACE_RANGE.offset),
      });
      const logits = concat(out.cls16!.data as Float32Array, out.cls8!.data as Float32Array);
      const regs = concat(out.reg16!.data as Float32Array, out.reg8!.data as Float32Array);
      const dets = weightedNms(decodeBlazeface(logits, regs, this.anchors, this.options.minScore), NMS_IOU);
      const back = invertAffine(toInput);
      for (const d of dets) {
        // A face cut by an inner tile edge is seen whole by a neighbouring tile or the full frame.
        if (tile.size < side && touchesEdge(d.box, BLAZEFACE_SIZE)) continue;
        found.push(mapDetection(d, back));
      }
    }
    // Across tiles keep the best-scoring box of each overlapping group.
    const sorted = found.sort((p, q) => q.score - p.score);
    const kept: Detection[] = [];
    for (const d of sorted) if (kept.every((k) => iou(k.box, d.box) <= NMS_IOU)) kept.push(d);
    return kept;
  }

  /** FaceMesh on a region of interest; returns image-px mesh and presence score. */
  async runMesh(
    image: RgbImage,
    roi: ReturnType<typeof roiFromEyes>,
  ): Promise<{ mesh: Point[]; score: number }> {
    const toCrop = roiToCropTransform(roi);
    const crop = warpAffine(image, toCrop, FACEMESH_SIZE, FACEMESH_SIZE);
    const out = await this.mesh.run({ [this.mesh.inputNames[0]!]: toTensor(crop, 1, 0) });
    return {
      mesh: meshToImage(out.mesh!.data as Float32Array, toCrop),
      score: (out.faceflag!.data as Float32Array)[0]!,
    };
  }

  /** Five landmarks for a face given two eye points and its rough size (also for manual, tiny faces). */
  async landmarks(image: RgbImage, rightEye: Point, leftEye: Point, center: Point, side: number) {
    const first = await this.runMesh(image, roiFromEyes(center, side, rightEye, leftEye));
    const refined = await this.runMesh(image, roiFromMesh(first.mesh));
    return { points: fivePointsFromMesh(refined.mesh), score: refined.score, mesh: refined.mesh };
  }

  /** Finds faces and their five C1 landmarks (image px). */
  async detect(image: RgbImage): Promise<DetectedFace[]> {
    const faces: DetectedFace[] = [];
    for (const d of await this.detectRaw(image)) {
      const center = { x: d.box.x + d.box.width / 2, y: d.box.y + d.box.height / 2 };
      const lm = await this.landmarks(
        image,
        d.keypoints[0]!,
        d.keypoints[1]!,
        center,
        Math.max(d.box.width, d.box.height),
      );
      if (lm.score < this.options.minMeshScore) continue;
      faces.push({ box: d.box, score: d.score, landmarks: lm.points, meshScore: lm.score });
    }
    return faces;
  }

  /** Aligns to C1 from 2 (eye centres) or 5 landmarks in image px. */
  align(image: RgbImage, points: readonly Point[]): AlignedFace {
    assertImage(image);
    return alignFace(image, points);
  }

  /** Identity embedding of a C1 crop (any square RgbImage, resized to the network input). */
  async embed(crop: RgbImage, embedder: EmbedderName = this.options.defaultEmbedder): Promise<Float32Array> {
    assertImage(crop);
    if (crop.width !== crop.height)
      throw new Error(`embed expects a square C1 crop, got ${crop.width}x${crop.height}`);
    const { session, manifest } = this.embedders[embedder];
    const n = manifest.input.size;
    const s = n / crop.width;
    const input = n === crop.width ? crop : warpAffine(crop, [s, 0, 0, 0, s, 0], n, n);
    const out = await session.run({ [session.inputNames[0]!]: toTensor(input, manifest.input.scale, 0) });
    return Float32Array.from(out[manifest.output.name]!.data as Float32Array);
  }

  /** Releases the onnxruntime sessions. */
  async close(): Promise<void> {
    await Promise.all([
      this.detector.release(),
      this.mesh.release(),
      this.embedders.faceres.session.release(),
      this.embedders.mobileface.session.release(),
    ]);
  }
}

function assertImage(image: RgbImage): void {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`image size must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new Error(`image data holds ${data.length} values, expected ${width * height * 3}`);
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function touchesEdge(b: Box, size: number): boolean {
  const m = 2;
  return b.x < m || b.y < m || b.x + b.width > size - m || b.y + b.height > size - m;
}

function mapDetection(d: Detection, m: Affine): Detection {
  const p0 = applyAffine(m, { x: d.box.x, y: d.box.y });
  const p1 = applyAffine(m, { x: d.box.x + d.box.width, y: d.box.y + d.box.height });
  return {
    box: { x: p0.x, y: p0.y, width: p1.x - p0.x, height: p1.y - p0.y },
    score: d.score,
    keypoints: d.keypoints.map((p) => applyAffine(m, p)),
  };
}
