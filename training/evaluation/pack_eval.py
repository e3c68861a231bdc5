"""Packs the eval/celeba files one evaluation run needs (manifest.csv, the probe photos and the gallery) as ONE tar
with the data set's own layout, for the GPU machine (which cannot see the shared data). The original JPEGs travel
(about 10 KB each), and the device maps them into C1 with training.frame exactly as on this machine.

Run:  FACET_SHARED_DIR=/work/shared /usr/bin/python3 -m training.evaluation.pack_eval --faces 1000 \
          --out data-pack/eval-celeba.tar
On the device: mkdir -p shared/data/eval/celeba && tar -xf data-pack/eval-celeba.tar -C shared/data/eval/celeba
and run the evaluator with FACET_SHARED_DIR=$PWD/shared.
"""
from __future__ import annotations

import argparse
import os
import tarfile

from ..paths import data_dir
from .protocol import parse_manifest, select_faces


def pack(faces: int, out: str) -> dict:
    """Writes the tar; returns {files, bytes}."""
    folder = data_dir("eval", "celeba")
    with open(os.path.join(folder, "manifest.csv"), encoding="utf8") as fh:
        text = fh.read()
    probes, gallery = select_faces(parse_manifest(text), faces)
    names = ["manifest.csv"] + sorted({r.file for r in probes + gallery})
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
        for n in names:
            tar.add(os.path.join(folder, n), arcname=n)
    return {"files": len(names), "bytes": os.path.getsize(out)}


def main() -> None:
    p = argparse.ArgumentParser(description="Pack the eval/celeba files of one run for the GPU machine.")
    p.add_argument("--faces", type=int, default=1000)
    p.add_argument("--out", default="data-pack/eval-celeba.tar")
    a = p.parse_args()
    print(pack(a.faces, a.out))


if __name__ == "__main__":
    main()
