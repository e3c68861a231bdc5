import { Alert, Badge, Stack, Table, Text, Tooltip } from '@mantine/core';
import { TEST_MODEL_FLAG } from '../../../../shared/labels';
import {
  CLLR_EXPLAINED,
  DECLARED_STATISTIC,
  LR_PROPOSITIONS,
  type ScoreSpread,
} from '../../../../shared/comparisons';
import { formatLr, type ComparisonLrFields } from '../../../../shared/contract';
import { SimilarityBars, type SimilarityBar } from '../charts/SimilarityBars';

/** One run against one reference photo: its one declared LR and its candidates' spread. */
export interface ComparisonRow {
  /** A stable key (run and reference). */
  readonly id: string;
  /** The run's name, e.g. "Run 3 · Fast · 4 candidates · seed 7". */
  readonly run: string;
  /** The run's input face: file, face number and role. */
  readonly input: string;
  /** The run's images are outputs of a test model (or one never trained on faces): flagged in its row. */
  readonly testModel?: boolean;
  /** Why the run's input and the reference come from the same source, or null. */
  readonly sameSource: string | null;
  /** The declared LR (the candidate mean's, calibrated), or null with the reason in `lrWithheld`. */
  readonly lr: ComparisonLrFields | null;
  readonly lrWithheld: string | null;
  /** Cosine similarity of the candidate mean, or null. */
  readonly meanScore: number | null;
  readonly spread: ScoreSpread | null;
}

/** The comparisons with one reference photo: a table row per run and a chart bar per compared image. */
export interface ComparisonGroup {
  readonly referenceId: string;
  readonly reference: string;
  readonly rows: readonly ComparisonRow[];
  /** One bar per compared image (its latest comparison), keyed by comparison id, in run and image order. */
  readonly bars: readonly SimilarityBar[];
}

/** The Compare view: per reference photo, one declared LR per run, the candidates' spread, and a chart. */
export function ComparisonTable(props: {
  readonly groups: readonly ComparisonGroup[];
  readonly caveat: string;
  readonly embedder?: string;
}) {
  return (
    <Stack gap="xs">
      <Alert color="orange" p="xs" title="Read this first">
        {props.caveat} A high similarity means the generated face resembles the photo; the model may have
        invented the features that make it so.
      </Alert>
      <Stack gap={2} data-testid="lr-propositions">
        <Text size="xs">{DECLARED_STATISTIC}</Text>
        <Text size="xs">{LR_PROPOSITIONS.hp}</Text>
        <Text size="xs">{LR_PROPOSITIONS.hd}</Text>
        <Text size="xs" c="dimmed">
          {CLLR_EXPLAINED}
        </Text>
      </Stack>
      {props.groups.map((g) => (
        <Stack gap={4} key={g.referenceId} data-testid="comparison-group" data-reference={g.reference}>
          <Text fw={600} size="sm">
            Reference photo: {g.reference}
          </Text>
          <Table withTableBorder maw={980} data-testid="comparison-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Run</Table.Th>
                <Table.Th>Input</Table.Th>
                <Table.Th>
                  <Tooltip
                    multiline
                    w={340}
                    label="How much more probable the candidate mean's similarity is under Hp than under Hd, by a calibration on CelebA identities other than those it was checked on. One per run and reference photo; not a probability that they are the same person."
                  >
                    <span>Likelihood ratio (declared)</span>
                  </Tooltip>
                </Table.Th>
                <Table.Th ta="right">Candidate mean similarity</Table.Th>
                <Table.Th ta="right">
                  <Tooltip label="Each candidate's cosine similarity, as the run's spread: not evidence on its own.">
                    <span>Candidates min / median / max</span>
                  </Tooltip>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {g.rows.map((r) => (
                <Table.Tr key={r.id} data-testid="comparison-row">
                  <Table.Td>
                    {r.run}
                    {r.sameSource && (
                      <Tooltip label={r.sameSource} multiline w={320}>
                        <Badge
                          size="sm"
                          ml={4}
                          color="red"
                          variant="filled"
                          tt="none"
                          data-testid="same-source-flag"
                        >
                          SAME SOURCE
                        </Badge>
                      </Tooltip>
                    )}
                    {r.testModel && (
                      <Tooltip label={TEST_MODEL_FLAG} multiline w={280}>
                        <Badge size="xs" ml={4} color="red" tt="none" data-testid="compare-test-model-flag">
                          test model
                        </Badge>
                      </Tooltip>
                    )}
                    {r.sameSource && (
                      <Text size="xs" c="red" data-testid="same-source-reason">
                        {r.sameSource}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{r.input}</Text>
                  </Table.Td>
                  <Table.Td data-testid="comparison-lr">
                    {r.lr === null ? (
                      <Text size="xs" c="dimmed">
                        no LR: {r.lrWithheld ?? 'no calibration'}
                      </Text>
                    ) : (
                      <Stack gap={0}>
                        <Text size="sm" className="num">
                          {formatLr(r.lr.lrLog10)}
                        </Text>
                        <Text size="xs">{r.lr.lrVerbal}</Text>
                        <Text size="xs" c="dimmed">
                          calibrated for {r.lr.lrCalibratedFor}; held-out Cllr {r.lr.lrCllr.toFixed(2)}
                        </Text>
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" className="num">
                    {r.meanScore === null ? '—' : r.meanScore.toFixed(3)}
                  </Table.Td>
                  <Table.Td ta="right" className="num" data-testid="comparison-spread">
                    {r.spread
                      ? `${r.spread.min.toFixed(3)} / ${r.spread.median.toFixed(3)} / ${r.spread.max.toFixed(3)} (${r.spread.n})`
                      : '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {g.bars.length > 0 && (
            <SimilarityBars title={`Similarity of each image to ${g.reference}`} bars={g.bars} width={520} />
          )}
        </Stack>
      ))}
      {props.embedder && (
        <Text size="xs" c="dimmed">
          Embedder: {props.embedder}
        </Text>
      )}
    </Stack>
  );
}
