/** The forward SDEs (DESIGN.md section 1). */
export { createSde, dataRange, defaultEps, defaultSde, gridIndex, timeGrid } from './sde';
export type { Sde, SdeKind } from './sde';
