import { Tooltip } from '@mantine/core';
import { isoUtc, isoWithOffset } from './format';

/** An instant in the examiner's zone with its offset; UTC on hover. Every time on screen goes through this. */
export function Time(props: { readonly iso: string }) {
  const utc = isoUtc(props.iso);
  return (
    <Tooltip label={`UTC ${utc}`}>
      <time dateTime={utc} title={`UTC ${utc}`} data-testid="time" style={{ whiteSpace: 'nowrap' }}>
        {isoWithOffset(props.iso)}
      </time>
    </Tooltip>
  );
}
