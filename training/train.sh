#!/bin/sh
# `npm run train -- [options]`: trains the shared residual denoiser on this machine's CPU, detached (it survives the
# shell); options are training.train_cpu's (--minutes N, --batch B, ...). Stop it with `kill -TERM <pid>`: it
# checkpoints and exports the three models to training/runs/cpu/export/.
PY="${FACET_PYTHON:-}"
if [ -z "$PY" ]; then
  for c in /usr/bin/python3 python3; do
    if "$c" -c 'import torch, onnx, numpy, PIL' 2>/dev/null; then PY=$c; break; fi
  done
fi
if [ -z "$PY" ]; then
  echo "train: no Python with torch, onnx, numpy and PIL (Debian: apt install python3-torch python3-onnx python3-numpy python3-pil; or set FACET_PYTHON)" >&2
  exit 1
fi
cd "$(dirname "$0")/.." && exec "$PY" -m training.train_cpu --detach "$@"
