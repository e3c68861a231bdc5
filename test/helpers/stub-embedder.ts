import type { RgbImage } from '../../src/core/image/types';
import type { FaceModels } from '../../src/main/services/face-analysis-service';

/**
 * A stub face embedder for tests that need scores without ONNX: the mean of each channel over a 4x4 grid, centred
 * (48 numbers), so different images score differently and one image scores 1 against itself.
 */
export function stubEmbed(img: RgbImage): Float32Array {
  const out = new Float32Array(48);
  const cw = img.width / 4;
  const ch = img.height / 4;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let c = 0; c < 3; c++) {
        const cell = (Math.floor(y / ch) * 4 + Math.floor(x / cw)) * 3 + c;
        out[cell]! += (img.data[(y * img.width + x) * 3 + c]! - 0.5) / (cw * ch);
      }
  return out;
}

/** Face models around the stub embedder: no ONNX, no LR calibrations. */
export const stubFaceModels = (sha256 = 'e'.repeat(64)): FaceModels =>
  ({
    embed: async (img: RgbImage) => stubEmbed(img),
    manifest: () => ({ id: 'stub-embedder', sha256 }),
    lrCalibrations: () => null,
    close: async () => {},
  }) as unknown as FaceModels;
