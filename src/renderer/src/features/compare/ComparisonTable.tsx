import { Alert, Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { TEST_MODEL_FLAG } from '../../../../shared/labels';
import { formatLr, type ComparisonLrFields } from '../../../../shared/contract';
import { SimilarityBars } from '../charts/SimilarityBars';

/** One scored pair: an image (a candidate or the probe itself) against one reference photo. */
export interface ComparisonRow {
  readonly id: string;
  /** What was compared, e.g. "Run 3 · candidate 2" or "Bicubic". */
  readonly subject: string;
  /** The image is an output of a test model (or one never trained on faces): flagged in its row. */
  readonly testModel?: boolean;
  readonly reference: string;
  /** Cosine similarity of the embeddings. */
  readonly score: number;
  /** Share (%) of different-person pairs in the embedder's calibration set that score lower; null if unknown. */
  readonly percentile: number | null;
  readonly embedder: string;
  /** Calibrated likelihood ratio of the score, its verbal scale and condition; null if not calibrated. */
  readonly lr: ComparisonLrFields | null;
  /** Why there is no LR (older comparisons do not say). */
  readonly lrWithheld?: string | null;
}

/** A ranked table of cosine similarities with the calibration percentile, a bar chart and the caveat. */
export function ComparisonTable(props: { readonly rows: readonly ComparisonRow[]; readonly caveat: string }) {
  const ranked = [...props.rows].sort((a, b) => b.score - a.score);
  return (
    <Stack gap="xs">
      <Alert color="orange" p="xs" title="Read this first">
        {props.caveat} A high similarity means the generated face resembles the photo; the model may have
        invented the features that make it so.
      </Alert>
      <Group align="start" gap="lg" wrap="wrap">
        <Table withTableBorder highlightOnHover maw={720} data-testid="comparison-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rank</Table.Th>
              <Table.Th>Image</Table.Th>
              <Table.Th>Reference photo</Table.Th>
              <Table.Th ta="right">
                <Tooltip label="Cosine similarity between face embeddings: 1 = same direction, 0 = unrelated.">
                  <span>Similarity</span>
                </Tooltip>
              </Table.Th>
              <Table.Th ta="right">
                <Tooltip
                  multiline
                  w={280}
                  label="Share of different-person pairs in the embedder's calibration set that scored lower. 99% means only 1 in 100 different-person pairs score this high."
                >
                  <span>Above different-person pairs</span>
                </Tooltip>
              </Table.Th>
              <Table.Th>
                <Tooltip
                  multiline
                  w={320}
                  label="Likelihood ratio: how much more probable this score is if the two faces are the same person than if they are different persons, from a calibration on CelebA identities other than those it was checked on. It is calibrated for one condition (shown); it is not a probability that they are the same person."
                >
                  <span>Likelihood ratio</span>
                </Tooltip>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ranked.map((r, i) => (
              <Table.Tr key={r.id}>
                <Table.Td className="num">{i + 1}</Table.Td>
                <Table.Td>
                  {r.subject}
                  {r.testModel && (
                    <Tooltip label={TEST_MODEL_FLAG} multiline w={280}>
                      <Badge size="xs" ml={4} color="red" tt="none" data-testid="compare-test-model-flag">
                        test model
                      </Badge>
                    </Tooltip>
                  )}
                </Table.Td>
                <Table.Td>{r.reference}</Table.Td>
                <Table.Td ta="right" className="num">
                  {r.score.toFixed(3)}
                </Table.Td>
                <Table.Td ta="right" className="num">
                  {r.percentile === null ? 'not calibrated' : `${r.percentile.toFixed(1)}%`}
                </Table.Td>
                <Table.Td data-testid="comparison-lr">
                  {r.lr === null ? (
                    <Text size="xs" c="dimmed">
                      {r.lrWithheld ? `no LR: ${r.lrWithheld}` : 'no calibration'}
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
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {ranked.length > 0 && (
          <SimilarityBars
            title="Similarity of each image to the reference photo"
            bars={ranked.map((r) => ({
              label: r.testModel ? `${r.subject} (TEST MODEL)` : r.subject,
              value: r.score,
            }))}
            width={440}
          />
        )}
      </Group>
      {ranked[0] && (
        <Text size="xs" c="dimmed">
          Embedder: {ranked[0].embedder}
        </Text>
      )}
    </Stack>
  );
}
