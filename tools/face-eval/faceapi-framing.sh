#!/bin/sh
# faceapi framing sweep (issue 19): the C1 crop placed at FILL of faceapi's 150 px input, centred, on its mean colour
# (the package's mean RGB, so the border is zero after its mean subtraction). For each fill, identity-lr's HR and
# bicubic-from-16x16 rows for faceapi on the same 200 probes; one summary line per fill.
#   FACET_SHARED_DIR=/work/shared sh tools/face-eval/faceapi-framing.sh [--threads 1]    (FILLS="1 0.8" to choose)
set -e
cd "$(dirname "$0")/../.."
out=${FRAMING_OUT:-/tmp/faceapi-framing}
mkdir -p "$out"
for fill in ${FILLS:-1.35 1.2 1.1 1 0.9 0.8 0.7 0.6}; do
  dir="$out/models-$fill"
  rm -rf "$dir" && mkdir -p "$dir"
  for f in models/face/*; do ln -s "$PWD/$f" "$dir/"; done
  rm "$dir/faceapi.json"
  FILL=$fill node -e '
    const m = JSON.parse(require("fs").readFileSync("models/face/faceapi.json", "utf8"));
    m.input.framing = { fill: Number(process.env.FILL), pad: [122.782, 117.001, 104.298].map((v) => v / 255) };
    process.stdout.write(JSON.stringify(m, null, 2));' > "$dir/faceapi.json"
  npx tsx tools/face-eval/identity-lr.ts --probes 200 --sr-probes 0 --embedders faceapi --face-models "$dir" \
    --embeddings "$out/embeddings-$fill.json" --out "$out/$fill" "$@" > "$out/log-$fill.txt"
  node -e '
    const t = require(process.argv[1]).table.faceapi;
    const f = (r) => `AUC ${r.auc} TAR@1% ${r.tarAtFar1} TAR@0.1% ${r.tarAtFar01} rank-1 ${r.rank1}`;
    console.log(`fill ${process.argv[2]}: HR ${f(t.hr)} | bicubic16 ${f(t.bicubic16)}`);' "$out/$fill/identity-lr.json" "$fill"
done
