/**
 * Previews of a report's evidence originals: the manifest carries no original bytes, so the report service reads
 * each original from the case's object store and downscales it for the page (the SHA-256 the report prints is the
 * original's, not the preview's).
 */
import sharp from 'sharp';
import type { StillPreview } from './document';
import type { ReportManifest } from './manifest';

/** The longest side of a preview, in pixels (about 2.5x the printed size at 240 pt, for zooming in). */
export const PREVIEW_MAX_SIDE = 600;

/**
 * One preview per evidence file that can be read and decoded (EXIF orientation applied, transparency flattened on
 * white); a file that cannot is left out, and the report says its preview is not available.
 */
export async function evidencePreviews(
  m: ReportManifest,
  read: (sha256: string) => Buffer,
): Promise<Map<string, StillPreview>> {
  const out = new Map<string, StillPreview>();
  for (const e of m.evidence) {
    try {
      const { data, info } = await sharp(read(e.sha256), { limitInputPixels: 25_000_000 })
        .rotate()
        .flatten({ background: '#ffffff' })
        .resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer({ resolveWithObject: true });
      out.set(e.id, { png: data.toString('base64'), width: info.width, height: info.height });
    } catch {
      // No preview: the page names the file and its SHA-256 without the picture.
    }
  }
  return out;
}
