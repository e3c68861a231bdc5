import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Affine } from '../../core/face/affine';
import { applyAffine } from '../../core/face/affine';
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
import type { LrCalibrationFile } from '../../core/face/likelihood-ratio';
import { frameCrop, framingError } from '../../core/face/framing';
import { EMBEDDER_NAMES, type EmbedderManifest, type EmbedderName } from '../../core/face/manifest';
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

/**
 * The embedder used for comparisons: the best by TAR at FAR 1 % on SR candidates from 16x16 faces, what the app
 * compares (docs/results/identity-lr: 0.350 against faceres' 0.245 on 200 eval/celeba identities, McNemar p 0.004).
 * faceres is better on full-resolution photos and stays selectable.
 */
export const DEFAULT_EMBEDDER: EmbedderName = 'mobileface';

const NMS_IOU = 0.3;
/** BlazeFace input: pixels mapped from [0,1] to [-1,1]. */
const BLAZEFACE_RANGE = { scale: 2, offset: -1 };

function toTensor(image: RgbImage, scale: number, offset: number): ort.Tensor {
  const data = new Float32Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i]! * scale + offset;
  return new ort.Tensor('float32', data, [1, image.height, image.width, 3]);
}

/** Smallest tile side (image px) of the finest, quarter-size level: it is added only for images this big x4. */
const MIN_QUARTER_TILE = 128;

/**
 * Detection pyramid over the square canvas (side = the image's long side, padded right/bottom): level k
 * splits it into tiles of side/k at strides of side/(2k), each seen by the 256 px detector. Levels: the whole
 * frame, half-size tiles (3x3), and for large images (side >= 512) quarter-size tiles (7x7). A face k times
 * smaller relative to the frame is thus seen up to 4x bigger.
 */
export function detectionLevels(side: number): number[] {
  return side / 4 >= MIN_QUARTER_TILE ? [1, 2, 4] : [1, 2];
}

/** Face detection, landmarks, C1 alignment and identity embeddings over the converted ONNX models. */
export class FacePipeline {
  private readonly anchors = blazefaceAnchors();

  private constructor(
    private readonly detector: ort.InferenceSession,
    private readonly mesh: ort.InferenceSession,
    private readonly embedders: Record<
      EmbedderName,
      { session: ort.InferenceSession; manifest: EmbedderManifest; lr: LrCalibrationFile | null }
    >,
    private readonly options: Required<FacePipelineOptions>,
  ) {}

