import { Alert, Button, Group, SegmentedControl, Select, Slider, Stack, Text, Tooltip } from '@mantine/core';
import { useElementSize, useHotkeys } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { selectWidth } from '../../lib/selectWidth';
import { SHORTCUTS } from '../../lib/shortcuts';
import { ImageBox } from './ImageBox';
import { isAiGenerated, provenanceCaption } from '../../../../shared/labels';
import type { ViewerImage } from './types';
import { UncertaintyLegend } from './UncertaintyLegend';
import { useUncertainty } from './useUncertainty';
import { useZoomSync } from './useZoomSync';
import { ZoomPane } from './ZoomPane';

/** How the images are laid out. */
export type ViewerMode = 'side' | 'slider' | 'flicker';

/** Everything the viewer shows for one run. */
export interface ViewerProps {
  /** The still's own aligned crop (no AI), shown first: the candidates are judged against what the still holds. */
  readonly still?: ViewerImage;
  readonly lr: ViewerImage;
  readonly bicubic: ViewerImage;
  readonly candidates: readonly ViewerImage[];
  /** The candidate mean as the run stored it (runs with two or more candidates). */
  readonly mean?: ViewerImage;
  readonly reference?: ViewerImage;
  /** The uncertainty map as the run stored it; without one the viewer computes it from the candidates. */
  readonly uncertainty?: ViewerImage;
  /** Edge of each square pane in CSS pixels (the largest it is drawn at, with `perRow`). */
  readonly size?: number;
  /**
   * Shrink the panes (down to 128 px, the images' own size) so that this many fit side by side in the viewer's
   * width: the still, the candidates and the reference, which come first, then stay in one row on smaller screens.
   */
  readonly perRow?: number;
}

/** The gap between panes (the .viewer-grid gap in styles.css). */
const GAP = 12;

function Img(props: { readonly image: ViewerImage; readonly size: number; readonly hidden?: boolean }) {
  return (
    <img
      src={props.image.src}
      alt={props.image.title}
      draggable={false}
      className={props.image.kind === 'reference' ? 'viewer-img contain' : 'viewer-img'}
      style={{ width: props.size, height: props.size, visibility: props.hidden ? 'hidden' : 'visible' }}
    />
  );
}

/**
 * The run viewer: the still's own crop, every candidate and an optional reference photo first (what an examiner
 * compares), then the LR input (nearest neighbour, pixelated), bicubic and the candidate mean, side by side with
 * synchronised zoom and pan; a before/after slider; flicker compare; and the per-pixel uncertainty map across
 * candidates. Every image has a caption strip under it saying what it is (shared/labels); only the candidates and
 * their mean carry "AI-generated … not evidence of identity".
 */
