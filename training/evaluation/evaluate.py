"""The Python evaluator for GPU-sized runs: the protocol of DESIGN.md section 4, the same results JSON as
`facet eval` (src/main/eval/evaluator.ts), validated against schema.json before it is written.

The science it runs (C2 LR operator, C5 noise, samplers, data readers) comes from the training package; this module
only orchestrates and scores, through a `Toolkit`, so the same code runs the analytic test model on CPU and a
trained network on the GPU.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
import torch
from PIL import Image

from .aggregate import summarise_method
from .identification import cosine, rank1
from .images import image_sha256, quantise8
from .metrics import gradient_ratio, psnr, ssim
from .protocol import SEED_RULE, MethodSpec, face_seed, parse_manifest
from .schema_check import validate_results
from .table import markdown_table

ScoreFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass
class Toolkit:
    """The science the evaluator needs, over [B,3,H,W] float tensors in [0,1] unless stated."""

    form_lr: Callable[[torch.Tensor], torch.Tensor]
    """C2: HR [B,3,128,128] -> LR [B,3,16,16] (8-bit values)."""
    conditioning: Callable[[torch.Tensor], torch.Tensor]
    """C2: LR -> y, the bicubic upscale to 128x128 (unclamped)."""
    downscale: Callable[[torch.Tensor], torch.Tensor]
    """C2 downscale without quantisation (for consistency)."""
    resolve_sampler: Callable[[str, dict, dict], dict]
    """(preset, overrides, model info) -> sampler config (the `sampler` object of the results schema)."""
    sample: Callable[[dict, dict, torch.Tensor, ScoreFn, Sequence[str]], torch.Tensor]
    """(sde, sampler, y, score, per-item seeds) -> batch in the model's data range; item b uses C5 stream (seed, 0)."""


@dataclass
class Face:
    """A face in the canonical frame: HR as HWC float32 8-bit values, and its provenance."""

    file: str
    identity: str
    source_sha256: str
    hr: np.ndarray


@dataclass
class FaceSet:
    """Probes, gallery and the set's provenance."""

    name: str
    manifest_sha256: str
    frame: str
    probes: list
    gallery: list


@dataclass
class ScoreModel:
    """A score model and its results record (id, sha256, sde, dataRange, trainedOnFaces, note)."""

    info: dict
    score: ScoreFn


def load_crops_set(folder: Path) -> FaceSet:
    """A crops folder written by `facet eval --save-crops`: manifest.csv (file,identity_folder,role) + 128x128 PNGs."""
    manifest = (folder / "manifest.csv").read_bytes()
    text = manifest.decode()
    rows = parse_manifest(text)
    roles = [l.split(",")[2].strip() for l in text.splitlines()[1:] if l.strip()]
    probes, gallery = [], []
    for row, role in zip(rows, roles):
        data = (folder / row.file).read_bytes()
        with Image.open(folder / row.file) as im:
            arr = np.asarray(im.convert("RGB"), dtype=np.float64) / 255
        if arr.shape != (128, 128, 3):
            raise ValueError(f"{row.file} is not 128x128 RGB.")
        face = Face(row.file, row.identity, hashlib.sha256(data).hexdigest(), arr.astype(np.float32))
        if role == "probe":
            probes.append(face)
        elif role == "gallery":
            gallery.append(face)
        else:
            raise ValueError("Crops manifest: role must be probe or gallery.")
    return FaceSet(f"crops:{folder.name}", hashlib.sha256(manifest).hexdigest(),
                   "canonical C1 crops (128x128 PNG)", probes, gallery)


def _batch(imgs: Sequence[np.ndarray], device: str) -> torch.Tensor:
    return torch.from_numpy(np.stack(imgs)).permute(0, 3, 1, 2).contiguous().to(device)


def _unbatch(t: torch.Tensor) -> list[np.ndarray]:
    return [x for x in t.detach().permute(0, 2, 3, 1).float().cpu().numpy()]


