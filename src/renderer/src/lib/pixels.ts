/** Decoding images to pixels and back, in the browser (canvas), for maps computed in the renderer. */
import type { Rgba } from './uncertainty';

/** Loads an image URL (data:/blob:) and returns its RGBA pixels. */
export async function decodePixels(src: string): Promise<Rgba> {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This display cannot decode images.');
  ctx.drawImage(img, 0, 0);
  const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { data, width, height };
}

/** Encodes RGBA pixels as a PNG data URL (allowed by the CSP's img-src data:). */
export function encodePng(px: Rgba): string {
  const canvas = document.createElement('canvas');
  canvas.width = px.width;
  canvas.height = px.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This display cannot draw images.');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(px.data), px.width, px.height), 0, 0);
  return canvas.toDataURL('image/png');
}
