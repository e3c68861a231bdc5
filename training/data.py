"""Readers for the shared face sets, each mapped into C1 (frame.py); the deterministic train/held-out split."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .frame import to_frame
from .paths import data_dir

HELD_OUT_EVERY = 50  # every 50th UTKFace file (sorted by name) is held out from training


@dataclass(frozen=True)
class FaceFile:
    """One source image: its path, data set name and identity label (celeba only; '' otherwise)."""

    path: str
    dataset: str
    identity: str = ""


def utkface_files(split: str = "train") -> list[FaceFile]:
    """UTKFace files of the 'train' or 'heldout' split."""
    folder = data_dir("train", "utkface")
    names = sorted(f for f in os.listdir(folder) if f.lower().endswith(".jpg"))
    keep = [n for i, n in enumerate(names) if (i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) == (split == "heldout")]
    return [FaceFile(os.path.join(folder, n), "utkface") for n in keep]


def ffhq_files(split: str = "train") -> list[FaceFile]:
    """ffhq1k files (full-frame faces) of the 'train' or 'heldout' split (every 50th file held out)."""
    folder = data_dir("train", "ffhq1k")
    names = sorted(f for f in os.listdir(folder) if f.lower().endswith(".jpg"))
    keep = [n for i, n in enumerate(names) if (i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) == (split == "heldout")]
    return [FaceFile(os.path.join(folder, n), "ffhq1k") for n in keep]


def celeba_files() -> list[FaceFile]:
    """CelebA evaluation files with identity labels from manifest.csv."""
    folder = data_dir("eval", "celeba")
    with open(os.path.join(folder, "manifest.csv"), newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [FaceFile(os.path.join(folder, r["file"]), "celeba", r["identity_folder"]) for r in rows]


def celebahq32_files() -> list[FaceFile]:
    """The 32 CelebA-HQ sanity-check faces."""
    folder = data_dir("eval", "celebahq32")
    return [FaceFile(os.path.join(folder, n), "celebahq32") for n in sorted(os.listdir(folder)) if n.endswith(".png")]


def load_c1(face: FaceFile) -> np.ndarray:
    """The face in C1, 128x128x3 uint8."""
    with Image.open(face.path) as im:
        return to_frame(im, face.dataset)


def spread(items: list[FaceFile], n: int) -> list[FaceFile]:
    """n items evenly spread over the list (deterministic)."""
    if n >= len(items):
        return list(items)
    idx = np.linspace(0, len(items) - 1, n).round().astype(int)
    return [items[i] for i in idx]
