/**
 * Previews of a report's evidence originals: the manifest carries no original bytes, so the report service reads
 * each original from the case's object store and downscales it for the page (the SHA-256 the report prints is the
 * original's, not the preview's).
 */
import sharp from 'sharp';
import { applyAffine, invertAffine, type Affine } from '../../core/face/affine';
import { CANONICAL_SIZE } from '../../core/face/template';
import type { StillPreview } from './document';
import type { ReportManifest } from './manifest';

/** The longest side of a preview, in pixels (about 2.5x the printed size at 240 pt, for zooming in). */
export const PREVIEW_MAX_SIDE = 600;

/** The outline colour of a face's aligned region on a preview (blue: red marks AI-generated images). */
export const FACE_OUTLINE = '#1e64ff';

/**
 * The corners of the region a face's aligned crop was taken from, in evidence pixels: the canonical frame's corners
 * mapped back through the inverse of its similarity transform [a, b, tx, c, d, ty] (null if not invertible).
 */
export function alignedRegion(t: readonly number[]): [number, number][] | null {
  if (t.length !== 6) return null;
  let back: Affine;
  try {
    back = invertAffine(t as unknown as Affine);
  } catch {
    return null; // singular
  }
  const n = CANONICAL_SIZE;
  const corners = [
    { x: 0, y: 0 },
    { x: n, y: 0 },
    { x: n, y: n },
    { x: 0, y: n },
  ];
  return corners.map((c) => {
    const p = applyAffine(back, c);
    return [p.x, p.y];
  });
}

/**
 * One preview per evidence file that can be read and decoded (EXIF orientation applied, transparency flattened on
 * white), with the region of each of its located faces outlined; a file that cannot is left out, and the report
 * says its preview is not available.
 */
export async function evidencePreviews(
  m: ReportManifest,
  read: (sha256: string) => Buffer,
): Promise<Map<string, StillPreview>> {
  const out = new Map<string, StillPreview>();
  for (const e of m.evidence) {
    try {
      const upright = await sharp(read(e.sha256), { limitInputPixels: 25_000_000 })
        .rotate()
        .flatten({ background: '#ffffff' })
        .png({ compressionLevel: 0 })
        .toBuffer({ resolveWithObject: true });
      const { width: w, height: h } = upright.info;
      const scale = Math.min(PREVIEW_MAX_SIDE / w, PREVIEW_MAX_SIDE / h, 1);
      const pw = Math.max(1, Math.round(w * scale));
      const ph = Math.max(1, Math.round(h * scale));
      // Faces located in this still (auto or manual points): 'aligned' and 'lr16' evidence is itself the crop.
      const regions = m.faces
        .filter((f) => f.evidenceId === e.id && (f.method === 'auto' || f.method === 'manual'))
        .map((f) => alignedRegion(f.transform))
        .filter((r): r is [number, number][] => r !== null);
      let img = sharp(upright.data).resize(pw, ph, { fit: 'fill' });
      if (regions.length > 0) {
        const stroke = Math.max(2, Math.round(Math.min(pw, ph) / 150));
        const polys = regions
          .map((r) => r.map(([x, y]) => `${(x * pw) / w},${(y * ph) / h}`).join(' '))
          .map(
            (pts) =>
              `<polygon points="${pts}" fill="none" stroke="${FACE_OUTLINE}" stroke-width="${stroke}"/>`,
          );
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${pw}" height="${ph}">${polys.join('')}</svg>`;
        img = sharp(await img.png().toBuffer()).composite([{ input: Buffer.from(svg), top: 0, left: 0 }]);
      }
      const data = await img.png().toBuffer();
      out.set(e.id, { png: data.toString('base64'), width: pw, height: ph, outlinedFaces: regions.length });
    } catch {
      // No preview: the page names the file and its SHA-256 without the picture.
    }
  }
  return out;
}
