/**
 * The uncertainty map's one unit, shared by the app's legend, the CLI's run.json and the report: the per-pixel
 * standard deviation across candidates in 8-bit levels (0-255). The map is drawn on a fixed scale so maps compare:
 * black is 0, white is UNCERTAINTY_WHITE_LEVELS or more.
 */

/** The display scale on [0,1] pixel values: white = std of 1/UNCERTAINTY_SCALE (the stored maps use it). */
export const UNCERTAINTY_SCALE = 4;

/** The std, in 8-bit levels, that shows as white: 255 / 4 = 63.75. */
export const UNCERTAINTY_WHITE_LEVELS = 255 / UNCERTAINTY_SCALE;

/** A std on [0,1] pixel values in the shared unit (8-bit levels). */
export function stdInLevels(std01: number): number {
  return std01 * 255;
}

/** The scale in words, for captions: the same in the app, the report and run.json. */
export const UNCERTAINTY_SCALE_TEXT = `black 0, white ${UNCERTAINTY_WHITE_LEVELS} or more 8-bit levels of std`;

/** The legend in words and numbers, as run.json and the report state it. */
export const UNCERTAINTY_LEGEND = {
  unit: '8-bit levels (0-255): per-pixel standard deviation across candidates, mean over RGB',
  black: 0,
  white: UNCERTAINTY_WHITE_LEVELS,
  note: `uncertainty.png: ${UNCERTAINTY_SCALE_TEXT}, linear in between`,
} as const;