export function Viewer(props: ViewerProps) {
  const { ref: frame, width } = useElementSize();
  const maxSize = props.size ?? 256;
  const size =
    props.perRow && width > 0
      ? Math.max(128, Math.min(maxSize, Math.floor((width + GAP) / props.perRow) - GAP))
      : maxSize;
  const sync = useZoomSync();
  const [mode, setMode] = useState<ViewerMode>('side');
  const all = useMemo(
    () => [
      ...(props.still ? [props.still] : []),
      ...props.candidates,
      ...(props.reference ? [props.reference] : []),
      props.lr,
      props.bicubic,
      ...(props.mean ? [props.mean] : []),
    ],
    [props.still, props.lr, props.bicubic, props.candidates, props.mean, props.reference],
  );
  const k = props.candidates.length;
  const captionOf = (i: ViewerImage): string =>
    i.caption ?? provenanceCaption(i.kind, props.candidates.indexOf(i) + 1, k);
  const byId = (id: string): ViewerImage => all.find((i) => i.id === id) ?? props.lr;
  const [beforeId, setBeforeId] = useState<string>(props.bicubic.id);
  const [afterId, setAfterId] = useState<string>(props.candidates[0]?.id ?? props.lr.id);
  const [split, setSplit] = useState(50);
  const [flickerMs, setFlickerMs] = useState(600);
  const [showB, setShowB] = useState(false);
  const computed = useUncertainty(props.uncertainty ? [] : props.candidates.map((c) => c.src));

  useEffect(() => {
    if (mode !== 'flicker') return;
    const timer = setInterval(() => setShowB((b) => !b), flickerMs);
    return () => clearInterval(timer);
  }, [mode, flickerMs]);

  useHotkeys([
    [SHORTCUTS.zoomIn.keys, sync.zoomIn],
    [SHORTCUTS.zoomOut.keys, sync.zoomOut],
    [SHORTCUTS.zoomReset.keys, sync.reset],
    [SHORTCUTS.flicker.keys, () => setMode((m) => (m === 'flicker' ? 'side' : 'flicker'))],
    [SHORTCUTS.slider.keys, () => setMode((m) => (m === 'slider' ? 'side' : 'slider'))],
  ]);

  const before = byId(beforeId);
  const after = byId(afterId);
  const options = all.map((i) => ({ value: i.id, label: i.title }));
  const pairPickers = (
    <>
      <Select
        label={mode === 'flicker' ? 'Image A' : 'Left (before)'}
        data={options}
        value={before.id}
        onChange={(v) => v && setBeforeId(v)}
        allowDeselect={false}
        w={selectWidth(
          options.map((o) => o.label),
          200,
        )}
      />
      <Select
        label={mode === 'flicker' ? 'Image B' : 'Right (after)'}
        data={options}
        value={after.id}
        onChange={(v) => v && setAfterId(v)}
        allowDeselect={false}
        w={selectWidth(
          options.map((o) => o.label),
          200,
        )}
      />
    </>
  );

  return (
    <Stack gap="xs" className="viewer" ref={frame}>
      <Group gap="xs" align="end" wrap="wrap">
        <SegmentedControl
          aria-label="Viewer mode"
          value={mode}
          onChange={(v) => setMode(v as ViewerMode)}
          data={[
            { value: 'side', label: 'Side by side' },
            { value: 'slider', label: 'Before / after (B)' },
            { value: 'flicker', label: 'Flicker (F)' },
          ]}
        />
        <Button.Group>
          <Tooltip label="Zoom in (=)">
            <Button variant="default" onClick={sync.zoomIn} aria-label="Zoom in">
              +
            </Button>
          </Tooltip>
          <Tooltip label="Zoom out (-)">
            <Button variant="default" onClick={sync.zoomOut} aria-label="Zoom out">
              −
            </Button>
          </Tooltip>
          <Tooltip label="Fit (0)">
            <Button variant="default" onClick={sync.reset} aria-label="Fit images">
              Fit
            </Button>
          </Tooltip>
        </Button.Group>
        {mode !== 'side' && pairPickers}
        {mode === 'flicker' && (
          <Stack gap={0} w={180}>
            <Text size="xs">Flicker every {flickerMs} ms</Text>
            <Slider
              thumbLabel="Flicker interval"
              min={150}
              max={2000}
              step={50}
              value={flickerMs}
              onChange={setFlickerMs}
              label={null}
            />
          </Stack>
        )}
        <Text size="xs" c="dimmed" maw={420} style={{ alignSelf: 'center' }}>
          Wheel or +/− to zoom, drag to pan; all images move together. The LR input is shown with its real
          pixels (nearest neighbour).
        </Text>
      </Group>

      {mode === 'side' && (
        <div className="viewer-grid">
          {all.map((image) => (
            <ImageBox
              key={image.id}
              title={image.title}
              size={size}
              caption={captionOf(image)}
              ai={isAiGenerated(image.kind)}
              metrics={image.metrics}
              testId={`viewer-${image.kind}`}
            >
              <ZoomPane id={image.id} sync={sync} size={size}>
                <Img image={image} size={size} />
              </ZoomPane>
            </ImageBox>
          ))}
          {props.uncertainty ? (
            <ImageBox
              title={props.uncertainty.title}
              size={size}
              caption={captionOf(props.uncertainty)}
              ai={false}
              metrics={props.uncertainty.metrics}
              testId="viewer-uncertainty"
            >
              <ZoomPane id="uncertainty" sync={sync} size={size}>
                <Img image={props.uncertainty} size={size} />
              </ZoomPane>
              <UncertaintyLegend ramp="grey" width={size} />
            </ImageBox>
          ) : computed instanceof Error ? (
            <Alert color="red" p="xs" w={size}>
              Uncertainty map unavailable: {computed.message}
            </Alert>
          ) : (
            computed && (
              <ImageBox
                title="Uncertainty across candidates"
                size={size}
                caption={provenanceCaption('uncertainty')}
                ai={false}
                testId="viewer-uncertainty"
                metrics={[
                  {
                    label: 'Mean spread',
                    value: computed.mean.toFixed(1),
                    hint: 'Average per-pixel standard deviation between candidates (8-bit levels, 0-255). Bright areas: the candidates disagree, so the model invented that detail.',
                  },
                  { label: 'Max spread', value: computed.max.toFixed(1) },
                ]}
              >
                <ZoomPane id="uncertainty" sync={sync} size={size}>
                  <img
                    src={computed.src}
                    alt="Uncertainty map: bright where candidates disagree"
                    className="viewer-img"
                    style={{ width: size, height: size }}
                  />
                </ZoomPane>
                <UncertaintyLegend ramp="colour" width={size} />
              </ImageBox>
            )
          )}
        </div>
      )}

      {mode === 'slider' && (
        <Stack gap={4} w={size * 2}>
          <ImageBox
            title={`${before.title}  ◀ ▶  ${after.title}`}
            size={size * 2}
            caption={`Left: ${captionOf(before)}  |  Right: ${captionOf(after)}`}
            ai={isAiGenerated(before.kind) || isAiGenerated(after.kind)}
            testId="viewer-slider"
          >
            <ZoomPane id="slider" sync={sync} size={size * 2}>
              <div className="stack" style={{ width: size * 2, height: size * 2 }}>
                <Img image={before} size={size * 2} />
                <div className="stack-top" style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
                  <Img image={after} size={size * 2} />
                </div>
                <div className="split-line" style={{ left: `${split}%` }} />
              </div>
            </ZoomPane>
          </ImageBox>
          {/* No value bubble: it would sit on the caption; the split is written beside the slider. */}
          <Group gap="xs" wrap="nowrap">
            <Slider
              thumbLabel="Before / after split"
              value={split}
              onChange={setSplit}
              min={0}
              max={100}
              label={null}
              style={{ flex: 1 }}
            />
            <Text size="xs" w={70} data-testid="split-value">
              split {split} %
            </Text>
          </Group>
        </Stack>
      )}

      {mode === 'flicker' && (
        <ImageBox
          title={`Showing ${showB ? 'B' : 'A'}: ${showB ? after.title : before.title}`}
          size={size * 2}
          caption={captionOf(showB ? after : before)}
          ai={isAiGenerated((showB ? after : before).kind)}
          testId="viewer-flicker"
        >
          <ZoomPane id="flicker" sync={sync} size={size * 2}>
            <div className="stack" style={{ width: size * 2, height: size * 2 }}>
              <Img image={before} size={size * 2} hidden={showB} />
              <div className="stack-top">
                <Img image={after} size={size * 2} hidden={!showB} />
              </div>
            </div>
          </ZoomPane>
        </ImageBox>
      )}
    </Stack>
  );
}