def evaluate(
    face_set: FaceSet,
    base_seed: str,
    models: Sequence[ScoreModel],
    embed: Callable[[list], list],
    embedder_info: dict,
    methods: Sequence[MethodSpec],
    toolkit: Toolkit,
    command: str,
    producer: dict,
    batch_size: int = 8,
    device: str = "cpu",
    on_method: Optional[Callable[[dict], None]] = None,
) -> dict:
    """Scores bicubic, HR and every model method on the same faces with the same seeds; returns validated results."""
    gallery_emb = embed([g.hr for g in face_set.gallery])
    gallery = [(g.identity, e) for g, e in zip(face_set.gallery, gallery_emb)]
    hr_emb = embed([p.hr for p in face_set.probes])
    hr_t = _batch([p.hr for p in face_set.probes], device)
    lr_t = toolkit.form_lr(hr_t)
    y_t = toolkit.conditioning(lr_t)
    lrs = _unbatch(lr_t)
    ys = _unbatch(y_t)
    faces = [
        {
            "index": i,
            "file": p.file,
            "identity": p.identity,
            "sourceSha256": p.source_sha256,
            "hrSha256": image_sha256(p.hr),
            "lrSha256": image_sha256(lrs[i]),
            "seed": face_seed(base_seed, i),
        }
        for i, p in enumerate(face_set.probes)
    ]

    # The streak column divides each method's mean gradient ratio by the HR faces' (so HR's row is 1).
    hr_ratios = gradient_ratio(hr_t)
    hr_gradient_mean = sum(hr_ratios) / len(hr_ratios)
    out_methods = []
    for spec in methods:
        t0 = time.time()
        sampler, nfe = None, 0
        if spec.kind == "bicubic":
            outputs = [quantise8(y) for y in ys]
        elif spec.kind == "hr":
            outputs = [p.hr for p in face_set.probes]
        else:
            model = next((m for m in models if m.info["id"] == spec.model_id), None)
            if model is None:
                raise ValueError(f"Method {spec.id} needs model {spec.model_id}, which is not loaded.")
            sampler = toolkit.resolve_sampler(spec.preset, spec.overrides, model.info)
            outputs = []
            for i in range(0, len(faces), batch_size):
                calls = [0]

                def counted(x, y, t, _m=model, _c=calls):
                    _c[0] += 1
                    return _m.score(x, y, t)

                chunk = faces[i:i + batch_size]
                with torch.no_grad():
                    x = toolkit.sample(model.info["sde"], sampler, y_t[i:i + batch_size], counted,
                                       [f["seed"] for f in chunk])
                if model.info["dataRange"] == "-1,1":
                    x = (x + 1) / 2
                if i > 0 and calls[0] != nfe:
                    raise RuntimeError(f"Method {spec.id}: NFE changed between batches ({nfe} vs {calls[0]}).")
                nfe = calls[0]
                outputs += [quantise8(o) for o in _unbatch(x)]
        sr_t = _batch(outputs, device)
        emb = embed(outputs)
        p_list = psnr(sr_t, hr_t)
        s_list = ssim(sr_t, hr_t)
        d = (toolkit.downscale(sr_t).double() - lr_t.double()) * 255
        c_list = [float(v) for v in (d * d).flatten(1).mean(1)]
        g_list = gradient_ratio(sr_t)
        per_face = []
        for i, f in enumerate(faces):
            match = rank1(emb[i], f["identity"], gallery)
            per_face.append({
                "face": i,
                "psnr": p_list[i],
                "ssim": s_list[i],
                "consistency": c_list[i],
                "cs": cosine(emb[i], hr_emb[i]),
                "rank1Identity": match.identity,
                "rank1Hit": match.hit,
                "outputSha256": image_sha256(outputs[i]),
                "gradientRatio": g_list[i],
            })
        tags = [dict(t, nfe=max(1, nfe)) if t["experiment"] == "nfe" else dict(t) for t in spec.tags]
        method = {
            "id": spec.id,
            "label": spec.label,
            "kind": spec.kind,
            "modelId": spec.model_id,
            "preset": spec.preset,
            "sampler": sampler,
            "nfe": nfe,
            "tags": tags,
            "perFace": per_face,
            "summary": summarise_method(per_face, hr_gradient_mean),
            "seconds": time.time() - t0,
        }
        out_methods.append(method)
        if on_method:
            on_method(method)

    results = {
        "schemaVersion": 1,
        "createdAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "command": command,
        "producer": producer,
        "protocol": {
            "set": {"name": face_set.name, "manifestSha256": face_set.manifest_sha256, "frame": face_set.frame},
            "faces": faces,
            "gallery": [{"file": g.file, "identity": g.identity, "sourceSha256": g.source_sha256}
                        for g in face_set.gallery],
            "baseSeed": base_seed,
            "seedRule": SEED_RULE,
            "models": [m.info for m in models],
            "embedder": embedder_info,
        },
        "methods": out_methods,
    }
    validate_results(results)
    return results


def write_results(folder: Path, results: dict) -> None:
    """results.json and a Markdown Table I; figures come from `facet eval report folder/results.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, indent=2, allow_nan=False) + "\n")
    table = [m for m in results["methods"] if any(t["experiment"] == "table" for t in m["tags"])]
    (folder / "results.md").write_text("# Evaluation results (Python evaluator)\n\n" + markdown_table(table) + "\n")
