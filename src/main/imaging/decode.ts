/**
 * Decoding untrusted image files into RgbImage with sharp. Every bad input gets either correct handling (noted in
 * `notes`) or a FacetError naming the problem: unreadable, zero-byte, non-image, truncated/corrupt, too many
 * pixels, animated or multi-page; EXIF orientation is applied, grayscale and CMYK become sRGB, alpha is flattened
 * onto white, 16-bit samples keep their precision.
 */
import { basename } from 'node:path';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { RgbImage } from '../../core/image/types';
import { FacetError } from '../../shared/errors';
import { readRegularFile } from './read-file';

/**
 * The one pixel limit for every still the app reads (evidence import, face detection, `facet enhance`, `facet run`),
 * checked on the header (sharp's metadata) before any pixel is decoded. Decoding, the float32 copy and detection
 * cost about 52 bytes a pixel. Peak RSS measured with /usr/bin/time -v (2-core Linux, Node 20, analytic test model):
 * `facet enhance` 1.08 GB at 16 MP, 1.28 GB at 20 MP, 1.48 GB at 24 MP (4.95 GB at 100 MP, the old limit, in the
 * issue-29 attack run);
 * `facet run` 1.15 GB at 20 MP. 20 MP (a 20 MP camera's 5472x3648 frame) keeps both under about 1.5 GB (README, "Run").
 */
export const MAX_IMAGE_PIXELS = 20_000_000;

/** Media types of the containers accepted as evidence. */
const MEDIA_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
  gif: 'image/gif',
};

/** A decoded image and how it was interpreted. */
export interface DecodedImage {
  readonly image: RgbImage;
  /** Container format as sharp names it (jpeg, png, webp, tiff, gif, heif, ...). */
  readonly format: string;
  /** Bits per sample of the source (8 or 16). */
  readonly bitDepth: 8 | 16;
  /** What was done to make the file a plain sRGB image (orientation, colour space, alpha). */
  readonly notes: readonly string[];
}

/** Options for decoding. */
export interface DecodeOptions {
  readonly maxPixels?: number;
}

/** Reads and decodes an image file; errors name the file and the problem. */
export async function decodeImageFile(path: string, options: DecodeOptions = {}): Promise<DecodedImage> {
  const bytes = readRegularFile(path);
  return decodeImage(bytes, basename(path), options);
}

/** Decodes image bytes; `name` is used in error messages. */
export async function decodeImage(
  bytes: Buffer,
  name: string,
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  if (bytes.length === 0) throw new FacetError('invalid-input', `${name} is empty (0 bytes).`);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw badInput(name, err);
  }
  const { width = 0, height = 0, format = 'unknown' } = meta;
  if (width === 0 || height === 0)
    throw new FacetError('invalid-input', `${name} has no pixels (${width}x${height}).`);
  const pixels = width * height;
  if (pixels > maxPixels) {
    throw new FacetError(
      'invalid-input',
      `${name} is ${width}x${height} (${pixels} pixels), above the limit of ${maxPixels} pixels ` +
        `(${(maxPixels / 1e6).toFixed(1)} megapixels, which keeps memory under about 1.5 GB); crop or downscale it first.`,
    );
  }
  if ((meta.pages ?? 1) > 1) {
    throw new FacetError(
      'invalid-input',
      `${name} is animated or has ${meta.pages} pages; save the one frame to enhance as a still image.`,
    );
  }
  const notes: string[] = [];
  const bitDepth = meta.depth === 'ushort' ? 16 : 8;
  if (meta.depth && meta.depth !== 'uchar' && meta.depth !== 'ushort') {
    throw new FacetError(
      'invalid-input',
      `${name} has ${meta.depth} samples; only 8- and 16-bit images are supported.`,
    );
  }
  if (meta.orientation && meta.orientation !== 1) notes.push(`EXIF orientation ${meta.orientation} applied`);
  if (meta.space === 'b-w' || meta.space === 'grey16') notes.push('grayscale: replicated to RGB');
  else if (meta.space === 'cmyk') notes.push('CMYK converted to sRGB');
  else if (meta.space && meta.space !== 'srgb' && meta.space !== 'rgb16' && meta.space !== 'rgb') {
    notes.push(`${meta.space} converted to sRGB`);
  }
  if (meta.hasAlpha) notes.push('alpha channel flattened onto white');
  if (bitDepth === 16) notes.push('16-bit samples kept at 16-bit precision');

  let raw: { data: Buffer; info: OutputInfo };
  try {
    let pipeline = sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels }).autoOrient();
    if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
    pipeline = pipeline.toColourspace(bitDepth === 16 ? 'rgb16' : 'srgb');
    raw = await pipeline
      .raw(bitDepth === 16 ? { depth: 'ushort' } : {})
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw badInput(name, err);
  }
  const { info } = raw;
  if (info.channels !== 3)
    throw new FacetError('internal', `Decoding ${name} gave ${info.channels} channels, not 3.`);
  const n = info.width * info.height * 3;
  const data = new Float32Array(n);
  if (bitDepth === 16) {
    const src = new Uint16Array(raw.data.buffer, raw.data.byteOffset, n);
    for (let i = 0; i < n; i++) data[i] = src[i]! / 65535;
  } else {
    for (let i = 0; i < n; i++) data[i] = raw.data[i]! / 255;
  }
  return { image: { width: info.width, height: info.height, data }, format, bitDepth, notes };
}

