#!/bin/sh
# Evaluates the CPU trainer's export the way the shipped models are judged, before it replaces them:
#   sh training/evaluate_export.sh [EXPORT_DIR]    (default training/runs/cpu/export; 12 min on 2 idle cores)
# 1. facet eval on eval/celeba: VE fast preset on 256 faces (candidate 0 and the mean of 4), VP and subVP on 64,
#    the SDE-VE paper sampler (N = 1000) on 32, into docs/results/cpu-res32-<K>-*/ (K: the images-seen tag of the
#    model id), and the numbers into the export's manifests (training.record_eval);
# 2. the fast preset's end-level sweep (training.fast_end_sweep) on the export.
# It does not touch models/: compare with the shipped model's numbers (docs/results/README.md), then ship with
#   git rm -q models/sr-*-res32-*; cp EXPORT_DIR/sr-*-res32-*.{onnx,json} models/
# and refit the identity calibrations for the new model (tools/face-eval/identity-lr.ts --write-calibrations).
set -eu
cd "$(dirname "$0")/.."
EXPORT="${1:-training/runs/cpu/export}"
SHARED="${FACET_SHARED_DIR:-$(cd .. && pwd)/shared}"
export FACET_SHARED_DIR="$SHARED"
VE=$(ls "$EXPORT"/sr-ve-res32-*.json | sort | tail -1)
ID=$(basename "$VE" .json)
K=${ID##*-}
VP="$EXPORT/$(echo "$ID" | sed 's/^sr-ve-/sr-vp-/').json"
SUBVP="$EXPORT/$(echo "$ID" | sed 's/^sr-ve-/sr-subvp-/').json"
for f in "$VE" "$VP" "$SUBVP"; do
  [ -f "$f" ] && [ -f "${f%.json}.onnx" ] || { echo "evaluate_export: missing $f or its .onnx" >&2; exit 1; }
done
OUT=docs/results/cpu-res32-$K
FACET="node out/cli/facet.js"
echo "== build the CLI"
npx vite build -c vite.cli.config.ts >/dev/null
COMMON="--embedder faceres --seed 2022 --threads 2 --batch 8"
echo "== VE, fast preset, 256 faces -> $OUT-ve-256"
$FACET eval run --faces 256 --model "$VE" --presets fast --candidate-mean 4 $COMMON --out "$OUT-ve-256"
echo "== VP and subVP, fast preset, 64 faces -> $OUT-vp-subvp-64"
$FACET eval run --faces 64 --model "$VP" --model "$SUBVP" --presets fast $COMMON --out "$OUT-vp-subvp-64"
echo "== VE, SDE-VE (N = 1000), 32 faces -> $OUT-sdeve-32"
$FACET eval run --faces 32 --model "$VE" --presets sde-ve --pc-steps 1000 $COMMON --out "$OUT-sdeve-32"
PY="${FACET_PYTHON:-/usr/bin/python3}"
"$PY" -m training.record_eval "$VE" "$OUT-ve-256/results.json" "$OUT-sdeve-32/results.json"
"$PY" -m training.record_eval "$VP" "$OUT-vp-subvp-64/results.json"
"$PY" -m training.record_eval "$SUBVP" "$OUT-vp-subvp-64/results.json"
echo "== fast preset end-level sweep (16 faces per set)"
OMP_NUM_THREADS=2 "$PY" -m training.fast_end_sweep --faces 16 --ends 0.1,0.15,0.2 --models "$EXPORT"
