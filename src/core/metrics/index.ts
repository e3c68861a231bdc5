/** Evaluation metrics (DESIGN.md section 4). */
export { consistency } from '../image/lr';
export { psnr } from './psnr';
export { ssim } from './ssim';
export { cosineSimilarity, meanStd, pearson } from './stats';
export { STREAK_ROWS, gradientRatio, streakRatio } from './streak';
