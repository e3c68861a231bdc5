"""The CPU trainer of the shared residual denoiser (resnet32 + shared_denoiser): long runs in the background of a
session, checkpointed, resumable, continuing from the committed models on a new machine.

    python3 -m training.train_cpu --minutes 150 --detach     # npm run train -- --minutes 150
    kill -TERM <pid>                                         # checkpoint, export the three models, exit

- Every UTKFace training face is decoded once into a uint8 cache (memory-mapped, `training/cache/`, ignored), so
  the loop never decodes JPEG.
- A progress line every ~30 s (step, images seen, images/s, loss, ETA) and a validation line (fast preset PSNR
  and consistency vs bicubic on held-out UTKFace faces) every few minutes, to stdout and `<out>/log.jsonl`.
- A checkpoint (weights, EMA, optimiser, step, RNG, totals) every `--checkpoint-every` s and on SIGTERM/SIGINT;
  at the end (budget spent or signal) the EMA weights are exported as three C3 models (ve, vp, subvp).
- Resume: from `<out>/checkpoint.pt` if present, else (`--init-models DIR`, default `models/`) from the
  committed models' weights and totals, so every session continues the shipped model.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from typing import Any

import numpy as np
import torch
from PIL import Image

from .data import FaceFile, ffhq_files, load_c1, spread, utkface_files
from .export import LICENCE, export_onnx, load_onnx_weights, manifest, onnxruntime_check, round_weights_fp16, write_manifest
from .flops import count_flops, count_params
from .frame import jittered_frame, valid_mask
from .lr_torch import LrOperator
from .paths import REPO_ROOT
from .resnet32 import Res32Config
from .sde import Sde
from .shared_denoiser import SIGMA_DATA, ResidualDenoiser, SharedScoreModel, sample_sigma

CACHE_DIR = os.path.join(REPO_ROOT, "training", "cache")
SDE_KINDS = ("ve", "vp", "subvp")
CONFIGS: dict[str, Res32Config] = {
    "cpu": Res32Config(),  # the shipped network
    # The size experiment (issue 27): wider 16x16 and 8x8 levels, self-attention at 8x8, same stem.
    "cpu-m": Res32Config(widths=(64, 128, 192), blocks=1),
    "cpu-l": Res32Config(widths=(64, 128, 256), blocks=2),
    "tiny": Res32Config(widths=(16, 32, 32), blocks=1, emb=64),  # tests
}
# The architecture's name in model ids: the shipped size keeps "res32", the others say which they are.
ARCH_TAGS = {"cpu": "res32", "cpu-m": "res32m", "cpu-l": "res32l"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command line options."""
    p = argparse.ArgumentParser(description="Train the shared residual denoiser on the CPU (see module docstring).")
    p.add_argument("--out", default=os.path.join(REPO_ROOT, "training", "runs", "cpu"))
    p.add_argument("--config", default="cpu", choices=sorted(CONFIGS))
    p.add_argument("--minutes", type=float, default=None, help="wall-clock budget of this invocation")
    p.add_argument("--cpu-minutes", type=float, default=None,
                   help="budget in CPU-minutes of this process (all threads, validation excluded), so runs that share "
                        "the machine with other work still get equal CPU time; replaces --minutes")
    p.add_argument("--steps", type=int, default=None, help="stop after this many total steps")
    p.add_argument("--faces", type=int, default=0, help="training faces (0: the whole UTKFace train split)")
    p.add_argument("--ffhq-faces", type=int, default=0, help="ffhq1k training faces (0: the whole train split)")
    p.add_argument("--ffhq-fraction", type=float, default=0.3,
                   help="share of every batch drawn from ffhq1k (full-frame faces, alignment-jittered); 0: UTKFace only")
    p.add_argument("--ffhq-versions", type=int, default=8,
                   help="alignment-jittered C1 crops cached per ffhq1k face (the first is the calibrated crop)")
    p.add_argument("--no-mask-padding", action="store_true",
                   help="count UTKFace's edge-replicated padding in the loss (the shipped 485k model did)")
    p.add_argument("--bf16", action="store_true", help="bfloat16 autocast for the forward pass (torch 2 CPUs with AVX-512 bf16)")
    p.add_argument("--channels-last", action="store_true", help="channels_last memory format")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--warmup", type=int, default=500)
    p.add_argument("--anneal-from", type=float, default=None,
                   help="fraction of --minutes after which the learning rate follows a cosine down to --lr-floor x lr")
    p.add_argument("--lr-floor", type=float, default=0.05, help="final learning rate factor of --anneal-from")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: physical cores)")
    p.add_argument("--log-every", type=float, default=30.0)
    p.add_argument("--val-every", type=float, default=600.0, help="seconds between validations (0: never)")
    p.add_argument("--val-faces", type=int, default=8)
    p.add_argument("--val-steps", type=int, default=12)
    p.add_argument("--checkpoint-every", type=float, default=300.0)
    p.add_argument("--init-models", default=os.path.join(REPO_ROOT, "models"),
                   help="folder of committed models to continue from when there is no checkpoint ('' : none)")
    p.add_argument("--cache-dir", default=CACHE_DIR, help="where the decoded uint8 face cache lives")
    p.add_argument("--no-export", action="store_true", help="do not export at the end")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--detach", action="store_true", help="run in the background (own session), log to <out>/train.out")
    p.add_argument("--describe", action="store_true", help="print parameters, FLOPs and training images/s, exit")
    p.add_argument("--validate-only", action="store_true",
                   help="validate the model it would resume from (checkpoint, else --init-models), print, exit")
    p.add_argument("--measure-sigma-data", action="store_true", help="print the residual's std on training faces")
    return p.parse_args(argv)


