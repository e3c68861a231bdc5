/** The run.json `facet run --out` writes: the C7 record and every output's hashes, by the file name it was written to. */
import type { Run } from '../shared/contract';
import { UNCERTAINTY_LEGEND } from '../shared/uncertainty';

/** run.json's text for a finished run. */
export function canonicalRunJson(run: Run): string {
  const name = (o: Run['outputs'][number]): string =>
    o.kind === 'candidate' ? `candidate-${o.index + 1}.png` : `${o.kind}.png`;
  return `${JSON.stringify(
    {
      run: run.id,
      case: run.caseId,
      face: run.faceId,
      rerunOf: run.rerunOf,
      record: run.record,
      outputs: Object.fromEntries(
        run.outputs.map((o) => [name(o), { sha256: o.sha256, pixelsSha256: o.pixelsSha256 }]),
      ),
      uncertainty: UNCERTAINTY_LEGEND,
    },
    null,
    2,
  )}\n`;
}
