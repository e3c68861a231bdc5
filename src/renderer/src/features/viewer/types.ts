/** What the viewer shows: images as URLs (data:/blob:) with their kind and metrics. */

/** One metric under an image, with a plain-words hint. */
export interface ViewerMetric {
  readonly label: string;
  readonly value: string;
  readonly hint?: string;
}

/** LR input, bicubic baseline, a generated candidate, the candidates' uncertainty map, or a reference photo. */
export type ViewerImageKind = 'lr' | 'bicubic' | 'candidate' | 'uncertainty' | 'reference';

/** One image in the viewer. */
export interface ViewerImage {
  readonly id: string;
  readonly title: string;
  readonly src: string;
  readonly kind: ViewerImageKind;
  readonly metrics?: readonly ViewerMetric[];
}

/** The label every generated image carries, on screen and in exports. */
export const GENERATED_LABEL = 'AI-generated candidate — not evidence of identity';

/** True for images produced by the model (and maps derived from them). */
export function isGenerated(kind: ViewerImageKind): boolean {
  return kind === 'candidate' || kind === 'uncertainty';
}