  /** Loads the detector, the landmark model and every embedder of EMBEDDER_NAMES from `modelsDir` (models/face). */
  static async load(modelsDir: string, options: FacePipelineOptions = {}): Promise<FacePipeline> {
    const threads = options.threads ?? 1;
    const so: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const open = (name: string) => ort.InferenceSession.create(join(modelsDir, `${name}.onnx`), so);
    const manifest = (name: EmbedderName) => {
      const m = JSON.parse(readFileSync(join(modelsDir, `${name}.json`), 'utf8')) as EmbedderManifest;
      const bad = m.input.framing && framingError(m.input.framing);
      if (bad) throw new Error(`${name}.json: ${bad}`);
      return m;
    };
    const [detector, mesh, ...sessions] = await Promise.all([
      open('blazeface'),
      open('facemesh'),
      ...EMBEDDER_NAMES.map((name) => open(name)),
    ]);
    // Score-to-LR calibrations (<name>.lr.json) are optional: an embedder without one reports no LR.
    const lr = (name: EmbedderName) => {
      const path = join(modelsDir, `${name}.lr.json`);
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as LrCalibrationFile) : null;
    };
    const embedders = Object.fromEntries(
      EMBEDDER_NAMES.map((name, i) => [
        name,
        { session: sessions[i]!, manifest: manifest(name), lr: lr(name) },
      ]),
    ) as Record<
      EmbedderName,
      { session: ort.InferenceSession; manifest: EmbedderManifest; lr: LrCalibrationFile | null }
    >;
    return new FacePipeline(detector!, mesh!, embedders, {
      threads,
      minScore: options.minScore ?? 0.75,
      minMeshScore: options.minMeshScore ?? 0.5,
      defaultEmbedder: options.defaultEmbedder ?? DEFAULT_EMBEDDER,
    });
  }

  /** The manifest of an embedder (provenance, input spec, measured separation, calibration). */
  manifest(embedder: EmbedderName = this.options.defaultEmbedder): EmbedderManifest {
    return this.embedders[embedder].manifest;
  }

  /** The embedders this pipeline opened, the default first. */
  embedderNames(): EmbedderName[] {
    const d = this.options.defaultEmbedder;
    return [d, ...(Object.keys(this.embedders) as EmbedderName[]).filter((n) => n !== d)];
  }

  /** The embedder's score-to-LR calibrations (models/face/<name>.lr.json), or null when it has none. */
  lrCalibrations(embedder: EmbedderName = this.options.defaultEmbedder): LrCalibrationFile | null {
    const file = this.embedders[embedder].lr;
    // A calibration belongs to the exact network it was measured on.
    return file && file.embedderSha256 === this.embedders[embedder].manifest.sha256 ? file : null;
  }

  /** Raw BlazeFace detections over the whole image and half-size tiles, in image px, after NMS. */
  async detectRaw(image: RgbImage): Promise<Detection[]> {
    assertImage(image);
    const side = Math.max(image.width, image.height);
    const found: Detection[] = [];
    for (const k of detectionLevels(side)) {
      // Resample the image once per level so that one tile is 256 px; tiles are then plain crops.
      const s = (BLAZEFACE_SIZE * k) / side;
      const level = warpAffine(
        image,
        [s, 0, 0, 0, s, 0],
        Math.min(BLAZEFACE_SIZE * k, Math.ceil(image.width * s)),
        Math.min(BLAZEFACE_SIZE * k, Math.ceil(image.height * s)),
      );
      const stride = k === 1 ? BLAZEFACE_SIZE : BLAZEFACE_SIZE / 2;
      for (let ty = 0; ty + BLAZEFACE_SIZE <= BLAZEFACE_SIZE * k; ty += stride) {
        for (let tx = 0; tx + BLAZEFACE_SIZE <= BLAZEFACE_SIZE * k; tx += stride) {
          if (tx >= level.width || ty >= level.height) continue; // only padding
          const input = cropPadded(level, tx, ty, BLAZEFACE_SIZE);
          const out = await this.detector.run({
            [this.detector.inputNames[0]!]: toTensor(input, BLAZEFACE_RANGE.scale, BLAZEFACE_RANGE.offset),
          });
          const logits = concat(out.cls16!.data as Float32Array, out.cls8!.data as Float32Array);
          const regs = concat(out.reg16!.data as Float32Array, out.reg8!.data as Float32Array);
          const dets = weightedNms(
            decodeBlazeface(logits, regs, this.anchors, this.options.minScore),
            NMS_IOU,
          );
          // Tile px -> image px.
          const back: Affine = [1 / s, 0, tx / s, 0, 1 / s, ty / s];
          for (const d of dets) {
            // A face cut by an inner tile edge is seen whole by a neighbouring tile or the full frame.
            if (k > 1 && touchesEdge(d.box, BLAZEFACE_SIZE)) continue;
            found.push(mapDetection(d, back));
          }
        }
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

  /** Five landmarks from FaceMesh seeded by two eye points and a face centre and side, refined once. */
  private async landmarks(image: RgbImage, rightEye: Point, leftEye: Point, center: Point, side: number) {
    const first = await this.runMesh(image, roiFromEyes(center, side, rightEye, leftEye));
    const refined = await this.runMesh(image, roiFromMesh(first.mesh));
    return { points: fivePointsFromMesh(refined.mesh), score: refined.score };
  }

  /**
   * Five landmarks for a face the detector missed, from two user-placed eye centres (image-left eye first):
   * the face region is estimated from the eyes (face side ~2.3 eye distances, centre half an eye distance
   * below the eye midpoint, as in C1) and resampled up to FaceMesh's 192 px, so tiny faces are enlarged for
   * the landmark model. `meshScore` says how face-like FaceMesh found the region; callers may fall back to the
   * two-point alignment when it is low.
   */
  async landmarksFromEyes(
    image: RgbImage,
    rightEye: Point,
    leftEye: Point,
  ): Promise<{ points: Point[]; meshScore: number }> {
    assertImage(image);
    const dx = leftEye.x - rightEye.x;
    const dy = leftEye.y - rightEye.y;
    const iod = Math.hypot(dx, dy);
    if (!(iod > 0)) throw new Error('the two eye points must differ');
    // Unit normal pointing down the face (image y down): rotate the eye direction by +90°.
    const center = {
      x: (rightEye.x + leftEye.x) / 2 - (dy / iod) * 0.5 * iod,
      y: (rightEye.y + leftEye.y) / 2 + (dx / iod) * 0.5 * iod,
    };
    const lm = await this.landmarks(image, rightEye, leftEye, center, 2.3 * iod);
    return { points: lm.points, meshScore: lm.score };
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
    const { input } = this.embedders[embedder].manifest;
    return this.embedInput(frameCrop(crop, input.size, input.framing), embedder);
  }

  /** The embedder's network on an input already at its size and framing (what `embed` builds from a crop). */
  async embedInput(
    input: RgbImage,
    embedder: EmbedderName = this.options.defaultEmbedder,
  ): Promise<Float32Array> {
    assertImage(input);
    const { session, manifest } = this.embedders[embedder];
    if (input.width !== manifest.input.size || input.height !== manifest.input.size)
      throw new Error(
        `${embedder} takes ${manifest.input.size}x${manifest.input.size} px, got ${input.width}x${input.height}`,
      );
    const out = await session.run({ [session.inputNames[0]!]: toTensor(input, manifest.input.scale, 0) });
    return Float32Array.from(out[manifest.output.name]!.data as Float32Array);
  }

  /** Releases the onnxruntime sessions. */
  async close(): Promise<void> {
    await Promise.all([
      this.detector.release(),
      this.mesh.release(),
      ...Object.values(this.embedders).map((e) => e.session.release()),
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

/** A size x size crop at (x, y); pixels beyond the image are black (as warpAffine treats them). */
function cropPadded(image: RgbImage, x: number, y: number, size: number): RgbImage {
  const data = new Float32Array(size * size * 3);
  const w = Math.min(size, image.width - x);
  for (let row = 0; row < size && y + row < image.height; row++) {
    const from = ((y + row) * image.width + x) * 3;
    data.set(image.data.subarray(from, from + w * 3), row * size * 3);
  }
  return { width: size, height: size, data };
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
