import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ReportManifest } from '../../../src/main/reports/manifest';
import { alignedRegion, evidencePreviews, FACE_OUTLINE } from '../../../src/main/reports/previews';

describe('still previews in the report', () => {
  it('maps the canonical frame back through the face transform', () => {
    // Scale 2 and a 90° turn: x' = -2y + 300, y' = 2x - 100.
    const [a, b, tx, c, d, ty] = [0, -2, 300, 2, 0, -100];
    const region = alignedRegion([a, b, tx, c, d, ty]);
    const frame: [number, number][] = [
      [0, 0],
      [128, 0],
      [128, 128],
      [0, 128],
    ];
    expect(region).toHaveLength(4);
    region!.forEach(([x, y], i) => {
      const [u, v] = frame[i]!;
      expect(a * x + b * y + tx).toBeCloseTo(u, 9);
      expect(c * x + d * y + ty).toBeCloseTo(v, 9);
    });
    expect(alignedRegion([1, 2, 0, 2, 4, 0])).toBeNull(); // singular
  });

  it('outlines the region a located face was aligned from, and nothing for an aligned-crop evidence', async () => {
    const grey = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const m = {
      evidence: [
        { id: 'e1', sha256: 'a' },
        { id: 'e2', sha256: 'b' },
      ],
      faces: [
        // The crop covers x 100..228, y 50..178 of the still.
        { evidenceId: 'e1', method: 'manual', transform: [1, 0, -100, 0, 1, -50] },
        { evidenceId: 'e2', method: 'aligned', transform: [1, 0, 0, 0, 1, 0] },
      ],
    } as unknown as ReportManifest;
    const previews = await evidencePreviews(m, () => grey);
    const p1 = previews.get('e1')!;
    const p2 = previews.get('e2')!;
    expect([p1.width, p1.height, p1.outlinedFaces, p2.outlinedFaces]).toEqual([400, 300, 1, 0]);
    const { data } = await sharp(Buffer.from(p1.png, 'base64'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number): number[] => [
      ...data.subarray((y * 400 + x) * 3, (y * 400 + x) * 3 + 3),
    ];
    const blue = [0x1e, 0x64, 0xff];
    expect(FACE_OUTLINE).toBe('#1e64ff');
    const edges: [number, number][] = [
      [100, 110], // left edge
      [228, 110], // right edge
      [160, 50], // top edge
      [160, 178], // bottom edge
    ];
    for (const [x, y] of edges) expect(px(x, y)).toEqual(blue);
    expect(px(160, 110)).toEqual([128, 128, 128]); // inside: the still's own pixels
    expect(px(20, 20)).toEqual([128, 128, 128]);
  });
});