def physical_cores() -> int:
    """Physical cores: distinct (physical id, core id) pairs of /proc/cpuinfo, else the logical CPU count."""
    try:
        with open("/proc/cpuinfo") as fh:
            blocks = fh.read().strip().split("\n\n")
    except OSError:
        blocks = []
    cores = set()
    for block in blocks:
        fields = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in block.splitlines() if ":" in line)}
        if "core id" in fields:
            cores.add((fields.get("physical id", ""), fields["core id"]))
    return len(cores) or max(1, os.cpu_count() or 1)


class Logger:
    """JSON lines to stdout and a file."""

    def __init__(self, path: str) -> None:
        self.fh = open(path, "a")

    def __call__(self, **rec: Any) -> None:
        rec = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **rec}
        line = json.dumps(rec)
        print(line, flush=True)
        self.fh.write(line + "\n")
        self.fh.flush()


def face_cache(faces: int, cache_dir: str, log: Any) -> np.ndarray:
    """The UTKFace train split in C1 as a memory-mapped uint8 [N,128,128,3] (decoded once, then reused)."""
    files = utkface_files("train")
    if faces:
        files = spread(files, faces)
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, f"utkface-train-{len(files)}.u8")
    shape = (len(files), 128, 128, 3)
    if os.path.exists(path) and os.path.getsize(path) == int(np.prod(shape)):
        return np.memmap(path, np.uint8, "r", shape=shape)
    t0 = time.time()
    tmp = path + ".tmp"
    arr = np.memmap(tmp, np.uint8, "w+", shape=shape)
    for i, f in enumerate(files):
        arr[i] = load_c1(f)
        if i % 2000 == 0:
            log(event="cache", decoded=i, of=len(files), elapsed_s=round(time.time() - t0, 1))
    arr.flush()
    del arr
    os.replace(tmp, path)
    log(event="cache", decoded=len(files), of=len(files), elapsed_s=round(time.time() - t0, 1), path=path)
    return np.memmap(path, np.uint8, "r", shape=shape)


FFHQ_LICENCE = ("non-commercial research (trained on UTKFace, image copyright stays with the owners, and on FFHQ "
                "faces, CC BY-NC-SA 4.0 for the set, each image under its own Flickr licence)")
# Alignment jitter of hand-placed landmarks: a few C1 pixels, a few percent of scale, a few degrees.
JITTER = {"shift_px": 2.0, "scale": 0.03, "angle_deg": 3.0}


