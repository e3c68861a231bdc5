/**
 * The chosen face of a still in a case, detected (faces.detect) and aligned (faces.align) through the app's contract
 * calls: one function for `facet run` and `facet enhance`, so both find and align a face alike.
 */
import type { Point } from '../core/image/types';
import { callOrThrow, type Router } from '../main/api/router';
import type { Evidence, Face } from '../shared/contract';
import { FacetError } from '../shared/errors';

/**
 * Which face: the still as the 16x16 LR, as an aligned crop, placed points, face N of the detections, or the largest
 * detected.
 */
export interface FaceChoiceFlags {
  /** The detection's 0-based index (`--face N` is N - 1). */
  readonly face?: number;
  readonly points?: Point[];
  /** The still is itself an aligned square face crop (no detection). */
  readonly aligned?: boolean;
  /** The still is itself the 16x16 LR face (no detection, no crop). */
  readonly lr16?: boolean;
}

/** The aligned face, what the detector found (for notes and run.json) and the alignment residual. */
export interface FaceInCase {
  readonly face: Face;
  readonly residualPx: number;
  /** Detection details (method 'auto'), the placed points (method 'manual') or method 'aligned' / 'lr16'. */
  readonly info: Record<string, unknown>;
  readonly notes: readonly string[];
  /** The case already held this aligned face (same still, method and points): it was used, not aligned again. */
  readonly reused: boolean;
}

type Method = Face['method'];

/**
 * The face of the case already aligned from this still by this method and these points, if any: alignment is
 * deterministic, so aligning again would only add a duplicate row (and a "Face 2" with the first one's crop).
 */
async function existingFace(
  router: Router,
  caseId: string,
  evidenceId: string,
  method: Method,
  points: readonly Point[],
): Promise<Face | null> {
  const same = (a: readonly Point[]): boolean =>
    a.length === points.length && a.every((p, i) => p.x === points[i]!.x && p.y === points[i]!.y);
  const faces = await callOrThrow(router, 'faces.list', { caseId });
  return faces.find((f) => f.evidenceId === evidenceId && f.method === method && same(f.points)) ?? null;
}

/** The existing face, or a new alignment of it. */
async function alignOnce(
  router: Router,
  caseId: string,
  evidenceId: string,
  method: Method,
  points: readonly Point[],
  align: () => Promise<{ face: Face; residualPx: number }>,
): Promise<{ face: Face; residualPx: number; reused: boolean }> {
  const found = await existingFace(router, caseId, evidenceId, method, points);
  if (found) return { face: found, residualPx: 0, reused: true };
  return { ...(await align()), reused: false };
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Aligns the chosen face of `ev` (audited by the face service); a FacetError with one line when there is none. */
export async function alignFaceInCase(
  router: Router,
  caseId: string,
  ev: Pick<Evidence, 'id' | 'originalName'>,
  choice: FaceChoiceFlags,
): Promise<FaceInCase> {
  if (choice.lr16 || choice.aligned) {
    const method = choice.lr16 ? 'lr16' : 'aligned';
    const al = await alignOnce(router, caseId, ev.id, method, [], () =>
      callOrThrow(router, 'faces.align', { caseId, evidenceId: ev.id, method }),
    );
    return { face: al.face, residualPx: 0, info: { method }, notes: [], reused: al.reused };
  }
  if (choice.points) {
    const points = choice.points;
    const al = await alignOnce(router, caseId, ev.id, 'manual', points, () =>
      callOrThrow(router, 'faces.align', {
        caseId,
        evidenceId: ev.id,
        method: 'manual',
        points,
        refine: false,
      }),
    );
    return {
      face: al.face,
      residualPx: al.residualPx,
      info: { method: 'manual', points },
      notes: [],
      reused: al.reused,
    };
  }
  const found = await callOrThrow(router, 'faces.detect', { caseId, evidenceId: ev.id });
  if (found.faces.length === 0) {
    throw new FacetError(
      'invalid-input',
      `No face was found in ${ev.originalName} (${found.width}x${found.height}); place the eye centres with ` +
        '--points x1,y1,x2,y2 (image-left eye first).',
    );
  }
  const area = (i: number): number => found.faces[i]!.box.width * found.faces[i]!.box.height;
  const largest = found.faces.reduce((best, _f, i) => (area(i) > area(best) ? i : best), 0);
  const index = choice.face ?? largest;
  const chosen = found.faces[index];
  if (!chosen) {
    throw new FacetError(
      'invalid-input',
      `--face ${index + 1}: ${found.faces.length} face(s) were found in ${ev.originalName}, numbered 1 to ${found.faces.length}.`,
    );
  }
  const al = await alignOnce(router, caseId, ev.id, 'auto', chosen.landmarks, () =>
    callOrThrow(router, 'faces.align', { caseId, evidenceId: ev.id, method: 'auto', detection: index }),
  );
  // Numbered from 1, as the app numbers faces.
  const notes = found.faces.map(
    (f, i) =>
      `face ${i + 1}: ${Math.round(f.box.width)}x${Math.round(f.box.height)} px at (${Math.round(f.box.x)}, ` +
      `${Math.round(f.box.y)}), score ${f.score.toFixed(2)}${i === largest ? ', largest' : ''}` +
      `${i === index ? ' <- enhanced' : ''}`,
  );
  return {
    face: al.face,
    residualPx: al.residualPx,
    reused: al.reused,
    info: {
      method: 'auto',
      /** 1-based, as --face and the app number faces. */
      face: index + 1,
      detected: found.faces.length,
      largest: largest + 1,
      box: {
        x: r1(chosen.box.x),
        y: r1(chosen.box.y),
        width: r1(chosen.box.width),
        height: r1(chosen.box.height),
      },
      score: chosen.score,
      points: chosen.landmarks.map((p) => ({ x: r1(p.x), y: r1(p.y) })),
    },
    notes,
  };
}
