/** What the gallery test hands the page: images it made (data URLs) and settings. */
export interface GalleryFixtures {
  readonly lr: string;
  readonly bicubic: string;
  readonly candidates: readonly string[];
  readonly reference: string;
  /** A whole-scene still and its size in pixels. */
  readonly still: { readonly src: string; readonly width: number; readonly height: number };
}

/** Events and calls the gallery's stand-in bridge records, for the test to read back. */
export interface GalleryWindow {
  __galleryFixtures?: GalleryFixtures;
  __emit?: (name: string, payload: unknown) => void;
  __submitted?: unknown[];
  __cancelled?: string[];
  __picked?: number[];
  __manual?: unknown[];
}
