import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodePng } from '../../../src/main/face/decode';

describe('decodeImage', () => {
  it('applies EXIF orientation, drops alpha and scales to [0,1]', async () => {
    // 4x2 image, left half red, right half blue, tagged "rotate 90° clockwise to display" (orientation 6).
    const raw = Buffer.alloc(4 * 2 * 4);
    for (let i = 0; i < 8; i++) raw.set(i % 4 < 2 ? [255, 0, 0, 128] : [0, 0, 255, 128], i * 4);
    const png = await sharp(raw, { raw: { width: 4, height: 2, channels: 4 } })
      .png()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const img = await decodeImage(png);
    expect([img.width, img.height]).toEqual([2, 4]);
    expect(img.data.length).toBe(2 * 4 * 3);
    // After rotating clockwise the left (red) half is on top.
    expect(Array.from(img.data.slice(0, 3))).toEqual([1, 0, 0]);
    expect(Array.from(img.data.slice(-3))).toEqual([0, 0, 1]);
  });

  it('round-trips 8-bit values through PNG and refuses garbage', async () => {
    const data = Float32Array.from({ length: 3 * 3 * 3 }, (_, i) => (i * 9) / 255);
    const back = await decodeImage(await encodePng({ width: 3, height: 3, data }));
    for (let i = 0; i < data.length; i++) expect(back.data[i]).toBeCloseTo(data[i]!, 6);
    await expect(decodeImage(Buffer.from('not an image'))).rejects.toThrow();
  });
});