def ffhq_cache(faces: int, versions: int, cache_dir: str, log: Any, seed: int = 7) -> np.ndarray:
    """ffhq1k's train split in C1 as a memory-mapped uint8 [N * versions,128,128,3]: per face the calibrated crop
    and versions - 1 crops with random alignment jitter (JITTER; fixed seed, so the cache is reproducible)."""
    files = ffhq_files("train")
    if faces:
        files = spread(files, faces)
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, f"ffhq1k-train-{len(files)}x{versions}.u8")
    shape = (len(files) * versions, 128, 128, 3)
    if os.path.exists(path) and os.path.getsize(path) == int(np.prod(shape)):
        return np.memmap(path, np.uint8, "r", shape=shape)
    t0, rng = time.time(), np.random.default_rng(seed)
    tmp = path + ".tmp"
    arr = np.memmap(tmp, np.uint8, "w+", shape=shape)
    for i, f in enumerate(files):
        with Image.open(f.path) as im:
            im.load()
            for v in range(versions):
                if v == 0:
                    dx = dy = angle = 0.0
                    scale = 1.0
                else:
                    dx, dy = rng.uniform(-1, 1, 2) * JITTER["shift_px"]
                    scale = 1.0 + rng.uniform(-1, 1) * JITTER["scale"]
                    angle = rng.uniform(-1, 1) * JITTER["angle_deg"]
                arr[i * versions + v] = jittered_frame(im, "ffhq1k", dx, dy, scale, angle)
    arr.flush()
    del arr
    os.replace(tmp, path)
    log(event="cache", set="ffhq1k", faces=len(files), versions=versions, elapsed_s=round(time.time() - t0, 1), path=path)
    return np.memmap(path, np.uint8, "r", shape=shape)


def lr_factor(step_in_run: int, warmup: int, progress: float, anneal_from: float | None, floor: float) -> float:
    """Learning-rate multiplier: linear warm-up over the first `warmup` steps of this optimiser, then constant, then
    (with `anneal_from`) a cosine from 1 down to `floor` over the rest of the wall-clock budget (`progress` in [0, 1]).
    Annealing at the end of an invocation is what a later session's warm-up restarts from."""
    f = min(1.0, (step_in_run + 1) / max(1, warmup))
    if anneal_from is not None and progress > anneal_from:
        p = min(1.0, (progress - anneal_from) / max(1e-9, 1.0 - anneal_from))
        f *= floor + (1.0 - floor) * 0.5 * (1.0 + np.cos(np.pi * p))
    return float(f)


