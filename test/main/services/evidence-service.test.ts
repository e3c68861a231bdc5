import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import * as zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeApp, type App, type ComposeOptions } from '../../../src/main/compose';
import type { StoreFs } from '../../../src/main/store/object-store';
import { tempDir } from '../../helpers/temp-dir';
import { writePhoto } from '../../helpers/case-fixture';

const hashFile = (p: string): string => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

/** Counts what a failed import must not leave behind: rows, events, files in the case folder. */
function footprint(app: App, caseId: string): { evidence: number; events: number; files: string[] } {
  const dir = join(app.dataDir, 'cases', caseId);
  const files = fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(join(dir, f)).isFile())
    : [];
  return {
    evidence: (app.db.prepare('SELECT count(*) AS n FROM evidence').get() as { n: number }).n,
    events: (app.db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n,
    files: files.sort(),
  };
}

describe('evidence import', () => {
  let dir: ReturnType<typeof tempDir>;
  let app: App;
  let caseId: string;
  let photos: string;
  const open = (extra: Partial<ComposeOptions> = {}): App =>
    composeApp({ dataDir: join(dir.path, 'data'), actor: 'ann', ...extra });

  beforeEach(() => {
    dir = tempDir();
    photos = join(dir.path, 'photos');
    fs.mkdirSync(photos);
    app = open({ evidenceLimits: { maxBytes: 5_000_000, maxPixels: 4_000_000 } });
    app.paths.allowFolder(photos);
    caseId = app.cases.create({ name: 'c' }).id;
  });
  afterEach(() => {
    app.close();
    dir.remove();
  });

  it('stores the bytes once, read-only, by SHA-256, and leaves the original untouched', async () => {
    const src = await writePhoto(photos, 'a.png', 64, 48);
    const before = { hash: hashFile(src), mtime: fs.statSync(src).mtimeMs };
    const { evidence, duplicate } = await app.evidence.import({ caseId, path: src, role: 'probe' });
    expect(duplicate).toBe(false);
    expect(evidence).toMatchObject({
      sha256: before.hash,
      width: 64,
      height: 48,
      mediaType: 'image/png',
      originalName: 'a.png',
      importedBy: 'ann',
    });
    const stored = app.store.pathOf(caseId, evidence.sha256);
    expect(stored).toBe(
      join(app.dataDir, 'cases', caseId, 'objects', evidence.sha256.slice(0, 2), evidence.sha256),
    );
    expect(fs.statSync(stored).mode & 0o222).toBe(0);
    expect(app.evidence.open(evidence.id).equals(fs.readFileSync(src))).toBe(true);
    expect({ hash: hashFile(src), mtime: fs.statSync(src).mtimeMs }).toEqual(before);
  });

  it('does not duplicate the same bytes imported twice (even under another name)', async () => {
    const a = await writePhoto(photos, 'a.png');
    fs.copyFileSync(a, join(photos, 'copy.png'));
    const first = await app.evidence.import({ caseId, path: a, role: 'probe' });
    const fp = footprint(app, caseId);
    const second = await app.evidence.import({ caseId, path: join(photos, 'copy.png'), role: 'probe' });
    expect(second).toEqual({ evidence: first.evidence, duplicate: true });
    expect(footprint(app, caseId)).toEqual(fp);
  });

  it('imports the same bytes concurrently once', async () => {
    const a = await writePhoto(photos, 'a.png');
    const [x, y] = await Promise.all([
      app.evidence.import({ caseId, path: a, role: 'probe' }),
      app.evidence.import({ caseId, path: a, role: 'probe' }),
    ]);
    expect(x.evidence.id).toBe(y.evidence.id);
    expect([x.duplicate, y.duplicate].sort()).toEqual([false, true]);
    expect(app.evidence.list(caseId)).toHaveLength(1);
    expect(app.audit.verify(caseId, app.store).ok).toBe(true);
  });

  const rejects = async (path: string, message: RegExp): Promise<void> => {
    const fp = footprint(app, caseId);
    const exists = fs.existsSync(path) && fs.statSync(path).isFile();
    const before = exists ? hashFile(path) : null;
    await expect(app.evidence.import({ caseId, path, role: 'probe' })).rejects.toThrow(message);
    expect(footprint(app, caseId)).toEqual(fp);
    if (before) expect(hashFile(path)).toBe(before);
  };

  it('rejects a file that is not an image', async () => {
    const p = join(photos, 'notes.png');
    fs.writeFileSync(p, 'This is a text file, not a photo.\n');
    await rejects(p, /is not an image/);
  });

  it('rejects a corrupt (truncated) image', async () => {
    const p = await writePhoto(photos, 'big.png', 300, 300);
    const b = fs.readFileSync(p);
    fs.writeFileSync(p, b.subarray(0, Math.floor(b.length / 2)));
    await rejects(p, /damaged png image|is not an image/);
  });

  it('rejects an image with too many pixels without decoding it (decompression bomb header)', async () => {
    // A real 8x8 PNG whose IHDR claims 20000x20000 (CRC fixed): what a decompression bomb announces.
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    png.writeUInt32BE(20_000, 16);
    png.writeUInt32BE(20_000, 20);
    png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
    const p = join(photos, 'bomb.png');
    fs.writeFileSync(p, png);
    await rejects(p, /20000x20000 \(400000000 pixels\); evidence images are limited to 4000000 pixels/);
  });

  it('rejects a file over the size limit', async () => {
    const p = join(photos, 'huge.png');
    fs.writeFileSync(
      p,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
    );
    fs.truncateSync(p, 6_000_000); // sparse: no disk used
    await rejects(p, /6000000 bytes; evidence files are limited to 5000000 bytes/);
  });

  it('rejects paths the user did not choose, folders, relative paths and missing files', async () => {
    const outside = await writePhoto(dir.path, 'outside.png');
    await rejects(outside, /outside the files and folders you chose/);
    fs.symlinkSync(outside, join(photos, 'link.png'));
    await rejects(join(photos, 'link.png'), /outside the files and folders you chose/);
    await rejects(join(photos, '..', 'outside.png'), /outside the files and folders you chose/);
    fs.mkdirSync(join(photos, 'sub.png'));
    await rejects(join(photos, 'sub.png'), /not a regular file/);
    // A FIFO is refused without being read (opening it for a blocking read would hang with no writer).
    execFileSync('mkfifo', [join(photos, 'pipe.png')]);
    await rejects(join(photos, 'pipe.png'), /pipe.png is a FIFO \(named pipe\), not a regular file/);
    await rejects('photos/a.png', /must be absolute/);
    await rejects(join(photos, 'missing.png'), /No such file/);
    const ok = await writePhoto(dir.path, 'picked.png');
    app.paths.allowFile(ok);
    await expect(app.evidence.import({ caseId, path: ok, role: 'reference' })).resolves.toMatchObject({
      duplicate: false,
    });
  });

  it('rejects evidence for a closed case', async () => {
    const p = await writePhoto(photos, 'a.png');
    app.cases.close(caseId);
    await rejects(p, /is closed/);
  });

  it('reports a full disk clearly and leaves no row or file (injected ENOSPC)', async () => {
    app.close();
    const failing: StoreFs = {
      ...fs,
      writeSync: (() => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }) as typeof fs.writeSync,
    };
    app = open({ storeFs: failing });
    app.paths.allowFolder(photos);
    await rejects(await writePhoto(photos, 'a.png'), /Not enough disk space .* Nothing was stored/);
  });

  it('reports a full disk on a real 1 MiB tmpfs and leaves no row or file', async (ctx) => {
    const mnt = join(dir.path, 'tiny');
    fs.mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      ctx.skip(); // not root: the injected ENOSPC test above covers the same path
    }
    app.close();
    try {
      app = composeApp({ dataDir: mnt, actor: 'ann' });
      app.paths.allowFolder(photos);
      caseId = app.cases.create({ name: 'tiny' }).id;
      const small = await app.evidence.import({
        caseId,
        path: await writePhoto(photos, 'small.png', 32, 32),
        role: 'probe',
      });
      const big = join(photos, 'noise.png');
      // 1.5 MB of incompressible pixels: more than the tmpfs holds beside the case database and its WAL.
      const noise = Buffer.alloc(700 * 700 * 3);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
      fs.writeFileSync(
        big,
        await sharp(noise, { raw: { width: 700, height: 700, channels: 3 } })
          .png({ compressionLevel: 0 })
          .toBuffer(),
      );
      await rejects(big, /Not enough disk space/);
      expect(app.evidence.list(caseId).map((e) => e.id)).toEqual([small.evidence.id]);
      expect(app.audit.verify(caseId, app.store).ok).toBe(true);
    } finally {
      app.close();
      execFileSync('umount', [mnt]);
      app = open();
    }
  });
});
