/** What the viewer shows: images as URLs (data:/blob:) with their kind and metrics. */
import type { ImageKind } from '../../../../shared/labels';

/** One metric under an image, with a plain-words hint. */
export interface ViewerMetric {
  readonly label: string;
  readonly value: string;
  readonly hint?: string;
}

/** LR input, bicubic baseline, a candidate, the candidate mean, the uncertainty map, or a reference photo. */
export type ViewerImageKind = ImageKind;

/** One image in the viewer. */
export interface ViewerImage {
  readonly id: string;
  /** A short name above the image ("Candidate 2"); what the image is goes in the caption strip under it. */
  readonly title: string;
  readonly src: string;
  readonly kind: ViewerImageKind;
  /** The provenance caption under the image; by default the wording of shared/labels for its kind. */
  readonly caption?: string;
  readonly metrics?: readonly ViewerMetric[];
}
