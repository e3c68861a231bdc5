import { calibrate, cosineSimilarity } from '../../core/face/calibration';
import { comparisonLr } from '../../core/face/likelihood-ratio';
import { alignForEnhancement } from '../../core/face/align';
import type { Point, RgbImage } from '../../core/image/types';
import {
  COMPARISON_CAVEAT,
  type Comparison,
  type DetectedFace,
  type Evidence,
  type Face,
  type Run,
  type RunOutput,
  type SweepSimilarity,
  type SweepSimilarityPoint,
} from '../../shared/contract';
import { readSameSource, SAME_SOURCE_COSINE, SAME_SOURCE_FLAG } from '../../shared/comparisons';
import { FacetError } from '../../shared/errors';
import type { FacePipeline } from '../face/pipeline';
import { decodeImage, decodeToRgb } from '../imaging/decode';
import { alignedCropInput, lrFromImage } from '../inference/lr-input';
import type { ObjectStore } from '../store/object-store';
import type { EvidenceService } from './evidence-service';
import type { FaceService } from './face-service';
import type { RunService } from './run-service';

/** The parts of the face pipeline this service uses (FacePipeline satisfies it). */
export type FaceModels = Pick<
  FacePipeline,
  'detect' | 'align' | 'embed' | 'manifest' | 'lrCalibrations' | 'close' | 'landmarksFromEyes'
>;

/** How many evidence images keep their detections in memory (so 'auto' alignment does not detect again). */
const DETECTION_CACHE = 8;

/** Least FaceMesh face-presence score for refined landmarks to replace the two user points. */
const MIN_REFINE_MESH_SCORE = 0.5;

/** Loads the face models on first use, once; a failed load is retried on the next call. */
export class LazyFaceModels {
  private loading: Promise<FaceModels> | null = null;

  constructor(private readonly load: () => Promise<FaceModels>) {}

