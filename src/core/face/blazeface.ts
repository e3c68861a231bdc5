import type { Point } from '../image/types';

/** Side of the BlazeFace (back-camera, 256 px) input. */
export const BLAZEFACE_SIZE = 256;

/** A face box in pixels (top-left corner, size). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One raw detection: box, confidence and BlazeFace's six keypoints (eyes, nose, mouth, ears). */
export interface Detection {
  readonly box: Box;
  readonly score: number;
  /** Right eye, left eye (subject's), nose tip, mouth centre, right ear, left ear. */
  readonly keypoints: readonly Point[];
}

/**
 * SSD anchor centres of the 256 px BlazeFace model, in input pixels: a 16x16 grid (stride 16) with 2 anchors
 * per cell, then an 8x8 grid (stride 32) with 6 anchors per cell: 512 + 384 = 896 anchors, row-major,
 * matching the order of the model's two output heads. Anchor sizes are fixed at 1, so regressions are pixels.
 */
export function blazefaceAnchors(size = BLAZEFACE_SIZE): Float32Array {
  const layers = [
    { stride: size / 16, count: 2 },
    { stride: size / 8, count: 6 },
  ];
  const out: number[] = [];
  for (const { stride, count } of layers) {
    const cells = Math.ceil(size / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let k = 0; k < count; k++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  }
  return Float32Array.from(out);
}

/** Logistic function with the logit clipped as MediaPipe does, so huge logits stay finite. */
function sigmoid(logit: number): number {
  const z = Math.min(100, Math.max(-100, logit));
  return 1 / (1 + Math.exp(-z));
}

/**
 * Decodes BlazeFace outputs into detections in input pixels.
 * `logits`: [896] face logits; `regressors`: [896 x 16] = (Δcx, Δcy, w, h, then 6 keypoint (Δx, Δy)),
 * all in input pixels relative to the anchor centre. Keeps detections whose score reaches `minScore`.
 */
export function decodeBlazeface(
  logits: Float32Array,
  regressors: Float32Array,
  anchors: Float32Array,
  minScore: number,
): Detection[] {
  const n = anchors.length / 2;
  if (logits.length !== n || regressors.length !== n * 16) {
    throw new Error(`blazeface outputs do not match ${n} anchors`);
  }
  const out: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const score = sigmoid(logits[i]!);
    if (score < minScore) continue;
    const ax = anchors[2 * i]!;
    const ay = anchors[2 * i + 1]!;
    const r = i * 16;
    const cx = ax + regressors[r]!;
    const cy = ay + regressors[r + 1]!;
    const w = regressors[r + 2]!;
    const h = regressors[r + 3]!;
    if (!(w > 0 && h > 0)) continue;
    const keypoints: Point[] = [];
    for (let k = 0; k < 6; k++) {
      keypoints.push({ x: ax + regressors[r + 4 + 2 * k]!, y: ay + regressors[r + 5 + 2 * k]! });
    }
    out.push({ box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, score, keypoints });
  }
  return out;
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Weighted non-maximum suppression (as MediaPipe's face detector): detections are taken by falling score;
 * each kept one absorbs those overlapping it by more than `iouThreshold`, and its box and keypoints become
 * the score-weighted mean of the group (steadier than the single best anchor). The score stays the best.
 */
export function weightedNms(dets: readonly Detection[], iouThreshold: number): Detection[] {
  const sorted = [...dets].sort((p, q) => q.score - p.score);
  const used = new Array<boolean>(sorted.length).fill(false);
  const out: Detection[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    const best = sorted[i]!;
    let wsum = 0;
    let bx = 0;
    let by = 0;
    let bw = 0;
    let bh = 0;
    const kp = best.keypoints.map(() => ({ x: 0, y: 0 }));
    for (let j = i; j < sorted.length; j++) {
      if (used[j]) continue;
      const d = sorted[j]!;
      if (j !== i && iou(best.box, d.box) <= iouThreshold) continue;
      used[j] = true;
      wsum += d.score;
      bx += d.score * d.box.x;
      by += d.score * d.box.y;
      bw += d.score * d.box.width;
      bh += d.score * d.box.height;
      d.keypoints.forEach((p, k) => {
        kp[k]!.x += d.score * p.x;
        kp[k]!.y += d.score * p.y;
      });
    }
    out.push({
      box: { x: bx / wsum, y: by / wsum, width: bw / wsum, height: bh / wsum },
      score: best.score,
      keypoints: kp.map((p) => ({ x: p.x / wsum, y: p.y / wsum })),
    });
  }
  return out;
}