def batch_of(cache: np.ndarray, idx: np.ndarray, lr_op: LrOperator, flip: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """(HR in [0,1], y) of cached faces, flipped where `flip`."""
    hr = torch.from_numpy(np.ascontiguousarray(cache[np.sort(idx)])).permute(0, 3, 1, 2).float().div_(255.0)
    f = torch.from_numpy(flip)
    hr = torch.where(f[:, None, None, None], hr.flip(3), hr)
    return hr, lr_op.upscale(lr_op.make_lr(hr))


def utkface_mask(flip: np.ndarray) -> torch.Tensor:
    """[B,1,128,128] validity masks of UTKFace C1 faces (1 where the pixel came from the 200x200 image), flipped
    with the faces."""
    m = torch.from_numpy(valid_mask("utkface", 200, 200))[None, None]
    f = torch.from_numpy(flip)[:, None, None, None]
    return torch.where(f, m.flip(3), m)


def find_committed(models_dir: str) -> tuple[str, dict[str, Any]] | None:
    """The committed VE model of the shared denoiser (ONNX path, manifest) in `models_dir`, if any."""
    if not models_dir or not os.path.isdir(models_dir):
        return None
    for name in sorted(os.listdir(models_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(models_dir, name)) as fh:
            man = json.load(fh)
        if man.get("parameterisation") == "residual-edm" and man.get("sde") == "ve":
            onnx_path = os.path.join(models_dir, name[: -len(".json")] + ".onnx")
            if os.path.exists(onnx_path):
                return onnx_path, man
    return None


class Trainer:
    """State of one training run: model, EMA, optimiser, counters; checkpoint and export."""

    def __init__(self, args: argparse.Namespace, log: Any) -> None:
        self.args, self.log = args, log
        self.cfg = CONFIGS[args.config]
        torch.manual_seed(args.seed)
        self.model = ResidualDenoiser(self.cfg)
        self.ema = copy.deepcopy(self.model).eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=args.lr, weight_decay=0.0)
        self.step, self.seen, self.cpu_s = 0, 0, 0.0
        self.opt_start = 0  # step at which the optimiser state began (warm-up counts from here)
        self.train_faces = 0
        self.ffhq_faces = 0
        self.schedule: list[dict[str, Any]] = []  # (from step, images, lr, batch) of each invocation that changed them
        self.progress = 0.0  # fraction of this invocation's wall-clock budget spent (for --anneal-from)
        self.origin = "fresh"
        self.gen = torch.Generator().manual_seed(args.seed)
        self.np_rng = np.random.default_rng(args.seed)
        self.ckpt_path = os.path.join(args.out, "checkpoint.pt")

    def restore(self) -> None:
        """From this run's checkpoint, else from the committed models."""
        if os.path.exists(self.ckpt_path):
            ck = torch.load(self.ckpt_path, map_location="cpu")
            self.model.load_state_dict(ck["model"])
            self.ema.load_state_dict(ck["ema"])
            self.opt.load_state_dict(ck["opt"])
            self.step, self.seen, self.cpu_s = ck["step"], ck["seen"], ck["cpu_s"]
            self.gen.set_state(ck["gen"])
            self.np_rng.bit_generator.state = ck["np_rng"]
            torch.set_rng_state(ck["torch_rng"])
            self.origin = ck.get("origin", "checkpoint")
            self.schedule = ck.get("schedule", [])
            self.opt_start = ck.get("opt_start", 0)
            self.log(event="resume", source=self.ckpt_path, step=self.step, images_seen=self.seen)
            return
        found = find_committed(self.args.init_models)
        if found:
            onnx_path, man = found
            probe = SharedScoreModel(Sde("ve"), self.model)
            missing = load_onnx_weights(probe, onnx_path)
            if missing:
                raise SystemExit(f"cannot continue from {onnx_path}: {len(missing)} weights missing ({missing[:3]})")
            self.ema.load_state_dict(self.model.state_dict())
            tr = man.get("training", {})
            self.seen, self.cpu_s = int(tr.get("images_seen", 0)), float(tr.get("cpu_hours", 0.0)) * 3600.0
            self.step = self.opt_start = int(tr.get("steps", 0))  # fresh optimiser state: warm up again
            self.schedule = list(tr.get("schedule", []))
            self.origin = f"continued from {man.get('id')}"
            self.log(event="resume", source=onnx_path, step=self.step, images_seen=self.seen)

    def save(self) -> None:
        """Atomic checkpoint."""
        tmp = self.ckpt_path + ".tmp"
        torch.save({
            "model": self.model.state_dict(), "ema": self.ema.state_dict(), "opt": self.opt.state_dict(),
            "step": self.step, "seen": self.seen, "cpu_s": self.cpu_s, "gen": self.gen.get_state(),
            "np_rng": self.np_rng.bit_generator.state, "torch_rng": torch.get_rng_state(), "origin": self.origin,
            "schedule": self.schedule, "opt_start": self.opt_start, "config": self.args.config,
        }, tmp)
        os.replace(tmp, self.ckpt_path)
        self.log(event="checkpoint", step=self.step, images_seen=self.seen, path=self.ckpt_path)

    def batch(self, cache: np.ndarray, ffhq: np.ndarray | None, lr_op: LrOperator
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """(HR, y, loss mask) of a fresh random batch: a fixed share of ffhq1k crops (all pixels real) and the rest
        UTKFace with its padding masked out (unless --no-mask-padding); every face flipped at random."""
        a = self.args
        n_ff = int(round(a.batch * a.ffhq_fraction)) if ffhq is not None else 0
        n_utk = a.batch - n_ff
        flip = self.np_rng.random(a.batch) < 0.5
        idx = self.np_rng.choice(len(cache), n_utk, replace=False)
        hr, y = batch_of(cache, idx, lr_op, flip[:n_utk])
        mask = None if a.no_mask_padding else utkface_mask(flip[:n_utk])
        if n_ff:
            idx_f = self.np_rng.choice(len(ffhq), n_ff, replace=False)
            hr_f, y_f = batch_of(ffhq, idx_f, lr_op, flip[n_utk:])
            hr, y = torch.cat([hr, hr_f]), torch.cat([y, y_f])
            if mask is not None:
                mask = torch.cat([mask, torch.ones(n_ff, 1, 128, 128)])
        return hr, y, mask

    def train_step(self, cache: np.ndarray, ffhq: np.ndarray | None, lr_op: LrOperator) -> float:
        """One optimiser step on a fresh random batch; returns the loss."""
        a = self.args
        hr, y, mask = self.batch(cache, ffhq, lr_op)
        sigma = sample_sigma(a.batch, self.gen)
        z = torch.randn(hr.shape, generator=self.gen)
        for g in self.opt.param_groups:
            g["lr"] = a.lr * lr_factor(self.step - self.opt_start, a.warmup, self.progress, a.anneal_from, a.lr_floor)
        if a.channels_last:
            hr, y, z = (t.contiguous(memory_format=torch.channels_last) for t in (hr, y, z))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
            loss = self.model.loss(hr, y, sigma, z, mask).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), a.clip)
        self.opt.step()
        with torch.no_grad():
            decay = min(a.ema, (1.0 + self.step) / (10.0 + self.step))
            for pe, pm in zip(self.ema.parameters(), self.model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1.0 - decay)
        self.step += 1
        self.seen += a.batch
        return float(loss)

    def ffhq_share(self) -> float:
        return self.args.ffhq_fraction if self.ffhq_faces else 0.0

    def data_description(self) -> str:
        """What this invocation trained on, in words, for the manifest."""
        utk = f"UTKFace train split ({self.train_faces} faces) mapped into C1 by a fixed crop"
        utk += "; its edge-replicated padding (about 1/3 of the frame) " + (
            "counted in the loss" if self.args.no_mask_padding else "left out of the loss by a per-face validity mask")
        if not self.ffhq_faces:
            return utk + "; random horizontal flips"
        return (f"{utk}; ffhq1k train split ({self.ffhq_faces} full-frame faces, calibrated box + "
                f"{self.args.ffhq_versions - 1} alignment-jittered crops each: shift <= {JITTER['shift_px']} px, scale "
                f"<= {JITTER['scale']:.0%}, rotation <= {JITTER['angle_deg']} deg), {self.ffhq_share():.0%} of every "
                "batch; random horizontal flips")

    def export(self, val: dict[str, Any] | None) -> list[str]:
        """The EMA weights (rounded to float16) as three C3 models + manifests in <out>/export/."""
        out = os.path.join(self.args.out, "export")
        os.makedirs(out, exist_ok=True)
        ema = copy.deepcopy(self.ema).float().eval()
        round_weights_fp16(ema)
        params = sum(p.numel() for p in ema.parameters())  # the EMA copy has no trainable parameters
        flops = count_flops(ema.net, torch.zeros(1, 6, 128, 128), torch.zeros(1))
        paths = []
        # Date and thousands of images seen: a continued run's export never reuses an earlier model's id.
        stamp = f"{time.strftime('%Y%m%d', time.gmtime())}-{self.seen // 1000}k"
        for kind in SDE_KINDS:
            model = SharedScoreModel(Sde(kind), ema).eval()
            model_id = f"sr-{kind}-{ARCH_TAGS.get(self.args.config, 'res32' + self.args.config)}-{stamp}"
            path = os.path.join(out, f"{model_id}.onnx")
            export_onnx(model, path, fp16_weights=True)
            training = {
                "data": self.data_description(),
                "data_mix": {"utkface": round(1.0 - self.ffhq_share(), 4), "ffhq1k": round(self.ffhq_share(), 4)},
                "utkface_padding_masked": not self.args.no_mask_padding,
                "licence": FFHQ_LICENCE if self.ffhq_faces else LICENCE,
                "precision": "bf16 autocast, fp32 weights" if self.args.bf16 else "fp32",
                "steps": self.step, "images_seen": self.seen, "minutes": round(self.cpu_s / 60.0, 1),
                "cpu_hours": round(self.cpu_s / 3600.0, 3), "device": "cpu (2 cores)", "torch": torch.__version__,
                "config": self.args.config, "network": asdict(self.cfg), "batch": self.args.batch, "lr": self.args.lr,
                "ema": self.args.ema, "sigma_data": self.model.sigma_data, "origin": self.origin,
                "schedule": self.schedule,
                "shared_weights": "one residual denoiser; the ve, vp and subvp models hold the same weights and "
                "differ only in the SDE-to-noise-level conversion (training/shared_denoiser.py)",
            }
            metrics = {"validation": val, "onnxruntime_max_rel_diff": onnxruntime_check(path, model)}
            man = manifest(model, path, params, flops, training, metrics, model_id)
            write_manifest(man, path[: -len(".onnx")] + ".json")
            paths.append(path)
        self.log(event="export", paths=paths, step=self.step, images_seen=self.seen)
        return paths


