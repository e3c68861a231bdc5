"""Packs faces in C1 at 128 px into ONE uncompressed tar for the GPU machine (64 MiB in all, tracked files included).

Members: `train.bin` (WebP files back to back) + `train.json` (name, offset, length of each), the same for
`heldout_utk` (UTKFace held-out split) and `eval_celeba` (held-out CelebA faces, with identities), and
`meta.json`. Packing the images into one blob avoids tar's 512-byte header and padding per file (about 1 KiB
per face, a third of a face's size). Training faces are added in a fixed shuffled order until the budget is met.

Run: FACET_SHARED_DIR=/work/shared /usr/bin/python3 -m training.pack --out data-pack/faces.tar --max-mib 40
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

import numpy as np
from PIL import Image

from .data import FaceFile, celeba_files, load_c1, spread, utkface_files


def encode(img: np.ndarray, quality: int) -> bytes:
    """WebP bytes of an HxWx3 uint8 image."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "WEBP", quality=quality, method=4)
    return buf.getvalue()


def decode(data: bytes) -> np.ndarray:
    """HxWx3 uint8 of encoded bytes."""
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"))


def build_blob(faces: Iterable[FaceFile], quality: int, budget: int | None) -> tuple[bytes, list[dict[str, object]]]:
    """Encodes faces until `budget` bytes (None: all); returns the blob and its index."""
    parts: list[bytes] = []
    index: list[dict[str, object]] = []
    size = 0
    for f in faces:
        data = encode(load_c1(f), quality)
        if budget is not None and size + len(data) > budget:
            break
        index.append({"name": os.path.basename(f.path), "offset": size, "length": len(data), "identity": f.identity})
        parts.append(data)
        size += len(data)
    return b"".join(parts), index


def add_member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """Adds bytes as a regular file member."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


def write_pack(out: str, max_mib: float, quality: int, n_heldout: int, n_celeba: int, limit: int | None) -> dict[str, object]:
    """Writes the tar; returns its meta record."""
    t0 = time.time()
    train = utkface_files("train")
    random.Random(1234).shuffle(train)
    if limit is not None:
        train = train[:limit]
    heldout = spread(utkface_files("heldout"), n_heldout)
    # One face each from n_celeba different identities (the first file of each identity in manifest order).
    by_id: dict[str, FaceFile] = {}
    for f in celeba_files():
        by_id.setdefault(f.identity, f)
    celeba = spread(sorted(by_id.values(), key=lambda f: f.identity), n_celeba)
    sets = {}
    fixed = 0
    for name, faces in [("heldout_utk", heldout), ("eval_celeba", celeba)]:
        blob, index = build_blob(faces, quality, None)
        sets[name] = (blob, index)
        fixed += len(blob) + len(json.dumps(index)) + 4 * 512
    budget = int(max_mib * 2**20) - fixed - 8 * 1024
    blob, index = build_blob(train, quality, budget)
    sets["train"] = (blob, index)
    meta = {
        "frame": "C1 128x128 (training/frame.py boxes)",
        "format": f"WebP quality {quality}",
        "counts": {k: len(v[1]) for k, v in sets.items()},
        "train_available": len(train),
        "max_mib": max_mib,
        "licence": "UTKFace / CelebA: non-commercial research",
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, (b, idx) in sets.items():
            add_member(tar, f"{name}.bin", b)
            add_member(tar, f"{name}.json", json.dumps(idx).encode())
        add_member(tar, "meta.json", json.dumps(meta, indent=1).encode())
    meta["bytes"] = os.path.getsize(out)
    meta["seconds"] = round(time.time() - t0, 1)
    return meta


def read_pack(path: str) -> dict[str, tuple[np.ndarray, list[dict[str, object]]]]:
    """All sets of a pack: name -> (uint8 [N,128,128,3], index)."""
    out: dict[str, tuple[np.ndarray, list[dict[str, object]]]] = {}
    with tarfile.open(path, "r") as tar:
        members = {m.name: m for m in tar.getmembers()}
        for name in ("train", "heldout_utk", "eval_celeba"):
            if f"{name}.bin" not in members:
                continue
            blob = tar.extractfile(members[f"{name}.bin"]).read()  # type: ignore[union-attr]
            index = json.loads(tar.extractfile(members[f"{name}.json"]).read())  # type: ignore[union-attr]
            parts = [blob[e["offset"] : e["offset"] + e["length"]] for e in index]
            with ThreadPoolExecutor(max_workers=min(16, os.cpu_count() or 1)) as pool:  # Pillow decodes without the GIL
                imgs = list(pool.map(decode, parts, chunksize=256))
            arr = np.stack(imgs) if imgs else np.zeros((0, 128, 128, 3), np.uint8)
            out[name] = (arr, index)
    return out


def main() -> None:
    """Command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", default="data-pack/faces.tar")
    p.add_argument("--max-mib", type=float, default=40.0)
    p.add_argument("--quality", type=int, default=90)
    p.add_argument("--heldout", type=int, default=64)
    p.add_argument("--celeba", type=int, default=64)
    p.add_argument("--limit", type=int, default=None, help="use at most this many training files (tiny packs)")
    a = p.parse_args()
    print(json.dumps(write_pack(a.out, a.max_mib, a.quality, a.heldout, a.celeba, a.limit)))


if __name__ == "__main__":
    main()
