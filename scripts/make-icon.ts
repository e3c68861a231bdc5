/**
 * Renders build/icon.svg to build/icon.png (1024x1024), the one icon electron-builder turns into the
 * Linux, Windows (.ico) and macOS (.icns) icons. Run after editing the SVG: `npx tsx scripts/make-icon.ts`.
 */
import { resolve } from 'node:path';
import sharp from 'sharp';

const BUILD = resolve(import.meta.dirname, '..', 'build');

await sharp(resolve(BUILD, 'icon.svg'), { density: 72 })
  .resize(1024, 1024)
  .png({ compressionLevel: 9 })
  .toFile(resolve(BUILD, 'icon.png'));
console.log('wrote build/icon.png');
