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
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Aligns the chosen face of `ev` (audited by the face service); a FacetError with one line when there is none. */
export async function alignFaceInCase(
  router: Router,
  caseId: string,
  ev: Pick<Evidence, 'id' | 'originalName'>,
  choice: FaceChoiceFlags,
): Promise<FaceInCase> {
  if (choice.lr16) {
    const al = await callOrThrow(router, 'faces.align', { caseId, evidenceId: ev.id, method: 'lr16' });
    return { face: al.face, residualPx: 0, info: { method: 'lr16' }, notes: [] };
  }
  if (choice.aligned) {
    const al = await callOrThrow(router, 'faces.align', { caseId, evidenceId: ev.id, method: 'aligned' });
    return { face: al.face, residualPx: 0, info: { method: 'aligned' }, notes: [] };
  }
  if (choice.points) {
    const al = await callOrThrow(router, 'faces.align', {
      caseId,
      evidenceId: ev.id,
      method: 'manual',
      points: choice.points,
      refine: false,
    });
    return {
      face: al.face,
      residualPx: al.residualPx,
      info: { method: 'manual', points: choice.points },
      notes: [],
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
      `--face ${index}: ${found.faces.length} face(s) were found in ${ev.originalName}, numbered 0 to ${found.faces.length - 1}.`,
    );
  }
  const al = await callOrThrow(router, 'faces.align', {
    caseId,
    evidenceId: ev.id,
    method: 'auto',
    detection: index,
  });
  const notes = found.faces.map(
    (f, i) =>
      `face ${i}: ${Math.round(f.box.width)}x${Math.round(f.box.height)} px at (${Math.round(f.box.x)}, ` +
      `${Math.round(f.box.y)}), score ${f.score.toFixed(2)}${i === largest ? ', largest' : ''}` +
      `${i === index ? ' <- enhanced' : ''}`,
  );
  return {
    face: al.face,
    residualPx: al.residualPx,
    info: {
      method: 'auto',
      index,
      detected: found.faces.length,
      largest,
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