  /** The loaded models. */
  get(): Promise<FaceModels> {
    if (!this.loading) {
      this.loading = this.load().catch((err: unknown) => {
        this.loading = null;
        throw new FacetError(
          'internal',
          `The face models could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
    }
    return this.loading;
  }

  /** Releases the sessions if they were loaded. */
  async close(): Promise<void> {
    const l = this.loading;
    this.loading = null;
    if (l) await l.then((m) => m.close()).catch(() => {});
  }
}

/**
 * Face detection, C1 alignment and embedder comparisons over evidence and run outputs. It computes; the
 * FaceService stores (content-addressed crops, rows, audit events).
 */
export class FaceAnalysisService {
  private readonly detections = new Map<string, DetectedFace[]>();
  /** The r sweep comparisons in progress: one at a time, so a candidate is never compared twice at once. */
  private sweepQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly models: LazyFaceModels,
    private readonly store: ObjectStore,
    private readonly evidence: EvidenceService,
    private readonly faces: FaceService,
    private readonly runs: RunService,
  ) {}

  /** Faces and five landmarks each, in image px of the decoded (EXIF-rotated) evidence image. */
  async detect(
    caseId: string,
    evidenceId: string,
  ): Promise<{ width: number; height: number; faces: DetectedFace[] }> {
    const ev = this.evidenceOf(caseId, evidenceId);
    const image = await this.decode(ev);
    const pipe = await this.models.get();
    const faces = (await pipe.detect(image)).map((f, index) => ({
      index,
      box: { ...f.box },
      score: f.score,
      meshScore: f.meshScore,
      landmarks: f.landmarks.map((p) => ({ x: p.x, y: p.y })),
    }));
    this.remember(ev.sha256, faces);
    return { width: image.width, height: image.height, faces };
  }

  /**
   * Aligns a detected face or user-placed points to C1, or takes the whole image as an aligned crop; forms the LR
   * (C2) and stores both with an audit event. With 'lr16' the (16x16) image is the LR itself, stored alone.
   */
  async align(
    input:
      | { caseId: string; evidenceId: string; method: 'auto'; detection: number }
      | { caseId: string; evidenceId: string; method: 'manual'; points: readonly Point[]; refine?: boolean }
      | { caseId: string; evidenceId: string; method: 'aligned' }
      | { caseId: string; evidenceId: string; method: 'lr16' },
  ): Promise<{ face: Face; residualPx: number; meshScore: number | null; refined: boolean }> {
    const ev = this.evidenceOf(input.caseId, input.evidenceId);
    const image = await this.decode(ev);
    if (input.method === 'aligned') return this.storeAlignedInput(ev.id, image);
    if (input.method === 'lr16') return this.storeLrInput(ev.id, image);
    let points: readonly Point[];
    let meshScore: number | null = null;
    let refined = false;
    if (input.method === 'auto') {
      const found = this.detections.get(ev.sha256) ?? (await this.detect(input.caseId, ev.id)).faces;
      const d = found[input.detection];
      if (!d) {
        throw new FacetError(
          'invalid-input',
          `There is no detected face ${input.detection}: ${found.length} face(s) were found in this image.`,
        );
      }
      points = d.landmarks;
    } else {
      points = input.points;
      for (const p of points) {
        if (p.x < 0 || p.y < 0 || p.x > image.width || p.y > image.height) {
          throw new FacetError(
            'invalid-input',
            `The point (${p.x}, ${p.y}) lies outside the ${image.width}x${image.height} image.`,
          );
        }
      }
    }
    const pipe = await this.models.get();
    if (input.method === 'manual' && input.refine && points.length === 2) {
      const lm = await pipe.landmarksFromEyes(image, points[0]!, points[1]!);
      meshScore = lm.meshScore;
      if (lm.meshScore >= MIN_REFINE_MESH_SCORE) {
        points = lm.points;
        refined = true;
      }
    }
    let aligned;
    try {
      // The crop as stored (8 bit) and the LR formed from it, as `facet enhance` forms them.
      aligned = alignForEnhancement(image, points);
    } catch (err) {
      throw new FacetError('invalid-input', `These points cannot be aligned: ${(err as Error).message}`);
    }
    const face = await this.faces.storeAligned({
      evidenceId: ev.id,
      method: input.method,
      points,
      transform: [...aligned.transform],
      crop: aligned.crop,
      lr: aligned.lr,
    });
    return { face, residualPx: aligned.residualPx, meshScore, refined };
  }

  /**
   * The evidence image is itself an aligned square crop: no detection, no points; the transform is the scale to
   * 128x128, the crop is stored on the 8-bit grid and the LR is C2 of it.
   */
  private async storeAlignedInput(
    evidenceId: string,
    image: RgbImage,
  ): Promise<{ face: Face; residualPx: number; meshScore: null; refined: false }> {
    const { crop, lr } = alignedCropInput(image);
    const s = crop.width / image.width;
    const face = await this.faces.storeAligned({
      evidenceId,
      method: 'aligned',
      points: [],
      transform: [s, 0, 0, 0, crop.height / image.height, 0],
      crop,
      lr,
    });
    return { face, residualPx: 0, meshScore: null, refined: false };
  }

  /**
   * The evidence image is itself the 16x16 LR face: no detection, no points, no crop. The LR is the image on the
   * 8-bit grid (C2); the transform maps its 16 px onto the 128x128 canonical frame (x8).
   */
  private async storeLrInput(
    evidenceId: string,
    image: RgbImage,
  ): Promise<{ face: Face; residualPx: number; meshScore: null; refined: false }> {
    if (image.width !== 16 || image.height !== 16) {
      throw new FacetError(
        'invalid-input',
        `An LR face (method lr16) is a 16x16 image; this one is ${image.width}x${image.height}.`,
      );
    }
    const { lr } = lrFromImage(image, true);
    const face = await this.faces.storeAligned({
      evidenceId,
      method: 'lr16',
      points: [],
      transform: [8, 0, 0, 0, 8, 0],
      crop: lr,
      lr,
    });
    return { face, residualPx: 0, meshScore: null, refined: false };
  }

  /**
   * Embeds each candidate of a done run (and the candidate mean) and an aligned reference face with the default
   * embedder, and records the cosine similarity with its place among the embedder's measured genuine and impostor
   * scores and, where a calibration fits, its likelihood ratio.
   */
  async compareRun(
    caseId: string,
    runId: string,
    referenceFaceId: string,
    allowSameSource = false,
  ): Promise<{ comparisons: Comparison[]; caveat: string }> {
    const run = this.runs.get(runId);
    if (run.caseId !== caseId) throw new FacetError('not-found', `Run ${runId} is not in this case.`);
    if (run.status !== 'done') {
      throw new FacetError('conflict', `Run ${runId} is ${run.status}; only a finished run can be compared.`);
    }
    const { ref, refEvidence } = this.referenceFace(caseId, referenceFaceId);
    const candidates = run.outputs.filter((o) => o.kind === 'candidate');
    if (candidates.length === 0) throw new FacetError('invalid-input', `Run ${runId} has no candidates.`);
    // The candidate mean too: averaging candidates keeps what they agree on, which the identity measurement
    // (docs/results/identity-lr) finds closer to the person than any single candidate.
    const compared = [...candidates, ...run.outputs.filter((o) => o.kind === 'mean')];
    const pipe = await this.models.get();
    const refEmbedding = await this.embedReference(pipe, ref);
    const sameSource = await this.checkSameSource(pipe, run, ref, refEvidence, refEmbedding, allowSameSource);
    const comparisons = await this.compareOutputs(
      pipe,
      run,
      ref,
      refEvidence,
      refEmbedding,
      compared,
      sameSource,
    );
    return { comparisons, caveat: COMPARISON_CAVEAT };
  }

  /**
   * The cosine similarity of every candidate of every done run of an r sweep to a reference face, in r order.
   * Candidates not yet compared with this reference face by the default embedder are compared as compareRun
   * does (recorded and audited); those already compared keep their latest comparison, so asking again (the
   * panel does whenever a run of the sweep finishes) records nothing twice. Calls run one at a time.
   */
  compareSweep(
    caseId: string,
    sweepId: string,
    referenceFaceId: string,
    allowSameSource = false,
  ): Promise<SweepSimilarity> {
    const next = this.sweepQueue.then(() =>
      this.compareSweepNow(caseId, sweepId, referenceFaceId, allowSameSource),
    );
    this.sweepQueue = next.catch(() => {});
    return next;
  }

  private async compareSweepNow(
    caseId: string,
    sweepId: string,
    referenceFaceId: string,
    allowSameSource: boolean,
  ): Promise<SweepSimilarity> {
    const runs = this.runs
      .list(caseId)
      .filter((r) => r.settings.sweepId === sweepId)
      .sort((a, b) => (a.settings.snr ?? 0) - (b.settings.snr ?? 0));
    if (runs.length === 0) throw new FacetError('not-found', `There is no r sweep ${sweepId} in this case.`);
    const { ref, refEvidence } = this.referenceFace(caseId, referenceFaceId);
    const pipe = await this.models.get();
    const manifest = pipe.manifest();
    const latest = new Map<string, Comparison>();
    for (const c of this.faces.listComparisons(caseId)) {
      if (c.outputId && c.embedderSha256 === manifest.sha256 && c.calibration.referenceFaceId === ref.id)
        latest.set(c.outputId, c);
    }
    let refEmbedding: Float32Array | null = null;
    const points: SweepSimilarityPoint[] = [];
    for (const run of runs) {
      const candidates = run.status === 'done' ? run.outputs.filter((o) => o.kind === 'candidate') : [];
      const missing = candidates.filter((o) => !latest.has(o.id));
      if (missing.length > 0) {
        refEmbedding ??= await this.embedReference(pipe, ref);
        // Every run of a sweep has the same input face: the check gives the same answer for each.
        const sameSource = await this.checkSameSource(
          pipe,
          run,
          ref,
          refEvidence,
          refEmbedding,
          allowSameSource,
        );
        for (const c of await this.compareOutputs(
          pipe,
          run,
          ref,
          refEvidence,
          refEmbedding,
          missing,
          sameSource,
        ))
          latest.set(c.outputId!, c);
      }
      const scores = candidates.map((o) => {
        const c = latest.get(o.id)!;
        return { candidateIndex: o.index, outputId: o.id, comparisonId: c.id, score: c.score };
      });
      points.push({
        runId: run.id,
        r: run.settings.snr ?? 0,
        status: run.status,
        scores,
        mean: scores.length ? scores.reduce((a, s) => a + s.score, 0) / scores.length : null,
      });
    }
    // The flag the comparisons carry (every run of a sweep has the same input, so one flag holds for all).
    const flagged = points
      .flatMap((p) => p.scores)
      .map((x) => readSameSource(latest.get(x.outputId)!.calibration))
      .find((x) => x !== null);
    return {
      sweepId,
      referenceFaceId: ref.id,
      referenceEvidenceId: refEvidence.id,
      embedderId: manifest.id,
      points,
      caveat: COMPARISON_CAVEAT,
      ...(flagged ? { sameSource: flagged } : {}),
    };
  }

  /** An aligned face of a reference (suspect) photo of this case. */
  private referenceFace(caseId: string, referenceFaceId: string): { ref: Face; refEvidence: Evidence } {
    const ref = this.faces.get(referenceFaceId);
    if (ref.caseId !== caseId)
      throw new FacetError('not-found', `Face ${referenceFaceId} is not in this case.`);
    if (ref.method === 'lr16') {
      throw new FacetError(
        'invalid-input',
        'The reference face is a 16x16 LR face (method lr16), which cannot be embedded; align a face of the reference photo.',
      );
    }
    const refEvidence = this.evidence.get(ref.evidenceId);
    if (refEvidence.role !== 'reference') {
      throw new FacetError(
        'invalid-input',
        'The reference face must be aligned from a reference (suspect) photo, not from the probe.',
      );
    }
    return { ref, refEvidence };
  }

  /** The reference face's embedding (referenceFace has refused an lr16 face, which has no crop). */
  private async embedReference(pipe: FaceModels, ref: Face): Promise<Float32Array> {
    const crop = (await this.faces.images(ref.id)).crop;
    if (!crop) throw new FacetError('internal', `Face ${ref.id} has no crop to embed.`);
    return pipe.embed(crop);
  }

  /**
   * Why the run's input and the reference come from the same source, or null: the same evidence file, the same
   * image hash (file or aligned crop), or HR embeddings (the aligned crops') at or above SAME_SOURCE_COSINE, closer
   * than different photos of one person come. Comparing an image with itself says nothing about identity, so it is
   * refused unless the examiner insists (allowSameSource); then the reason is returned to flag every comparison.
   */
  private async checkSameSource(
    pipe: FaceModels,
    run: Run,
    ref: Face,
    refEvidence: Evidence,
    refEmbedding: Float32Array,
    allowSameSource: boolean,
  ): Promise<string | null> {
    const input = this.faces.get(run.faceId);
    const inputEvidence = this.evidence.get(input.evidenceId);
    let why: string | null = null;
    if (inputEvidence.id === refEvidence.id) {
      why = `the run's input face was aligned from ${refEvidence.originalName}, the reference photo itself`;
    } else if (inputEvidence.sha256 === refEvidence.sha256) {
      why = `the run's input file ${inputEvidence.originalName} has the same image hash as ${refEvidence.originalName}`;
    } else if (input.method !== 'lr16' && input.cropSha256 === ref.cropSha256) {
      why = `the run's input face and the reference face are the same aligned image (same hash)`;
    } else if (input.method !== 'lr16') {
      // An lr16 input has no HR crop to embed; the file checks above still apply to it.
      const crop = (await this.faces.images(input.id)).crop!;
      const cos = cosineSimilarity(await pipe.embed(crop), refEmbedding);
      if (cos >= SAME_SOURCE_COSINE) {
        why =
          `the still's face and the reference face embed at cosine ${cos.toFixed(3)}, at or above ` +
          `${SAME_SOURCE_COSINE}, closer than different photos of one person come: they look like one photo`;
      }
    }
    if (why && !allowSameSource) {
      throw new FacetError(
        'conflict',
        `Refused, same source: ${why}. Comparing a run with its own source says nothing about identity. ` +
          'Compare with another reference photo, or confirm to record it flagged SAME SOURCE.',
      );
    }
    return why;
  }

  /** Embeds the given outputs of a run (candidates, mean) and records each one's comparison with the reference. */
  private async compareOutputs(
    pipe: FaceModels,
    run: Run,
    ref: Face,
    refEvidence: Evidence,
    refEmbedding: Float32Array,
    candidates: readonly RunOutput[],
    sameSource: string | null,
  ): Promise<Comparison[]> {
    const manifest = pipe.manifest();
    const lrFile = pipe.lrCalibrations();
    const candidateCount = run.outputs.filter((o) => o.kind === 'candidate').length;
    const source = run.record
      ? { modelId: run.record.model.id, modelSha256: run.record.model.sha256, preset: run.record.preset }
      : undefined;
    const results: Comparison[] = [];
    for (const o of candidates) {
      const crop = await decodeToRgb(this.store.read(run.caseId, o.sha256), `output ${o.sha256}`);
      const score = cosineSimilarity(await pipe.embed(crop), refEmbedding);
      const placed = manifest.calibration ? calibrate(score, manifest) : null;
      // One declared LR per run and reference (DECLARED_STATISTIC): the candidate mean's, by the calibration for a
      // mean of 4, if it was fitted on this run's model and preset. Candidates carry a similarity only: the best
      // of K is not what a one-candidate calibration covers.
      const lr: Readonly<Record<string, string | number>> =
        o.kind !== 'mean'
          ? {}
          : candidateCount === 4
            ? { declaredStatistic: 'sr16-mean4', ...comparisonLr(score, lrFile, 'sr16-mean4', source) }
            : {
                lrWithheld: `no calibration for a mean of ${candidateCount} candidates (only for a mean of 4)`,
              };
      results.push(
        this.faces.recordComparison({
          caseId: run.caseId,
          outputId: o.id,
          referenceEvidenceId: refEvidence.id,
          embedderId: manifest.id,
          embedderSha256: manifest.sha256,
          score,
          calibrationPercentile: placed ? placed.impostorPercentile : null,
          calibration: {
            runId: run.id,
            candidateIndex: o.index,
            referenceFaceId: ref.id,
            impostorPercentile: placed?.impostorPercentile ?? null,
            genuinePercentile: placed?.genuinePercentile ?? null,
            impostorPairs: manifest.calibration?.impostorPairs ?? null,
            genuinePairs: manifest.calibration?.genuinePairs ?? null,
            protocol: manifest.identity?.protocol ?? null,
            ...lr,
            ...(sameSource ? { sameSource: `${SAME_SOURCE_FLAG}: ${sameSource}` } : {}),
            caveat: COMPARISON_CAVEAT,
          },
        }),
      );
    }
    return results;
  }

  private evidenceOf(caseId: string, evidenceId: string): Evidence {
    const ev = this.evidence.get(evidenceId);
    if (ev.caseId !== caseId)
      throw new FacetError('not-found', `Evidence ${evidenceId} is not in this case.`);
    return ev;
  }

  private async decode(ev: Evidence): Promise<RgbImage> {
    const bytes = this.evidence.open(ev.id);
    // The same decoder as `facet enhance` (EXIF orientation, colour model, alpha, 16 bit), so both align alike.
    return (await decodeImage(bytes, `Evidence ${ev.originalName}`)).image;
  }

  private remember(sha256: string, faces: DetectedFace[]): void {
    this.detections.delete(sha256);
    this.detections.set(sha256, faces);
    if (this.detections.size > DETECTION_CACHE) {
      this.detections.delete(this.detections.keys().next().value!);
    }
  }
}
