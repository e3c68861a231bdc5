/**
 * The uncertainty map's legend, in the one unit the app, run.json and the report share (src/shared/uncertainty.ts):
 * the per-pixel standard deviation across candidates in 8-bit levels, black 0 to white at a fixed level.
 */
import { Group, Text } from '@mantine/core';
import { UNCERTAINTY_WHITE_LEVELS } from '../../../../shared/uncertainty';

/** The ramp of the map it describes: the stored grey map, or the renderer's coloured one. */
export function UncertaintyLegend({ ramp, width }: { ramp: 'grey' | 'colour'; width: number }) {
  const gradient =
    ramp === 'grey'
      ? 'linear-gradient(to right, #000, #fff)'
      : 'linear-gradient(to right, #000, #4d0026, #b3331a, #ff9900, #ffff80)';
  return (
    <div data-testid="uncertainty-legend" style={{ width }}>
      <div
        role="img"
        aria-label={`Legend: 0 to ${UNCERTAINTY_WHITE_LEVELS} or more 8-bit levels of standard deviation`}
        style={{ height: 8, background: gradient, border: '1px solid var(--mantine-color-gray-5)' }}
      />
      <Group justify="space-between" gap={0}>
        <Text size="xs">0</Text>
        <Text size="xs" c="dimmed">
          std across candidates, 8-bit levels
        </Text>
        <Text size="xs">≥ {UNCERTAINTY_WHITE_LEVELS}</Text>
      </Group>
    </div>
  );
}
