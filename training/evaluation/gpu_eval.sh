#!/usr/bin/env bash
# One prepared command for the device machine: the evaluation protocol of DESIGN.md section 4 on the GPU with the
# Python reference samplers, writing results JSON that `facet eval report` turns into Table I and the figures.
#
# Usage:  training/evaluation/gpu_eval.sh MODEL      (MODEL = path/to/model.json (C3) or analytic-ve for a dry run)
# Needs:  data-pack/eval-celeba.tar from `python3 -m training.evaluation.pack_eval --faces $FACES` (carry it).
# Env:    OUT (./out-eval), PACK, FACES (1000: baselines + the fast preset), PC_FACES (256: SDE-VE/VEcs),
#         PC_STEPS (1000), SWEEP_FACES (128), SWEEP_STEPS (100), R_SWEEP (8 values in [0.05, 0.6]),
#         NFE_FAST (DPM-Solver++ 3M steps = NFE; the table uses 25), NFE_PC (SDE-VE N), CONFIG (network config), BATCH (64),
#         BUDGET_S (540: later stages are skipped, not cut, when the budget is spent), PYTHON (python3),
#         AUTOCAST (0/1: bf16 network on CUDA; about 1.3 M face-NFE in all at the defaults, ~16 PFLOP with the
#         default 13 GFLOP network, so fp32 may not fit the budget — the stages are ordered by value).
# Output: $OUT/{table,pc,sweep,nfe}/results.json + results.md, eval.log. Each stage is one results file; stages
#         have different face counts (a results file always scores every method on every face).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL="${1:?usage: gpu_eval.sh MODEL}"
OUT="${OUT:-$PWD/out-eval}"
PACK="${PACK:-data-pack/eval-celeba.tar}"
PY="${PYTHON:-python3}"
BUDGET_S="${BUDGET_S:-540}"
mkdir -p "$OUT"
t0=$(date +%s)
SHARED="$(mktemp -d)"
mkdir -p "$SHARED/data/eval/celeba"
tar -xf "$PACK" -C "$SHARED/data/eval/celeba"
export FACET_SHARED_DIR="$SHARED" OMP_NUM_THREADS="${OMP_NUM_THREADS:-4}"
common=(--model "$MODEL" --config "${CONFIG:-default}" --seed "${SEED:-2022}" --batch "${BATCH:-64}")
if [ "${AUTOCAST:-0}" = "1" ]; then common+=(--autocast); fi

stage() { # name, then evaluator options; skipped once the budget is spent
  local name="$1"; shift
  local used=$(( $(date +%s) - t0 ))
  if (( used > BUDGET_S )); then echo "gpu_eval: skip $name (budget spent: ${used} s)" | tee -a "$OUT/eval.log"; return 0; fi
  echo "gpu_eval: $name at ${used} s" | tee -a "$OUT/eval.log"
  "$PY" -u -m training.evaluation.run "${common[@]}" --out "$OUT/$name" "$@" 2>&1 | tee -a "$OUT/eval.log"
}

# Table I rows that scale: bicubic, HR and the app's fast preset (DPM-Solver++ 3M, 25 NFE) on many faces.
stage table --faces "${FACES:-1000}" --presets fast
# The paper's PC samplers at large N on fewer faces.
stage pc --faces "${PC_FACES:-256}" --presets sde-ve,sde-vecs --pc-steps "${PC_STEPS:-1000}"
# Fig. 4 (and Fig. 5 over r): SDE-VEcs against r.
stage sweep --faces "${SWEEP_FACES:-128}" --presets sde-vecs --pc-steps "${SWEEP_STEPS:-100}" \
  --r-sweep "${R_SWEEP:-0.05,0.1,0.16,0.2,0.3,0.4,0.5,0.6}"
# Quality against NFE for the fast (DPM-Solver++ 3M) and PC (SDE-VE) families; Heun (18 steps, 35 NFE), the earlier
# stand-in for the fast preset, as one extra row.
stage nfe --faces "${SWEEP_FACES:-128}" --presets fast,heun --fast-steps "${NFE_FAST:-5,10,15,25,40}" \
  --pc-steps-sweep "${NFE_PC:-50,100,250,500,1000}"
rm -rf "$SHARED"
echo "gpu_eval: finished in $(( $(date +%s) - t0 )) s" | tee -a "$OUT/eval.log"
ls -la "$OUT"/*