/** Decodes image bytes to RGB (e.g. a stored crop or output PNG); `name` is used in error messages. */
export async function decodeToRgb(bytes: Buffer, name = 'image'): Promise<RgbImage> {
  return (await decodeImage(bytes, name)).image;
}

/** An image from 8-bit RGB bytes (HWC), v / 255: the inverse of encode.ts's toRgb8. */
export function fromRgb8(bytes: Uint8Array, width: number, height: number): RgbImage {
  if (bytes.length !== width * height * 3)
    throw new Error(`Expected ${width * height * 3} RGB bytes, got ${bytes.length}.`);
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < data.length; i++) data[i] = bytes[i]! / 255;
  return { width, height, data };
}

/**
 * Checks that bytes are a fully decodable still of a container accepted as evidence, within the pixel limit,
 * without converting the pixels: evidence import stores the original bytes, never a re-encoding.
 */
export async function probeImage(
  bytes: Buffer,
  path: string,
  maxPixels = MAX_IMAGE_PIXELS,
): Promise<{ mediaType: string; width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new FacetError('invalid-input', `${path} is not an image (JPEG, PNG, WebP, TIFF or GIF).`);
  }
  const mediaType = meta.format ? MEDIA_TYPES[meta.format] : undefined;
  if (!mediaType || !meta.width || !meta.height) {
    throw new FacetError(
      'invalid-input',
      `${path} is not a supported image (JPEG, PNG, WebP, TIFF or GIF); found ${meta.format ?? 'unknown'}.`,
    );
  }
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    throw new FacetError(
      'invalid-input',
      `${path} is ${meta.width}x${meta.height} (${pixels} pixels); evidence images are limited to ${maxPixels} pixels.`,
    );
  }
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels }).raw().toBuffer();
  } catch (err) {
    throw new FacetError(
      'invalid-input',
      `${path} is a damaged ${meta.format} image: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return { mediaType, width: meta.width, height: meta.height };
}

/** Maps sharp's errors to what the user can act on. */
function badInput(name: string, err: unknown): FacetError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) {
    return new FacetError(
      'invalid-input',
      `${name} is not an image in a supported format (JPEG, PNG, WebP, TIFF, GIF, AVIF).`,
    );
  }
  if (/premature end|truncat|read error|corrupt|bogus|unexpected end|invalid/i.test(msg)) {
    return new FacetError('invalid-input', `${name} is truncated or corrupt (${msg.split('\n')[0]}).`);
  }
  return new FacetError('invalid-input', `${name} cannot be decoded: ${msg.split('\n')[0]}`);
}
