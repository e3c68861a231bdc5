#!/usr/bin/env bash
# One command for the GPU machine: read the packed faces, train for MINUTES, export ONNX (C3) + manifest, evaluate
# briefly (bicubic vs the app's 'fast' preset, DPM-Solver++ 3M at 25 NFE, plus Heun at 18 steps as an extra row,
# on held-out UTKFace and CelebA faces from the pack), and write everything
# to $OUT (at most 8 files, each < 16 MiB): model.onnx, model.json, weights.pt, log.jsonl, metrics.json,
# train.log, gpu.txt, gpu_util.csv.
#
# Usage:  training/gpu_run.sh [MINUTES=7]
# Env:    OUT (default ./out-gpu), PACK (data-pack/faces.tar), CONFIG (default), SDE (ve), PARAM (paper),
#         BATCH (128), LR (2e-4), COMPILE (0/1), PYTHON (python3), EXTRA (more training.train options).
# Budget: 7 minutes of training finish inside 9 minutes (start-up, decoding, evaluation and export included).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-7}"
OUT="${OUT:-$PWD/out-gpu}"
PACK="${PACK:-data-pack/faces.tar}"
PY="${PYTHON:-python3}"
mkdir -p "$OUT"
t0=$(date +%s)
test -f "$PACK" || { echo "gpu_run: pack $PACK not found (build it with python3 -m training.pack)" >&2; exit 2; }

if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv >"$OUT/gpu.txt" 2>&1 || true
  nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used,power.draw --format=csv,noheader -l 5 \
    >"$OUT/gpu_util.csv" 2>/dev/null &
  SMI=$!
  trap 'kill $SMI 2>/dev/null || true' EXIT
else
  echo "no nvidia-smi: CPU run" >"$OUT/gpu.txt"
fi

args=(--pack "$PACK" --minutes "$MINUTES" --out "$OUT" --config "${CONFIG:-default}" --sde "${SDE:-ve}"
  --param "${PARAM:-paper}" --batch "${BATCH:-128}" --lr "${LR:-2e-4}" --val-every 60 --eval-faces 64
  --eval-steps 25 --eval-heun-steps 18)
if [ "${COMPILE:-0}" = "1" ]; then args+=(--compile); fi
# shellcheck disable=SC2206
extra=(${EXTRA:-})
"$PY" -u -m training.train "${args[@]}" "${extra[@]}" >"$OUT/train.log" 2>&1 || {
  echo "gpu_run: training failed after $(( $(date +%s) - t0 )) s; tail of train.log:" >&2
  tail -40 "$OUT/train.log" >&2
  exit 1
}
grep -E '"event": "(start|val|eval|probe|done)"' "$OUT/log.jsonl" | cut -c1-400 || true
echo "gpu_run: finished in $(( $(date +%s) - t0 )) s; files in $OUT:"
ls -la "$OUT"
