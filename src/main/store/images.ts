import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { RgbImage } from '../../core/image/types';
import { sha256Hex } from '../services/hash';

/** 8-bit RGB bytes of an image: round(clamp(v, 0, 1) * 255). */
export function toRgb8(img: RgbImage): Buffer {
  const out = Buffer.alloc(img.width * img.height * 3);
  for (let i = 0; i < out.length; i++) {
    const v = img.data[i] ?? 0;
    out[i] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  return out;
}

/**
 * Encodes an image as an 8-bit RGB PNG with fixed settings and no metadata (so the bytes are repeatable). A `note`
 * is embedded as a PNG tEXt chunk (keyword "Description") right after the header: SR outputs carry the caveat.
 */
export async function encodePng(img: RgbImage, note?: string): Promise<Buffer> {
  const png = await sharp(toRgb8(img), { raw: { width: img.width, height: img.height, channels: 3 } })
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toBuffer();
  return note === undefined ? png : withTextChunk(png, 'Description', note);
}

/** Inserts a tEXt chunk after IHDR (signature 8 bytes + IHDR 25 bytes); text is Latin-1 as PNG requires. */
export function withTextChunk(png: Buffer, keyword: string, text: string): Buffer {
  const body = Buffer.concat([
    Buffer.from('tEXt', 'latin1'),
    Buffer.from(keyword, 'latin1'),
    Buffer.from([0]),
    Buffer.from(
      text.replace(/[^\x20-\x7e\xa0-\xff]/g, (c) => (c === '—' ? '-' : '?')),
      'latin1',
    ),
  ]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

/** Decodes an image file to RGB float in [0,1] (alpha dropped). */
export async function decodeRgb(bytes: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const f = new Float32Array(info.width * info.height * 3);
  if (info.channels !== 3) throw new Error(`Expected 3 channels after decoding, got ${info.channels}.`);
  for (let i = 0; i < f.length; i++) f[i] = data[i]! / 255;
  return { width: info.width, height: info.height, data: f };
}

/** SHA-256 of an image's float32 pixels, little-endian, HWC: what reproduction compares bit for bit. */
export function pixelsSha256(img: RgbImage): string {
  const buf = Buffer.alloc(img.data.length * 4);
  for (let i = 0; i < img.data.length; i++) buf.writeFloatLE(img.data[i]!, i * 4);
  return sha256Hex(buf);
}
