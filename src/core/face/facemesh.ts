import type { Point } from '../image/types';
import type { Affine } from './affine';
import { applyAffine, invertAffine } from './affine';

/** Side of the FaceMesh input crop. */
export const FACEMESH_SIZE = 192;

/** Number of FaceMesh landmarks (x, y, z each). */
export const MESH_POINTS = 468;

/** FaceMesh indices around the subject's right eye (image-left on a frontal face): lid contour. */
export const RIGHT_EYE_RING = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
/** FaceMesh indices around the subject's left eye (image-right). */
export const LEFT_EYE_RING = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466];
/** FaceMesh nose tip. */
export const NOSE_TIP = 1;
/** FaceMesh mouth corners: subject's right (image-left), subject's left (image-right). */
export const MOUTH_CORNERS = [61, 291] as const;
/** FaceMesh outer eye corners used to level the region of interest. */
export const EYE_OUTER_CORNERS = [33, 263] as const;

/** A square, rotated region of interest in the image, fed to FaceMesh. */
export interface MeshRoi {
  readonly center: Point;
  /** Side in image pixels. */
  readonly size: number;
  /** Rotation of the face's eye line in the image, radians (image y down). */
  readonly angle: number;
}

/**
 * The region of interest for FaceMesh from two eye points and a face box centre and side, as MediaPipe
 * derives it: square, `scale` times the face side, rotated so the eye line is horizontal in the crop.
 */
export function roiFromEyes(
  center: Point,
  side: number,
  rightEye: Point,
  leftEye: Point,
  scale = 1.5,
): MeshRoi {
  const angle = Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x);
  return { center, size: side * scale, angle };
}

/** Affine map image px -> FaceMesh crop px (192x192) for a region of interest. */
export function roiToCropTransform(roi: MeshRoi, cropSize = FACEMESH_SIZE): Affine {
  // crop -> image: p = c + R(angle)·(s·(q − cropSize/2)), s = roi.size / cropSize.
  const s = roi.size / cropSize;
  const cos = Math.cos(roi.angle) * s;
  const sin = Math.sin(roi.angle) * s;
  const h = cropSize / 2;
  const cropToImage: Affine = [
    cos,
    -sin,
    roi.center.x - cos * h + sin * h,
    sin,
    cos,
    roi.center.y - sin * h - cos * h,
  ];
  return invertAffine(cropToImage);
}

/** Maps FaceMesh's [468 x 3] crop-pixel output to image points (x, y; depth dropped). */
export function meshToImage(mesh: Float32Array, imageToCrop: Affine): Point[] {
  if (mesh.length < MESH_POINTS * 3) throw new Error(`facemesh output has ${mesh.length} values, need 1404`);
  const cropToImage = invertAffine(imageToCrop);
  const out: Point[] = [];
  for (let i = 0; i < MESH_POINTS; i++) {
    out.push(applyAffine(cropToImage, { x: mesh[3 * i]!, y: mesh[3 * i + 1]! }));
  }
  return out;
}

function mean(points: readonly Point[], idx: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += points[i]!.x;
    y += points[i]!.y;
  }
  return { x: x / idx.length, y: y / idx.length };
}

/**
 * The five C1 landmarks from a FaceMesh: eye centres (mean of each lid contour), nose tip, mouth corners,
 * in the C1 template order (image-left eye first; subject's right eye on a frontal face).
 */
export function fivePointsFromMesh(mesh: readonly Point[]): Point[] {
  if (mesh.length < MESH_POINTS) throw new Error('mesh has fewer than 468 points');
  return [
    mean(mesh, RIGHT_EYE_RING),
    mean(mesh, LEFT_EYE_RING),
    mesh[NOSE_TIP]!,
    mesh[MOUTH_CORNERS[0]]!,
    mesh[MOUTH_CORNERS[1]]!,
  ];
}

/** A refined region of interest from a mesh: its bounding box centre and long side, levelled by the eye corners. */
export function roiFromMesh(mesh: readonly Point[], scale = 1.5): MeshRoi {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of mesh) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  const re = mesh[EYE_OUTER_CORNERS[0]]!;
  const le = mesh[EYE_OUTER_CORNERS[1]]!;
  return roiFromEyes({ x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, Math.max(x1 - x0, y1 - y0), re, le, scale);
}