def validate(ema: ResidualDenoiser, faces: np.ndarray, lr_op: LrOperator, steps: int) -> dict[str, Any]:
    """Fast-preset PSNR / consistency vs bicubic of the VE model on held-out faces."""
    from .train import evaluate  # the GPU trainer's evaluator (DPM-Solver++ 3M, C5 noise)

    return evaluate(SharedScoreModel(Sde("ve"), ema), faces, lr_op, steps, torch.device("cpu"))


def held_out_faces(files: list[FaceFile], n: int) -> np.ndarray:
    """n held-out faces spread over a split, in C1 (uint8 NHWC)."""
    return np.stack([load_c1(f) for f in spread(files, n)])


def validation(tr: "Trainer", utk: np.ndarray, ffhq: np.ndarray, lr_op: LrOperator) -> dict[str, Any]:
    """Held-out UTKFace (the curve since the first model) and held-out ffhq1k, whose top rows are real, so its
    streak ratio says whether learned padding streaks are still painted."""
    steps = tr.args.val_steps
    utk_val = validate(tr.ema, utk, lr_op, steps)
    utk_val.pop("streak_ratio")  # UTKFace's real top rows are padding: the ratio means nothing there
    return {"step": tr.step, "images_seen": tr.seen, **utk_val, "ffhq1k": validate(tr.ema, ffhq, lr_op, steps)}


