/** Bad-input handling of the image decoder; every test file is made here with sharp. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage, decodeImageFile, probeImage } from '../../../src/main/imaging/decode';
import { CAVEAT_KEYWORD, encodePng, GENERATED_NOTE, rgb8Sha256 } from '../../../src/main/imaging/encode';
import { tempDir } from '../../helpers/temp-dir';

const tmp = tempDir();
afterAll(() => tmp.remove());

const W = 8;
const H = 6;
/** A test pattern: every pixel distinct. */
const rgb = Buffer.from(Array.from({ length: W * H * 3 }, (_, i) => (i * 37) % 256));
const raw = { raw: { width: W, height: H, channels: 3 as const } };

function file(name: string, bytes: Buffer): string {
  const p = join(tmp.path, name);
  writeFileSync(p, bytes);
  return p;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A small PNG whose header claims `w` x `h` pixels (its pixel data is tiny and incomplete). */
function pngHeader(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  const idat = deflateSync(Buffer.alloc(1024));
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

describe('decodeImageFile: bad input gets a clear error', () => {
  it('missing file and folder', async () => {
    await expect(decodeImageFile(join(tmp.path, 'nope.png'))).rejects.toThrow(
      /Cannot read .*nope.png: no such file/,
    );
    const dir = join(tmp.path, 'a-folder.png');
    mkdirSync(dir);
    await expect(decodeImageFile(dir)).rejects.toThrow(/a-folder.png: it is a folder/);
  });

  it('zero-byte file', async () => {
    await expect(decodeImageFile(file('empty.png', Buffer.alloc(0)))).rejects.toThrow(
      'empty.png is empty (0 bytes).',
    );
  });

  it('non-image file', async () => {
    await expect(decodeImageFile(file('notes.jpg', Buffer.from('not an image at all\n')))).rejects.toThrow(
      /notes.jpg is not an image in a supported format/,
    );
  });

  it('truncated JPEG and PNG', async () => {
    const jpg = await sharp(rgb, raw).jpeg().toBuffer();
    const png = await sharp(rgb, raw).png().toBuffer();
    await expect(decodeImageFile(file('cut.jpg', jpg.subarray(0, jpg.length >> 1)))).rejects.toThrow(
      /cut.jpg is truncated or corrupt/,
    );
    await expect(decodeImageFile(file('cut.png', png.subarray(0, png.length - 20)))).rejects.toThrow(
      /cut.png is truncated or corrupt/,
    );
  });

  it('absurdly large image (pixel limit), judged from the header before decoding', async () => {
    await expect(decodeImageFile(file('huge.png', pngHeader(60_000, 60_000)))).rejects.toThrow(
      /huge.png is 60000x60000 \(3600000000 pixels\), above the limit of 20000000 pixels \(20.0 megapixels/,
    );
    const png = await sharp(rgb, raw).png().toBuffer();
    await expect(decodeImage(png, 'small.png', { maxPixels: 40 })).rejects.toThrow(/above the limit/);
  });

  it('a real 10000x10000 PNG (a few hundred KB) is refused from its header, before any pixel is decoded', async () => {
    // A complete, valid 1-bit grayscale PNG (every row filter 0, all black): cheap to make, 100 MP to decode.
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(10_000, 0);
    ihdr.writeUInt32BE(10_000, 4);
    ihdr.set([1, 0, 0, 0, 0], 8);
    const big = Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(10_000 * (1 + 1250)), { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(big.length).toBeLessThan(1_000_000);
    expect(await sharp(big).metadata()).toMatchObject({ width: 10_000, height: 10_000 });
    const t0 = performance.now();
    await expect(decodeImageFile(file('10k.png', big))).rejects.toThrow(
      /10k.png is 10000x10000 \(100000000 pixels\), above the limit of 20000000 pixels/,
    );
    await expect(probeImage(big, '10k.png')).rejects.toThrow(/limited to 20000000 pixels/);
    // A decode would take seconds and 1.2 GB; the header check takes milliseconds.
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('animated GIF and WebP', async () => {
    const frames = Buffer.from(
      Array.from({ length: W * H * 3 * 3 }, (_, i) => Math.floor(i / (W * H * 3)) * 100),
    );
    const anim = { raw: { width: W, height: H * 3, channels: 3 as const, pageHeight: H } };
    const gif = await sharp(frames, anim).gif().toBuffer();
    const webp = await sharp(frames, anim).webp({ loop: 0 }).toBuffer();
    await expect(decodeImageFile(file('anim.gif', gif))).rejects.toThrow(
      /anim.gif is animated or has 3 pages/,
    );
    await expect(decodeImageFile(file('anim.webp', webp))).rejects.toThrow(
      /anim.webp is animated or has 3 pages/,
    );
  });
});

describe('decodeImageFile: unusual but valid input is handled correctly', () => {
  it('8-bit RGB PNG decodes exactly', async () => {
    const d = await decodeImageFile(file('rgb.png', await sharp(rgb, raw).png().toBuffer()));
    expect(d).toMatchObject({ format: 'png', bitDepth: 8, notes: [] });
    expect(Array.from(d.image.data.slice(0, 6), (v) => Math.round(v * 255))).toEqual([...rgb.subarray(0, 6)]);
  });

  it('16-bit PNG keeps 16-bit precision', async () => {
    const u16 = new Uint16Array(W * H * 3).map((_, i) => (i * 4099) % 65536);
    const png16 = await sharp(u16, { raw: { width: W, height: H, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const d = await decodeImageFile(file('deep.png', png16));
    expect(d.bitDepth).toBe(16);
    expect(d.notes).toContain('16-bit samples kept at 16-bit precision');
    const back = Array.from(d.image.data.slice(0, 6), (v) => Math.round(v * 65535));
    expect(back).toEqual([...u16.subarray(0, 6)]);
    expect(back[1]! % 257).not.toBe(0); // not an 8-bit value scaled up
  });

  it('grayscale is replicated to RGB', async () => {
    const d = await decodeImageFile(
      file('gray.png', await sharp(rgb, raw).toColourspace('b-w').png().toBuffer()),
    );
    expect(d.notes).toContain('grayscale: replicated to RGB');
    const px = d.image.data;
    for (let i = 0; i < px.length; i += 3) expect([px[i + 1], px[i + 2]]).toEqual([px[i], px[i]]);
    expect(new Set(px).size).toBeGreaterThan(1);
  });

  it('CMYK JPEG is converted to sRGB', async () => {
    const grey = Buffer.alloc(W * H * 3, 128);
    const d = await decodeImageFile(
      file('cmyk.jpg', await sharp(grey, raw).toColourspace('cmyk').jpeg().toBuffer()),
    );
    expect(d.notes).toContain('CMYK converted to sRGB');
    expect(d.image.data.length).toBe(W * H * 3);
    for (const v of d.image.data) expect(Math.abs(v - 128 / 255)).toBeLessThan(0.1);
  });

  it('alpha is flattened onto white', async () => {
    const rgba = Buffer.alloc(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([0, 0, 0, i === 0 ? 255 : 0], i * 4);
    const d = await decodeImageFile(
      file(
        'alpha.png',
        await sharp(rgba, { raw: { width: W, height: H, channels: 4 } })
          .png()
          .toBuffer(),
      ),
    );
    expect(d.notes).toContain('alpha channel flattened onto white');
    expect(Array.from(d.image.data.slice(0, 6))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('EXIF orientation is applied (6 = rotate 90 degrees clockwise)', async () => {
    const jpg = await sharp(rgb, raw).png().toBuffer();
    const rotated = await sharp(jpg).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const d = await decodeImageFile(file('exif.jpg', rotated));
    expect(d.notes).toContain('EXIF orientation 6 applied');
    expect([d.image.width, d.image.height]).toEqual([H, W]);
  });
});

describe('encodePng', () => {
  it('is deterministic, round-trips 8-bit pixels and embeds the generated-image note', async () => {
    const img = { width: 3, height: 2, data: new Float32Array(18).map((_, i) => i / 17) };
    const a = await encodePng(img, { generated: true });
    const b = await encodePng(img, { generated: true });
    expect(a.equals(b)).toBe(true);
    expect(CAVEAT_KEYWORD).toBe('Description');
    expect(GENERATED_NOTE).toMatch(
      /^AI-generated candidate - an investigative aid, not evidence of identity\. Generated/,
    );
    expect(a.includes(Buffer.from(`${CAVEAT_KEYWORD}\u0000${GENERATED_NOTE}`, 'latin1'))).toBe(true);
    const plain = await encodePng(img);
    expect(plain.includes(Buffer.from('tEXt', 'latin1'))).toBe(false);
    expect((await sharp(a).metadata()).comments).toEqual([{ keyword: 'Description', text: GENERATED_NOTE }]);
    const d = await decodeImage(a, 'out.png');
    expect(rgb8Sha256(d.image)).toBe(rgb8Sha256(img));
  });
});
