import sharp from 'sharp';
import type { RgbImage } from '../../core/image/types';

/** Largest image side accepted for decoding, against decompression bombs. */
export const MAX_IMAGE_SIDE = 12_000;

/**
 * Decodes an image file or buffer into an RgbImage (HWC float32 in [0,1]): EXIF orientation applied,
 * colour converted to sRGB, alpha dropped (composited over nothing: alpha is ignored).
 */
export async function decodeImage(input: string | Buffer): Promise<RgbImage> {
  const pipeline = sharp(input, { limitInputPixels: MAX_IMAGE_SIDE * MAX_IMAGE_SIDE, failOn: 'error' })
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 colour channels after decoding, got ${info.channels}`);
  const out = new Float32Array(info.width * info.height * 3);
  for (let i = 0; i < out.length; i++) out[i] = data[i]! / 255;
  return { width: info.width, height: info.height, data: out };
}

/** Encodes an RgbImage as PNG (8-bit, rounded), e.g. to store an aligned crop. */
export async function encodePng(image: RgbImage): Promise<Buffer> {
  const bytes = Buffer.alloc(image.width * image.height * 3);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Math.round(Math.min(1, Math.max(0, image.data[i]!)) * 255);
  return sharp(bytes, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}
