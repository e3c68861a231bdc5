import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState, type MouseEvent } from 'react';
import { detectionLetter } from '../cases/names';

/** A point in still-image pixels. */
export interface Pt {
  readonly x: number;
  readonly y: number;
}

/** A face the detector found: its box, confidence and five landmarks (C1 order), in still-image pixels. */
export interface Detection {
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly score: number;
  readonly points: readonly Pt[];
  /** Its label on the box ("Face 2" once aligned, else "B") and in words ("Detection B"); letters if absent. */
  readonly label?: { readonly short: string; readonly name: string };
}

/** The five landmarks in C1 template order, as a person places them on the image. */
export const LANDMARK_NAMES = [
  'Eye centre on the image’s left',
  'Eye centre on the image’s right',
  'Nose tip',
  'Mouth corner on the image’s left',
  'Mouth corner on the image’s right',
] as const;

const LOUPE = 140;
const LOUPE_ZOOM = 6;

/**
 * The face step on one still: detections drawn as boxes (click one to pick it), or five points placed by hand
 * with a loupe (2 eye points are enough for tiny faces). Coordinates are returned in still-image pixels.
 */
export function FacePicker(props: {
  readonly src: string;
  readonly width: number;
  readonly height: number;
  /** Faces found on the still; null until a search ran. */
  readonly detections: readonly Detection[] | null;
  readonly selected?: number | null;
  readonly busy?: boolean;
  readonly maxWidth?: number;
  readonly onPick: (index: number) => void;
  readonly onManual: (points: readonly Pt[]) => void;
}) {
  const [manual, setManual] = useState(false);
  const [points, setPoints] = useState<readonly Pt[]>([]);
  const [cursor, setCursor] = useState<Pt | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  // Small stills are enlarged (up to 2x) so faces are big enough to click; large ones are fitted.
  const scale = Math.min(2, (props.maxWidth ?? 760) / props.width, 560 / props.height) || 1;
  const w = props.width * scale;
  const h = props.height * scale;

  useHotkeys([
    ['Backspace', () => manual && setPoints((p) => p.slice(0, -1))],
    ['Escape', () => manual && (setManual(false), setPoints([]))],
  ]);

  const toImage = (e: MouseEvent): Pt | null => {
    const r = frame.current?.getBoundingClientRect();
    if (!r) return null;
    return { x: (e.clientX - r.left) / scale, y: (e.clientY - r.top) / scale };
  };

  const onClick = (e: MouseEvent) => {
    if (!manual || points.length >= 5) return;
    const p = toImage(e);
    if (p) setPoints((prev) => [...prev, p]);
  };

  const next = LANDMARK_NAMES[points.length];
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button
          variant={manual ? 'filled' : 'default'}
          onClick={() => {
            setManual((m) => !m);
            setPoints([]);
          }}
        >
          {manual ? 'Stop placing points' : 'Place points by hand'}
        </Button>
        {manual && (
          <>
            <Text size="sm" data-testid="face-next-point">
              {next ? `Click: ${next} (${points.length + 1} of 5)` : 'All five points placed.'}
            </Text>
            <Button
              variant="default"
              disabled={points.length === 0}
              onClick={() => setPoints((p) => p.slice(0, -1))}
            >
              Undo point
            </Button>
            <Button
              disabled={!(points.length === 2 || points.length === 5) || props.busy}
              loading={props.busy}
              onClick={() => props.onManual(points)}
            >
              {points.length === 2 ? 'Align from the eyes only' : 'Align from these points'}
            </Button>
          </>
        )}
        {!manual && (
          <Text size="xs" c="dimmed">
            {props.detections === null
              ? 'Find faces automatically, or place the points by hand.'
              : props.detections.length === 0
                ? 'No face was found automatically. Place the points by hand.'
                : `${props.detections.length} face${props.detections.length === 1 ? '' : 's'} found. Click a box to align that face.`}
          </Text>
        )}
      </Group>
      <div
        ref={frame}
        className={manual ? 'face-frame placing' : 'face-frame'}
        style={{ width: w, height: h }}
        onClick={onClick}
        onMouseMove={(e) => manual && setCursor(toImage(e))}
        onMouseLeave={() => setCursor(null)}
        data-testid="face-frame"
      >
        <img src={props.src} alt="Evidence still" width={w} height={h} draggable={false} />
        <svg width={w} height={h} className="face-overlay">
          {!manual &&
            props.detections?.map((d, i) => (
              <g key={i}>
                <rect
                  x={d.box.x * scale}
                  y={d.box.y * scale}
                  width={d.box.width * scale}
                  height={d.box.height * scale}
                  className={props.selected === i ? 'face-box selected' : 'face-box'}
                  role="button"
                  aria-label={`${d.label?.name ?? `Detection ${detectionLetter(i)}`}, confidence ${Math.round(d.score * 100)}%`}
                  tabIndex={0}
                  onClick={() => !props.busy && props.onPick(i)}
                  onKeyDown={(e) => e.key === 'Enter' && !props.busy && props.onPick(i)}
                />
                {d.points.map((p, k) => (
                  <circle key={k} cx={p.x * scale} cy={p.y * scale} r={2} className="face-landmark" />
                ))}
                <text x={d.box.x * scale} y={d.box.y * scale - 3} className="face-box-label">
                  {`${d.label?.short ?? detectionLetter(i)} · ${Math.round(d.score * 100)}%`}
                </text>
              </g>
            ))}
          {manual &&
            points.map((p, k) => (
              <g key={k} data-testid="face-point">
                <circle cx={p.x * scale} cy={p.y * scale} r={4} className="face-point" />
                <text x={p.x * scale + 6} y={p.y * scale - 4} className="face-box-label">
                  {k + 1}
                </text>
              </g>
            ))}
        </svg>
        {manual && cursor && (
          <div
            className="loupe"
            aria-hidden
            style={{
              width: LOUPE,
              height: LOUPE,
              left: Math.min(w - LOUPE, cursor.x * scale + 16),
              top: Math.max(0, cursor.y * scale - LOUPE - 16),
            }}
          >
            <img
              src={props.src}
              alt=""
              draggable={false}
              style={{
                width: props.width * LOUPE_ZOOM,
                height: props.height * LOUPE_ZOOM,
                transform: `translate(${LOUPE / 2 - cursor.x * LOUPE_ZOOM}px, ${LOUPE / 2 - cursor.y * LOUPE_ZOOM}px)`,
              }}
            />
            <div className="loupe-cross" />
          </div>
        )}
      </div>
      {manual && (
        <Group gap={4}>
          {LANDMARK_NAMES.map((n, k) => (
            <Badge key={n} size="xs" variant={k < points.length ? 'filled' : 'outline'}>
              {k + 1}. {n}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/**
 * The aligned 128x128 crop and the 16x16 LR the model will see, at readable sizes; only the LR when the still is
 * itself the LR (no crop, cropSrc null).
 */
export function AlignedPreview(props: { readonly cropSrc: string | null; readonly lrSrc: string }) {
  return (
    <Group gap="md" align="start" data-testid="aligned-preview">
      {props.cropSrc && (
        <figure className="image-box">
          <Text component="figcaption" size="xs" fw={600}>
            Aligned face 128×128
          </Text>
          <img src={props.cropSrc} alt="Aligned face crop" width={192} height={192} className="viewer-img" />
        </figure>
      )}
      <figure className="image-box">
        <Text component="figcaption" size="xs" fw={600}>
          {props.cropSrc
            ? 'What the model sees: 16×16, resampled from the still by C2'
            : 'What the model sees: 16×16, the still itself'}
        </Text>
        <img src={props.lrSrc} alt="16 by 16 input" width={192} height={192} className="viewer-img" />
      </figure>
    </Group>
  );
}