def measure_sigma_data(n: int = 2000) -> dict[str, float]:
    """Std of (face - y) over `n` training faces (flips do not change it)."""
    lr_op = LrOperator()
    files = spread(utkface_files("train"), n)
    hr = torch.from_numpy(np.stack([load_c1(f) for f in files])).permute(0, 3, 1, 2).float() / 255.0
    r = hr - lr_op.upscale(lr_op.make_lr(hr))
    return {"faces": n, "residual_std": float(r.std()), "residual_mean": float(r.mean()), "image_std": float(hr.std())}


def detach(argv: list[str], out: str) -> None:
    """Re-runs this command without --detach in a new session (survives the shell); prints the pid and log."""
    os.makedirs(out, exist_ok=True)
    log_path = os.path.join(out, "train.out")
    cmd = [sys.executable, "-m", "training.train_cpu"] + [a for a in argv if a != "--detach"]
    with open(log_path, "a") as fh:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    with open(os.path.join(out, "train.pid"), "w") as fh:
        fh.write(f"{proc.pid}\n")
    print(f"training in the background: pid {proc.pid}, log {log_path} (stop with: kill -TERM {proc.pid})")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Trains until the budget is spent or a signal arrives; checkpoints and exports."""
    torch.set_num_threads(args.threads or physical_cores())
    if args.measure_sigma_data:
        res = measure_sigma_data()
        print(json.dumps(res))
        return res
    if args.describe:
        model = ResidualDenoiser(CONFIGS[args.config])
        flops = count_flops(model.net, torch.zeros(1, 6, 128, 128), torch.zeros(1))
        x, y = torch.rand(args.batch, 3, 128, 128), torch.rand(args.batch, 3, 128, 128)
        if args.channels_last:
            model = model.to(memory_format=torch.channels_last)
            x, y = x.contiguous(memory_format=torch.channels_last), y.contiguous(memory_format=torch.channels_last)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
        times = []
        for _ in range(4):
            t0 = time.time()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                loss = model.loss(x, y, sample_sigma(args.batch), torch.randn_like(x)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            times.append(time.time() - t0)
        res = {"config": args.config, "params": count_params(model), "gflop_per_forward": flops / 1e9,
               "train_images_per_s": round(args.batch / float(np.median(times[1:])), 1),
               "threads": torch.get_num_threads(), "torch": torch.__version__, "bf16": args.bf16,
               "channels_last": args.channels_last}
        print(json.dumps(res))
        return res
    os.makedirs(args.out, exist_ok=True)
    log = Logger(os.path.join(args.out, "log.jsonl")) if not args.validate_only else Logger(os.devnull)
    stop = {"signal": None}

    def on_signal(signum: int, _frame: Any) -> None:
        stop["signal"] = signal.Signals(signum).name

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    tr = Trainer(args, log)
    tr.restore()
    if args.validate_only:
        lr_op = LrOperator()
        res = validation(tr, held_out_faces(utkface_files("heldout"), args.val_faces),
                         held_out_faces(ffhq_files("heldout"), args.val_faces), lr_op)
        log(event="val", source=tr.origin, **res)
        return res
    if args.anneal_from is not None and args.minutes is None and args.cpu_minutes is None:
        raise SystemExit("--anneal-from needs --minutes or --cpu-minutes (the cosine runs over the budget)")
    if args.minutes is not None and args.cpu_minutes is not None:
        raise SystemExit("give --minutes or --cpu-minutes, not both")
    entry = {"from_step": tr.step, "from_images": tr.seen, "lr": args.lr, "batch": args.batch}
    if args.anneal_from is not None:
        entry.update(anneal_from=args.anneal_from, lr_floor=args.lr_floor, minutes=args.minutes,
                     cpu_minutes=args.cpu_minutes)
    # An entry that trained no step (an export-only or immediately stopped invocation) is replaced, not kept.
    while tr.schedule and tr.schedule[-1]["from_step"] == tr.step:
        tr.schedule.pop()
    last = tr.schedule[-1] if tr.schedule else {}
    if args.anneal_from is not None or (last.get("lr"), last.get("batch")) != (args.lr, args.batch):
        tr.schedule.append(entry)
    cache = face_cache(args.faces, args.cache_dir, log)
    tr.train_faces = len(cache)
    ffhq = ffhq_cache(args.ffhq_faces, args.ffhq_versions, args.cache_dir, log) if args.ffhq_fraction > 0 else None
    tr.ffhq_faces = len(ffhq) // args.ffhq_versions if ffhq is not None else 0
    if args.channels_last:
        tr.model = tr.model.to(memory_format=torch.channels_last)
    lr_op = LrOperator()
    val_faces = held_out_faces(utkface_files("heldout"), args.val_faces)
    val_ffhq = held_out_faces(ffhq_files("heldout"), args.val_faces)
    log(event="start", pid=os.getpid(), params=count_params(tr.model), threads=torch.get_num_threads(),
        torch=torch.__version__, train_faces=len(cache), step=tr.step, images_seen=tr.seen, args=vars(args))
    budget = args.minutes * 60.0 if args.minutes is not None else float("inf")
    cpu_budget = args.cpu_minutes * 60.0 if args.cpu_minutes is not None else float("inf")
    start = last_log = last_ckpt = last_val = time.time()
    cpu_start, cpu_val = time.process_time(), 0.0  # process CPU seconds; validation's share is left out

    def cpu_used() -> float:
        return time.process_time() - cpu_start - cpu_val

    window_seen, losses, val = 0, [], None
    while (stop["signal"] is None and time.time() - start < budget and cpu_used() < cpu_budget
           and (args.steps is None or tr.step < args.steps)):
        t0 = time.time()
        if cpu_budget != float("inf"):
            tr.progress = cpu_used() / cpu_budget
        else:
            tr.progress = (t0 - start) / budget if budget != float("inf") else 0.0
        losses.append(tr.train_step(cache, ffhq, lr_op))
        tr.cpu_s += time.time() - t0
        window_seen += args.batch
        now = time.time()
        if now - last_log >= args.log_every or tr.step == 1:
            rate = window_seen / max(1e-9, now - last_log)
            left = budget - (now - start)
            if cpu_budget != float("inf"):
                left = (cpu_budget - cpu_used()) / max(1e-9, cpu_used() / max(1e-9, now - start))
            log(event="train", step=tr.step, images_seen=tr.seen, images_per_s=round(rate, 1),
                lr=float(f"{tr.opt.param_groups[0]['lr']:.3g}"),
                loss=round(float(np.mean(losses)), 5), elapsed_s=round(now - start), cpu_s=round(cpu_used()),
                eta_s=None if left == float("inf") else round(left))
            last_log, window_seen, losses = now, 0, []
        if args.val_every > 0 and now - last_val >= args.val_every:
            v0 = time.process_time()
            val = validation(tr, val_faces, val_ffhq, lr_op)
            cpu_val += time.process_time() - v0
            log(event="val", cpu_s=round(cpu_used()), **val)
            last_val = last_log = time.time()
        if now - last_ckpt >= args.checkpoint_every:
            tr.save()
            last_ckpt = time.time()
    log(event="stop", reason=stop["signal"] or "budget", step=tr.step, images_seen=tr.seen, cpu_s=round(cpu_used()))
    tr.save()
    if args.val_every > 0:
        val = validation(tr, val_faces, val_ffhq, lr_op)
        log(event="val", **val)
    paths = [] if args.no_export else tr.export(val)
    return {"step": tr.step, "images_seen": tr.seen, "exported": paths, "validation": val}


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.detach:
        detach(argv, args.out)
        return
    run(args)


if __name__ == "__main__":
    main()
